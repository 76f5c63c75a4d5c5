"""Motions: a council's agenda, amendments, and the vote that carries or loses them.

- Whoever sits in a council (a member of a base council, a delegate seated in a delegate
  council) may put a motion on its agenda, propose amendments to it, and call the vote.
- Amendments are voted first, each by the charter's motion threshold (a simple majority
  unless the charter asks more), whatever stricter threshold the motion itself carries; a
  carried amendment replaces the motion's text. The motion's vote cannot be called while
  an amendment is pending.
- The vote is a poll (``voting.py``): a public roll call in a delegate council, secret
  or open in a base council as the charter says; quorum and threshold from the charter
  (a motion may ask for a stricter threshold, never a weaker one).
- A carried motion becomes a decision. A delegate council's ordinary decision takes
  effect only after the charter's veto window (``veto.py``); a base council's at once.
- Other capabilities put motions of their own kinds on agendas (a charter amendment, a
  mandate, an objection to a decision above): they register the kind in ``KINDS`` with
  what its carrying sets in motion.
- A motion placed by an initiative (``initiative.py``) must be voted on: it cannot be
  withdrawn, and if the council has not called its vote within the charter's voting
  period, any member under the council may call it.

State: ``state.motions`` (id -> ``Motion``), ``state.decisions`` (motion id -> ``Decision``,
once carried) and ``state.pending_amendments`` (motion id -> Map(amendment id -> True), the
amendments to it still on the agenda).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Literal

from immutables import Map

from frombelow.federation import councils, voting
from frombelow.federation.charter import THRESHOLDS, Threshold
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import State

ORDINARY = "ordinary"
MotionStatus = Literal["on the agenda", "carried", "lost", "withdrawn"]  # its vote, if open, is in state.polls
DecisionStatus = Literal["waiting for the veto window", "in effect", "in referendum", "overturned"]


@dataclass(frozen=True)
class Motion:
    id: str
    federation: str
    council: str
    title: str
    text: str
    threshold: Threshold
    proposed_by: str  # a member id, or "the count" for a motion an initiative placed
    proposed_at: datetime
    kind: str = ORDINARY
    amends: str | None = None  # for an amendment: the motion whose text it would replace
    initiative: str | None = None  # the petition that placed it, if any: then it must be voted on
    status: MotionStatus = "on the agenda"

    @property
    def poll(self) -> str:
        return f"vote on {self.id}"


@dataclass(frozen=True)
class Decision:
    """A carried motion: what a council decided, with when it takes effect."""

    motion: str
    council: str
    federation: str
    carried_at: datetime
    takes_effect_at: datetime
    status: DecisionStatus


@dataclass(frozen=True)
class Kind:
    """A kind of motion: whether the veto window applies, and what carrying it sets in motion."""

    vetoable: bool
    on_carried: Callable[[State, Motion, datetime], list[Event]] | None = None


KINDS: dict[str, Kind] = {ORDINARY: Kind(vetoable=True)}


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeMotion(Command):
    motion: str
    council: str
    title: str
    text: str
    threshold: Threshold | None = None  # None: the charter's motion threshold


@dataclass(frozen=True)
class ProposeAmendment(Command):
    amendment: str
    motion: str
    text: str  # the motion's text as the amendment would have it


@dataclass(frozen=True)
class WithdrawMotion(Command):
    motion: str


@dataclass(frozen=True)
class CallVote(Command):
    motion: str  # a motion or an amendment


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionProposed(Event):
    kind: ClassVar[str] = "motion proposed"
    motion: str
    council: str
    title: str
    text: str
    threshold: Threshold
    motion_kind: str = ORDINARY
    amends: str | None = None
    initiative: str | None = None


@dataclass(frozen=True)
class MotionWithdrawn(Event):
    kind: ClassVar[str] = "motion withdrawn"
    motion: str


@dataclass(frozen=True)
class MotionCarried(Event):
    kind: ClassVar[str] = "motion carried"
    motion: str
    takes_effect_at: datetime  # after the veto window, or at once


@dataclass(frozen=True)
class MotionLost(Event):
    kind: ClassVar[str] = "motion lost"
    motion: str
    outcome: str  # "lost" or "no quorum"


# --- reading the state ---------------------------------------------------------------------


def motion(state: State, motion_id: str) -> Motion:
    return look_up(state.motions, motion_id, "motion")


def pending_amendments(state: State, motion_id: str) -> list[Motion]:
    """The amendments to ``motion_id`` still on the agenda, by id."""
    return [state.motions[a] for a in sorted(state.pending_amendments.get(motion_id, ()))]


def _check_sits(state: State, council_id: str, actor: str, doing: str) -> None:
    state.member(actor)
    state.open_council(council_id)
    councils.require_sitting(state, council_id, actor, doing)


def _new_id(state: State, motion_id: str) -> None:
    if not motion_id.strip():
        raise InvalidCommand("a motion needs an id")
    if motion_id in state.motions:
        raise InvalidCommand(f"a motion {motion_id!r} exists already; choose another id")


def _text(title: str, text: str) -> None:
    if not title.strip():
        raise InvalidCommand("a motion needs a title")
    if not text.strip():
        raise InvalidCommand("a motion needs a text saying what the council would decide")


def threshold_for(state: State, council_id: str, asked: Threshold | None) -> Threshold:
    charter = state.federations[state.council(council_id).federation].charter
    if asked is None:
        return charter.motion_threshold
    if asked not in THRESHOLDS:
        raise InvalidCommand(f"unknown threshold {asked!r}; use one of {', '.join(THRESHOLDS)}")
    if asked == "simple" and charter.motion_threshold != "simple":
        raise InvalidCommand(f"the charter requires at least a {charter.motion_threshold} majority for motions")
    return asked


def proposal(
    state: State, command: Command, motion_id: str, council_id: str, title: str, text: str, **more: object
) -> MotionProposed:
    """The event putting a motion on a council's agenda, for whoever sits in it; used by every kind."""
    require_aware(command.at)
    _new_id(state, motion_id)
    _check_sits(state, council_id, command.actor, "put motions on its agenda")
    _text(title, text)
    threshold = threshold_for(state, council_id, more.pop("threshold", None))  # type: ignore[arg-type]
    return MotionProposed(command.actor, command.at, motion_id, council_id, title.strip(), text, threshold, **more)  # type: ignore[arg-type]


