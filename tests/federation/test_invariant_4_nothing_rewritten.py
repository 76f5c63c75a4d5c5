"""Invariant 4: nothing is rewritten. Events only append; a correction is a new event.

The core cannot rewrite history: events are frozen values of immutable types, applying
one never touches those before it, every state is the fold of a prefix of the record,
and what undoes a decision (a recall, a referendum, a later mandate) is a new event
beside the one it answers, which stays. (The ledger, issue 6, makes any rewrite of the
stored record detectable; this is the core's half.)
"""

import dataclasses
import types
import typing
from datetime import datetime
from fractions import Fraction

import pytest
from box import Box
from founding import at, founding, invite_and_join

from frombelow.federation import apply, replay
from frombelow.federation.events import REGISTRY, Event, from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction
from frombelow.federation.motions import CallVote, ProposeAmendment, ProposeMotion
from frombelow.federation.voting import CastBallot, ClosePoll

IMMUTABLE = (str, int, bool, type(None), Fraction, datetime)


def a_season() -> Box:
    """A few weeks of a base council's life: joining, a faction, an amended motion carried."""
    box = Box()
    box.run(founding())
    for n, newcomer in enumerate(("eve", "fay", "gus")):
        box.join("ann", "local-1", newcomer, 1 + 2 * n)
    box.run(FoundFaction("eve", at(8), "left", "Left Tendency", "All power to the councils"))
    box.run(JoinFaction("fay", at(9), "left"))
    box.run(ProposeMotion("ann", at(10), "m1", "local-1", "Strike fund", "Raise dues by 1%"))
    box.run(ProposeAmendment("gus", at(10.5), "a1", "m1", "Raise dues by 2%"))
    box.run(CallVote("eve", at(11), "a1"))
    for voter, choice in (("ann", "yes"), ("eve", "yes"), ("fay", "no"), ("gus", "yes")):
        box.run(CastBallot(voter, at(12), "vote on a1", (choice,)))
    box.run(ClosePoll("fay", at(13), "vote on a1"))
    box.run(CallVote("eve", at(14), "m1"))
    for voter, choice in (("ann", "yes"), ("eve", "no"), ("fay", "yes"), ("gus", "yes")):
        box.run(CastBallot(voter, at(15), "vote on m1", (choice,)))
    box.run(ClosePoll("fay", at(16), "vote on m1"))
    return box


def _immutable(hint: object) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_immutable(arg) for arg in typing.get_args(hint))
    if origin is tuple:
        return all(_immutable(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)
    if origin in (typing.Literal, typing.ClassVar):
        return True
    if dataclasses.is_dataclass(hint):
        return hint.__dataclass_params__.frozen and all(  # type: ignore[union-attr]
            _immutable(h) for h in typing.get_type_hints(hint).values()
        )
    return hint in IMMUTABLE


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_event_is_frozen_and_made_of_immutable_values(kind: str) -> None:
    cls = REGISTRY[kind]
    assert cls.__dataclass_params__.frozen
    hints = typing.get_type_hints(cls)
    mutable = [name for name, hint in hints.items() if name != "kind" and not _immutable(hint)]
    assert not mutable, f"{kind}: fields that could be changed in place: {mutable}"


def test_an_event_cannot_be_edited() -> None:
    event = a_season().history[-1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.at = at(0)  # type: ignore[misc]


def test_applying_events_leaves_the_record_before_them_untouched() -> None:
    box = a_season()
    snapshot = [to_json(e) for e in box.history]
    more = invite_and_join(box.state, "ann", "local-1", "hal", 20)
    assert more.events > box.state.events
    assert [to_json(e) for e in box.history] == snapshot


def test_every_state_is_the_fold_of_a_prefix_and_counts_its_events() -> None:
    box = a_season()
    history = box.history
    state = replay(history[:1])
    for n, event in enumerate(history[1:], start=2):
        state = apply(state, event)
        assert state.events == n
        if n % 5 == 0:
            assert replay(history[:n]) == state
    assert replay(history) == box.state
    assert replay(from_json(to_json(e)) for e in history) == box.state


def test_an_amendment_is_a_new_event_beside_the_motion_it_changes() -> None:
    box = a_season()
    proposed = [e for e in box.history if e.kind == "motion proposed" and e.motion == "m1"]
    assert len(proposed) == 1 and proposed[0].text == "Raise dues by 1%"  # the record keeps what was proposed
    assert box.state.motions["m1"].text == "Raise dues by 2%"  # the state shows what the amendment made of it
    kinds = [e.kind for e in box.history]
    assert kinds.index("motion proposed") < kinds.index("motion carried")


def test_no_command_removes_or_replaces_an_event() -> None:
    """Nothing in the core's vocabulary deletes or edits: no event kind says so."""
    forbidden = ("deleted", "edited", "rewritten", "erased", "purged")
    assert not [kind for kind in REGISTRY if any(word in kind for word in forbidden)]
    assert all(issubclass(cls, Event) for cls in REGISTRY.values())
