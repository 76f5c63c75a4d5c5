"""The state the events build: frozen values in persistent maps.

``immutables.Map`` (a hash array mapped trie) shares structure between versions, so
applying an event costs a few new nodes, not a copy of a 100 000-member federation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from immutables import Map

from frombelow.federation.charter import Charter
from frombelow.federation.errors import NotFound

CouncilKind = Literal["base", "delegate"]


@dataclass(frozen=True)
class Federation:
    id: str
    name: str
    charter: Charter
    congress: str  # the council at the top of the tree
    founded_at: datetime


@dataclass(frozen=True)
class Council:
    id: str
    federation: str
    name: str
    kind: CouncilKind
    parent: str | None  # the delegate council it sends delegates to; None for the congress


@dataclass(frozen=True)
class Member:
    id: str
    federation: str
    council: str  # the base council the member belongs to


@dataclass(frozen=True)
class Invitation:
    digest: str  # sha256 of the code: the code itself is a secret and never recorded
    council: str
    issued_by: str
    expires_at: datetime
    used: bool = False


@dataclass(frozen=True)
class Faction:
    """A party or tendency across one federation (see ``factions.py``)."""

    id: str
    federation: str
    name: str
    platform: str
    founded_by: str
    founded_at: datetime
    members: frozenset[str] = frozenset()  # as joined; counted only while still in the federation
    supporters: frozenset[str] = frozenset()  # members supporting its dissolution
    dissolved_at: datetime | None = None


@dataclass(frozen=True)
class State:
    federations: Map = field(default_factory=Map)  # id -> Federation
    councils: Map = field(default_factory=Map)  # id -> Council
    members: Map = field(default_factory=Map)  # id -> Member
    invitations: Map = field(default_factory=Map)  # digest -> Invitation
    factions: Map = field(default_factory=Map)  # id -> Faction (dissolved ones kept, their ids never reused)
    apportionments: Map = field(default_factory=Map)  # delegate council id -> its latest SeatsApportioned
    events: int = 0  # how many events built this state

    def council(self, council_id: str) -> Council:
        try:
            return self.councils[council_id]
        except KeyError:
            raise NotFound(f"there is no council {council_id!r}") from None

    def member(self, member_id: str) -> Member:
        try:
            return self.members[member_id]
        except KeyError:
            raise NotFound(f"{member_id!r} is not a member of any federation here") from None

    def children(self, council_id: str) -> list[Council]:
        return [c for c in self.councils.values() if c.parent == council_id]

    def ancestors(self, council_id: str) -> list[str]:
        """The councils above this one, nearest first."""
        out = []
        parent = self.council(council_id).parent
        while parent is not None:
            out.append(parent)
            parent = self.council(parent).parent
        return out
