"""The poll mechanism itself (``voting.py``): who may still vote, what a count publishes."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest
from box import Box
from founding import at, founding
from seated import join, seated

from frombelow.federation import InvalidCommand, NotAllowed
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import IssueInvitation, Leave, Move
from frombelow.federation.elections import Nominate, OpenElection, Resign, StartTerm
from frombelow.federation.events import from_json, to_json
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll, recount, roll_digest


def test_a_delegate_who_gave_up_the_seat_no_longer_votes_in_a_roll_call_nor_does_the_successor() -> None:
    box, hours = seated(Charter(nomination_days=1))
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Strike", "Ballot on a strike."))
    box.run(CallVote("bo", at(hours + 1), "n1"))
    box.run(Resign("ann", at(hours + 2), "north"))
    before = box.state
    with pytest.raises(NotAllowed, match="you no longer hold the seat for Local 1 in North District"):
        box.run(CastBallot("ann", at(hours + 3), "vote on n1", ("yes",)))
    assert box.state is before
    box.run(CastBallot("bo", at(hours + 3), "vote on n1", ("yes",)))  # who still sits votes
    # eve fills the seat in a by-election while the vote is open: she was not seated when it opened.
    box.run(Nominate("eve", at(hours + 4), "north/local-1/term-1/by-election-1", "eve", None))
    box.run(OpenElection("eve", at(hours + 30), "north/local-1/term-1/by-election-1"))
    assert ("north", "eve") in box.state.delegates
    with pytest.raises(NotAllowed, match="only those entitled to vote in North District when this vote opened"):
        box.run(CastBallot("eve", at(hours + 31), "vote on n1", ("yes",)))


def test_a_member_who_left_no_longer_votes() -> None:
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"), ("fay", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    box.run(CallVote("eve", at(hours + 1), "b1"))
    box.run(Leave("fay", at(hours + 2)))
    before = box.state
    with pytest.raises(NotAllowed, match="you are no longer a member, so you may not vote on Dues"):
        box.run(CastBallot("fay", at(hours + 3), "vote on b1", ("no",)))
    assert box.state is before and "fay" not in box.ballots.get("vote on b1", [])


def test_a_member_who_moved_away_votes_in_neither_constituency_twice() -> None:
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"), ("fay", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    box.run(CallVote("eve", at(hours + 1), "b1"))
    box.run(IssueInvitation("bo", at(hours + 2), "local-2", "a-long-invitation-code-for-fay"))
    box.run(Move("fay", at(hours + 3), "a-long-invitation-code-for-fay"))
    before = box.state
    with pytest.raises(NotAllowed, match="you have moved away from Local 1 since this vote opened"):
        box.run(CastBallot("fay", at(hours + 4), "vote on b1", ("no",)))
    assert box.state is before
    box.run(CastBallot("eve", at(hours + 4), "vote on b1", ("yes",)))


def test_a_count_the_method_cannot_finish_is_published_as_failed_and_the_poll_closes() -> None:
    """Sequential IRV runs out of ballots when everyone ranks only ann: no one is elected, nothing crashes."""
    charter = Charter(delegate_seats=4, election_methods=(("delegates", "sequential-irv"), ("by-election", "irv")))
    box = Box()
    box.run(founding(charter))
    for n, newcomer in enumerate(("eve", "fay", "gus", "hal")):
        box.join("ann", "local-1", newcomer, 1 + 2 * n)
    box.run(StartTerm("the count", at(20), "metal"))
    election = "north/local-1/term-1"
    assert box.state.elections[election].seats == 3
    for candidate in ("ann", "eve", "fay", "gus"):
        box.run(Nominate(candidate, at(21), election, candidate))
    box.run(OpenElection("ann", at(20 + 7 * 24), election))
    poll = box.state.elections[election].poll
    for voter in ("ann", "eve", "fay", "gus", "hal"):
        box.run(CastBallot(voter, at(21 + 7 * 24), poll, ("ann",)))
    counted, decided = box.run(ClosePoll("the count", at(22 + 7 * 24), poll))[:2]
    assert counted.outcome.startswith("count failed: ") and "no ballot counts" in counted.outcome
    assert counted.elected == () and len(counted.ballots) == 5
    assert (decided.kind, decided.elected, decided.vacant) == ("election decided", (), 3)
    assert recount(box.state.polls[poll], counted) == counted  # the failure is as checkable as a result
    assert box.state.polls[poll].counted == counted


def _secret_vote_in_local_1() -> tuple[Box, float]:
    """Local 1 (ann, eve) votes by secret ballot on b1; both have voted."""
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    box.run(CallVote("eve", at(hours + 1), "b1"))
    for voter in ("ann", "eve"):
        box.run(CastBallot(voter, at(hours + 2), "vote on b1", ("yes",)))
    return box, hours + 3


def test_ballots_are_recorded_as_the_record_keeps_them_so_their_json_is_stable() -> None:
    box, hours = _secret_vote_in_local_1()
    handed_in = (Ballot(["yes"], weight=1), Ballot(("yes",), weight=Fraction(1)))  # type: ignore[arg-type]
    counted = box.run(ClosePoll("the count", at(hours), "vote on b1", handed_in))[0]
    assert counted.ballots == (Ballot(("yes",)), Ballot(("yes",)))
    assert all(type(b.marks) is tuple and type(b.weight) is Fraction for b in counted.ballots)
    assert canonical(counted) == canonical(from_json(to_json(counted)))


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        ((Ballot(("yes",), "local-1"), Ballot(("yes",))), "names the council it was cast in only where the count"),
        ((Ballot(("yes",), weight=True), Ballot(("yes",))), "a ballot's weight is a whole number or a fraction"),
        ((Ballot(("yes",), receipt=7), Ballot(("yes",))), "marks, council and receipt are text"),
        ((Ballot("yes"), Ballot(("yes",))), "a ballot's marks are a list of choices"),
    ],
)
def test_a_secret_ballot_carries_no_council_unless_the_count_is_by_council(ballots: tuple, message: str) -> None:
    """Invariant 2: beside ``BallotCast(ann)``, a ballot labelled "local-1" would tell how a small council voted."""
    box, hours = _secret_vote_in_local_1()
    before = box.state
    with pytest.raises(InvalidCommand, match=message):
        box.run(ClosePoll("the count", at(hours), "vote on b1", ballots))
    assert box.state is before


def test_a_poll_records_a_digest_of_its_roll_that_anyone_can_check() -> None:
    box, _ = _secret_vote_in_local_1()
    opened = next(e for e in box.history if e.kind == "poll opened" and e.poll == "vote on b1")
    lines = "ann 1/1 local-1\neve 1/1 local-1"  # the documented form: "<voter> <weight> <group>", sorted
    assert opened.roll == hashlib.sha256(lines.encode("utf-8")).hexdigest() and opened.electorate == 2
    assert roll_digest(box.state.polls["vote on b1"].electorate) == opened.roll  # the replayed roll is that one
    assert from_json(to_json(opened)) == opened
