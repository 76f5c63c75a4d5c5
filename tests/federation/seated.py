"""A federation whose delegates are seated, run through the stand-in ballot box: the start
of the tests of what delegate councils decide (mandates, the veto from below).

    box, hours = seated()                       # ann and bo sit in North District, cy and di in South
    events, hours = vote_on(box, "m1", hours)  # call the vote on m1, everyone votes yes, count it
"""

from __future__ import annotations

from box import Box
from electing import hours_of, run_term
from founding import at, founding

from frombelow.federation.charter import Charter
from frombelow.federation.events import Event
from frombelow.federation.motions import CallVote
from frombelow.federation.voting import CastBallot, ClosePoll

# The founder of each local, who invites newcomers to it.
FOUNDERS = {"local-1": "ann", "local-2": "bo", "local-3": "cy", "local-4": "di"}


def seated(charter: Charter | None = None) -> tuple[Box, float]:
    """The founding federation after its first term's elections (the box's history starts after them)."""
    box = Box()
    box.run(founding(charter))
    box.state, hours = run_term(box.state, 1)
    box.history = []
    return box, hours


def join(box: Box, hours: float, *newcomers: tuple[str, str]) -> float:
    """Newcomers (member, base council) join after the elections: they sit in no delegate council."""
    for member, council in newcomers:
        box.join(FOUNDERS[council], council, member, hours)
        hours += 2
    return hours


def vote_on(
    box: Box, motion: str, hours: float, marks: dict[str, str] | None = None, others: str | None = "yes"
) -> tuple[list[Event], float]:
    """Call the vote on ``motion``; each voter votes as ``marks`` says, the rest ``others`` (None: they stay away).

    The poll is closed when everyone has voted, or else when its time is up. Returns the
    events of the count and the hour after it.
    """
    council = box.state.motions[motion].council
    poll_id = box.state.motions[motion].poll
    box.run(CallVote(min(sitting(box, council)), at(hours), motion))
    poll = box.state.polls[poll_id]
    for voter in sorted(poll.electorate):
        choice = (marks or {}).get(voter, others)
        if choice is not None:
            box.run(CastBallot(voter, at(hours + 0.5), poll_id, (choice,)))
    everyone = len(box.state.polls[poll_id].turnout) == len(poll.electorate)
    counted = box.run(ClosePoll("the count", at(hours + 1) if everyone else poll.closes_at, poll_id))
    return counted, hours_of(counted[0].at) + 1


def sitting(box: Box, council: str) -> set[str]:
    """Who sits in ``council``: its members, or the delegates seated in it."""
    if box.state.councils[council].kind == "base":
        return {m.id for m in box.state.members.values() if m.council == council}
    return {d.member for d in box.state.seated(council)}
