"""A stand-in ballot box for the core's tests: it keeps secret ballots apart from the record.

The core records only that a member voted; the ballot's content goes to the box (in the
platform, ``ballotbox/``). Here a ``Box`` runs commands like ``execute`` and, for a
secret poll, keeps each ballot's marks (with the voter's base council only for polls that
count by council, ``voting.COUNTED_BY_COUNCIL``) and hands them over when the poll closes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from founding import at

from frombelow.federation import State, execute
from frombelow.federation.commands import Command, IssueInvitation, Join
from frombelow.federation.events import Event
from frombelow.federation.voting import COUNTED_BY_COUNCIL, Ballot, CastBallot, ClosePoll


@dataclasses.dataclass
class Box:
    state: State = dataclasses.field(default_factory=State)
    history: list[Event] = dataclasses.field(default_factory=list)
    ballots: dict[str, list[Ballot]] = dataclasses.field(default_factory=lambda: defaultdict(list))

    def run(self, command: Command) -> list[Event]:
        """Execute ``command``; a refusal raises and leaves the box and the state as they were."""
        if isinstance(command, ClosePoll) and not command.ballots:
            command = dataclasses.replace(command, ballots=tuple(self.ballots.get(command.poll, ())))
            poll = self.state.polls.get(command.poll)
            if poll is not None and not poll.secret:
                command = dataclasses.replace(command, ballots=())
        self.state, events = execute(self.state, command)
        self.history += events
        if isinstance(command, CastBallot) and events and events[0].kind == "ballot cast":
            poll = self.state.polls[command.poll]
            group = poll.electorate[command.actor].group if poll.purpose in COUNTED_BY_COUNCIL else ""
            self.ballots[command.poll].append(Ballot(tuple(command.marks), group))
        return events

    def join(self, inviter: str, council: str, newcomer: str, hours: float) -> None:
        code = f"code-for-{newcomer}-{council}-0123456789"
        self.run(IssueInvitation(inviter, at(hours), council, code))
        self.run(Join(newcomer, at(hours + 1), code))
