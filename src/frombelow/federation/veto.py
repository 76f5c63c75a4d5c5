"""Veto from below: a delegate council's decision waits, and its subtree may send it to a referendum.

- An ordinary decision of a delegate council C takes effect only after the charter's veto
  window (``motions.counted`` sets when). Until the window closes, any member in C's
  subtree may object to it, once; a constituent council of C may object as a council, by
  carrying a motion of kind "objection" on its own agenda. No one else may: not a member
  outside C's subtree, not a council above or beside C (invariant 1).
- When the objecting members reach the charter's ``veto_member_share`` of the members now
  under C, or the objecting councils its ``veto_council_share`` of C's constituents (by
  ``petitions.needed``: rounded up, at least one), "the count" calls a referendum: a
  secret poll of C's whole subtree asking "Should <title> stand?". An objection stands
  as given, as a petition's signature does: one who objected and later left or moved
  away still counted when they objected (so each objection is counted once, when made,
  not re-checked with every later one). A council's objection counts while it is still
  a constituent of C (one that split or merged since has no say of its own any more).
- The referendum's result stands. Carried: the decision takes effect. Lost, and also no
  quorum: the decision is overturned. Enough of the members it binds have challenged it,
  so it stands only by their consent, as any motion passes only when carried with a
  quorum; a decision that cannot bring a quorum of its subtree to confirm it is not
  imposed on that subtree from above.
- Once the window has closed without a referendum, anyone of the federation (or "the
  count", for a scheduler) records that the decision took effect (``TakeEffect``).

State:

- ``state.objections``: decision id -> ``Objections`` (the members and councils that
  objected, each a Map(id -> True), and the referendum once called).
- ``state.objection_motions``: objection motion id -> the decision it objects to.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from immutables import Map

from frombelow.federation import councils, motions, petitions, voting
from frombelow.federation.codec import in_utc, require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import State

OBJECTION = "objection"  # the kind of motion by which a constituent council objects
REFERENDUM = "referendum"  # the purpose of the poll that settles a vetoed decision
WAITING = "waiting for the veto window"


@dataclass(frozen=True)
class Objections:
    decision: str
    members: Map = field(default_factory=Map)  # member id -> True
    councils: Map = field(default_factory=Map)  # constituent council id -> True
    referendum: str | None = None  # its poll, once called


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectToDecision(Command):
    decision: str


@dataclass(frozen=True)
class ProposeObjection(Command):
    motion: str  # the id of the objection motion on ``council``'s agenda
    council: str  # a constituent of the council that decided
    decision: str
    text: str


@dataclass(frozen=True)
class TakeEffect(Command):
    decision: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionObjected(Event):
    kind: ClassVar[str] = "decision objected"
    decision: str  # the actor is the member objecting


@dataclass(frozen=True)
class ObjectionProposed(Event):
    """Which decision an objection motion objects to (the motion is the ``MotionProposed`` before it)."""

    kind: ClassVar[str] = "objection proposed"
    motion: str
    council: str
    decision: str


@dataclass(frozen=True)
class CouncilObjected(Event):
    kind: ClassVar[str] = "council objected"
    decision: str
    council: str
    motion: str  # the objection motion it carried


@dataclass(frozen=True)
class ObjectionLapsed(Event):
    """An objection motion carried too late to count."""

    kind: ClassVar[str] = "objection lapsed"
    decision: str
    council: str
    motion: str
    reason: str


@dataclass(frozen=True)
class ReferendumCalled(Event):
    """Objections reached a threshold; the referendum is the ``PollOpened`` that follows."""

    kind: ClassVar[str] = "referendum called"
    decision: str
    poll: str
    members: int  # members objecting, of
    members_under: int  # the members under the council
    councils: int  # constituent councils objecting, of
    constituents: int  # its constituents


@dataclass(frozen=True)
class DecisionConfirmed(Event):
    kind: ClassVar[str] = "decision confirmed"
    decision: str
    poll: str


@dataclass(frozen=True)
class DecisionOverturned(Event):
    kind: ClassVar[str] = "decision overturned"
    decision: str
    poll: str
    outcome: str  # "lost" or "no quorum"


@dataclass(frozen=True)
class DecisionTookEffect(Event):
    kind: ClassVar[str] = "decision took effect"
    decision: str


# --- reading the state ---------------------------------------------------------------------


def decision(state: State, decision_id: str) -> motions.Decision:
    return look_up(state.decisions, decision_id, "decision")


def objections(state: State, decision_id: str) -> Objections:
    return state.objections.get(decision_id) or Objections(decision_id)


def referendum_poll_id(decision_id: str) -> str:
    return f"referendum on {decision_id}"


def _title(state: State, decided: motions.Decision) -> str:
    return state.motions[decided.motion].title


def _closed(state: State, decided: motions.Decision, at: datetime) -> str | None:
    """Why the decision can no longer be objected to at ``at``, or None while its window is open."""
    title = _title(state, decided)
    if decided.status == "in referendum":
        return f"{title} has gone to a referendum already: vote in it"
    if decided.status != WAITING:
        return f"{title} is {decided.status}: it can no longer be objected to"
    if at < decided.carried_at:
        return f"{title} was not yet decided at that time"
    if at >= decided.takes_effect_at:
        return f"the veto window on {title} closed at {in_utc(decided.takes_effect_at)}"
    return None


def _referendum_if_due(
    state: State, decided: motions.Decision, at: datetime, members: int, councils: int
) -> list[Event]:
    """A referendum, if ``members`` and ``councils`` objecting (with the objection being made) reach
    either of the charter's shares."""
    council = state.councils[decided.council]
    charter = state.federations[decided.federation].charter
    under = state.count_under(council.id)
    constituents = state.children(council.id)
    if not petitions.reached(members, charter.veto_member_share, under) and not petitions.reached(
        councils, charter.veto_council_share, len(constituents)
    ):
        return []
    poll_id = referendum_poll_id(decided.motion)
    question = f"Should {_title(state, decided)} stand?"
    opened = voting.open_poll(
        state, THE_COUNT, at, poll_id, council.id, REFERENDUM, decided.motion, question, scope="subtree", secret=True
    )
    called = ReferendumCalled(THE_COUNT, at, decided.motion, poll_id, members, under, councils, len(constituents))
    return [called, opened]


