"""Veto from below: a delegate council's decision waits for its veto window; objections by
enough members, or enough constituent councils, send it to a referendum of its whole
subtree, whose result stands."""

import json
from datetime import timedelta
from fractions import Fraction

import pytest
from box import Box
from electing import hours_of
from founding import TREE, at
from seated import join, seated, vote_on

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import FoundFederation, Leave
from frombelow.federation.councils import ProposeSplit
from frombelow.federation.events import from_json, to_json
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.veto import (
    DecisionConfirmed,
    DecisionOverturned,
    ObjectionLapsed,
    ObjectToDecision,
    ProposeObjection,
    ReferendumCalled,
    TakeEffect,
    objections,
)
from frombelow.federation.voting import CastBallot, ClosePoll

# Under North District: ann, eve, fay (Local 1), bo, gus (Local 2). hal is in Local 3, under South.
NEWCOMERS = (("eve", "local-1"), ("fay", "local-1"), ("gus", "local-2"), ("hal", "local-3"))
HALF_OF_MEMBERS = {"veto_member_share": Fraction(1, 2), "veto_council_share": Fraction(1)}
HALF_OF_COUNCILS = {"veto_member_share": Fraction(1), "veto_council_share": Fraction(1, 2)}


def overtime_ban(**charter: object) -> tuple[Box, float]:
    """North District carries "Overtime ban" (n1): it waits for the veto window (14 days)."""
    box, hours = seated(Charter(**charter))  # type: ignore[arg-type]
    hours = join(box, hours, *NEWCOMERS)
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Overtime ban", "No overtime this year."))
    _, hours = vote_on(box, "n1", hours + 1)
    return box, hours


def window_closes(box: Box) -> float:
    return hours_of(box.state.decisions["n1"].takes_effect_at)


def refused(box: Box, command: object, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)  # type: ignore[arg-type]
    assert box.state is before


def referendum(box: Box, hours: float, **marks: str) -> list:
    """The subtree votes in the referendum on n1 as ``marks`` says (the rest stay away); the count."""
    for member, choice in marks.items():
        box.run(CastBallot(member, at(hours), "referendum on n1", (choice,)))
    poll = box.state.polls["referendum on n1"]
    closing = at(hours + 1) if len(marks) == len(poll.electorate) else poll.closes_at
    return box.run(ClosePoll("the count", closing, "referendum on n1"))


def test_a_delegate_councils_decision_waits_for_the_veto_window_then_takes_effect() -> None:
    box, hours = overtime_ban()
    decision = box.state.decisions["n1"]
    assert decision.status == "waiting for the veto window"
    assert decision.takes_effect_at == decision.carried_at + timedelta(days=14)
    refused(box, TakeEffect("hal", at(hours), "n1"), NotAllowed, "the veto window on Overtime ban stays open until")
    (took,) = box.run(TakeEffect("hal", at(window_closes(box)), "n1"))  # anyone of the federation
    assert took.kind == "decision took effect" and box.state.decisions["n1"].status == "in effect"
    refused(box, TakeEffect("hal", at(window_closes(box) + 1), "n1"), InvalidCommand, "Overtime ban is in effect")


def test_the_count_may_record_that_a_decision_took_effect_but_no_outsider() -> None:
    box, hours = overtime_ban()
    plans = tuple(type(p)(f"x-{p.id}", p.name, p.parent and f"x-{p.parent}") for p in TREE)
    box.run(FoundFederation("xena", at(hours), "bakers", "Bakers", Charter(), plans, (("xena", "x-local-1"),)))
    closes = at(window_closes(box))
    refused(box, TakeEffect("xena", closes, "n1"), NotAllowed, "only members of Metalworkers")
    refused(box, TakeEffect("zed", closes, "n1"), NotFound, "'zed' is not a member")
    assert box.run(TakeEffect("the count", closes, "n1"))[0].actor == "the count"


