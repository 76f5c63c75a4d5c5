"""Amending the charter: a supermajority of the congress, then ratification from below."""

import dataclasses
from datetime import datetime, timedelta

import pytest
from box import Box
from electing import run_term
from founding import at, found, founding, invite_and_join

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.amendment import (
    AmendmentRejected,
    CharterAmended,
    CharterAmendmentProposed,
    ProposeCharterAmendment,
    stage,
)
from frombelow.federation.charter import Charter
from frombelow.federation.councils import ProposeSplit
from frombelow.federation.events import from_json, to_json
from frombelow.federation.motions import CallVote, ProposeMotion, WithdrawMotion
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll, recount

SHORTER = Charter(voting_days=3, term_limit=3)
RATIFY = "ratification of a1"
DELEGATES = ("ann", "bo", "cy", "di")  # all four sit in the congress after the term's elections


@pytest.fixture(scope="module")
def term() -> tuple[State, float]:
    """A term's delegates seated, then Local 1 grows to five members: ann, eve, fay, gus, hal."""
    state, hours = run_term(found(), 10)
    for n, newcomer in enumerate(("eve", "fay", "gus", "hal")):
        state = invite_and_join(state, "ann", "local-1", newcomer, hours + 2 * n)
    return state, hours + 10


def proposal(hours: float, actor: str = "ann", **changes: object) -> ProposeCharterAmendment:
    fields = {"motion": "a1", "title": "Shorter votes", "text": "Votes last three days.", "charter": SHORTER}
    return ProposeCharterAmendment(actor, at(hours), **{**fields, **changes})  # type: ignore[arg-type]


def refused(box: Box, command: object, error: type[RuleBroken], match: str) -> None:
    before, history = box.state, list(box.history)
    with pytest.raises(error, match=match):
        box.run(command)  # type: ignore[arg-type]
    assert box.state is before and box.history == history


def congress_carries(term: tuple[State, float], roll_call: dict[str, str] | None = None) -> tuple[Box, float]:
    """The amendment proposed by ann and put to the congress's roll call (all yes unless told)."""
    state, hours = term
    box = Box(state)
    box.run(proposal(hours))
    box.run(CallVote("bo", at(hours + 1), "a1"))
    for delegate, choice in (roll_call or dict.fromkeys(DELEGATES, "yes")).items():
        box.run(CastBallot(delegate, at(hours + 2), "vote on a1", (choice,)))
    box.run(ClosePoll("cy", at(hours + 3), "vote on a1"))
    return box, hours + 4


def ratify(box: Box, hours: float, ballots: dict[str, str]) -> list:
    for member, choice in ballots.items():
        box.run(CastBallot(member, at(hours), RATIFY, (choice,)))
    return box.run(ClosePoll("the count", at(hours + 24 * 8), RATIFY))


def replays(box: Box, start: State) -> None:
    assert replay(box.history, start) == box.state
    assert replay((from_json(to_json(e)) for e in box.history), start) == box.state


# --- the congress ------------------------------------------------------------------------


def test_a_delegate_in_the_congress_proposes_with_the_charters_threshold_forced(term):
    state, hours = term
    events = Box(state).run(proposal(hours))
    assert [e.kind for e in events] == ["motion proposed", "charter amendment proposed"]
    motion, proposed = events
    assert (motion.council, motion.motion_kind, motion.threshold) == ("congress", "charter amendment", "two-thirds")
    assert isinstance(proposed, CharterAmendmentProposed) and proposed.charter == SHORTER
    stricter, later = run_term(execute(State(), founding(Charter(amendment_threshold="absolute")))[0], 10)
    assert Box(stricter).run(proposal(later))[0].threshold == "absolute"  # the charter says, not the proposer


def test_carried_by_the_congress_it_goes_to_every_member_and_is_not_yet_in_force(term):
    box, _ = congress_carries(term)
    opened = box.history[-1]
    assert [e.kind for e in box.history[-3:]] == ["poll counted", "motion carried", "poll opened"]
    assert (opened.poll, opened.council, opened.scope, opened.purpose, opened.secret) == (
        RATIFY,
        "congress",
        "subtree",
        "ratification",
        True,
    )
    assert opened.electorate == 8  # every member of the federation, not the four delegates
    # The question says the rule that decides (the poll's own quorum and majority do not).
    assert opened.question.endswith(
        "It is ratified by more yes than no among members voting and in more than half of the base councils"
    )
    assert box.state.federations["metal"].charter == Charter()  # the congress alone changes nothing
    assert stage(box.state, box.state.amendments["a1"]) == "in ratification"
    assert box.state.decisions["a1"].status == "in effect"  # the decision to send it to the members: no veto window