# --- deciding ------------------------------------------------------------------------------


def propose(state: State, command: ProposeMotion) -> list[MotionProposed]:
    return [
        proposal(
            state, command, command.motion, command.council, command.title, command.text, threshold=command.threshold
        )
    ]


def propose_amendment(state: State, command: ProposeAmendment) -> list[MotionProposed]:
    require_aware(command.at)
    target = motion(state, command.motion)
    if target.amends is not None:
        raise InvalidCommand("an amendment is amended by voting it down and proposing another")
    if target.status != "on the agenda" or target.poll in state.polls:
        raise NotAllowed(f"{target.title} is no longer open to amendment")
    if command.text == target.text:
        raise InvalidCommand("the amendment must change the motion's text")
    title = f"Amendment to {target.title}"
    return [
        proposal(
            state,
            command,
            command.amendment,
            target.council,
            title,
            command.text,
            amends=target.id,
        )
    ]


def withdraw(state: State, command: WithdrawMotion) -> list[MotionWithdrawn]:
    require_aware(command.at)
    target = motion(state, command.motion)
    if target.initiative is not None:
        raise NotAllowed(f"{target.title} was placed by an initiative of the members: it must be voted on")
    if command.actor != target.proposed_by:
        raise NotAllowed(f"only the one who proposed {target.title} may withdraw it")
    if target.status != "on the agenda" or target.poll in state.polls:
        raise NotAllowed(f"{target.title} can no longer be withdrawn: it has been put to the vote")
    amendments = pending_amendments(state, target.id)
    voting_on = [a.id for a in amendments if a.poll in state.polls]
    if voting_on:
        raise NotAllowed(f"{target.title} cannot be withdrawn while its amendment {voting_on[0]} is being voted on")
    # The amendments to a withdrawn motion go with it: there is nothing left for them to amend.
    return [MotionWithdrawn(command.actor, command.at, m.id) for m in (target, *amendments)]


