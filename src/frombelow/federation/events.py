"""What happened, as plain data: every event says who acted, when, and what.

Events are the record: the ledger appends them and anyone can replay them. They carry
enough to be checked later and nothing secret (an invitation code appears only as its
SHA-256 digest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from frombelow.federation.charter import Charter
from frombelow.federation.codec import from_data, to_data

# The actor of what a count decides (a seat filled, a motion carried): no member's id.
THE_COUNT = "the count"

REGISTRY: dict[str, type[Event]] = {}


@dataclass(frozen=True)
class Event:
    actor: str  # a member id, or "the count" for what a count decides
    at: datetime
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        REGISTRY[cls.kind] = cls


def to_json(event: Event) -> dict[str, Any]:
    return {"kind": event.kind, **to_data(event)}


def from_json(data: dict[str, Any]) -> Event:
    fields = dict(data)
    cls = REGISTRY[fields.pop("kind")]
    return from_data(cls, fields)


@dataclass(frozen=True)
class CouncilPlan:
    """A council of the founding tree."""

    id: str
    name: str
    parent: str | None  # None for the congress


@dataclass(frozen=True)
class FederationFounded(Event):
    kind: ClassVar[str] = "federation founded"
    federation: str
    name: str
    charter: Charter
    councils: tuple[CouncilPlan, ...]  # the congress first; base councils are the leaves
    founders: tuple[tuple[str, str], ...]  # (member id, base council id)


@dataclass(frozen=True)
class InvitationIssued(Event):
    kind: ClassVar[str] = "invitation issued"
    council: str
    digest: str
    expires_at: datetime


@dataclass(frozen=True)
class MemberJoined(Event):
    kind: ClassVar[str] = "member joined"
    member: str
    council: str
    invitation: str  # the digest of the invitation used


@dataclass(frozen=True)
class MemberMoved(Event):
    kind: ClassVar[str] = "member moved"
    member: str
    from_council: str
    to_council: str
    invitation: str


@dataclass(frozen=True)
class MemberLeft(Event):
    kind: ClassVar[str] = "member left"
    member: str
    council: str
