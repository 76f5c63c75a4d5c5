"""Mandates: a constituent council instructs its own delegates on an item of the council above.

- Council K sends delegates to C, its parent. K may mandate them on a motion on C's
  agenda: a motion of kind "mandate" on K's own agenda, proposed by whoever sits in K and
  carried by K's own vote. No other council can mandate K's delegates (invariant 1): not
  C, not a council further up, not a sibling of K.
- Carried, it is issued under the charter's mandate policy of that moment; a later mandate
  of K on the same item replaces the earlier one. One carried after the item has left the
  agenda (counted or withdrawn) lapses: there is no vote left to bind.
- When a delegate sent by K votes on the item in C's roll call, the mandate acts (a hook in
  ``voting.ON_CAST``):
  binding: the vote is cast as mandated; ``MandateApplied`` shows what the delegate asked
  and what was cast. recall-trigger: the vote is cast as chosen; a deviation is flagged
  (``MandateBroken``) and opens a recall vote in K (``recall.open_recall_vote``).
  advisory: the deviation is flagged, nothing else. A vote that keeps to the mandate is
  recorded as ``MandateApplied`` under any policy, so a delegate's record (``record``)
  shows every vote they cast under a mandate, even after the mandate is replaced.

- A mandate lapses when K closes (split or merged, ``councils.py``): the council that gave
  it no longer meets to keep or change it. Its delegates still sit to the end of the term,
  answerable to K's members by recall (``recall.py``), and unmandated.
- A hook never blocks a vote: if the recall vote a deviation calls for cannot be opened,
  the deviation stays flagged and nothing else happens.

State:

- ``state.mandates``: the id of the mandate's motion in K -> ``Mandate`` (its terms; once
  issued, the policy and the votes cast under it; a replaced one is kept, naming what
  replaced it).
- ``state.mandates_in_force``: K -> Map(item -> the motion id of K's mandate in force on it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from immutables import Map

from frombelow.federation import councils, motions, recall, voting
from frombelow.federation.charter import MandatePolicy
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, RuleBroken
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import State

MANDATE = "mandate"  # the kind of motion that carries a mandate
Position = Literal["yes", "no", "abstain"]


@dataclass(frozen=True)
class MandatedVote:
    """One vote a delegate cast on an item their constituent had mandated them on."""

    delegate: str
    poll: str
    asked: tuple[str, ...]  # what the delegate chose
    cast: tuple[str, ...]  # what was counted (the mandate's position, when binding)
    at: datetime


@dataclass(frozen=True)
class Mandate:
    motion: str  # the motion of ``council`` that carries it
    council: str  # K, the council whose delegates it instructs
    item: str  # the motion on the agenda of K's parent
    position: Position
    proposed_by: str
    proposed_at: datetime
    policy: MandatePolicy | None = None  # the charter's, when issued
    issued_at: datetime | None = None
    replaced_by: str | None = None  # the later mandate of K on the same item
    lapsed: bool = False
    votes: tuple[MandatedVote, ...] = ()

    @property
    def in_force(self) -> bool:
        return self.issued_at is not None and self.replaced_by is None and not self.lapsed


@dataclass(frozen=True)
class RecordedVote:
    """A line of a delegate's record: a roll-call vote, beside the mandate they had on it."""

    poll: str
    council: str
    item: str
    title: str
    cast: tuple[str, ...]  # as counted
    asked: tuple[str, ...]  # as the delegate chose (differs from ``cast`` only under a binding mandate)
    mandate: Mandate | None  # the constituent's mandate in force when they voted
    deviated: bool  # whether the delegate chose otherwise than mandated


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeMandate(Command):
    motion: str  # the id of the motion putting the mandate on ``council``'s agenda
    council: str  # K: the council whose delegates are mandated
    item: str  # the motion of K's parent council they are mandated on
    position: Position
    text: str  # why: the council's reasons, for its delegates and the record


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateProposed(Event):
    """The terms of a mandate motion (the motion itself is the ``MotionProposed`` before it)."""

    kind: ClassVar[str] = "mandate proposed"
    motion: str
    council: str
    item: str
    position: Position


@dataclass(frozen=True)
class MandateIssued(Event):
    kind: ClassVar[str] = "mandate issued"
    motion: str
    council: str
    item: str
    position: Position
    policy: MandatePolicy
    replaces: str | None  # K's earlier mandate on the item, if any


