"""The state the events build: frozen values in persistent maps.

``immutables.Map`` (a hash array mapped trie) shares structure between versions, so
applying an event costs a few new nodes, not a copy of a 100 000-member federation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from immutables import Map

from frombelow.federation.charter import Charter
from frombelow.federation.errors import NotAllowed, NotFound, look_up

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
    members: Map = field(default_factory=Map)  # member id -> True, while a member of it and of the federation
    supporters: Map = field(default_factory=Map)  # member id -> True: members supporting its dissolution
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
class Secretary:
    """The member a base council elected as its secretary (see ``secretaries.py``)."""

    council: str
    member: str
    motion: str  # the council's motion that elected them
    elected_at: datetime


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
    recalls: Map = field(default_factory=Map)
    recall_petitions: Map = field(default_factory=Map)
    mandates_in_force: Map = field(default_factory=Map)
    objection_motions: Map = field(default_factory=Map)
    factions_of: Map = field(default_factory=Map)
    faction_names: Map = field(default_factory=Map)
    pending_amendments: Map = field(default_factory=Map)
    elections_by_term: Map = field(default_factory=Map)
    under_proposal: Map = field(default_factory=Map)
    secretaries: Map = field(default_factory=Map)  # kept in step with the rolls by ``enrol`` and ``strike_off``
    secretary_nominations: Map = field(default_factory=Map)
    # Indexes kept in step with ``members`` and ``delegates`` (through the methods below), so
    # that a council's roll or bench is read without scanning a 100 000-member federation.
    rolls: Map = field(default_factory=Map)  # base council id -> Map(member id -> True)
    benches: Map = field(default_factory=Map)  # delegate council id -> Map(member id -> Delegate)
    held: Map = field(default_factory=Map)  # member id -> Map(council id -> True): the seats they hold
    below: Map = field(default_factory=Map)  # council id -> Map(child id -> True): the open councils under it
    departed: Map = field(default_factory=Map)  # member id -> the federation they left (ids are never reused)
    events: int = 0  # how many events built this state
    clock: datetime | None = None  # the latest time an event was recorded at: no command may be dated before it

    def council(self, council_id: str) -> Council:
        return look_up(self.councils, council_id, "council")

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

    # --- changing councils, members and seats (the only way appliers do, to keep the indexes true) ---

    def updated(self, **changes: object) -> State:
        """This state with ``changes``: ``dataclasses.replace`` without re-running ``__init__``
        over every field, since applying each event does it (the core's hottest call)."""
        unknown = changes.keys() - _FIELDS
        if unknown:
            raise TypeError(f"State has no field {min(unknown)!r}")
        new = object.__new__(State)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def with_councils(self, *councils: Council) -> State:
        """``councils`` added, or replaced (e.g. closed): a closed council is no longer below its parent."""
        table, below = self.councils.mutate(), self.below.mutate()
        for council in councils:
            old = table.get(council.id)
            if old is not None and old.parent is not None and council.id in below.get(old.parent, Map()):
                below[old.parent] = below[old.parent].delete(council.id)
            table[council.id] = council
            if council.parent is not None and council.closed_at is None:
                below[council.parent] = below.get(council.parent, Map()).set(council.id, True)
        return self.updated(councils=table.finish(), below=below.finish())

    def enrol(self, *members: Member) -> State:
        """``members`` added, or moved to the base council they now carry."""
        people, rolls, secretaries = self.members.mutate(), self.rolls.mutate(), self.secretaries
        for member in members:
            old = people.get(member.id)
            if old is not None:
                rolls[old.council] = rolls[old.council].delete(member.id)
                if old.council != member.council:
                    secretaries = _without_secretary(secretaries, old)
            people[member.id] = member
            rolls[member.council] = rolls.get(member.council, Map()).set(member.id, True)
        return self.updated(members=people.finish(), rolls=rolls.finish(), secretaries=secretaries)

    def strike_off(self, member_id: str) -> State:
        member = self.members[member_id]
        return self.updated(
            members=self.members.delete(member_id),
            rolls=self.rolls.set(member.council, self.rolls[member.council].delete(member_id)),
            departed=self.departed.set(member_id, member.federation),
            secretaries=_without_secretary(self.secretaries, member),
        )

    def seat(self, delegate: Delegate) -> State:
        council, member = delegate.council, delegate.member
        return self.updated(
            delegates=self.delegates.set((council, member), delegate),
            benches=self.benches.set(council, self.benches.get(council, Map()).set(member, delegate)),
            held=self.held.set(member, self.held.get(member, Map()).set(council, True)),
        )

    def unseat(self, council: str, member: str) -> State:
        return self.updated(
            delegates=self.delegates.delete((council, member)),
            benches=self.benches.set(council, self.benches[council].delete(member)),
            held=self.held.set(member, self.held[member].delete(council)),
        )

    # --- reading ------------------------------------------------------------------------

    def roll(self, council_id: str) -> list[str]:
        """The members of a base council, sorted."""
        return sorted(self.rolls.get(council_id, Map()).keys())

    def seats_held(self, member_id: str) -> list[Delegate]:
        """The seats ``member_id`` holds, by council."""
        return [self.delegates[(c, member_id)] for c in sorted(self.held.get(member_id, Map()).keys())]

    def children(self, council_id: str) -> list[Council]:
        """The councils directly below ``council_id`` that still meet, by id."""
        return [self.councils[c] for c in sorted(self.below.get(council_id, Map()).keys())]

    def seated(self, council_id: str) -> list[Delegate]:
        """The delegates now holding seats in ``council_id``, by member."""
        bench = self.benches.get(council_id, Map())
        return [bench[m] for m in sorted(bench.keys())]

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
        """Every member in ``council_id``'s subtree: the people it stands for (by council, then id)."""
        return [self.members[m] for base in self.base_councils_under(council_id) for m in self.roll(base)]

    def everyone_under(self, council_id: str) -> Iterator[Member]:
        """``members_under`` in no particular order: for an electorate, without sorting a large roll."""
        for base in self.base_councils_under(council_id):
            for member in self.rolls.get(base, Map()):
                yield self.members[member]

    def count_under(self, council_id: str) -> int:
        """How many members ``council_id``'s subtree holds."""
        return sum(len(self.rolls.get(base, Map())) for base in self.base_councils_under(council_id))

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


def _without_secretary(secretaries: Map, member: Member) -> Map:
    """``secretaries`` without ``member`` as secretary of the council they are leaving: the role goes with
    membership (moving away, by invitation or when the council splits or merges, or leaving the federation)."""
    secretary = secretaries.get(member.council)
    return (
        secretaries.delete(member.council) if secretary is not None and secretary.member == member.id else secretaries
    )


_FIELDS = frozenset(f.name for f in dataclasses.fields(State))
