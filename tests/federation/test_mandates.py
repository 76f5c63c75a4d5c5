"""Mandates: a constituent council instructs its own delegates; binding, recall-trigger and
advisory mandates acting on the roll call; a delegate's record."""

import json

import pytest
from box import Box
from founding import at
from seated import join, seated, vote_on

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.councils import ProposeSplit
from frombelow.federation.elections import Resign
from frombelow.federation.events import from_json, to_json
from frombelow.federation.mandates import (
    MandateApplied,
    MandateBroken,
    MandateIssued,
    MandateLapsed,
    ProposeMandate,
    in_force,
    record,
)
from frombelow.federation.motions import CallVote, ProposeMotion, WithdrawMotion
from frombelow.federation.voting import CastBallot, ClosePoll


def strike_ballot(policy: str = "recall-trigger") -> tuple[Box, float]:
    """North District (ann for Local 1, bo for Local 2) has "Strike ballot" (n1) on its agenda."""
    box, hours = seated(Charter(mandate_policy=policy))  # type: ignore[arg-type]
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Strike ballot", "Ballot the members on a strike."))
    return box, hours + 1


def mandate(box: Box, hours: float, motion: str = "md1", position: str = "yes") -> float:
    """Local 1 mandates its delegates on n1, by its own (secret) vote."""
    box.run(ProposeMandate("ann", at(hours), motion, "local-1", "n1", position, "The members want a ballot."))  # type: ignore[arg-type]
    _, hours = vote_on(box, motion, hours + 1)
    return hours


def roll_call(box: Box, hours: float, ann: str) -> list:
    """The roll call on n1 opens; ann votes ``ann``; returns the events of her vote."""
    box.run(CallVote("bo", at(hours), "n1"))
    return box.run(CastBallot("ann", at(hours + 1), "vote on n1", (ann,)))


def refused(box: Box, command: object, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)  # type: ignore[arg-type]
    assert box.state is before


def test_a_carried_mandate_is_issued_under_the_charters_policy() -> None:
    box, hours = strike_ballot("binding")
    proposed = box.run(ProposeMandate("ann", at(hours), "md1", "local-1", "n1", "yes", "The members want a ballot."))
    assert [e.kind for e in proposed] == ["motion proposed", "mandate proposed"]
    assert box.state.motions["md1"].title == "Mandate on Strike ballot: vote yes"
    assert box.state.motions["md1"].kind == "mandate"
    counted, _ = vote_on(box, "md1", hours + 1)
    assert [e.kind for e in counted] == ["poll counted", "motion carried", "mandate issued"]
    issued = counted[-1]
    assert isinstance(issued, MandateIssued)
    assert (issued.council, issued.item, issued.position, issued.policy, issued.replaces) == (
        "local-1",
        "n1",
        "yes",
        "binding",
        None,
    )
    assert in_force(box.state, "local-1", "n1") == box.state.mandates["md1"]
    assert box.state.decisions["md1"].status == "in effect"  # a mandate waits for no veto window


def test_binding_the_vote_is_cast_as_mandated() -> None:
    box, hours = strike_ballot("binding")
    hours = mandate(box, hours)
    cast, applied = roll_call(box, hours, "no")
    assert cast.kind == "vote cast" and cast.marks == ("yes",)
    assert isinstance(applied, MandateApplied) and applied.actor == "ann"
    assert (applied.asked, applied.cast, applied.policy, applied.mandate) == (("no",), ("yes",), "binding", "md1")
    assert box.state.polls["vote on n1"].turnout["ann"] == ("yes",)


def test_recall_trigger_a_deviation_is_cast_flagged_and_opens_a_recall_vote_in_the_constituent() -> None:
    box, hours = strike_ballot("recall-trigger")
    hours = mandate(box, hours)
    cast, broken, called, opened = roll_call(box, hours, "no")
    assert cast.marks == ("no",)
    assert isinstance(broken, MandateBroken) and broken.cast == ("no",) and broken.position == "yes"
    assert called.kind == "recall vote called" and called.delegate == "ann" and called.constituent == "local-1"
    assert "against the mandate of Local 1 to vote yes" in called.cause
    assert opened.kind == "poll opened" and opened.council == "local-1" and opened.secret


