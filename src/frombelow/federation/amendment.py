"""Amending the charter: a supermajority of the congress, then ratification from below.

1. A delegate seated in the congress (the federation's top council) proposes a whole new
   charter: a motion of kind "charter amendment" on the congress's agenda, whose
   threshold is the charter's ``amendment_threshold`` (forced: no one chooses a weaker
   one). The congress votes on it like any motion, by public roll call.
2. Carried, it is not yet in force: a secret ratification vote of ALL the members of the
   federation opens at once (scope "subtree" of the congress). The ballot box hands in
   each ballot with the base council it was cast in, and the count refuses a box whose
   ballots per base council differ from the turnout there (``voting.COUNTED_BY_COUNCIL``).
3. It is ratified only if more members voted yes than no AND yes beat no in more than half
   of the base councils whose members could vote (a council where no one voted, or where
   yes and no tie, does not count for it). Then ``CharterAmended`` replaces the charter and
   every later rule uses it; otherwise ``AmendmentRejected`` says which condition failed,
   with both counts. These two events are the decision, and the question put to the
   members says the rule. The poll's own published outcome (``PollCounted.outcome``, by
   quorum and simple majority) is shown with the ballots but decides nothing here, and may
   differ ("no quorum" for a ratified amendment): the DESIGN's two majorities decide, with
   no quorum.

Choices made here:

- An amendment proposes the whole charter as it would read, so what members ratify is
  exactly what comes into force. Several may be proposed; each must still replace the
  charter in force when it was proposed: if another was ratified meanwhile, it is
  rejected (before its ratification vote if possible) and must be proposed again against
  the charter now in force, so no ratification silently undoes another.
- The motion's title and text say why; amending that text (``motions.ProposeAmendment``)
  changes the explanation, never the charter proposed. A different charter is a new
  amendment.
- What is already under way keeps the rules it began with: an open vote keeps its closing
  time, quorum and threshold; a term keeps its length.
- Withdrawn or lost in the congress, an amendment simply stops (its ``stage`` says so).
- The secret ballot's one limit here: "a majority of base councils" needs each base
  council's ballots counted apart, so they are published by council. In a council where
  one member voted, or all voted alike, how its members voted can be read from its
  count, as in any precinct-level result. The BallotCast events name who voted, so a
  federation with very small base councils should know this before amending its charter.

State: ``state.amendments`` maps the amendment's motion id to its ``Amendment``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from frombelow.federation import councils, motions, voting
from frombelow.federation.charter import Charter
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import State

KIND = "charter amendment"
RATIFICATION = "ratification"
AmendmentStatus = Literal["proposed", "ratified", "rejected"]
Stage = Literal["before the congress", "withdrawn", "lost in the congress", "in ratification", "ratified", "rejected"]


@dataclass(frozen=True)
class Amendment:
    motion: str  # the congress's motion, whose id is the amendment's
    federation: str
    charter: Charter  # the charter as it would read
    replaces: Charter  # the charter in force when it was proposed
    proposed_by: str
    proposed_at: datetime
    status: AmendmentStatus = "proposed"
    decided_at: datetime | None = None

    @property
    def poll(self) -> str:
        return ratification_poll(self.motion)


def ratification_poll(motion_id: str) -> str:
    return f"ratification of {motion_id}"


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeCharterAmendment(Command):
    motion: str
    title: str
    text: str  # why: what changes, and for what
    charter: Charter  # the whole charter as amended


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CharterAmendmentProposed(Event):
    """Follows the ``MotionProposed`` that puts the amendment on the congress's agenda."""

    kind: ClassVar[str] = "charter amendment proposed"
    motion: str
    federation: str
    charter: Charter


@dataclass(frozen=True)
class CharterAmended(Event):
    kind: ClassVar[str] = "charter amended"
    motion: str
    federation: str
    charter: Charter  # now in force
    yes: int  # members voting yes, and no
    no: int
    councils_for: int  # base councils where yes beat no
    councils: int  # base councils whose members could vote
    by_council: tuple[tuple[str, int, int], ...]  # (base council, yes, no), for anyone checking


@dataclass(frozen=True)
class AmendmentRejected(Event):
    kind: ClassVar[str] = "charter amendment rejected"
    motion: str
    federation: str
    yes: int
    no: int
    councils_for: int
    councils: int
    by_council: tuple[tuple[str, int, int], ...]
    reason: str


# --- reading the state ---------------------------------------------------------------------


def amendment(state: State, motion_id: str) -> Amendment:
    return look_up(state.amendments, motion_id, "charter amendment")


def stage(state: State, chosen: Amendment) -> Stage:
    """Where an amendment stands: before the congress, in ratification, or decided."""
    if chosen.status != "proposed":
        return chosen.status
    motion = state.motions[chosen.motion]
    if motion.status == "withdrawn":
        return "withdrawn"
    if motion.status == "lost":
        return "lost in the congress"
    return "in ratification" if chosen.poll in state.polls else "before the congress"