def test_short_of_the_supermajority_the_congress_loses_it(term):
    box, _ = congress_carries(term, {"ann": "yes", "bo": "yes", "cy": "no", "di": "no"})
    assert box.history[-1].kind == "motion lost" and RATIFY not in box.state.polls
    assert stage(box.state, box.state.amendments["a1"]) == "lost in the congress"


def test_proposal_refusals_name_the_rule_and_change_nothing(term):
    state, hours = term
    box = Box(state)
    refused(
        box, proposal(hours, "eve"), NotAllowed, "only delegates seated in Congress may propose amending the charter"
    )
    refused(box, proposal(hours, "zed"), NotFound, "'zed' is not a member")
    refused(box, proposal(hours, charter=Charter()), InvalidCommand, "the charter says that already")
    refused(box, proposal(hours, charter="voting_days=3"), InvalidCommand, "the whole charter")
    refused(box, proposal(hours, title=" "), InvalidCommand, "a motion needs a title")
    refused(box, proposal(hours, motion=" "), InvalidCommand, "a motion needs an id")
    refused(
        box, ProposeCharterAmendment("ann", datetime(2026, 6, 1), "a1", "T", "X", SHORTER), InvalidCommand, "time zone"
    )
    box.run(proposal(hours))
    refused(box, proposal(hours + 1, "bo"), InvalidCommand, "a motion 'a1' exists already")
    # Base councils vote on their own motions, never on the charter: the kind comes only from the congress.
    box.run(ProposeMotion("eve", at(hours + 1), "m1", "local-1", "Shorter votes", "Votes last three days."))
    assert box.state.motions["m1"].kind == "ordinary"


def test_a_withdrawn_amendment_stops(term):
    state, hours = term
    box = Box(state)
    box.run(proposal(hours))
    box.run(WithdrawMotion("ann", at(hours + 1), "a1"))
    assert stage(box.state, box.state.amendments["a1"]) == "withdrawn"


# --- ratification from below -------------------------------------------------------------


def test_ratified_by_a_majority_of_members_and_of_base_councils_the_charter_is_replaced(term):
    box, hours = congress_carries(term)
    start = term[0]
    counted = ratify(box, hours, {"ann": "yes", "eve": "yes", "fay": "no", "bo": "yes", "cy": "yes", "di": "no"})
    assert [e.kind for e in counted] == ["poll counted", "charter amended"]
    amended = counted[1]
    assert isinstance(amended, CharterAmended)
    assert (amended.yes, amended.no, amended.councils_for, amended.councils) == (4, 2, 3, 4)
    assert amended.by_council == (("local-1", 2, 1), ("local-2", 1, 0), ("local-3", 1, 0), ("local-4", 0, 1))
    assert box.state.federations["metal"].charter == SHORTER
    assert stage(box.state, box.state.amendments["a1"]) == "ratified"
    assert recount(box.state.polls[RATIFY], counted[0]) == counted[0]
    # Every later rule uses the new charter: a vote now lasts three days.
    box.run(ProposeMotion("eve", at(hours + 24 * 9), "m1", "local-1", "Picnic", "Hold a picnic"))
    (opened,) = box.run(CallVote("eve", at(hours + 24 * 9), "m1"))
    assert opened.closes_at - opened.at == timedelta(days=3)
    replays(box, start)


def test_members_overall_say_yes_but_most_base_councils_say_no_rejected(term):
    box, hours = congress_carries(term)
    yes_in_local_1 = dict.fromkeys(("ann", "eve", "fay", "gus", "hal"), "yes")
    counted = ratify(box, hours, {**yes_in_local_1, "bo": "no", "cy": "no", "di": "no"})
    rejected = counted[1]
    assert isinstance(rejected, AmendmentRejected)
    assert (rejected.yes, rejected.no, rejected.councils_for, rejected.councils) == (5, 3, 1, 4)
    assert rejected.reason == "base councils: yes beat no in 1 of 4 (it needs more than half of them)"
    assert box.state.federations["metal"].charter == Charter()
    assert stage(box.state, box.state.amendments["a1"]) == "rejected"


def test_most_base_councils_say_yes_but_members_overall_say_no_rejected(term):
    box, hours = congress_carries(term)
    no_in_local_1 = dict.fromkeys(("ann", "eve", "fay", "gus", "hal"), "no")
    counted = ratify(box, hours, {**no_in_local_1, "bo": "yes", "cy": "yes", "di": "yes"})
    rejected = counted[1]
    assert (rejected.yes, rejected.no, rejected.councils_for, rejected.councils) == (3, 5, 3, 4)
    assert rejected.reason == "members voting: 3 yes, 5 no (it needs more yes than no)"
    assert box.state.federations["metal"].charter == Charter()


