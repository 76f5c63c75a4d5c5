"""The tree of councils and what one council has before it: delegates, agenda, elections, petitions, decisions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from frombelow.federation.errors import NotFound
from frombelow.web.models import (
    CouncilRow,
    DecisionRow,
    ElectionRow,
    FederationRow,
    MemberRow,
    MotionRow,
    RecordRow,
    SeatRow,
)
from frombelow.web.queries import people

AGENDA = ("on the agenda",)  # motions still before the council


@dataclass
class Node:
    """A council in the drawn tree: members it represents, and seats filled (a base council's: its members)."""

    id: str
    name: str
    kind: str
    represented: int
    filled: int
    children: list[Node] = field(default_factory=list)


def tree() -> Node | None:
    """The open councils from the congress down, each with its children in id order: one query for them all."""
    federation = people.federation()
    if federation is None:
        return None
    rows = CouncilRow.objects.filter(federation=federation.id, closed=False).values_list(
        "id", "name", "kind", "represented", "members", "parent"
    )
    nodes, parents = {}, {}
    for council_id, name, kind, represented, filled, parent in rows:
        nodes[council_id] = Node(council_id, name, kind, represented, filled)
        parents[council_id] = parent
    for council_id in sorted(nodes):  # Python's order, not the database's collation: the same on SQLite and PostgreSQL
        if parents[council_id] in nodes:
            nodes[parents[council_id]].children.append(nodes[council_id])
    return nodes.get(federation.congress)


def all_councils() -> list[CouncilRow]:
    return list(CouncilRow.objects.all())


@dataclass(frozen=True)
class Delegate:
    member: str
    name: str
    constituent: str
    constituent_name: str
    term: int
    since: datetime


@dataclass(frozen=True)
class Dissent:
    faction: str
    faction_name: str
    text: str
    recorded_at: str


@dataclass(frozen=True)
class Decision:
    motion: str
    title: str
    status: str
    carried_at: datetime
    takes_effect_at: datetime
    dissents: tuple[Dissent, ...]


@dataclass(frozen=True)
class Election:
    id: str
    council_name: str  # whose seats it fills
    constituent_name: str  # who elects
    term: int
    by_election: bool
    stage: str


@dataclass(frozen=True)
class Petition:
    id: str
    kind: str  # "initiative" (a motion for the agenda) or "recall" (of a delegate)
    subject: str  # the motion's title, or the delegate's name
    status: str
    signatures: int
    needed: int


@dataclass(frozen=True)
class Secretary:
    member: str
    name: str
    motion: str  # the council's motion that elected them
    elected_at: datetime


@dataclass(frozen=True)
class Council:
    row: CouncilRow
    parent: CouncilRow | None
    children: list[CouncilRow]
    delegates: list[Delegate]  # the seats in it (a delegate council)
    agenda: list[MotionRow]
    elections: list[Election]  # the elections filling its seats, and those it holds for the council above
    petitions: list[Petition]
    decisions: list[Decision]
    seats: Seats | None  # how its seats are shared among its constituents (a delegate council)
    secretary: Secretary | None  # a base council's, once it has elected one
    invitations_by: str  # the charter's choice: "members" or "secretary"

    def may_invite(self, member: str | None, council: str | None) -> bool:
        """Whether a member (of base council ``council``) may invite people to this one, as the charter says:
        any of its members, or only its secretary while it has one (``federation.secretaries``)."""
        if member is None or council != self.row.id:
            return False
        return self.invitations_by == "members" or self.secretary is None or self.secretary.member == member


@dataclass(frozen=True)
class Share:
    id: str  # the constituent council
    council: str  # its name
    represented: int  # members in its subtree
    weight: str  # votes per member, by the charter
    seats: int
    vacant: int  # of its seats, how many no delegate holds and no election is filling


@dataclass(frozen=True)
class Seats:
    """The latest apportionment of a delegate council's seats, as the record has it."""

    method: str
    shares: list[Share]
    gallagher: str  # distance from proportionality, in percentage points
    loosemore_hanby: str
    chart: dict  # a half circle of seats, for charts.js


def council(council_id: str) -> Council:
    row = CouncilRow.objects.filter(id=council_id).first()
    if row is None:
        raise NotFound(f"there is no council {council_id!r}")
    return Council(
        row=row,
        parent=CouncilRow.objects.filter(id=row.parent).first() if row.parent else None,
        children=list(CouncilRow.objects.filter(parent=row.id, closed=False)),
        delegates=delegates(row.id),
        agenda=list(MotionRow.objects.filter(council=row.id, status__in=AGENDA).order_by("proposed_at", "id")),
        elections=elections(row.id),
        petitions=petitions(row.id),
        decisions=decisions(row.id),
        seats=seats(row.id),
        secretary=secretary(row.id),
        invitations_by=_charter(row.federation).get("invitations_by", "members"),
    )


def _charter(federation: str) -> dict:
    return FederationRow.objects.filter(id=federation).values_list("data", flat=True).first()["charter"]


def secretary(council_id: str) -> Secretary | None:
    held = RecordRow.objects.filter(kind="secretaries", key=council_id).values_list("data", flat=True).first()
    if held is None:
        return None
    name = people.names([held["member"]])[held["member"]]
    return Secretary(held["member"], name, held["motion"], datetime.fromisoformat(held["elected_at"]))


def roll(council_id: str) -> list[tuple[str, str]]:
    """A base council's members, (id, name), by name: whom its members may nominate as secretary."""
    members = MemberRow.objects.filter(council=council_id).values_list("id", flat=True)
    return sorted(people.names(members).items(), key=lambda pair: (pair[1], pair[0]))


def _current_term(council_id: str) -> int | None:
    federation = CouncilRow.objects.filter(id=council_id).values_list("federation", flat=True).first()
    term = RecordRow.objects.filter(kind="terms", key=federation).values_list("data", flat=True).first()
    return term["number"] if term else None


def seats(council_id: str) -> Seats | None:
    shared = RecordRow.objects.filter(kind="apportionments", key=council_id).values_list("data", flat=True).first()
    if shared is None:
        return None
    named = people.council_names(c for c, _ in shared["seats"])
    represented, weights = dict(shared["represented"]), dict(shared["weights"])
    taken = Counter(SeatRow.objects.filter(council=council_id).values_list("constituent", flat=True))
    filling = ElectionRow.objects.filter(council=council_id, term=_current_term(council_id)).exclude(stage="decided")
    for election in filling:
        taken[election.constituent] += election.data["seats"]
    shares = [
        Share(c, named[c], represented.get(c, 0), weights.get(c, "1"), n, max(0, n - taken[c]))
        for c, n in shared["seats"]
    ]
    return Seats(
        shared["method"],
        shares,
        shared["gallagher"],
        shared["loosemore_hanby"],
        {"type": "hemicycle", "seats": [{"name": s.council, "value": s.seats} for s in shares if s.seats]},
    )


def delegates(council_id: str) -> list[Delegate]:
    seats = list(SeatRow.objects.filter(council=council_id).order_by("constituent", "since", "member"))
    called = people.names(s.member for s in seats)
    councils = people.council_names(s.constituent for s in seats)
    return [
        Delegate(s.member, called[s.member], s.constituent, councils[s.constituent], s.term, s.since) for s in seats
    ]


def elections(council_id: str) -> list[Election]:
    rows = list(ElectionRow.objects.filter(Q(council=council_id) | Q(constituent=council_id)).order_by("-term", "id"))
    called = people.council_names(c for row in rows for c in (row.council, row.constituent))
    return [
        Election(
            row.id, called[row.council], called[row.constituent], row.term, bool(row.data.get("by_election")), row.stage
        )
        for row in rows
    ]


def petitions(council_id: str) -> list[Petition]:
    """Initiatives for the council's agenda and petitions to recall its delegates, those gathering signatures first."""
    rows = list(RecordRow.objects.filter(kind="petitions", council=council_id))
    called = people.names(row.data["delegate"] for row in rows if "delegate" in row.data)
    shown = [
        Petition(
            row.key,
            "recall" if "delegate" in row.data else "initiative",
            called[row.data["delegate"]] if "delegate" in row.data else row.data.get("motion_title", row.key),
            row.status,
            len(row.data.get("signatures", ())),
            int(row.data.get("needed", 0)),
        )
        for row in rows
    ]
    return sorted(shown, key=lambda p: (p.status != "collecting signatures", p.id))


def decisions(council_id: str) -> list[Decision]:
    """The council's decisions, newest first, each with the dissent statements attached to it."""
    rows = list(DecisionRow.objects.filter(council=council_id).order_by("-carried_at", "motion"))
    motions = [row.motion for row in rows]
    titles = dict(MotionRow.objects.filter(id__in=motions).values_list("id", "title"))
    dissents = dict(RecordRow.objects.filter(kind="dissents", key__in=motions).values_list("key", "data"))
    return [
        Decision(
            row.motion,
            titles.get(row.motion, row.motion),
            row.status,
            row.carried_at,
            row.takes_effect_at,
            tuple(
                Dissent(d["faction"], d["faction_name"], d["text"], d["recorded_at"])
                for d in dissents.get(row.motion, ())
            ),
        )
        for row in rows
    ]