def _superseded(state: State, chosen: Amendment) -> str | None:
    """Why the amendment can no longer be ratified, if the charter changed since it was proposed."""
    if state.federations[chosen.federation].charter == chosen.replaces:
        return None
    return (
        "the charter was amended after this amendment was proposed; propose it again against the charter now in force"
    )


# --- deciding ------------------------------------------------------------------------------


def propose(state: State, command: ProposeCharterAmendment) -> list[Event]:
    require_aware(command.at)
    member = state.member(command.actor)
    federation = state.federations[member.federation]
    congress = councils.require_sitting(state, federation.congress, member.id, "propose amending the charter")
    if not isinstance(command.charter, Charter):
        raise InvalidCommand("an amendment proposes the whole charter as it would read")
    if command.charter == federation.charter:
        raise InvalidCommand("the charter says that already: an amendment must change something")
    proposed = motions.proposal(
        state,
        command,
        command.motion,
        congress.id,
        command.title,
        command.text,
        motion_kind=KIND,
        threshold=federation.charter.amendment_threshold,
    )
    return [
        proposed,
        CharterAmendmentProposed(command.actor, command.at, command.motion, federation.id, command.charter),
    ]


def _carried(state: State, motion: motions.Motion, at: datetime) -> list[Event]:
    """The congress has carried it: the members of the whole federation ratify it, or not."""
    chosen = state.amendments[motion.id]
    superseded = _superseded(state, chosen)
    if superseded is not None:
        return [AmendmentRejected(THE_COUNT, at, motion.id, chosen.federation, 0, 0, 0, 0, (), superseded)]
    question = (
        f"Ratify the charter amendment: {motion.title}? It is ratified by more yes than no among members voting "
        "and in more than half of the base councils"
    )
    return [
        voting.open_poll(
            state,
            THE_COUNT,
            at,
            chosen.poll,
            motion.council,
            RATIFICATION,
            motion.id,
            question,
            scope="subtree",
            secret=True,
        )
    ]


@voting.on_counted(RATIFICATION)
def ratification_counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    chosen = state.amendments[poll.subject]
    yes = Counter(b.group for b in result.ballots if b.marks == (voting.YES,))
    no = Counter(b.group for b in result.ballots if b.marks == (voting.NO,))
    councils = sorted({voter.group for voter in poll.electorate.values()})
    by_council = tuple((c, yes[c], no[c]) for c in councils)
    total_yes, total_no = yes.total(), no.total()
    councils_for = sum(1 for c in councils if yes[c] > no[c])
    counts = (total_yes, total_no, councils_for, len(councils), by_council)
    failed = []
    if total_yes <= total_no:
        failed.append(f"members voting: {total_yes} yes, {total_no} no (it needs more yes than no)")
    if 2 * councils_for <= len(councils):
        failed.append(
            f"base councils: yes beat no in {councils_for} of {len(councils)} (it needs more than half of them)"
        )
    superseded = _superseded(state, chosen)
    if superseded is not None:
        failed.append(superseded)
    if failed:
        return [AmendmentRejected(THE_COUNT, result.at, chosen.motion, chosen.federation, *counts, "; ".join(failed))]
    return [CharterAmended(THE_COUNT, result.at, chosen.motion, chosen.federation, chosen.charter, *counts)]


motions.KINDS[KIND] = motions.Kind(vetoable=False, on_carried=_carried)
voting.COUNTED_BY_COUNCIL.add(RATIFICATION)


# --- applying ------------------------------------------------------------------------------


def _decided(state: State, motion_id: str, status: AmendmentStatus, at: datetime) -> State:
    decided = dataclasses.replace(state.amendments[motion_id], status=status, decided_at=at)
    return state.updated(amendments=state.amendments.set(motion_id, decided))


def amendment_proposed(state: State, event: CharterAmendmentProposed) -> State:
    in_force = state.federations[event.federation].charter
    new = Amendment(event.motion, event.federation, event.charter, in_force, event.actor, event.at)
    return state.updated(amendments=state.amendments.set(event.motion, new))


def charter_amended(state: State, event: CharterAmended) -> State:
    federation = dataclasses.replace(state.federations[event.federation], charter=event.charter)
    state = state.updated(federations=state.federations.set(event.federation, federation))
    return _decided(state, event.motion, "ratified", event.at)


def amendment_rejected(state: State, event: AmendmentRejected) -> State:
    return _decided(state, event.motion, "rejected", event.at)


DECIDERS = {ProposeCharterAmendment: propose}
APPLIERS = {
    CharterAmendmentProposed: amendment_proposed,
    CharterAmended: charter_amended,
    AmendmentRejected: amendment_rejected,
}
