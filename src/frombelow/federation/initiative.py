"""Initiative: members put a motion on the agenda of any council above them.

A member whose base council lies below council C starts an initiative for C's agenda
(``StartInitiative``, signing it in starting it); the members under C sign it
(``SignInitiative``). Once the charter's initiative threshold times the members under C
(both fixed when it starts) have signed, "the count" places the motion on C's agenda
(``motions.MotionProposed`` with ``initiative`` set). Such a motion must be voted on:
``motions.withdraw`` refuses to withdraw it, and it is voted like any other (a public
roll call in a delegate council).

``state.petitions`` holds the initiatives: id -> ``Initiative`` (status "collecting
signatures", then "on the agenda" with the motion's id). Recall petitions share the map
and the signing rules of ``petitions.py`` (signatures may be withdrawn while collecting).

Choices made here:

- An initiative is for a council strictly above the member's own base council: in their
  own council members put motions on the agenda themselves.
- The motion's threshold is the charter's motion threshold; its id is "initiative <id>"
  (numbered further if a motion already has that id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

from immutables import Map

from frombelow.federation import motions, petitions
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, State

InitiativeStatus = Literal["collecting signatures", "on the agenda"]


@dataclass(frozen=True)
class Initiative:
    kind: ClassVar[str] = "initiative"
    id: str
    federation: str
    council: str  # the council whose agenda it would reach
    motion_title: str  # the title of the motion it would place (``title`` names the initiative itself)
    text: str
    started_by: str
    started_at: datetime
    electorate: int  # the members under the council when it started
    needed: int
    signatures: Map = field(default_factory=Map)  # member id -> True
    status: InitiativeStatus = "collecting signatures"
    motion: str | None = None  # the motion it placed on the agenda

    @property
    def title(self) -> str:
        return f"the initiative {self.motion_title!r}"


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartInitiative(Command):
    initiative: str
    council: str
    title: str
    text: str


@dataclass(frozen=True)
class SignInitiative(Command):
    initiative: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeStarted(Event):
    """An initiative started; the one who started it is its first signature."""

    kind: ClassVar[str] = "initiative started"
    initiative: str
    council: str
    title: str
    text: str
    electorate: int
    needed: int


@dataclass(frozen=True)
class InitiativeSigned(Event):
    kind: ClassVar[str] = "initiative signed"
    initiative: str


@dataclass(frozen=True)
class InitiativePlaced(Event):
    """The count: enough signatures; the ``MotionProposed`` that follows puts it on the agenda."""

    kind: ClassVar[str] = "initiative placed on the agenda"
    initiative: str
    motion: str
    signatures: int


# --- deciding ------------------------------------------------------------------------------


def _check_below(state: State, council: Council, actor: str, doing: str) -> None:
    member = state.member(actor)
    if member.council == council.id:
        raise NotAllowed(
            f"members of {council.name} put motions on its agenda themselves: an initiative is for a council above"
        )
    if not state.is_under(member.council, council.id):
        raise NotAllowed(f"only members under {council.name} may {doing}")


def _motion_id(state: State, initiative_id: str) -> str:
    motion_id, n = f"initiative {initiative_id}", 1
    while motion_id in state.motions:
        n += 1
        motion_id = f"initiative {initiative_id} ({n})"
    return motion_id


def _on_signatures(state: State, initiative: Initiative, signatures: int, at: datetime) -> list[Event]:
    if not petitions.reaches(initiative, signatures):
        return []
    motion_id = _motion_id(state, initiative.id)
    threshold = motions.threshold_for(state, initiative.council, None)
    return [
        InitiativePlaced(THE_COUNT, at, initiative.id, motion_id, signatures),
        motions.MotionProposed(
            THE_COUNT,
            at,
            motion_id,
            initiative.council,
            initiative.motion_title,
            initiative.text,
            threshold,
            initiative=initiative.id,
        ),
    ]


def start(state: State, command: StartInitiative) -> list[Event]:
    require_aware(command.at)
    petitions.check_new_id(state, command.initiative)
    council = state.council(command.council)
    _check_below(state, council, command.actor, "start an initiative for its agenda")
    title = command.title.strip()
    if not title:
        raise InvalidCommand("an initiative needs a title")
    if not command.text.strip():
        raise InvalidCommand("an initiative needs a text saying what the council would decide")
    charter = state.federations[council.federation].charter
    electorate = state.count_under(council.id)
    needed = petitions.needed(charter.initiative_threshold, electorate)
    started = InitiativeStarted(
        command.actor, command.at, command.initiative, council.id, title, command.text, electorate, needed
    )
    return [started, *_on_signatures(state, _initiative(state, started), 1, command.at)]


def sign(state: State, command: SignInitiative) -> list[Event]:
    require_aware(command.at)
    initiative: Initiative = petitions.petition(state, command.initiative, Initiative)
    petitions.collecting(initiative)
    _check_below(state, state.council(initiative.council), command.actor, "sign an initiative for its agenda")
    petitions.check_unsigned(initiative, command.actor)
    signed = InitiativeSigned(command.actor, command.at, initiative.id)
    return [signed, *_on_signatures(state, initiative, len(initiative.signatures) + 1, command.at)]


# --- applying ------------------------------------------------------------------------------


def _initiative(state: State, event: InitiativeStarted) -> Initiative:
    return Initiative(
        event.initiative,
        state.councils[event.council].federation,
        event.council,
        event.title,
        event.text,
        event.actor,
        event.at,
        event.electorate,
        event.needed,
        Map({event.actor: True}),
    )


def initiative_started(state: State, event: InitiativeStarted) -> State:
    return petitions.add(state, _initiative(state, event))


def initiative_signed(state: State, event: InitiativeSigned) -> State:
    return petitions.add_signature(state, event.initiative, event.actor)


def initiative_placed(state: State, event: InitiativePlaced) -> State:
    return petitions.update(state, event.initiative, status="on the agenda", motion=event.motion)


DECIDERS = {StartInitiative: start, SignInitiative: sign}
APPLIERS = {
    InitiativeStarted: initiative_started,
    InitiativeSigned: initiative_signed,
    InitiativePlaced: initiative_placed,
}
