"""Factions: founded by a member, joined and left by one's own act, amended and dissolved
only by their own members."""

import json

import pytest
from founding import TREE, at

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import FoundFederation, Leave
from frombelow.federation.events import Event, from_json, to_json
from frombelow.federation.factions import (
    AmendPlatform,
    DissolutionSupported,
    FactionDissolved,
    FactionFounded,
    FoundFaction,
    JoinFaction,
    LeaveFaction,
    SupportDissolution,
    WithdrawSupport,
    current_members,
    speaks_for,
)

PLATFORM = "All power to the base councils."


def run(state: State, *commands: object) -> tuple[State, list[Event]]:
    history: list[Event] = []
    for command in commands:
        state, new = execute(state, command)  # type: ignore[arg-type]
        history += new
    return state, history


@pytest.fixture
def left(founded: State) -> State:
    """The Left Tendency: ann (founder), bo and cy."""
    state, _ = run(
        founded,
        FoundFaction("ann", at(1), "left", "Left Tendency", PLATFORM),
        JoinFaction("bo", at(2), "left"),
        JoinFaction("cy", at(3), "left"),
    )
    return state


def refused(state: State, command: object, error: type[RuleBroken], match: str) -> None:
    with pytest.raises(error, match=match):
        execute(state, command)  # type: ignore[arg-type]


def test_a_member_founds_a_faction_and_is_its_first_member(founded: State) -> None:
    state, (event,) = execute(founded, FoundFaction("cy", at(1), "left", "  Left Tendency ", PLATFORM))
    assert isinstance(event, FactionFounded) and event.federation == "metal" and event.name == "Left Tendency"
    faction = state.factions["left"]
    assert (faction.name, faction.platform, faction.founded_by, faction.founded_at) == (
        "Left Tendency",
        PLATFORM,
        "cy",
        at(1),
    )
    assert current_members(state, faction) == {"cy"}


def test_founding_refusals(left: State) -> None:
    refused(left, FoundFaction("di", at(5), "left", "Other", PLATFORM), InvalidCommand, "exists or existed")
    refused(left, FoundFaction("di", at(5), "l2", " left tendency", PLATFORM), InvalidCommand, "named Left Tendency")
    refused(left, FoundFaction("di", at(5), "l2", "  ", PLATFORM), InvalidCommand, "needs a name")
    refused(left, FoundFaction("di", at(5), "", "Right", PLATFORM), InvalidCommand, "needs an id")
    refused(left, FoundFaction("di", at(5), "l2", "Right", " "), InvalidCommand, "platform")
    refused(left, FoundFaction("zed", at(5), "l2", "Right", PLATFORM), NotFound, "not a member")


def test_members_join_and_leave_by_their_own_act(left: State) -> None:
    assert current_members(left, left.factions["left"]) == {"ann", "bo", "cy"}
    refused(left, JoinFaction("bo", at(5), "left"), InvalidCommand, "member of Left Tendency already")
    refused(left, JoinFaction("di", at(5), "nowhere"), NotFound, "no faction")
    refused(left, JoinFaction("zed", at(5), "left"), NotFound, "not a member")
    state, _ = execute(left, LeaveFaction("bo", at(5), "left"))
    assert current_members(state, state.factions["left"]) == {"ann", "cy"}
    refused(state, LeaveFaction("bo", at(6), "left"), NotAllowed, "only members of Left Tendency")
    refused(state, LeaveFaction("di", at(6), "left"), NotAllowed, "only members of Left Tendency")
    state, _ = execute(state, JoinFaction("bo", at(7), "left"))
    assert "bo" in current_members(state, state.factions["left"])


def test_a_member_may_belong_to_several_factions(left: State) -> None:
    state, _ = run(left, FoundFaction("di", at(5), "greens", "Green Caucus", "Plant trees."))
    state, _ = execute(state, JoinFaction("ann", at(6), "greens"))
    assert "ann" in current_members(state, state.factions["left"])
    assert "ann" in current_members(state, state.factions["greens"])


def test_only_members_of_another_federation_are_refused(left: State) -> None:
    plans = tuple(type(p)(f"x-{p.id}", p.name, p.parent and f"x-{p.parent}") for p in TREE)
    state, _ = execute(
        left, FoundFederation("xena", at(5), "bakers", "Bakers", Charter(), plans, (("xena", "x-local-1"),))
    )
    refused(state, JoinFaction("xena", at(6), "left"), NotAllowed, "another federation")
    state, _ = execute(state, FoundFaction("xena", at(6), "left-b", "Left Tendency", PLATFORM))  # names per federation
    assert state.factions["left-b"].federation == "bakers"


def test_only_a_member_of_the_faction_amends_its_platform(left: State) -> None:
    state, _ = execute(left, AmendPlatform("bo", at(5), "left", "All power to the councils, now."))
    assert state.factions["left"].platform == "All power to the councils, now."
    refused(state, AmendPlatform("di", at(6), "left", "Something else."), NotAllowed, "only members")
    refused(state, AmendPlatform("bo", at(6), "left", "  "), InvalidCommand, "cannot be empty")
    refused(state, AmendPlatform("bo", at(6), "left", "All power to the councils, now."), InvalidCommand, "already")