def test_advisory_a_deviation_is_only_flagged() -> None:
    box, hours = strike_ballot("advisory")
    hours = mandate(box, hours)
    cast, broken = roll_call(box, hours, "abstain")
    assert cast.marks == ("abstain",)
    assert isinstance(broken, MandateBroken) and broken.policy == "advisory"


@pytest.mark.parametrize("policy", ["binding", "recall-trigger", "advisory"])
def test_a_vote_kept_to_the_mandate_is_recorded_as_applied(policy: str) -> None:
    box, hours = strike_ballot(policy)
    hours = mandate(box, hours)
    cast, applied = roll_call(box, hours, "yes")
    assert cast.marks == ("yes",) and applied.asked == applied.cast == ("yes",)


def test_delegates_of_other_constituents_and_other_items_are_not_touched() -> None:
    box, hours = strike_ballot("binding")
    hours = mandate(box, hours)
    box.run(ProposeMotion("bo", at(hours), "n2", "north", "Picnic", "Hold a picnic."))
    box.run(CallVote("bo", at(hours + 1), "n1"))
    box.run(CallVote("bo", at(hours + 1), "n2"))
    bo = box.run(CastBallot("bo", at(hours + 2), "vote on n1", ("no",)))  # sent by Local 2: not mandated
    ann = box.run(CastBallot("ann", at(hours + 2), "vote on n2", ("no",)))  # mandated on n1 only
    assert [e.kind for e in bo + ann] == ["vote cast", "vote cast"] and bo[0].marks == ann[0].marks == ("no",)


def test_a_later_mandate_replaces_the_earlier() -> None:
    box, hours = strike_ballot("binding")
    hours = mandate(box, hours, "md1", "yes")
    hours = mandate(box, hours, "md2", "no")
    assert box.state.mandates["md1"].replaced_by == "md2" and not box.state.mandates["md1"].in_force
    assert in_force(box.state, "local-1", "n1").motion == "md2"
    cast, applied = roll_call(box, hours, "yes")
    assert cast.marks == ("no",) and applied.mandate == "md2"


def test_a_mandate_carried_after_the_item_was_decided_lapses() -> None:
    box, hours = strike_ballot()
    box.run(ProposeMandate("ann", at(hours), "md1", "local-1", "n1", "yes", "Ballot them."))
    _, hours = vote_on(box, "n1", hours + 1)
    counted, _ = vote_on(box, "md1", hours)
    lapsed = counted[-1]
    assert isinstance(lapsed, MandateLapsed) and lapsed.reason == "Strike ballot is carried"
    assert box.state.mandates["md1"].lapsed and in_force(box.state, "local-1", "n1") is None


def test_a_district_mandates_its_own_delegates_to_the_congress() -> None:
    box, hours = seated(Charter(mandate_policy="binding"))
    box.run(ProposeMotion("cy", at(hours), "c1", "congress", "Dues", "Raise dues."))
    box.run(ProposeMandate("bo", at(hours + 1), "md1", "north", "c1", "no", "North is against."))
    counted, hours = vote_on(box, "md1", hours + 2)  # a public roll call in North District
    assert counted[-1].kind == "mandate issued" and box.state.decisions["md1"].status == "in effect"
    events, _ = vote_on(box, "c1", hours, {"ann": "yes", "bo": "yes"})
    assert dict(events[0].totals) == {"yes": 2, "no": 2, "abstain": 0}  # ann and bo were bound to vote no


