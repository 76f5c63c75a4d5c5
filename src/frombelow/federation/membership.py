"""Founding a federation, and members joining, moving and leaving by invitation.

A base council admits its own members: only a member of that council may invite (only its
elected secretary, if the charter says so and it has one: ``secretaries.py``), an
invitation is single-use and expires, and no higher council can add or remove anyone.

A member's id is theirs alone, for good: no one may take the id of a member who left
(their signatures, service and votes stay theirs), nor "the count", the actor of what a
count decides, which may do what no member may (invariant 1).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime, timedelta

from immutables import Map

from frombelow.federation import elections, factions, secretaries
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound
from frombelow.federation.events import (
    THE_COUNT,
    Event,
    FederationFounded,
    InvitationIssued,
    MemberJoined,
    MemberLeft,
    MemberMoved,
)
from frombelow.federation.state import Council, Federation, Invitation, Member, State

MIN_CODE_LENGTH = 16  # an invitation code must be hard to guess


def digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


# --- deciding ------------------------------------------------------------------------------


def _check_new_id(state: State, member_id: str) -> None:
    """Refuse an id no new member may take: the count's, or a departed member's."""
    if member_id == THE_COUNT:
        raise InvalidCommand(f"{THE_COUNT!r} is the name of what a count decides, not of a member; choose another id")
    if member_id in state.departed:
        raise InvalidCommand("that id belonged to a member who left; choose another")


def found(state: State, command: FoundFederation) -> list[FederationFounded]:
    require_aware(command.at)
    if not command.name.strip():
        raise InvalidCommand("a federation needs a name")
    if command.federation in state.federations:
        raise InvalidCommand(f"a federation {command.federation!r} already exists")
    plans = command.councils
    if not plans or plans[0].parent is not None:
        raise InvalidCommand("the founding tree starts with the congress, which has no council above it")
    ids = [p.id for p in plans]
    if len(set(ids)) != len(ids) or any(i in state.councils for i in ids):
        raise InvalidCommand("every council needs its own id")
    known: set[str] = set()
    for plan in plans:
        if not plan.name.strip():
            raise InvalidCommand(f"council {plan.id!r} needs a name")
        if plan.parent is not None and plan.parent not in known:
            raise InvalidCommand(f"council {plan.name!r} must come after the council it sends delegates to")
        known.add(plan.id)
    if any(p.parent is None for p in plans[1:]):
        raise InvalidCommand("a federation has one congress")
    parents = {p.parent for p in plans}
    bases = {p.id for p in plans if p.id not in parents}
    founders = dict(command.founders)
    if command.actor not in founders:
        raise InvalidCommand("the founder must be among the founding members")
    if len(founders) != len(command.founders):
        raise InvalidCommand("each founding member belongs to one base council")
    for member, council in founders.items():
        if council not in bases:
            raise InvalidCommand(f"founding member {member!r} must join a base council, not {council!r}")
        if member in state.members:
            raise InvalidCommand(f"{member!r} is already a member")
        _check_new_id(state, member)
    return [
        FederationFounded(
            command.actor,
            command.at,
            command.federation,
            command.name.strip(),
            command.charter,
            plans,
            command.founders,
        )
    ]


def issue_invitation(state: State, command: IssueInvitation) -> list[InvitationIssued]:
    require_aware(command.at)
    council = state.open_council(command.council)
    member = state.member(command.actor)
    if council.kind != "base":
        raise NotAllowed(f"{council.name} is a delegate council: members join base councils")
    if member.council != council.id:
        raise NotAllowed(f"only members of {council.name} may invite people to join it")
    secretaries.require_inviter(state, council, member.id)
    if len(command.code) < MIN_CODE_LENGTH:
        raise InvalidCommand(f"an invitation code needs at least {MIN_CODE_LENGTH} characters")
    code = digest(command.code)
    if code in state.invitations:
        raise InvalidCommand("that invitation code was used before; make a new one")
    days = state.federations[council.federation].charter.invitation_days
    return [InvitationIssued(command.actor, command.at, council.id, code, command.at + timedelta(days=days))]


def _valid_invitation(state: State, code: str, at: datetime) -> Invitation:
    try:
        invitation = state.invitations[digest(code)]
    except KeyError:
        raise NotFound("that invitation code is not known") from None
    if invitation.used:
        raise NotAllowed("that invitation has been used already")
    if at >= invitation.expires_at:
        raise NotAllowed("that invitation has expired; ask for a new one")
    state.open_council(invitation.council)
    return invitation


def join(state: State, command: Join) -> list[MemberJoined]:
    require_aware(command.at)
    if not command.actor.strip():
        raise InvalidCommand("a member needs an id")
    invitation = _valid_invitation(state, command.code, command.at)
    if command.actor in state.members:
        raise NotAllowed("you are a member already: to change council, move")
    _check_new_id(state, command.actor)
    return [MemberJoined(command.actor, command.at, command.actor, invitation.council, invitation.digest)]


def move(state: State, command: Move) -> list[Event]:
    """The member moves; a seat they hold for a council they no longer stand under is vacated, as on leaving."""
    require_aware(command.at)
    member = state.member(command.actor)
    invitation = _valid_invitation(state, command.code, command.at)
    target = state.council(invitation.council)
    if target.federation != member.federation:
        raise NotAllowed("an invitation moves a member within their own federation")
    if target.id == member.council:
        raise InvalidCommand(f"you are a member of {target.name} already")
    moved = MemberMoved(command.actor, command.at, member.id, member.council, target.id, invitation.digest)
    return [moved, *elections.moved_out(state, member.id, target.id, command.at)]


def leave(state: State, command: Leave) -> list[Event]:
    """The member leaves; every seat they hold as a delegate is vacated, with its by-election, and they leave
    every faction they belong to."""
    require_aware(command.at)
    member = state.member(command.actor)
    vacated = [
        e
        for d in state.seats_held(member.id)
        for e in elections.vacate(state, d, command.at, command.actor, "left the federation")
    ]
    left = factions.leaving(state, member.id, command.at)
    return [MemberLeft(command.actor, command.at, member.id, member.council), *vacated, *left]


# --- applying ------------------------------------------------------------------------------


def founded(state: State, event: FederationFounded) -> State:
    federation = Federation(event.federation, event.name, event.charter, event.councils[0].id, event.at)
    parents = {p.parent for p in event.councils}
    councils = [
        Council(p.id, event.federation, p.name, "delegate" if p.id in parents else "base", p.parent)
        for p in event.councils
    ]
    founded = state.with_councils(*councils).updated(federations=state.federations.set(event.federation, federation))
    return founded.enrol(*(Member(member, event.federation, council) for member, council in event.founders))


def invitation_issued(state: State, event: InvitationIssued) -> State:
    invitation = Invitation(event.digest, event.council, event.actor, event.expires_at)
    return state.updated(invitations=state.invitations.set(event.digest, invitation))


def _use(state: State, code: str) -> Map:
    return state.invitations.set(code, dataclasses.replace(state.invitations[code], used=True))


def member_joined(state: State, event: MemberJoined) -> State:
    federation = state.councils[event.council].federation
    joined = state.enrol(Member(event.member, federation, event.council))
    return joined.updated(invitations=_use(state, event.invitation))


def member_moved(state: State, event: MemberMoved) -> State:
    moved = state.enrol(dataclasses.replace(state.members[event.member], council=event.to_council))
    return moved.updated(invitations=_use(state, event.invitation))


def member_left(state: State, event: MemberLeft) -> State:
    return state.strike_off(event.member)


DECIDERS = {
    FoundFederation: found,
    IssueInvitation: issue_invitation,
    Join: join,
    Move: move,
    Leave: leave,
}
APPLIERS = {
    FederationFounded: founded,
    InvitationIssued: invitation_issued,
    MemberJoined: member_joined,
    MemberMoved: member_moved,
    MemberLeft: member_left,
}