def test_half_the_base_councils_is_not_more_than_half_and_both_failures_are_named(term):
    box, hours = congress_carries(term)
    counted = ratify(box, hours, {"ann": "yes", "eve": "no", "bo": "yes", "cy": "no", "di": "abstain"})
    assert counted[1].reason == (
        "members voting: 2 yes, 2 no (it needs more yes than no); "
        "base councils: yes beat no in 1 of 4 (it needs more than half of them)"
    )


def test_councils_where_no_one_voted_count_against_and_no_quorum_is_asked(term):
    box, hours = congress_carries(term)
    counted = ratify(box, hours, {"bo": "yes", "cy": "yes", "di": "yes"})  # Local 1's five stay away
    assert counted[0].outcome == "no quorum"  # the poll's own rule, which decides nothing here
    assert counted[1].kind == "charter amended" and counted[1].councils_for == 3


def test_the_box_must_hand_in_each_base_councils_ballots(term):
    box, hours = congress_carries(term)
    for member in ("ann", "bo", "cy"):
        box.run(CastBallot(member, at(hours), RATIFY, ("yes",)))
    close = ClosePoll("the count", at(hours + 24 * 8), RATIFY, (Ballot(("yes",)),) * 3)
    refused(box, close, InvalidCommand, "3 ballots do not say which base council they were cast in")
    misplaced = (Ballot(("yes",), "local-1"), Ballot(("yes",), "local-1"), Ballot(("yes",), "local-3"))
    refused(
        box,
        dataclasses.replace(close, ballots=misplaced),
        InvalidCommand,
        "the box holds 2 ballots from 'local-1' but 1 of its members voted",
    )
    right = (Ballot(("yes",), "local-2"), Ballot(("yes",), "local-1"), Ballot(("yes",), "local-3"))
    assert box.run(dataclasses.replace(close, ballots=right))[1].kind == "charter amended"


def test_an_amendment_overtaken_by_another_is_rejected_not_silently_undone(term):
    state, hours = term
    box = Box(state)
    box.run(proposal(hours))
    box.run(proposal(hours, "bo", motion="a2", title="Longer terms", charter=Charter(term_days=730)))
    for n, motion in enumerate(("a1", "a2")):
        box.run(CallVote("bo", at(hours + 1 + 3 * n), motion))
        for delegate in DELEGATES:
            box.run(CastBallot(delegate, at(hours + 2 + 3 * n), f"vote on {motion}", ("yes",)))
        box.run(ClosePoll("cy", at(hours + 3 + 3 * n), f"vote on {motion}"))
    everyone = dict.fromkeys(("ann", "eve", "bo", "cy", "di"), "yes")
    for member, choice in everyone.items():  # both ratifications are voted on before either is counted
        box.run(CastBallot(member, at(hours + 7), "ratification of a2", (choice,)))
    assert ratify(box, hours + 7, everyone)[1].kind == "charter amended"
    counted = box.run(ClosePoll("the count", at(hours + 24 * 9), "ratification of a2"))
    assert counted[1].kind == "charter amendment rejected" and "the charter was amended after" in counted[1].reason
    assert box.state.federations["metal"].charter == SHORTER


# --- the record ----------------------------------------------------------------------------


def test_every_event_round_trips_through_json_charter_and_all(term):
    box, hours = congress_carries(term)
    ratify(box, hours, {"ann": "yes", "bo": "yes", "cy": "yes"})
    rejected_box, later = congress_carries(term)
    ratify(rejected_box, later, {"ann": "no"})
    events = [*box.history, *rejected_box.history]
    mine = (CharterAmendmentProposed, CharterAmended, AmendmentRejected)
    assert {type(e) for e in events if isinstance(e, mine)} == set(mine)
    for event in events:
        assert from_json(to_json(event)) == event
    assert to_json(box.history[-1])["charter"]["voting_days"] == 3
    replays(box, term[0])


def test_later_splits_follow_the_new_charter(term):
    box, hours = congress_carries(term)
    ratify(box, hours, {"ann": "yes", "bo": "yes", "cy": "yes"})
    parts = (("l1a", "Local 1 A"), ("l1b", "Local 1 B"))
    assignment = (("ann", "l1a"), ("eve", "l1a"), ("fay", "l1b"), ("gus", "l1b"), ("hal", "l1b"))
    box.run(ProposeSplit("eve", at(hours + 24 * 9), "p1", "local-1", parts, assignment))
    assert box.state.polls["split p1 in local-1"].closes_at == at(hours + 24 * 9) + timedelta(days=3)
