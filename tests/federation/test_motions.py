"""Motions in a base council: agenda, amendments, the vote (quorum, thresholds), decisions."""

import dataclasses
from datetime import timedelta
from fractions import Fraction

import pytest
from founding import TREE, at, invite_and_join

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, State, execute
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation
from frombelow.federation.events import from_json, to_json
from frombelow.federation.motions import (
    CallVote,
    ProposeAmendment,
    ProposeMotion,
    WithdrawMotion,
    pending_amendments,
)
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll, recount


def local_1(**charter: object) -> State:
    """Local 1 with ann, eve, fay and gus (four members)."""
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    state, _ = execute(
        State(), FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(**charter), TREE, founders)
    )
    for n, newcomer in enumerate(("eve", "fay", "gus")):
        state = invite_and_join(state, "ann", "local-1", newcomer, 1 + 2 * n)
    return state


def propose(state: State, motion: str = "m1", **more: object) -> State:
    state, _ = execute(
        state, ProposeMotion("ann", at(10), motion, "local-1", "Strike fund", "Raise dues by 1%", **more)
    )
    return state


def vote(state: State, poll: str, marks: dict[str, str], hours: float = 12) -> tuple[State, list]:
    """Everyone in ``marks`` votes; the box (here, this test) keeps the secret ballots."""
    ballots = []
    for voter, choice in marks.items():
        state, _ = execute(state, CastBallot(voter, at(hours), poll, (choice,)))
        ballots.append(Ballot((choice,)))
    return state, ballots


def decide(state: State, motion: str, marks: dict[str, str], after: float = 24 * 8) -> tuple[State, list]:
    state, _ = execute(state, CallVote("eve", at(11), motion))
    state, ballots = vote(state, f"vote on {motion}", marks)
    return execute(state, ClosePoll("fay", at(after), f"vote on {motion}", tuple(ballots)))


def test_a_carried_motion_in_a_base_council_is_a_decision_in_effect_at_once():
    state, events = decide(propose(local_1()), "m1", {"ann": "yes", "eve": "yes", "fay": "no"})
    assert [e.kind for e in events] == ["poll counted", "motion carried"]
    assert state.motions["m1"].status == "carried"
    decision = state.decisions["m1"]
    assert decision.status == "in effect" and decision.takes_effect_at == decision.carried_at == at(24 * 8)
    counted = events[0]
    assert dict(counted.totals) == {"yes": 2, "no": 1, "abstain": 0} and counted.turnout == 3
    assert recount(state.polls["vote on m1"], counted) == counted


def test_secret_votes_record_who_voted_never_how():
    state = propose(local_1())
    state, _ = execute(state, CallVote("eve", at(11), "m1"))
    state, events = execute(state, CastBallot("ann", at(12), "vote on m1", ("no",)))
    assert [e.kind for e in events] == ["ballot cast"]
    assert "no" not in str(to_json(events[0]))


def test_open_voting_in_a_base_council_records_each_vote():
    state = propose(local_1(secret_voting_in_base_councils=False))
    state, _ = execute(state, CallVote("eve", at(11), "m1"))
    state, events = execute(state, CastBallot("ann", at(12), "vote on m1", ("no",)))
    assert events[0].kind == "vote cast" and events[0].marks == ("no",) and events[0].weight == 1
    with pytest.raises(InvalidCommand, match="counted from the votes cast"):
        execute(state, ClosePoll("ann", at(24 * 8), "vote on m1", (Ballot(("no",)),)))
    state, events = execute(state, ClosePoll("ann", at(24 * 8), "vote on m1"))
    assert events[0].ballots == (Ballot(("no",), "ann"),) and events[1].kind == "motion lost"


