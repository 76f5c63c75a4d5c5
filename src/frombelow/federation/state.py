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
from frombelow.federation.errors import NotAllowed, NotFound

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
    # A base council its members voted to split or merge (``councils.py``) closes: it stays
    # in the record (its id is never reused) but takes no new business and leaves the tree.
    closed_at: datetime | None = None
    successors: tuple[str, ...] = ()  # the councils its members went to


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
class Delegate:
    """A member holding a seat in a delegate council, sent by one of its constituents."""

    member: str
    council: str  # the delegate council the seat is in
    constituent: str  # the council below that elected them, and alone may recall them
    term: int
    election: str  # the election that seated them
    since: datetime


@dataclass(frozen=True)
class State:
    federations: Map = field(default_factory=Map)  # id -> Federation
    councils: Map = field(default_factory=Map)  # id -> Council
    members: Map = field(default_factory=Map)  # id -> Member
    invitations: Map = field(default_factory=Map)  # digest -> Invitation
    factions: Map = field(default_factory=Map)  # id -> Faction (dissolved ones kept, their ids never reused)
    apportionments: Map = field(default_factory=Map)  # delegate council id -> its latest SeatsApportioned
    delegates: Map = field(default_factory=Map)  # (council, member) -> Delegate, while seated
    polls: Map = field(default_factory=Map)  # id -> voting.Poll (ids never reused)
    motions: Map = field(default_factory=Map)  # id -> motions.Motion
    decisions: Map = field(default_factory=Map)  # motion id -> motions.Decision, once carried
    # Maps owned by the later capabilities, each documented in its module.
    terms: Map = field(default_factory=Map)
    elections: Map = field(default_factory=Map)
    service: Map = field(default_factory=Map)
    mandates: Map = field(default_factory=Map)
    petitions: Map = field(default_factory=Map)
    dissents: Map = field(default_factory=Map)
    objections: Map = field(default_factory=Map)
    amendments: Map = field(default_factory=Map)
    proposals: Map = field(default_factory=Map)
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

    def open_council(self, council_id: str) -> Council:
        """The council, if it still meets: a closed council takes no new members, motions or votes."""
        council = self.council(council_id)
        if council.closed_at is not None:
            successors = ", ".join(self.councils[s].name for s in council.successors)
            raise NotAllowed(f"{council.name} has closed: its members voted to go on as {successors}")
        return council

    def children(self, council_id: str) -> list[Council]:
        """The councils directly below ``council_id`` that still meet."""
        return [c for c in self.councils.values() if c.parent == council_id and c.closed_at is None]

    def seated(self, council_id: str) -> list[Delegate]:
        """The delegates now holding seats in ``council_id``."""
        return [d for d in self.delegates.values() if d.council == council_id]

    def base_councils_under(self, council_id: str) -> list[str]:
        """The base councils of ``council_id``'s subtree (itself, if it is one)."""
        below = [council_id]
        bases = []
        while below:
            council = self.councils[below.pop()]
            if council.kind == "base":
                bases.append(council.id)
            else:
                below.extend(c.id for c in self.children(council.id))
        return sorted(bases)

    def members_under(self, council_id: str) -> list[Member]:
        """Every member in ``council_id``'s subtree: the people it stands for."""
        bases = set(self.base_councils_under(council_id))
        return [m for m in self.members.values() if m.council in bases]

    def is_under(self, council_id: str, above: str) -> bool:
        """Whether ``council_id`` is ``above`` or lies in its subtree."""
        return council_id == above or above in self.ancestors(council_id)

    def ancestors(self, council_id: str) -> list[str]:
        """The councils above this one, nearest first."""
        out = []
        parent = self.council(council_id).parent
        while parent is not None:
            out.append(parent)
            parent = self.council(parent).parent
        return out