def test_objections_by_enough_members_call_a_secret_referendum_of_the_subtree() -> None:
    box, hours = overtime_ban(**HALF_OF_MEMBERS)
    assert [e.kind for e in box.run(ObjectToDecision("eve", at(hours), "n1"))] == ["decision objected"]
    assert [e.kind for e in box.run(ObjectToDecision("fay", at(hours), "n1"))] == ["decision objected"]
    assert set(box.state.objections["n1"].members) == {"eve", "fay"}
    called, opened = box.run(ObjectToDecision("gus", at(hours + 1), "n1"))[1:]  # 3 of the 5 members under North
    assert isinstance(called, ReferendumCalled)
    assert (called.members, called.members_under, called.councils, called.constituents) == (3, 5, 0, 2)
    assert (opened.kind, opened.poll, opened.council, opened.purpose) == (
        "poll opened",
        "referendum on n1",
        "north",
        "referendum",
    )
    assert opened.secret and opened.scope == "subtree" and opened.electorate == 5
    assert opened.question == "Should Overtime ban stand?" and opened.actor == "the count"
    assert set(box.state.polls["referendum on n1"].electorate) == {"ann", "bo", "eve", "fay", "gus"}
    assert box.state.decisions["n1"].status == "in referendum"
    assert box.state.objections["n1"].referendum == "referendum on n1"
    refused(box, ObjectToDecision("ann", at(hours + 2), "n1"), NotAllowed, "gone to a referendum already")
    refused(box, TakeEffect("ann", at(window_closes(box)), "n1"), InvalidCommand, "Overtime ban is in referendum")


@pytest.mark.parametrize(
    ("marks", "outcome", "status"),
    [
        ({"ann": "yes", "bo": "yes", "eve": "yes", "fay": "no", "gus": "no"}, "carried", "in effect"),
        ({"ann": "yes", "bo": "no", "eve": "no", "fay": "no", "gus": "abstain"}, "lost", "overturned"),
        ({"eve": "no", "fay": "yes"}, "no quorum", "overturned"),  # 2 of 5: below the charter's quorum of half
    ],
)
def test_the_referendums_result_stands(marks: dict[str, str], outcome: str, status: str) -> None:
    box, hours = overtime_ban(veto_member_share=Fraction(1, 5))
    box.run(ObjectToDecision("gus", at(hours), "n1"))
    counted, settled = referendum(box, hours + 1, **marks)
    assert counted.outcome == outcome and counted.actor == settled.actor == "the count"
    decision = box.state.decisions["n1"]
    assert decision.status == status
    if outcome == "carried":
        assert isinstance(settled, DecisionConfirmed) and decision.takes_effect_at == settled.at
    else:
        assert isinstance(settled, DecisionOverturned) and settled.outcome == outcome


def test_an_objection_stands_as_given_like_a_signature() -> None:
    """eve objects, then leaves: her objection still counts; with 4 left under North, hers and fay's are half."""
    box, hours = overtime_ban(**HALF_OF_MEMBERS)
    box.run(ObjectToDecision("eve", at(hours), "n1"))
    box.run(Leave("eve", at(hours + 1)))
    called = box.run(ObjectToDecision("fay", at(hours + 2), "n1"))[1]
    assert isinstance(called, ReferendumCalled) and (called.members, called.members_under) == (2, 4)


def test_constituent_councils_object_by_their_own_vote() -> None:
    box, hours = overtime_ban(veto_member_share=Fraction(1), veto_council_share=Fraction(1))
    proposed = box.run(ProposeObjection("eve", at(hours), "o1", "local-1", "n1", "Overtime pays our rent."))
    assert [e.kind for e in proposed] == ["motion proposed", "objection proposed"]
    assert box.state.motions["o1"].title == "Object to Overtime ban" and box.state.motions["o1"].kind == "objection"
    counted, hours = vote_on(box, "o1", hours + 1)
    assert [e.kind for e in counted] == ["poll counted", "motion carried", "council objected"]
    assert set(box.state.objections["n1"].councils) == {"local-1"}
    refused(box, ProposeObjection("ann", at(hours), "o2", "local-1", "n1", "Again."), InvalidCommand, "Local 1 has")
    box.run(ProposeObjection("gus", at(hours), "o3", "local-2", "n1", "Us too."))
    counted, _ = vote_on(box, "o3", hours + 1)  # both of North's constituents: the charter's whole share
    assert [e.kind for e in counted][2:] == ["council objected", "referendum called", "poll opened"]
    assert box.state.decisions["n1"].status == "in referendum"