@pytest.mark.parametrize(
    ("threshold", "marks", "outcome"),
    [
        ("simple", {"ann": "yes", "eve": "no", "fay": "abstain"}, "lost"),  # a tie is not a majority
        ("simple", {"ann": "yes", "eve": "abstain", "fay": "abstain"}, "carried"),
        ("two-thirds", {"ann": "yes", "eve": "yes", "fay": "no"}, "carried"),
        ("two-thirds", {"ann": "yes", "eve": "yes", "fay": "no", "gus": "no"}, "lost"),
        ("absolute", {"ann": "yes", "eve": "yes", "fay": "no"}, "lost"),  # 2 of 4 members is not more than half
        ("absolute", {"ann": "yes", "eve": "yes", "fay": "yes"}, "carried"),
        ("simple", {"ann": "yes"}, "no quorum"),  # 1 of 4 votes; the quorum is half
    ],
)
def test_thresholds_and_quorum(threshold, marks, outcome):
    state, events = decide(propose(local_1(), threshold=threshold), "m1", marks)
    assert events[0].outcome == outcome
    assert state.motions["m1"].status == ("carried" if outcome == "carried" else "lost")
    assert ("m1" in state.decisions) == (outcome == "carried")


def test_amendments_are_voted_first_and_a_carried_one_replaces_the_text():
    state = propose(local_1())
    state, _ = execute(state, ProposeAmendment("gus", at(10.5), "a1", "m1", "Raise dues by 2%"))
    with pytest.raises(NotAllowed, match=r"vote on the amendments to Strike fund first \(a1\)"):
        execute(state, CallVote("ann", at(11), "m1"))
    state, events = decide(state, "a1", {"ann": "yes", "eve": "yes", "fay": "no", "gus": "yes"}, after=12.5)
    assert state.motions["m1"].text == "Raise dues by 2%" and state.motions["a1"].status == "carried"
    assert "a1" not in state.decisions  # an amendment changes a motion; it decides nothing by itself
    state, events = execute(state, CallVote("ann", at(13), "m1"))
    assert events[0].subject == "m1"


def test_motion_refusals_change_nothing():
    state = propose(local_1())
    state, _ = execute(state, CallVote("eve", at(11), "m1"))
    cases = [
        (ProposeMotion("bo", at(12), "m2", "local-1", "T", "X"), NotAllowed, "only members of Local 1 may put motions"),
        (ProposeMotion("ann", at(12), "m1", "local-1", "T", "X"), InvalidCommand, "exists already"),
        (ProposeMotion("ann", at(12), "m2", "local-1", " ", "X"), InvalidCommand, "needs a title"),
        (ProposeMotion("ann", at(12), "m2", "local-1", "T", ""), InvalidCommand, "needs a text"),
        (ProposeMotion("ann", at(12), "m2", "local-1", "T", "X", "unanimous"), InvalidCommand, "unknown threshold"),
        (ProposeMotion("ann", at(12), "m2", "nowhere", "T", "X"), NotFound, "no council 'nowhere'"),
        (ProposeMotion("zed", at(12), "m2", "local-1", "T", "X"), NotFound, "'zed' is not a member"),
        (ProposeAmendment("eve", at(12), "a1", "m1", "Other"), NotAllowed, "no longer open to amendment"),
        (ProposeAmendment("eve", at(12), "a1", "m9", "Other"), NotFound, "no motion 'm9'"),
        (WithdrawMotion("ann", at(12), "m1"), NotAllowed, "put to the vote"),
        (CallVote("ann", at(12), "m1"), NotAllowed, "open already"),
        (CastBallot("bo", at(12), "vote on m1", ("yes",)), NotAllowed, "only those entitled to vote in Local 1"),
        (CastBallot("ann", at(12), "vote on m1", ("maybe",)), InvalidCommand, "'maybe' is not a choice"),
        (CastBallot("ann", at(12), "vote on m1", ()), InvalidCommand, "vote yes, no or abstain"),
        (CastBallot("ann", at(12), "vote on m1", ("yes", "no")), InvalidCommand, "each choice at most once|yes, no"),
        (CastBallot("ann", at(24 * 9), "vote on m1", ("yes",)), NotAllowed, "is closed"),
        (CastBallot("ann", at(12), "vote on m7", ("yes",)), NotFound, "no vote 'vote on m7'"),
        (ClosePoll("ann", at(12), "vote on m1"), NotAllowed, "stays open until 2026-05-08 20:00 UTC"),
    ]
    for command, error, message in cases:
        with pytest.raises(error, match=message):
            execute(state, command)
    state, _ = execute(state, CastBallot("ann", at(12), "vote on m1", ("yes",)))
    with pytest.raises(NotAllowed, match="voted already"):
        execute(state, CastBallot("ann", at(13), "vote on m1", ("no",)))
    with pytest.raises(InvalidCommand, match="1 members voted but the box holds 2 ballots"):
        execute(state, ClosePoll("ann", at(24 * 8), "vote on m1", (Ballot(("yes",)), Ballot(("no",)))))
    with pytest.raises(InvalidCommand, match="counts once"):
        execute(state, ClosePoll("ann", at(24 * 8), "vote on m1", (Ballot(("yes",), weight=Fraction(2)),)))