def test_more_than_half_of_the_members_dissolve_it(left: State) -> None:
    state, (supported,) = execute(left, SupportDissolution("ann", at(5), "left"))
    assert isinstance(supported, DissolutionSupported)
    refused(state, SupportDissolution("ann", at(6), "left"), InvalidCommand, "already")
    refused(state, SupportDissolution("di", at(6), "left"), NotAllowed, "only members")
    state, events = execute(state, SupportDissolution("bo", at(6), "left"))  # 2 of 3
    supported, dissolved = events
    assert isinstance(dissolved, FactionDissolved) and dissolved.actor == "the count"
    assert (dissolved.members, dissolved.supporters) == (("ann", "bo", "cy"), ("ann", "bo"))
    assert state.factions["left"].dissolved_at == at(6)
    refused(state, JoinFaction("di", at(7), "left"), NotAllowed, "has been dissolved")
    refused(state, AmendPlatform("cy", at(7), "left", "Revived."), NotAllowed, "has been dissolved")
    refused(state, FoundFaction("di", at(7), "left", "Left Again", PLATFORM), InvalidCommand, "existed")
    state, _ = execute(state, FoundFaction("di", at(7), "left-2", "Left Tendency", PLATFORM))  # the name is free


def test_exactly_half_is_not_enough(left: State) -> None:
    state, _ = run(left, JoinFaction("di", at(4), "left"), SupportDissolution("ann", at(5), "left"))
    state, events = execute(state, SupportDissolution("bo", at(6), "left"))  # 2 of 4
    assert len(events) == 1 and state.factions["left"].dissolved_at is None


def test_support_can_be_withdrawn(left: State) -> None:
    refused(left, WithdrawSupport("ann", at(5), "left"), InvalidCommand, "do not support")
    state, _ = run(left, SupportDissolution("ann", at(5), "left"), WithdrawSupport("ann", at(6), "left"))
    assert not state.factions["left"].supporters
    state, events = execute(state, SupportDissolution("bo", at(7), "left"))
    assert len(events) == 1  # ann's withdrawn support no longer counts


def test_a_non_supporter_leaving_can_tip_the_count(left: State) -> None:
    state, _ = run(left, JoinFaction("di", at(4), "left"), SupportDissolution("ann", at(5), "left"))
    state, _ = execute(state, SupportDissolution("bo", at(6), "left"))  # 2 of 4
    state, events = execute(state, LeaveFaction("cy", at(7), "left"))  # 2 of 3
    assert [type(e).__name__ for e in events] == ["FactionLeft", "FactionDissolved"]


def test_a_supporter_leaving_takes_their_support_away(left: State) -> None:
    state, _ = run(left, SupportDissolution("ann", at(5), "left"), LeaveFaction("ann", at(6), "left"))
    assert not state.factions["left"].supporters and state.factions["left"].dissolved_at is None


def test_the_last_member_leaving_dissolves_it(founded: State) -> None:
    state, _ = execute(founded, FoundFaction("ann", at(1), "solo", "Solo", PLATFORM))
    state, (_, dissolved) = execute(state, LeaveFaction("ann", at(2), "solo"))
    assert isinstance(dissolved, FactionDissolved) and dissolved.members == ()


def test_members_who_left_the_federation_no_longer_count(left: State) -> None:
    state, events = execute(left, Leave("cy", at(5)))
    assert [(type(e).__name__, e.actor) for e in events] == [("MemberLeft", "cy"), ("FactionLeft", "cy")]
    assert current_members(state, state.factions["left"]) == {"ann", "bo"}
    assert "cy" not in state.factions_of
    refused(state, AmendPlatform("cy", at(6), "left", "Anything."), NotFound, "not a member")
    state, events = execute(state, SupportDissolution("ann", at(6), "left"))  # 1 of 2: not enough
    assert len(events) == 1
    state, (_, dissolved) = execute(state, SupportDissolution("bo", at(7), "left"))
    assert dissolved.members == ("ann", "bo")


def test_speaks_for_is_the_seam_for_dissent(left: State) -> None:
    assert speaks_for(left, "left", "bo").name == "Left Tendency"
    with pytest.raises(NotAllowed):
        speaks_for(left, "left", "di")


def test_events_round_trip_and_replay_from_empty() -> None:
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"))
    founding = FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(), TREE, founders)
    commands = [
        founding,
        FoundFaction("ann", at(1), "left", "Left Tendency", PLATFORM),
        JoinFaction("bo", at(2), "left"),
        JoinFaction("cy", at(2), "left"),
        AmendPlatform("cy", at(3), "left", "Ünïcode platform — 2/3 of power to the base."),
        SupportDissolution("cy", at(4), "left"),
        WithdrawSupport("cy", at(5), "left"),
        LeaveFaction("cy", at(6), "left"),
        SupportDissolution("ann", at(7), "left"),
        SupportDissolution("bo", at(8), "left"),
    ]
    state, history = run(State(), *commands)
    assert state.factions["left"].dissolved_at == at(8)
    assert len({type(e) for e in history[1:]}) == 7  # every kind of faction event
    for event in history:
        assert from_json(json.loads(canonical(to_json(event)))) == event
    assert replay(history) == state
    assert replay(from_json(json.loads(canonical(to_json(e)))) for e in history) == state


def test_a_non_supporter_leaving_the_federation_can_tip_the_count(left: State) -> None:
    state, _ = run(left, JoinFaction("di", at(4), "left"), SupportDissolution("ann", at(5), "left"))
    state, _ = execute(state, SupportDissolution("bo", at(6), "left"))  # 2 of 4
    state, events = execute(state, Leave("cy", at(7)))  # 2 of 3
    assert [type(e).__name__ for e in events] == ["MemberLeft", "FactionLeft", "FactionDissolved"]
    assert events[-1].members == ("ann", "bo", "di") and state.factions["left"].dissolved_at == at(7)
    assert all("left" not in state.factions_of.get(m, {}) for m in ("ann", "bo", "di"))