def test_half_of_the_constituents_is_enough_when_the_charter_says_so() -> None:
    box, hours = overtime_ban(**HALF_OF_COUNCILS)
    box.run(ObjectToDecision("eve", at(hours), "n1"))  # 1 of 5 members: far from all of them
    box.run(ProposeObjection("gus", at(hours), "o1", "local-2", "n1", "No."))
    counted, _ = vote_on(box, "o1", hours + 1)
    called = counted[3]
    assert isinstance(called, ReferendumCalled) and (called.members, called.councils) == (1, 1)


def test_an_objection_carried_by_a_council_that_closed_meanwhile_lapses() -> None:
    """Local 1 votes to object to n1 and, while that vote runs, to split: its objection no longer counts."""
    box, hours = overtime_ban(**HALF_OF_COUNCILS)
    box.run(ProposeObjection("eve", at(hours), "o1", "local-1", "n1", "Overtime pays our rent."))
    box.run(CallVote("eve", at(hours + 1), "o1"))
    parts, assignment = (("l1e", "L1 East"), ("l1w", "L1 West")), (("ann", "l1e"), ("eve", "l1e"), ("fay", "l1w"))
    box.run(ProposeSplit("eve", at(hours + 2), "s1", "local-1", parts, assignment))
    for voter in ("ann", "eve", "fay"):
        box.run(CastBallot(voter, at(hours + 3), "split s1 in local-1", ("yes",)))
        box.run(CastBallot(voter, at(hours + 3), "vote on o1", ("yes",)))
    box.run(ClosePoll("the count", at(hours + 4), "split s1 in local-1"))
    counted = box.run(ClosePoll("the count", at(hours + 5), "vote on o1"))
    assert [e.kind for e in counted] == ["poll counted", "motion carried", "objection lapsed"]
    assert counted[-1].reason == "Local 1 has closed" and not objections(box.state, "n1").councils


def test_an_objection_carried_after_the_window_lapses() -> None:
    box, _ = overtime_ban(**HALF_OF_COUNCILS)
    late = window_closes(box) - 24
    box.run(ProposeObjection("eve", at(late), "o1", "local-1", "n1", "Too late?"))
    counted, _ = vote_on(box, "o1", late + 1, {"fay": None}, "yes")  # fay stays away: the vote runs its 7 days
    lapsed = counted[-1]
    assert isinstance(lapsed, ObjectionLapsed) and lapsed.council == "local-1" and lapsed.actor == "the count"
    assert lapsed.reason.startswith("the veto window on Overtime ban closed at")
    assert box.state.decisions["n1"].status == "waiting for the veto window"
    assert not objections(box.state, "n1").councils


def test_any_member_below_may_object_to_a_decision_of_any_council_above() -> None:
    box, hours = overtime_ban()
    box.run(ProposeMotion("cy", at(hours), "c1", "congress", "Dues", "Raise dues."))
    _, hours = vote_on(box, "c1", hours + 1)
    assert box.state.decisions["c1"].status == "waiting for the veto window"
    events = box.run(ObjectToDecision("fay", at(hours), "c1"))  # Local 1 is two levels below the congress
    assert events[0].kind == "decision objected"