@dataclass(frozen=True)
class MandateLapsed(Event):
    kind: ClassVar[str] = "mandate lapsed"
    motion: str
    item: str
    reason: str


@dataclass(frozen=True)
class MandateApplied(Event):
    """A delegate's roll-call vote on a mandated item (the actor is the delegate)."""

    kind: ClassVar[str] = "mandate applied"
    poll: str
    mandate: str
    council: str  # the constituent that mandated them
    item: str
    position: Position
    policy: MandatePolicy
    asked: tuple[str, ...]
    cast: tuple[str, ...]


@dataclass(frozen=True)
class MandateBroken(Event):
    """A delegate voted against their mandate; flagged publicly (the actor is the delegate)."""

    kind: ClassVar[str] = "mandate broken"
    poll: str
    mandate: str
    council: str
    item: str
    position: Position
    policy: MandatePolicy
    cast: tuple[str, ...]


# --- reading the state ---------------------------------------------------------------------


def in_force(state: State, council_id: str, item: str) -> Mandate | None:
    """The mandate ``council_id`` holds on ``item`` now, if any."""
    motion = state.mandates_in_force.get(council_id, Map()).get(item)
    return None if motion is None else state.mandates[motion]


def record(state: State, member: str) -> list[RecordedVote]:
    """A delegate's record: every roll-call vote they cast, in order, beside the mandate they had."""
    mandated = {(v.poll, v.delegate): (m, v) for m in state.mandates.values() for v in m.votes}
    polls = sorted(
        (p for p in state.polls.values() if p.purpose == "motion" and not p.secret and member in p.turnout),
        key=lambda p: (p.opened_at, p.id),
    )
    lines = []
    for poll in polls:
        if state.councils[poll.council].kind != "delegate":
            continue  # an open vote in a base council is a member's, not a delegate's
        cast = poll.turnout[member]
        mandate, vote = mandated.get((poll.id, member), (None, None))
        asked = vote.asked if vote is not None else cast
        deviated = mandate is not None and asked != (mandate.position,)
        title = state.motions[poll.subject].title
        lines.append(RecordedVote(poll.id, poll.council, poll.subject, title, cast, asked, mandate, deviated))
    return lines


# --- deciding ------------------------------------------------------------------------------


def propose_mandate(state: State, command: ProposeMandate) -> list[Event]:
    require_aware(command.at)
    item = motions.motion(state, command.item)
    state.council(command.council)
    above = state.council(item.council)
    if above.kind == "base":
        raise NotAllowed(f"{above.name} is a base council: it has no delegates to mandate")
    council, _ = councils.constituent_of(state, command.council, above.id)
    if command.position not in voting.QUESTION:
        raise InvalidCommand(f"a mandate says how to vote: yes, no or abstain, not {command.position!r}")
    if item.status != "on the agenda":
        raise NotAllowed(f"{item.title} is {item.status}: there is no vote left to mandate")
    title = f"Mandate on {item.title}: vote {command.position}"
    proposed = motions.proposal(state, command, command.motion, council.id, title, command.text, motion_kind=MANDATE)
    terms = MandateProposed(command.actor, command.at, command.motion, council.id, item.id, command.position)
    return [proposed, terms]


def issue(state: State, motion: motions.Motion, at: datetime) -> list[Event]:
    """What a carried mandate motion sets in motion: the mandate, unless its item has been decided."""
    mandate = state.mandates[motion.id]
    item = state.motions[mandate.item]
    if item.status != "on the agenda":
        return [MandateLapsed(THE_COUNT, at, motion.id, item.id, f"{item.title} is {item.status}")]
    council = state.councils[mandate.council]
    if council.closed_at is not None:  # carried by a vote that ran on after the council closed
        return [MandateLapsed(THE_COUNT, at, motion.id, item.id, _closed_reason(state, council.id))]
    earlier = in_force(state, mandate.council, mandate.item)
    policy = state.federations[motion.federation].charter.mandate_policy
    replaces = earlier.motion if earlier is not None else None
    return [MandateIssued(THE_COUNT, at, motion.id, mandate.council, item.id, mandate.position, policy, replaces)]


