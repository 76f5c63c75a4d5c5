"""A base council's secretary: elected by its own members, and (if the charter says so) the one who invites.

- Whoever sits in a base council may propose one of its members as its secretary: a
  motion of kind "secretary" on the council's own agenda, carried by the council's own
  vote. No one else can name a council's secretary (invariant 1): not a council above
  it, not a sibling, not the count; the motion is on the council's agenda, so only its
  members propose it and vote on it. Delegate councils admit no members, so have none.
- Carried, the nominee becomes secretary (``SecretaryElected``); a later election
  replaces them. If by then the nominee is no longer a member of the council (they left
  or moved) or the council has closed, the election lapses (``SecretaryElectionLapsed``).
- The role goes with membership: a secretary who leaves the federation, or moves to
  another council (by invitation, or when their council splits or merges), is secretary
  no more. ``State.enrol`` and ``State.strike_off`` drop the role as they change the
  roll, so every replay drops it at the same event.
- The charter's ``invitations_by`` says who issues a base council's invitations
  (``membership.issue_invitation``): "members" (the default), any member; "secretary",
  only the secretary, while the council has one. A council without a secretary lets any
  member invite: a new council must be able to grow before it elects anyone, and no
  council is shut to newcomers because its secretary left.

State:

- ``state.secretaries``: base council id -> ``Secretary``, while it has one.
- ``state.secretary_nominations``: the id of a secretary motion -> the member it nominates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frombelow.federation import councils, motions
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, Secretary, State

SECRETARY = "secretary"  # the kind of motion that elects one


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeSecretary(Command):
    motion: str  # the id of the motion putting the election on ``council``'s agenda
    council: str  # a base council
    nominee: str  # one of its members
    text: str  # why: the proposer's reasons, for the members and the record


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretaryProposed(Event):
    """Whom a secretary motion nominates (the motion itself is the ``MotionProposed`` before it)."""

    kind: ClassVar[str] = "secretary proposed"
    motion: str
    council: str
    nominee: str


@dataclass(frozen=True)
class SecretaryElected(Event):
    kind: ClassVar[str] = "secretary elected"
    council: str
    member: str
    motion: str
    replaces: str | None  # the secretary before, if any


@dataclass(frozen=True)
class SecretaryElectionLapsed(Event):
    """A secretary motion carried when its nominee could no longer take the role."""

    kind: ClassVar[str] = "secretary election lapsed"
    motion: str
    council: str
    nominee: str
    reason: str


# --- reading the state ---------------------------------------------------------------------


def secretary(state: State, council_id: str) -> str | None:
    """The member who is ``council_id``'s secretary now, if it has one."""
    held = state.secretaries.get(council_id)
    return None if held is None else held.member


def require_inviter(state: State, council: Council, member: str) -> None:
    """Refuse ``member`` (a member of ``council``) inviting, if the charter leaves it to a secretary who is someone else."""
    charter = state.federations[council.federation].charter
    elected = secretary(state, council.id)
    if charter.invitations_by == "secretary" and elected is not None and elected != member:
        raise NotAllowed(f"only the secretary of {council.name}, {elected}, may invite people to join it")


# --- deciding ------------------------------------------------------------------------------


def propose_secretary(state: State, command: ProposeSecretary) -> list[Event]:
    require_aware(command.at)
    council = state.open_council(command.council)
    if council.kind != "base":
        raise NotAllowed(f"{council.name} is a delegate council: it admits no members, so elects no secretary")
    councils.require_sitting(state, council.id, command.actor, "elect its secretary")
    nominee = state.members.get(command.nominee)
    if nominee is None or nominee.council != council.id:
        raise NotAllowed(f"a secretary of {council.name} must be one of its members; {command.nominee!r} is not")
    title = f"Elect {command.nominee} secretary of {council.name}"
    proposed = motions.proposal(state, command, command.motion, council.id, title, command.text, motion_kind=SECRETARY)
    return [proposed, SecretaryProposed(command.actor, command.at, command.motion, council.id, command.nominee)]


def elect(state: State, motion: motions.Motion, at: datetime) -> list[Event]:
    """What a carried secretary motion sets in motion: the nominee elected, if they can still serve."""
    nominee = state.secretary_nominations[motion.id]
    council = state.councils[motion.council]
    reason = None
    if council.closed_at is not None:  # carried by a vote that ran on after the council closed
        reason = f"{council.name} has closed"
    elif nominee not in state.members or state.members[nominee].council != council.id:
        reason = f"{nominee} is no longer a member of {council.name}"
    if reason:
        return [SecretaryElectionLapsed(THE_COUNT, at, motion.id, council.id, nominee, reason)]
    return [SecretaryElected(THE_COUNT, at, council.id, nominee, motion.id, secretary(state, council.id))]


motions.KINDS[SECRETARY] = motions.Kind(vetoable=False, on_carried=elect)


# --- applying ------------------------------------------------------------------------------


def secretary_proposed(state: State, event: SecretaryProposed) -> State:
    return state.updated(secretary_nominations=state.secretary_nominations.set(event.motion, event.nominee))


def secretary_elected(state: State, event: SecretaryElected) -> State:
    elected = Secretary(event.council, event.member, event.motion, event.at)
    return state.updated(secretaries=state.secretaries.set(event.council, elected))


def secretary_election_lapsed(state: State, event: SecretaryElectionLapsed) -> State:
    return state  # recorded, so the council sees why its choice did not take office


DECIDERS = {ProposeSecretary: propose_secretary}
APPLIERS = {
    SecretaryProposed: secretary_proposed,
    SecretaryElected: secretary_elected,
    SecretaryElectionLapsed: secretary_election_lapsed,
}