def test_refusals_change_nothing() -> None:
    box, hours = overtime_ban(**HALF_OF_MEMBERS)
    box.run(ProposeMotion("ann", at(hours), "l1", "local-1", "Social", "Hold a social."))
    _, hours = vote_on(box, "l1", hours + 1)
    box.run(ProposeMotion("cy", at(hours), "c1", "congress", "Dues", "Raise dues."))
    _, hours = vote_on(box, "c1", hours + 1)
    box.run(ObjectToDecision("eve", at(hours), "n1"))
    t, after = at(hours + 1), at(window_closes(box))
    cases = [
        # Invariant 1: no one outside North's subtree, and no council above or beside it, vetoes it.
        (ObjectToDecision("hal", t, "n1"), NotAllowed, "only members of the councils under North District"),
        (ObjectToDecision("cy", t, "n1"), NotAllowed, "only members of the councils under North District"),
        (ProposeObjection("cy", t, "x", "congress", "n1", "From above."), NotAllowed, "Congress sends no delegates"),
        (ProposeObjection("hal", t, "x", "local-3", "n1", "Beside."), NotAllowed, "Local 3 sends no delegates"),
        (ProposeObjection("ann", t, "x", "local-1", "c1", "Below."), NotAllowed, "Local 1 sends no delegates to Con"),
        (ProposeObjection("cy", t, "x", "local-1", "n1", "Not mine."), NotAllowed, "only members"),
        (ObjectToDecision("eve", t, "n1"), InvalidCommand, "you have objected to Overtime ban already"),
        (ObjectToDecision("fay", after, "n1"), NotAllowed, "the veto window on Overtime ban closed at"),
        (ProposeObjection("fay", after, "x", "local-1", "n1", "Late."), NotAllowed, "veto window .* closed"),
        (ObjectToDecision("fay", at(1), "n1"), InvalidCommand, "dated before the last recorded event"),
        (ObjectToDecision("ann", t, "l1"), NotAllowed, "Social is in effect: it can no longer be objected to"),
        (ObjectToDecision("ann", t, "n9"), NotFound, "no decision 'n9'"),
        (ProposeObjection("ann", t, "x", "local-1", "n9", "?"), NotFound, "no decision 'n9'"),
        (ProposeObjection("ann", t, "x", "local-9", "n1", "?"), NotFound, "no council 'local-9'"),
        (ProposeObjection("ann", t, "l1", "local-1", "n1", "Id."), InvalidCommand, "exists already"),
        (ProposeObjection("ann", t, "x", "local-1", "n1", " "), InvalidCommand, "needs a text"),
        (ObjectToDecision("zed", t, "n1"), NotFound, "'zed' is not a member"),
        (ObjectToDecision("fay", t.replace(tzinfo=None), "n1"), InvalidCommand, "time zone"),
        (TakeEffect("ann", t, "l1"), InvalidCommand, "Social is in effect"),
        (TakeEffect("ann", t, "n9"), NotFound, "no decision 'n9'"),
    ]
    for command, error, message in cases:
        refused(box, command, error, message)


def test_events_round_trip_through_json_and_replay_gives_the_same_state() -> None:
    box, hours = seated(Charter(veto_member_share=Fraction(1), veto_council_share=Fraction(1, 2)))
    start = box.state
    hours = join(box, hours, *NEWCOMERS)
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Overtime ban", "No overtime this year."))
    box.run(ProposeMotion("bo", at(hours), "n2", "north", "Picnic", "Hold a picnic."))
    _, hours = vote_on(box, "n1", hours + 1)
    _, hours = vote_on(box, "n2", hours)
    box.run(ObjectToDecision("eve", at(hours), "n1"))
    box.run(ProposeObjection("eve", at(hours), "o1", "local-1", "n1", "No."))
    _, hours = vote_on(box, "o1", hours + 1)
    referendum(box, hours, ann="no", bo="no", eve="no", fay="no", gus="yes")
    box.run(TakeEffect("ann", box.state.decisions["n2"].takes_effect_at, "n2"))  # no one objected to n2
    kinds = {e.kind for e in box.history}
    assert {"decision objected", "objection proposed", "council objected", "referendum called"} <= kinds
    assert {"decision overturned", "decision took effect"} <= kinds
    for event in box.history:
        assert from_json(json.loads(canonical(to_json(event)))) == event
    assert replay(box.history, start) == box.state
    assert replay((from_json(json.loads(canonical(to_json(e)))) for e in box.history), start) == box.state


def test_the_lapse_and_confirmation_events_round_trip() -> None:
    box, _ = overtime_ban(**HALF_OF_COUNCILS)
    late = window_closes(box) - 24
    box.run(ProposeObjection("eve", at(late), "o1", "local-1", "n1", "Too late?"))
    vote_on(box, "o1", late + 1, {"fay": None}, "yes")
    box2, hours = overtime_ban(veto_member_share=Fraction(1, 5))
    box2.run(ObjectToDecision("gus", at(hours), "n1"))
    referendum(box2, hours + 1, ann="yes", bo="yes", eve="yes", fay="yes", gus="yes")
    events = [e for e in box.history + box2.history if e.kind in ("objection lapsed", "decision confirmed")]
    assert len(events) == 2
    for event in events:
        assert from_json(json.loads(canonical(to_json(event)))) == event
