"""Elections as pages show them: stage, candidates, who may nominate and vote, the count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frombelow.web import clock
from frombelow.web.models import CouncilRow, ElectionRow, FactionRow, MemberRow, PollRow, SeatRow
from frombelow.web.queries import people, polls


@dataclass(frozen=True)
class Nomination:
    member: str
    name: str
    nominated_by: str  # as shown
    faction: str  # as shown, or ""
    accepted: bool


@dataclass(frozen=True)
class ElectionView:
    row: ElectionRow
    council: str  # the council whose seats it fills, as shown
    constituent: str  # the council that elects, as shown
    seats: int
    method: str
    by_slates: bool
    nominations_close_at: str
    nominations_closed: bool
    nominations: list[Nomination]
    slates: list[tuple[str, list[str]]]  # (faction, candidates as shown)
    elected: list[str]  # as shown
    poll: polls.PollView | None
    sits: bool  # the member looking sits in the electing council (may nominate, open the vote)
    my_nomination: Nomination | None
    electable: list[tuple[str, str]]  # (member, name): who may be nominated


def council_names(ids: set[str]) -> dict[str, str]:
    known = dict(CouncilRow.objects.filter(id__in=ids).values_list("id", "name"))
    return {i: known.get(i, i) for i in ids}


def listing(council: str | None = None) -> tuple[list[dict], list[dict]]:
    """(open, recent): elections not yet decided, and the last decided ones, optionally of one council
    (filling its seats, or electing from it)."""
    rows = ElectionRow.objects.all()
    if council:
        rows = rows.filter(council=council) | rows.filter(constituent=council)
    rows = list(rows)
    names = council_names({r.council for r in rows} | {r.constituent for r in rows})
    counted = dict(PollRow.objects.filter(id__in=[r.poll for r in rows if r.poll]).values_list("id", "closes_at"))

    def item(row: ElectionRow) -> dict:
        return {
            "id": row.id,
            "council": row.council,
            "constituent": row.constituent,
            "council_name": names[row.council],
            "constituent_name": names[row.constituent],
            "term": row.term,
            "stage": row.stage,
            "method": row.data["method"],
            "by_election": row.data["by_election"],
            "when": counted[row.poll].isoformat() if row.poll in counted else row.data["called_at"],
        }

    undecided = sorted((item(r) for r in rows if r.stage != "decided"), key=lambda e: e["id"])
    decided = sorted((item(r) for r in rows if r.stage == "decided"), key=lambda e: str(e["when"]), reverse=True)
    return undecided, decided[:30]


def find(election_id: str) -> ElectionRow | None:
    row = ElectionRow.objects.filter(id=election_id).first()
    if row is not None and row.poll:
        polls.find(row.poll)  # counts it if its time is up
        row = ElectionRow.objects.filter(id=election_id).first()
    return row


def sits_in(council: str, member: str) -> bool:
    """Whether the member sits in the council: a member of a base council, a delegate of a delegate council."""
    kind = CouncilRow.objects.filter(id=council).values_list("kind", flat=True).first()
    if kind == "base":
        return MemberRow.objects.filter(id=member, council=council).exists()
    return SeatRow.objects.filter(council=council, member=member).exists()


def sitting(council: str) -> list[str]:
    kind = CouncilRow.objects.filter(id=council).values_list("kind", flat=True).first()
    if kind == "base":
        return list(MemberRow.objects.filter(council=council).values_list("id", flat=True))
    return list(SeatRow.objects.filter(council=council).values_list("member", flat=True))


def view(row: ElectionRow, member: str | None) -> ElectionView:
    data = row.data
    nominated = data["nominations"]
    factions = dict(FactionRow.objects.values_list("id", "name"))
    eligible = sitting(row.constituent) if row.stage == "nominations" else []
    named = people.names({*nominated, *(n["nominated_by"] for n in nominated.values()), *data["elected"], *eligible})
    nominations = [
        Nomination(m, named[m], named[n["nominated_by"]], factions.get(n["faction"] or "", ""), n["accepted"])
        for m, n in sorted(nominated.items(), key=lambda kv: named[kv[0]])
    ]
    slates = [
        (factions.get(f, f), [named.get(c, c) for c in s["candidates"]]) for f, s in sorted(data["slates"].items())
    ]
    poll_row = PollRow.objects.filter(id=row.poll).first() if row.poll else None
    poll = polls.view(poll_row, member, labels=factions) if poll_row is not None else None
    names = council_names({row.council, row.constituent})
    closes = data["nominations_close_at"]
    electable = sorted(((m, named[m]) for m in eligible if m not in nominated), key=lambda mn: mn[1])
    return ElectionView(
        row=row,
        council=names[row.council],
        constituent=names[row.constituent],
        seats=data["seats"],
        method=data["method"],
        by_slates=polls.ballot_kind(data["method"]) == "list",
        nominations_close_at=closes,
        nominations_closed=datetime.fromisoformat(closes) <= clock.now(),
        nominations=nominations,
        slates=slates,
        elected=[named[m] for m in data["elected"]],
        poll=poll,
        sits=member is not None and sits_in(row.constituent, member),
        my_nomination=next((n for n in nominations if n.member == member), None),
        electable=electable,
    )