def test_the_vote_closes_early_once_everyone_has_voted():
    state, events = decide(propose(local_1()), "m1", {"ann": "yes", "eve": "yes", "fay": "yes", "gus": "no"}, after=13)
    assert events[0].at == at(13) and events[1].kind == "motion carried"
    with pytest.raises(InvalidCommand, match="counted already"):
        execute(state, ClosePoll("ann", at(14), "vote on m1", ()))


def test_withdrawing_is_for_the_proposer_before_the_vote():
    state = propose(local_1())
    with pytest.raises(NotAllowed, match="only the one who proposed Strike fund"):
        execute(state, WithdrawMotion("eve", at(11), "m1"))
    state, _ = execute(state, WithdrawMotion("ann", at(11), "m1"))
    assert state.motions["m1"].status == "withdrawn"
    with pytest.raises(NotAllowed, match="withdrawn: there is no vote"):
        execute(state, CallVote("ann", at(12), "m1"))


def test_a_withdrawn_motion_takes_its_pending_amendments_with_it():
    state = propose(local_1())
    state, _ = execute(state, ProposeAmendment("gus", at(10.5), "a1", "m1", "Raise dues by 2%"))
    state, _ = execute(state, CallVote("eve", at(11), "a1"))
    with pytest.raises(NotAllowed, match="while its amendment a1 is being voted on"):
        execute(state, WithdrawMotion("ann", at(12), "m1"))
    state = propose(local_1())
    state, _ = execute(state, ProposeAmendment("gus", at(10.5), "a1", "m1", "Raise dues by 2%"))
    state, events = execute(state, WithdrawMotion("ann", at(11), "m1"))
    assert [(e.kind, e.motion) for e in events] == [("motion withdrawn", "m1"), ("motion withdrawn", "a1")]
    assert state.motions["a1"].status == "withdrawn" and not pending_amendments(state, "m1")


def test_a_motion_may_not_ask_for_less_than_the_charter():
    state = local_1(motion_threshold="two-thirds")
    with pytest.raises(InvalidCommand, match="at least a two-thirds majority"):
        propose(state, threshold="simple")
    assert propose(state).motions["m1"].threshold == "two-thirds"


def test_members_who_join_after_the_vote_opens_do_not_vote_in_it():
    state = propose(local_1())
    state, _ = execute(state, CallVote("eve", at(11), "m1"))
    state = invite_and_join(state, "ann", "local-1", "hal", 12)
    with pytest.raises(NotAllowed, match="when this vote opened"):
        execute(state, CastBallot("hal", at(14), "vote on m1", ("yes",)))


def test_motion_events_round_trip_through_json():
    state = propose(local_1())
    state, proposed = execute(state, ProposeAmendment("gus", at(10.5), "a1", "m1", "Raise dues by 2%"))
    _, events = decide(state, "a1", {"ann": "yes", "eve": "yes", "gus": "yes"}, after=24 * 8)
    for event in proposed + events:
        assert from_json(to_json(event)) == event


def test_the_poll_closes_at_the_charters_voting_period():
    state = propose(local_1(voting_days=3))
    state, events = execute(state, CallVote("eve", at(11), "m1"))
    assert events[0].closes_at == at(11) + timedelta(days=3) and events[0].electorate == 4
    assert dataclasses.asdict(events[0])["quorum"] == Fraction(1, 2)
