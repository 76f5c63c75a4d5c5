"""Invariant 1 for factions: only a faction's own members change or dissolve it.

No member outside the faction, no council (at any level) and not "the count" on its own
can amend a faction's platform, dissolve it, or join or remove anyone for someone else.
"""

import pytest
from founding import TREE, at
from hypothesis import event, given, settings
from hypothesis import strategies as st

from frombelow.federation import NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, Leave
from frombelow.federation.events import from_json, to_json
from frombelow.federation.factions import (
    AmendPlatform,
    FoundFaction,
    JoinFaction,
    LeaveFaction,
    SupportDissolution,
    WithdrawSupport,
    current_members,
)

OUTSIDERS = ["di", "congress", "north", "local-1", "the count"]  # a non-member, councils, the count
FACTION_COMMANDS = [
    lambda actor: AmendPlatform(actor, at(5), "left", "A platform written from outside."),
    lambda actor: SupportDissolution(actor, at(5), "left"),
    lambda actor: WithdrawSupport(actor, at(5), "left"),
    lambda actor: LeaveFaction(actor, at(5), "left"),
]


@pytest.fixture
def left(founded: State) -> State:
    state, _ = execute(founded, FoundFaction("ann", at(1), "left", "Left Tendency", "All power to the councils."))
    state, _ = execute(state, JoinFaction("bo", at(2), "left"))
    return state


@pytest.mark.parametrize("actor", OUTSIDERS)
@pytest.mark.parametrize("make", FACTION_COMMANDS)
def test_no_one_outside_the_faction_changes_it(left: State, actor: str, make: object) -> None:
    with pytest.raises((NotAllowed, NotFound)):
        execute(left, make(actor))  # type: ignore[operator]


@pytest.mark.parametrize("actor", ["congress", "north", "local-1", "the count"])
def test_no_council_joins_or_founds_a_faction(left: State, actor: str) -> None:
    with pytest.raises(NotFound):
        execute(left, JoinFaction(actor, at(5), "left"))
    with pytest.raises(NotFound):
        execute(left, FoundFaction(actor, at(5), "council-faction", "Council Faction", "Orders from above."))


def test_outsiders_cannot_dissolve_it_even_all_together(left: State) -> None:
    # Every member of the federation outside the faction tries; the faction stands.
    state = left
    for actor in ("cy", "di"):
        with pytest.raises(NotAllowed):
            execute(state, SupportDissolution(actor, at(5), "left"))
    assert state.factions["left"].dissolved_at is None and not state.factions["left"].supporters


# --- property: random faction commands ---------------------------------------------------

PEOPLE = ["ann", "bo", "cy", "di", "congress"]
FACTIONS = ["left", "left", "right", "greens"]
NAMES = ["Left", "Right", "Greens", " "]
TEXTS = ["Power to the base.", "", "Fair shares.", "Bread and roses."]

faction_commands = st.one_of(
    st.builds(
        FoundFaction,
        st.sampled_from(PEOPLE),
        st.just(at(0)),
        st.sampled_from(FACTIONS),
        st.sampled_from(NAMES),
        st.sampled_from(TEXTS),
    ),
    st.builds(JoinFaction, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(FACTIONS)),
    st.builds(LeaveFaction, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(FACTIONS)),
    st.builds(
        AmendPlatform, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(FACTIONS), st.sampled_from(TEXTS)
    ),
    st.builds(SupportDissolution, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(FACTIONS)),
    st.builds(WithdrawSupport, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(FACTIONS)),
    st.builds(Leave, st.sampled_from(PEOPLE), st.just(at(0))),  # leaving the federation
)


@settings(max_examples=150, deadline=None)
@given(st.lists(faction_commands, max_size=40))
def test_random_faction_commands_replay_and_only_members_change_a_faction(steps: list) -> None:
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    state, history = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(), TREE, founders))
    state, founded = execute(state, FoundFaction("ann", at(0), "left", "Left", "Power to the base."))
    history += founded
    kinds: set[str] = set()
    for hours, command in enumerate(steps, start=1):
        command = type(command)(**{**command.__dict__, "at": at(hours)})
        before = state
        try:
            state, new = execute(state, command)
        except RuleBroken as refusal:
            assert str(refusal)
            assert state is before and state == before
            continue
        history += new
        faction_id = getattr(command, "faction", None)
        if faction_id is not None and not isinstance(command, (FoundFaction, JoinFaction)):
            # Whoever changed an existing faction was one of its members at the time.
            assert command.actor in current_members(before, before.factions[faction_id])
        if faction_id in state.factions and state.factions[faction_id].dissolved_at is None:
            # A living faction never keeps a majority of its members supporting dissolution.
            faction = state.factions[faction_id]
            members = current_members(state, faction)
            assert members and 2 * len(set(faction.supporters) & members) <= len(members)
        kinds.update(e.kind for e in new)
    event("dissolved" if "faction dissolved" in kinds else "not dissolved")
    event(f"{len(kinds)} kinds of event")
    assert replay(history) == state
    assert replay(from_json(to_json(e)) for e in history) == state