def test_a_delegates_record_shows_each_roll_call_beside_the_mandate() -> None:
    box, hours = strike_ballot("binding")
    hours = mandate(box, hours)
    roll_call(box, hours, "no")
    box.run(CastBallot("bo", at(hours + 2), "vote on n1", ("no",)))
    (line,) = record(box.state, "ann")
    assert (line.item, line.title, line.council) == ("n1", "Strike ballot", "north")
    assert (line.asked, line.cast, line.deviated) == (("no",), ("yes",), True)
    assert line.mandate is not None and line.mandate.position == "yes" and line.mandate.policy == "binding"
    (bo,) = record(box.state, "bo")
    assert bo.mandate is None and not bo.deviated and bo.cast == bo.asked == ("no",)
    assert record(box.state, "cy") == []


def test_the_record_keeps_the_mandate_a_vote_was_cast_under_after_it_is_replaced() -> None:
    box, hours = strike_ballot("advisory")
    hours = mandate(box, hours, "md1", "yes")
    box.run(ProposeMandate("ann", at(hours), "md2", "local-1", "n1", "no", "Changed our minds."))
    roll_call(box, hours + 1, "no")  # deviates from md1, the mandate in force
    vote_on(box, "md2", hours + 2)
    (line,) = record(box.state, "ann")
    assert line.mandate.motion == "md1" and line.deviated and line.cast == ("no",)


def test_refusals_change_nothing() -> None:
    box, hours = strike_ballot()
    box.run(ProposeMotion("ann", at(hours), "c1", "congress", "Dues", "Raise dues."))
    box.run(ProposeMotion("ann", at(hours), "l1", "local-1", "Social", "Hold a social."))
    box.run(ProposeMotion("bo", at(hours), "n9", "north", "Gone", "Withdrawn soon."))
    box.run(WithdrawMotion("bo", at(hours), "n9"))
    t = at(hours + 1)
    cases = [
        # Invariant 1: no council mandates delegates it did not elect.
        (ProposeMandate("ann", t, "x", "congress", "n1", "no", "From above."), NotAllowed, "Congress sends no"),
        (
            ProposeMandate("cy", t, "x", "local-3", "n1", "no", "A neighbour."),
            NotAllowed,
            "Local 3 sends no delegates to North District: it is not one of its constituents",
        ),
        (ProposeMandate("ann", t, "x", "local-1", "c1", "no", "Too far up."), NotAllowed, "Local 1 sends no"),
        (ProposeMandate("ann", t, "x", "local-1", "l1", "no", "Own."), NotAllowed, "base council: it has no"),
        (ProposeMandate("cy", t, "x", "local-1", "n1", "no", "Not mine."), NotAllowed, "only members"),
        (ProposeMandate("ann", t, "x", "local-1", "n1", "maybe", "Hm."), InvalidCommand, "yes, no or abstain"),
        (ProposeMandate("ann", t, "x", "local-1", "n9", "no", "Late."), NotAllowed, "withdrawn: there is no vote"),
        (ProposeMandate("ann", t, "x", "local-1", "n7", "no", "?"), NotFound, "no motion 'n7'"),
        (ProposeMandate("ann", t, "x", "local-9", "n1", "no", "?"), NotFound, "no council 'local-9'"),
        (ProposeMandate("ann", t, "n1", "local-1", "n1", "no", "Id."), InvalidCommand, "exists already"),
        (ProposeMandate("ann", t, "x", "local-1", "n1", "no", " "), InvalidCommand, "needs a text"),
        (ProposeMandate("zed", t, "x", "local-1", "n1", "no", "Who?"), NotFound, "'zed' is not a member"),
        (ProposeMandate("ann", t.replace(tzinfo=None), "x", "local-1", "n1", "no", "?"), InvalidCommand, "time zone"),
    ]
    for command, error, message in cases:
        refused(box, command, error, message)