# --- deciding ------------------------------------------------------------------------------


def object_to(state: State, command: ObjectToDecision) -> list[Event]:
    require_aware(command.at)
    decided = decision(state, command.decision)
    member = state.member(command.actor)
    council = state.councils[decided.council]
    if not state.is_under(member.council, council.id):
        raise NotAllowed(f"only members of the councils under {council.name} may object to its decisions")
    closed = _closed(state, decided, command.at)
    if closed:
        raise NotAllowed(closed)
    before = objections(state, decided.motion)
    if member.id in before.members:
        raise InvalidCommand(f"you have objected to {_title(state, decided)} already")
    councils = _councils_objecting(state, before)
    return [
        DecisionObjected(member.id, command.at, decided.motion),
        *_referendum_if_due(state, decided, command.at, len(before.members) + 1, councils),
    ]


def propose_objection(state: State, command: ProposeObjection) -> list[Event]:
    require_aware(command.at)
    decided = decision(state, command.decision)
    council, _ = councils.constituent_of(state, command.council, decided.council)
    closed = _closed(state, decided, command.at)
    if closed:
        raise NotAllowed(closed)
    title = _title(state, decided)
    if council.id in objections(state, decided.motion).councils:
        raise InvalidCommand(f"{council.name} has objected to {title} already")
    proposed = motions.proposal(
        state, command, command.motion, council.id, f"Object to {title}", command.text, motion_kind=OBJECTION
    )
    return [proposed, ObjectionProposed(command.actor, command.at, command.motion, council.id, decided.motion)]


def _councils_objecting(state: State, objected: Objections) -> int:
    """The councils that objected and are still constituents of the deciding council."""
    return sum(1 for c in objected.councils if state.councils[c].closed_at is None)


