"""Dissent: a faction's statement against a decision, attached to the decision for good.

Any current member of a faction may record, for the faction, one statement on a decision
(a carried motion) of a council of the faction's own federation: why it opposed it. The
statement belongs to the decision, not to the faction: it stays in the record beside the
decision when the faction later changes its name, loses the member who wrote it, or
dissolves. It keeps the faction's name as it was, since a dissolved faction's name may
pass to another.

State: ``state.dissents``: decision id -> tuple of ``Dissent``, in the order recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frombelow.federation import factions, veto
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import Event
from frombelow.federation.state import State


@dataclass(frozen=True)
class Dissent:
    faction: str
    faction_name: str  # as it was when recorded
    decision: str
    text: str
    recorded_by: str
    recorded_at: datetime


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordDissent(Command):
    faction: str
    decision: str
    text: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DissentRecorded(Event):
    kind: ClassVar[str] = "dissent recorded"
    faction: str
    faction_name: str
    decision: str
    text: str


# --- reading the state ---------------------------------------------------------------------


def dissents_on(state: State, decision: str) -> tuple[Dissent, ...]:
    """The factions' statements against a decision, in the order recorded."""
    return state.dissents.get(decision, ())


# --- deciding ------------------------------------------------------------------------------


def record_dissent(state: State, command: RecordDissent) -> list[DissentRecorded]:
    require_aware(command.at)
    faction = factions.speaks_for(state, command.faction, command.actor)
    decided = veto.decision(state, command.decision)
    title = state.motions[decided.motion].title
    if decided.federation != faction.federation:
        raise NotAllowed(f"{title} is a decision of another federation than {faction.name}'s")
    if not command.text.strip():
        raise InvalidCommand("a dissent needs a statement saying why the faction opposes the decision")
    if any(d.faction == faction.id for d in dissents_on(state, decided.motion)):
        raise InvalidCommand(f"{faction.name} has recorded its dissent on {title} already")
    return [DissentRecorded(command.actor, command.at, faction.id, faction.name, decided.motion, command.text)]


# --- applying ------------------------------------------------------------------------------


def dissent_recorded(state: State, event: DissentRecorded) -> State:
    statement = Dissent(event.faction, event.faction_name, event.decision, event.text, event.actor, event.at)
    recorded = dissents_on(state, event.decision) + (statement,)
    return state.updated(dissents=state.dissents.set(event.decision, recorded))


DECIDERS = {RecordDissent: record_dissent}
APPLIERS = {DissentRecorded: dissent_recorded}