@pytest.mark.parametrize(
    ("policy", "ann", "flagged"),
    [
        ("binding", "yes", "mandate applied"),
        ("advisory", "yes", "mandate broken"),
        ("recall-trigger", "yes", "recall vote called"),
    ],
)
def test_events_round_trip_through_json_and_replay_gives_the_same_state(policy: str, ann: str, flagged: str) -> None:
    box, hours = strike_ballot(policy)
    start, done = box.state, len(box.history)
    hours = mandate(box, hours, "md1", "yes")
    hours = mandate(box, hours, "md2", "no")
    box.run(ProposeMandate("ann", at(hours), "md3", "local-1", "n1", "abstain", "Too late."))
    roll_call(box, hours + 1, ann)
    box.run(CastBallot("bo", at(hours + 2), "vote on n1", ("yes",)))
    box.run(ClosePoll("the count", at(hours + 3), "vote on n1"))
    vote_on(box, "md3", hours + 4)
    history = box.history[done:]
    kinds = {e.kind for e in history}
    assert {"mandate proposed", "mandate issued", "mandate lapsed", flagged} <= kinds
    for event in history:
        assert from_json(json.loads(canonical(to_json(event)))) == event
    assert replay(history, start) == box.state
    assert replay((from_json(json.loads(canonical(to_json(e)))) for e in history), start) == box.state


def test_a_closed_councils_mandates_lapse_when_it_closes() -> None:
    """Local 1 (ann, eve) mandates ann on n1, then splits: the mandate lapses, ann votes as she chooses."""
    box, hours = seated(Charter(mandate_policy="recall-trigger", delegate_seats_by_council=(("north", 3),)))
    start = box.state
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Strike ballot", "Ballot the members on a strike."))
    hours = mandate(box, hours + 1)
    assert in_force(box.state, "local-1", "n1") is not None
    parts, assignment = (("l1e", "Local 1 East"), ("l1w", "Local 1 West")), (("ann", "l1e"), ("eve", "l1w"))
    box.run(ProposeSplit("eve", at(hours), "s1", "local-1", parts, assignment))
    for voter in ("ann", "eve"):
        box.run(CastBallot(voter, at(hours + 1), "split s1 in local-1", ("yes",)))
    closed = box.run(ClosePoll("the count", at(hours + 2), "split s1 in local-1"))
    assert [e.kind for e in closed] == ["poll counted", "council split", "mandate lapsed"]
    lapsed = closed[2]
    assert isinstance(lapsed, MandateLapsed) and (lapsed.actor, lapsed.motion, lapsed.item) == (
        "the count",
        "md1",
        "n1",
    )
    assert lapsed.reason.startswith("Local 1 has closed")
    assert in_force(box.state, "local-1", "n1") is None and box.state.mandates["md1"].lapsed
    assert [e.kind for e in roll_call(box, hours + 3, "no")] == ["vote cast"]
    assert replay(box.history, start) == box.state


def test_a_recall_vote_that_cannot_open_never_blocks_the_delegates_vote() -> None:
    """North mandates ann and bo in the congress; both then resign from North, which is left with no one to vote
    in a recall: ann's vote against the mandate is cast and flagged all the same."""
    box, hours = seated(Charter(mandate_policy="recall-trigger"))
    box.run(ProposeMotion("cy", at(hours), "c1", "congress", "Strike fund", "Raise the strike fund."))
    box.run(ProposeMandate("ann", at(hours + 1), "mdn", "north", "c1", "yes", "The districts want a fund."))
    _, hours = vote_on(box, "mdn", hours + 2)
    box.run(Resign("ann", at(hours), "north"))
    box.run(Resign("bo", at(hours), "north"))
    assert not box.state.seated("north") and box.state.delegates[("congress", "ann")].constituent == "north"
    box.run(CallVote("cy", at(hours + 1), "c1"))
    events = box.run(CastBallot("ann", at(hours + 2), "vote on c1", ("no",)))
    assert [e.kind for e in events] == ["vote cast", "mandate broken"]
    assert box.state.polls["vote on c1"].turnout["ann"] == ("no",)