def _initiative_overdue(state: State, target: Motion, command: CallVote) -> bool:
    """Whether a member below may call the vote on an initiative's motion the council has left waiting.

    An initiative's motion must be voted on: if the council has not called its vote within
    the charter's voting period of placing it, any member under the council may.
    """
    if target.initiative is None or command.actor not in state.members:
        return False
    charter = state.federations[target.federation].charter
    overdue = command.at >= target.proposed_at + timedelta(days=charter.voting_days)
    return overdue and state.is_under(state.members[command.actor].council, target.council)


def call_vote(state: State, command: CallVote) -> list[Event]:
    require_aware(command.at)
    target = motion(state, command.motion)
    if not _initiative_overdue(state, target, command):
        _check_sits(state, target.council, command.actor, "call its votes")
    if target.status != "on the agenda":
        raise NotAllowed(f"{target.title} is {target.status}: there is no vote to call")
    if target.poll in state.polls:
        raise NotAllowed(f"the vote on {target.title} is open already")
    pending = pending_amendments(state, target.id)
    if pending:
        raise NotAllowed(f"vote on the amendments to {target.title} first ({', '.join(a.id for a in pending)})")
    parent = state.motions.get(target.amends) if target.amends else None
    if parent is not None and (parent.status != "on the agenda" or parent.poll in state.polls):
        raise NotAllowed("the motion this amends is no longer open to amendment")
    return [
        voting.open_poll(
            state,
            command.actor,
            command.at,
            target.poll,
            target.council,
            "motion",
            target.id,
            target.title,
            threshold=target.threshold,
        )
    ]


@voting.on_counted("motion")
def counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    target = state.motions[poll.subject]
    if result.outcome != "carried":
        return [MotionLost(THE_COUNT, result.at, target.id, result.outcome)]
    council = state.councils[target.council]
    charter = state.federations[target.federation].charter
    takes_effect_at = result.at
    if target.amends is None and KINDS[target.kind].vetoable and council.kind == "delegate":
        takes_effect_at = result.at + timedelta(days=charter.veto_days)
    carried: list[Event] = [MotionCarried(THE_COUNT, result.at, target.id, takes_effect_at)]
    hook = KINDS[target.kind].on_carried if target.amends is None else None
    return carried + (hook(state, target, result.at) if hook else [])


# --- applying ------------------------------------------------------------------------------


def _set(state: State, motion_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.motions[motion_id], **changes)
    state = state.updated(motions=state.motions.set(motion_id, updated))
    if updated.amends is None or updated.status == "on the agenda":
        return state
    # A pending amendment decided or withdrawn is pending no more.
    pending = state.pending_amendments.get(updated.amends, Map())
    if motion_id in pending:
        pending = pending.delete(motion_id)
    return state.updated(pending_amendments=state.pending_amendments.set(updated.amends, pending))


def motion_proposed(state: State, event: MotionProposed) -> State:
    new = Motion(
        event.motion,
        state.councils[event.council].federation,
        event.council,
        event.title,
        event.text,
        event.threshold,
        event.actor,
        event.at,
        event.motion_kind,
        event.amends,
        event.initiative,
    )
    state = state.updated(motions=state.motions.set(event.motion, new))
    if event.amends is None:
        return state
    pending = state.pending_amendments.get(event.amends, Map()).set(event.motion, True)
    return state.updated(pending_amendments=state.pending_amendments.set(event.amends, pending))


def motion_withdrawn(state: State, event: MotionWithdrawn) -> State:
    return _set(state, event.motion, status="withdrawn")


def motion_carried(state: State, event: MotionCarried) -> State:
    carried = state.motions[event.motion]
    state = _set(state, event.motion, status="carried")
    if carried.amends is not None:
        return _set(state, carried.amends, text=carried.text)
    status = "in effect" if event.takes_effect_at <= event.at else "waiting for the veto window"
    decision = Decision(carried.id, carried.council, carried.federation, event.at, event.takes_effect_at, status)
    return state.updated(decisions=state.decisions.set(carried.id, decision))


def motion_lost(state: State, event: MotionLost) -> State:
    return _set(state, event.motion, status="lost")


DECIDERS = {ProposeMotion: propose, ProposeAmendment: propose_amendment, WithdrawMotion: withdraw, CallVote: call_vote}
APPLIERS = {
    MotionProposed: motion_proposed,
    MotionWithdrawn: motion_withdrawn,
    MotionCarried: motion_carried,
    MotionLost: motion_lost,
}
