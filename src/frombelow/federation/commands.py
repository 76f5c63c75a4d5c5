"""What someone asks for. ``decide`` turns a command into events, or refuses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frombelow.federation.charter import Charter
from frombelow.federation.events import CouncilPlan


@dataclass(frozen=True)
class Command:
    actor: str  # who asks: a member id (or, when founding, the founder's new id)
    at: datetime


@dataclass(frozen=True)
class FoundFederation(Command):
    federation: str
    name: str
    charter: Charter
    councils: tuple[CouncilPlan, ...]
    founders: tuple[tuple[str, str], ...]  # (member id, base council id); the actor among them


@dataclass(frozen=True)
class IssueInvitation(Command):
    council: str
    code: str  # the secret the invitee will present; only its digest is recorded


@dataclass(frozen=True)
class Join(Command):
    code: str  # the actor is the new member's id


@dataclass(frozen=True)
class Move(Command):
    code: str  # an invitation to the base council the member moves to


@dataclass(frozen=True)
class Leave(Command):
    pass
