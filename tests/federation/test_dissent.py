"""Dissent: a faction's statement against a decision stays attached to the decision, even
after the faction dissolves."""

import json

import pytest
from box import Box
from founding import TREE, at, founding
from seated import vote_on

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import FoundFederation
from frombelow.federation.dissent import DissentRecorded, RecordDissent, dissents_on
from frombelow.federation.events import from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction, SupportDissolution
from frombelow.federation.motions import ProposeMotion

STATEMENT = "A dues rise without a strike fund vote is taken from above."


def raised_dues() -> tuple[Box, float]:
    """Local 1 decides "Dues" (d1); the Left Tendency (bo, cy) opposes it; "Social" (s1) is still on the agenda."""
    box = Box()
    box.run(founding())
    box.run(FoundFaction("bo", at(1), "left", "Left Tendency", "All power to the base councils."))
    box.run(JoinFaction("cy", at(2), "left"))
    box.run(ProposeMotion("ann", at(3), "d1", "local-1", "Dues", "Raise dues by 1%."))
    box.run(ProposeMotion("ann", at(3), "s1", "local-1", "Social", "Hold a social."))
    _, hours = vote_on(box, "d1", 4)
    return box, hours


def refused(box: Box, command: object, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)  # type: ignore[arg-type]
    assert box.state is before


def test_a_member_records_the_factions_dissent_on_a_decision() -> None:
    box, hours = raised_dues()
    (event,) = box.run(RecordDissent("cy", at(hours), "left", "d1", STATEMENT))
    assert isinstance(event, DissentRecorded) and (event.faction_name, event.decision) == ("Left Tendency", "d1")
    (dissent,) = dissents_on(box.state, "d1")
    assert (dissent.faction, dissent.text, dissent.recorded_by, dissent.recorded_at) == (
        "left",
        STATEMENT,
        "cy",
        at(hours),
    )
    assert dissents_on(box.state, "s1") == ()


def test_several_factions_dissent_each_once() -> None:
    box, hours = raised_dues()
    box.run(FoundFaction("di", at(hours), "greens", "Green Caucus", "Plant trees."))
    box.run(RecordDissent("bo", at(hours + 1), "left", "d1", STATEMENT))
    box.run(RecordDissent("di", at(hours + 2), "greens", "d1", "Not a word on the climate."))
    assert [d.faction for d in dissents_on(box.state, "d1")] == ["left", "greens"]
    refused(box, RecordDissent("cy", at(hours + 3), "left", "d1", "Again."), InvalidCommand, "recorded its dissent")


def test_the_dissent_stays_with_the_decision_after_the_faction_dissolves() -> None:
    box, hours = raised_dues()
    box.run(RecordDissent("bo", at(hours), "left", "d1", STATEMENT))
    box.run(SupportDissolution("bo", at(hours + 1), "left"))
    box.run(SupportDissolution("cy", at(hours + 1), "left"))
    assert box.state.factions["left"].dissolved_at is not None
    refused(box, RecordDissent("bo", at(hours + 2), "left", "d1", "More."), NotAllowed, "has been dissolved")
    box.run(FoundFaction("di", at(hours + 2), "left-2", "Left Tendency", "A new left."))  # the name is free again
    box.run(RecordDissent("di", at(hours + 3), "left-2", "d1", "We oppose it too."))
    first, second = dissents_on(box.state, "d1")
    assert (first.faction, first.faction_name, first.text) == ("left", "Left Tendency", STATEMENT)
    assert (second.faction, second.faction_name) == ("left-2", "Left Tendency")


def test_refusals_change_nothing() -> None:
    box, hours = raised_dues()
    plans = tuple(type(p)(f"x-{p.id}", p.name, p.parent and f"x-{p.parent}") for p in TREE)
    box.run(FoundFederation("xena", at(hours), "bakers", "Bakers", Charter(), plans, (("xena", "x-local-1"),)))
    box.run(FoundFaction("xena", at(hours), "crumbs", "Crumbs", "Bread for all."))
    t = at(hours + 1)
    cases = [
        (RecordDissent("ann", t, "left", "d1", STATEMENT), NotAllowed, "only members of Left Tendency"),
        (RecordDissent("xena", t, "left", "d1", STATEMENT), NotAllowed, "only members of Left Tendency"),
        (RecordDissent("xena", t, "crumbs", "d1", STATEMENT), NotAllowed, "decision of another federation"),
        (RecordDissent("bo", t, "left", "s1", STATEMENT), NotFound, "no decision 's1'"),  # not carried (yet)
        (RecordDissent("bo", t, "left", "d9", STATEMENT), NotFound, "no decision 'd9'"),
        (RecordDissent("bo", t, "nowhere", "d1", STATEMENT), NotFound, "no faction 'nowhere'"),
        (RecordDissent("zed", t, "left", "d1", STATEMENT), NotFound, "'zed' is not a member"),
        (RecordDissent("bo", t, "left", "d1", "  "), InvalidCommand, "needs a statement"),
        (RecordDissent("bo", t.replace(tzinfo=None), "left", "d1", STATEMENT), InvalidCommand, "time zone"),
    ]
    for command, error, message in cases:
        refused(box, command, error, message)


def test_events_round_trip_through_json_and_replay_gives_the_same_state() -> None:
    box, hours = raised_dues()
    box.run(RecordDissent("bo", at(hours), "left", "d1", STATEMENT))
    event = box.history[-1]
    assert from_json(json.loads(canonical(to_json(event)))) == event
    assert replay(box.history) == box.state
    assert replay(from_json(json.loads(canonical(to_json(e)))) for e in box.history) == box.state