def enforce(
    state: State, poll: voting.Poll, voter: str, marks: tuple[str, ...], at: datetime
) -> tuple[tuple[str, ...], list[Event]]:
    """The mandate acting on a public vote (a ``voting.ON_CAST`` hook): the marks to cast and what to record."""
    if poll.purpose != "motion" or state.councils[poll.council].kind != "delegate":
        return marks, []
    # The constituent a delegate votes for is fixed when the roll call opens, as their vote is.
    mandate = in_force(state, poll.electorate[voter].group, poll.subject)
    if mandate is None or mandate.policy is None:
        return marks, []
    mandated = (mandate.position,)
    terms = (poll.id, mandate.motion, mandate.council, mandate.item, mandate.position, mandate.policy)
    if marks == mandated or mandate.policy == "binding":
        return mandated, [MandateApplied(voter, at, *terms, asked=marks, cast=mandated)]
    broken: list[Event] = [MandateBroken(voter, at, *terms, cast=marks)]
    seat = state.delegates.get((poll.council, voter))
    if mandate.policy == "recall-trigger" and seat is not None and seat.constituent == mandate.council:
        title = state.motions[poll.subject].title
        constituent = state.councils[mandate.council].name
        cause = f"voted {marks[0]} on {title} against the mandate of {constituent} to vote {mandate.position}"
        try:
            broken += recall.open_recall_vote(state, seat, at, THE_COUNT, cause)
        except RuleBroken:
            pass  # a hook never blocks the vote: the deviation stays flagged, and members may still petition
    return marks, broken


def _closed_reason(state: State, council_id: str) -> str:
    council = state.councils[council_id]
    return f"{council.name} has closed: the council that gave the mandate no longer meets to keep or change it"


def lapse_on_closing(state: State, closing: tuple[str, ...], at: datetime) -> list[Event]:
    """The mandates of councils that close (split or merged): they lapse (a ``councils.ON_CLOSED`` hook)."""
    return [
        MandateLapsed(THE_COUNT, at, motion, item, _closed_reason(state, council_id))
        for council_id in closing
        for item, motion in sorted(state.mandates_in_force.get(council_id, Map()).items())
    ]


motions.KINDS[MANDATE] = motions.Kind(vetoable=False, on_carried=issue)
voting.ON_CAST.append(enforce)
councils.ON_CLOSED.append(lapse_on_closing)


# --- applying ------------------------------------------------------------------------------


def _update(state: State, motion_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.mandates[motion_id], **changes)
    return state.updated(mandates=state.mandates.set(motion_id, updated))


def mandate_proposed(state: State, event: MandateProposed) -> State:
    mandate = Mandate(event.motion, event.council, event.item, event.position, event.actor, event.at)
    return state.updated(mandates=state.mandates.set(event.motion, mandate))


def _in_force(state: State, council_id: str, held: Map) -> State:
    return state.updated(mandates_in_force=state.mandates_in_force.set(council_id, held))


def mandate_issued(state: State, event: MandateIssued) -> State:
    if event.replaces is not None:
        state = _update(state, event.replaces, replaced_by=event.motion)
    state = _update(state, event.motion, policy=event.policy, issued_at=event.at)
    return _in_force(
        state, event.council, state.mandates_in_force.get(event.council, Map()).set(event.item, event.motion)
    )


def mandate_lapsed(state: State, event: MandateLapsed) -> State:
    council = state.mandates[event.motion].council
    held = state.mandates_in_force.get(council, Map())
    if held.get(event.item) == event.motion:
        state = _in_force(state, council, held.delete(event.item))
    return _update(state, event.motion, lapsed=True)


def _voted(state: State, event: MandateApplied | MandateBroken, asked: tuple[str, ...]) -> State:
    vote = MandatedVote(event.actor, event.poll, asked, event.cast, event.at)
    return _update(state, event.mandate, votes=state.mandates[event.mandate].votes + (vote,))


def mandate_applied(state: State, event: MandateApplied) -> State:
    return _voted(state, event, event.asked)


def mandate_broken(state: State, event: MandateBroken) -> State:
    return _voted(state, event, event.cast)


DECIDERS = {ProposeMandate: propose_mandate}
APPLIERS = {
    MandateProposed: mandate_proposed,
    MandateIssued: mandate_issued,
    MandateLapsed: mandate_lapsed,
    MandateApplied: mandate_applied,
    MandateBroken: mandate_broken,
}
