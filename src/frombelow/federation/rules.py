"""The core: ``decide`` (command -> events, or a refusal) and ``apply`` (event -> state).

Pure functions, no I/O and no clock: time comes in with each command. Replaying the
events from the empty state always gives the same state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from frombelow.federation import (
    amendment,
    apportionment,
    commands,
    councils,
    dissent,
    elections,
    events,
    factions,
    initiative,
    mandates,
    membership,
    motions,
    petitions,
    recall,
    veto,
    voting,
)
from frombelow.federation.errors import InvalidCommand
from frombelow.federation.state import State

# Each capability module lists its own DECIDERS (command type -> decide function) and
# APPLIERS (event type -> apply function); the core merges them.
CAPABILITIES = (
    membership,
    factions,
    apportionment,
    voting,
    motions,
    councils,
    amendment,
    recall,
    elections,
    petitions,
    initiative,
    mandates,
    veto,
    dissent,
)

DECIDERS: dict[type, Callable[[State, Any], list[events.Event]]] = {
    kind: decider for module in CAPABILITIES for kind, decider in module.DECIDERS.items()
}
APPLIERS: dict[type, Callable[[State, Any], State]] = {
    kind: applier for module in CAPABILITIES for kind, applier in module.APPLIERS.items()
}


def decide(state: State, command: commands.Command) -> list[events.Event]:
    """The events ``command`` produces, or a ``RuleBroken`` saying why not; ``state`` is untouched."""
    try:
        decider = DECIDERS[type(command)]
    except KeyError:
        raise InvalidCommand(f"unknown command {type(command).__name__}") from None
    return decider(state, command)


def apply(state: State, event: events.Event) -> State:
    applied = APPLIERS[type(event)](state, event)
    return dataclasses.replace(applied, events=state.events + 1)


def replay(history: Iterable[events.Event], state: State | None = None) -> State:
    state = state or State()
    for event in history:
        state = apply(state, event)
    return state


def execute(state: State, command: commands.Command) -> tuple[State, list[events.Event]]:
    """Decide and apply: the new state and the events that made it."""
    new = decide(state, command)
    return replay(new, state), new