def council_objects(state: State, motion: motions.Motion, at: datetime) -> list[Event]:
    """What a carried objection motion sets in motion: the council's objection, if still in time."""
    decision_id = state.objection_motions[motion.id]
    decided = state.decisions[decision_id]
    before = objections(state, decision_id)
    closed = _closed(state, decided, at)
    if closed is None and motion.council in before.councils:
        closed = f"{state.councils[motion.council].name} has objected to {_title(state, decided)} already"
    if closed is None and state.councils[motion.council].closed_at is not None:
        closed = f"{state.councils[motion.council].name} has closed"
    if closed:
        return [ObjectionLapsed(THE_COUNT, at, decision_id, motion.council, motion.id, closed)]
    councils = _councils_objecting(state, before) + 1
    return [
        CouncilObjected(THE_COUNT, at, decision_id, motion.council, motion.id),
        *_referendum_if_due(state, decided, at, len(before.members), councils),
    ]


@voting.on_counted(REFERENDUM)
def referendum_counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    if result.outcome == "carried":
        return [DecisionConfirmed(THE_COUNT, result.at, poll.subject, poll.id)]
    return [DecisionOverturned(THE_COUNT, result.at, poll.subject, poll.id, result.outcome)]


def take_effect(state: State, command: TakeEffect) -> list[Event]:
    require_aware(command.at)
    decided = decision(state, command.decision)
    if command.actor != THE_COUNT and state.member(command.actor).federation != decided.federation:
        federation = state.federations[decided.federation].name
        raise NotAllowed(f"only members of {federation} may record that its decisions took effect")
    title = _title(state, decided)
    if decided.status != WAITING:
        raise InvalidCommand(f"{title} is {decided.status}")
    if command.at < decided.takes_effect_at:
        raise NotAllowed(f"the veto window on {title} stays open until {in_utc(decided.takes_effect_at)}")
    return [DecisionTookEffect(command.actor, command.at, decided.motion)]


motions.KINDS[OBJECTION] = motions.Kind(vetoable=False, on_carried=council_objects)


# --- applying ------------------------------------------------------------------------------


def _objections(state: State, decision_id: str, **changes: object) -> State:
    updated = dataclasses.replace(objections(state, decision_id), **changes)
    return state.updated(objections=state.objections.set(decision_id, updated))


def _decision(state: State, decision_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.decisions[decision_id], **changes)
    return state.updated(decisions=state.decisions.set(decision_id, updated))


def decision_objected(state: State, event: DecisionObjected) -> State:
    members = objections(state, event.decision).members.set(event.actor, True)
    return _objections(state, event.decision, members=members)


def objection_proposed(state: State, event: ObjectionProposed) -> State:
    return state.updated(objection_motions=state.objection_motions.set(event.motion, event.decision))


def council_objected(state: State, event: CouncilObjected) -> State:
    councils = objections(state, event.decision).councils.set(event.council, True)
    return _objections(state, event.decision, councils=councils)


def objection_lapsed(state: State, event: ObjectionLapsed) -> State:
    return state  # recorded, so the council sees why its objection did not count


def referendum_called(state: State, event: ReferendumCalled) -> State:
    state = _objections(state, event.decision, referendum=event.poll)
    return _decision(state, event.decision, status="in referendum")


def decision_confirmed(state: State, event: DecisionConfirmed) -> State:
    return _decision(state, event.decision, status="in effect", takes_effect_at=event.at)


def decision_overturned(state: State, event: DecisionOverturned) -> State:
    return _decision(state, event.decision, status="overturned")


def decision_took_effect(state: State, event: DecisionTookEffect) -> State:
    return _decision(state, event.decision, status="in effect")


DECIDERS = {ObjectToDecision: object_to, ProposeObjection: propose_objection, TakeEffect: take_effect}
APPLIERS = {
    DecisionObjected: decision_objected,
    ObjectionProposed: objection_proposed,
    CouncilObjected: council_objected,
    ObjectionLapsed: objection_lapsed,
    ReferendumCalled: referendum_called,
    DecisionConfirmed: decision_confirmed,
    DecisionOverturned: decision_overturned,
    DecisionTookEffect: decision_took_effect,
}
