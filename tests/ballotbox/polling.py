"""A polling station for the ballot box's tests: a federation, one secret poll, its box.

``a_motion_vote`` opens a secret vote on a motion in Local 1 (yes / no / abstain);
``an_election`` a contested secret election of Local 1's delegates by STV, whose voters are
also its candidates. A ``Station`` issues every voter a token, casts with them through the
box, and records the events the box returns, as the platform would (thread-safely, so
tests can cast from many threads at once).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

from founding import at as hour
from founding import founding

from frombelow.ballotbox import BallotBox, BoxStore, MemoryBoxStore, Receipt, token_digest
from frombelow.federation import State, decide, replay
from frombelow.federation.charter import Charter
from frombelow.federation.commands import Command, IssueInvitation, Join
from frombelow.federation.elections import Nominate, OpenElection, StartTerm
from frombelow.federation.events import Event
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.voting import Ballot, Poll

NEWCOMERS = [f"worker-{i:02}" for i in range(1, 12)]
LOCAL_1 = ["ann", *NEWCOMERS]  # the electorate of Local 1's polls
OPENING = 40  # hours after founding: a motion's vote opens then, an election's nominations a little before
CANDIDATES = ("worker-01", "worker-02", "worker-03")  # for Local 1's two seats in North District
CHARTER = Charter(delegate_seats=3)


@dataclasses.dataclass
class Station:
    state: State
    history: list[Event]
    poll: str
    box: BallotBox
    tokens: dict[str, str]
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    @property
    def current(self) -> Poll:
        return self.state.polls[self.poll]

    @property
    def voting(self) -> datetime:
        """When ballots are cast here: an hour after the poll opened."""
        return self.current.opened_at + timedelta(hours=1)

    def cast(self, member: str, marks: Sequence[str]) -> Receipt:
        events, receipt = self.box.cast(self.state, self.tokens[member], marks, self.voting)
        self.record(events)
        return receipt

    def revote(self, member: str, previous: Receipt, marks: Sequence[str]) -> Receipt:
        return self.box.revote(self.state, self.tokens[member], previous, marks, self.voting)

    def close(self) -> tuple[Ballot, ...]:
        events, published = self.box.close(self.state, self.current.closes_at)
        self.record(events)
        return published

    def run(self, command: Command) -> list[Event]:
        events = decide(self.state, command)
        self.record(events)
        return events

    def record(self, events: list[Event]) -> None:
        """What the platform does with the events the box returns: append them and apply them."""
        with self.lock:
            self.state = replay(events, self.state)
            self.history += events


def local_1(charter: Charter = CHARTER) -> Station:
    """A station before any vote: the founding federation with eleven more members in Local 1."""
    station = Station(State(), [], "", None, {})  # type: ignore[arg-type]
    station.run(founding(charter))
    for i, newcomer in enumerate(NEWCOMERS):
        code = f"code-for-{newcomer}-0123456789"
        station.run(IssueInvitation("ann", hour(1 + 2 * i), "local-1", code))
        station.run(Join(newcomer, hour(2 + 2 * i), code))
    return station


def a_motion_vote(store: BoxStore | None = None, revote: bool = False) -> Station:
    station = a_motion_put_to_the_vote()
    return _open_box(station, "vote on strike", store, revote)


def a_motion_put_to_the_vote(charter: Charter = CHARTER) -> Station:
    """Local 1 votes on a strike (secretly, unless ``charter`` says otherwise); no box yet."""
    station = local_1(charter)
    station.run(ProposeMotion("ann", hour(OPENING - 1), "strike", "local-1", "Strike", "We strike on Monday"))
    station.run(CallVote("ann", hour(OPENING), "strike"))
    station.poll = "vote on strike"
    return station


def an_election(store: BoxStore | None = None, revote: bool = False) -> Station:
    station = local_1()
    station.run(StartTerm("the count", hour(OPENING - 3), "metal"))
    election = next(e for e in station.state.elections.values() if e.constituent == "local-1")
    for candidate in CANDIDATES:
        station.run(Nominate(candidate, hour(OPENING - 2), election.id, candidate))
    opening = max(hour(OPENING), election.nominations_close_at)
    station.run(OpenElection("ann", opening, election.id))
    return _open_box(station, station.state.elections[election.id].poll, store, revote)


def _open_box(station: Station, poll: str, store: BoxStore | None, revote: bool) -> Station:
    station.poll = poll
    station.box = BallotBox(station.state, poll, store if store is not None else MemoryBoxStore(), revote=revote)
    station.tokens = station.box.issue_all(station.state)
    return station


def snapshot(station: Station) -> tuple:
    """All the station keeps: state, record, and the store's roll and box (and its files' bytes)."""
    store = station.box.store
    roll = {member: store.holder(token_digest(token)) for member, token in station.tokens.items()}
    files = sorted((p.name, p.read_bytes()) for p in store.directory.iterdir()) if hasattr(store, "directory") else []
    return station.state, list(station.history), roll, store.ballots(), store.vacancies(), files
