"""The core: ``decide`` (command -> events, or a refusal) and ``apply`` (event -> state).

Pure functions, no I/O and no clock: time comes in with each command. Replaying the
events from the empty state always gives the same state.

A command's ``at`` is stamped by the platform when the command arrives, never chosen by
the member giving it, and time only moves forward: a command dated before the latest
recorded event (``state.clock``) is refused, so no one acts after a deadline by dating
the act before it, nor makes a window close early by dating an act after it.
"""

from __future__ import annotations

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
    secretaries,
    veto,
    voting,
)
from frombelow.federation.codec import in_utc, require_aware
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
    secretaries,
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
    require_aware(command.at)
    if state.clock is not None and command.at < state.clock:
        raise InvalidCommand(
            f"this command is dated before the last recorded event ({in_utc(state.clock)}): "
            f"it is dated {in_utc(command.at)}"
        )
    try:
        return decider(state, command)
    except OverflowError:  # a date so late that the charter's days can't be counted from it
        raise InvalidCommand(f"{in_utc(command.at)} is too late a time: no deadline can be counted from it") from None


def apply(state: State, event: events.Event) -> State:
    applied = APPLIERS[type(event)](state, event)
    clock = event.at if state.clock is None else max(state.clock, event.at)
    return applied.updated(events=state.events + 1, clock=clock)


def replay(history: Iterable[events.Event], state: State | None = None) -> State:
    state = state or State()
    for event in history:
        state = apply(state, event)
    return state


def execute(state: State, command: commands.Command) -> tuple[State, list[events.Event]]:
    """Decide and apply: the new state and the events that made it."""
    new = decide(state, command)
    return replay(new, state), new
