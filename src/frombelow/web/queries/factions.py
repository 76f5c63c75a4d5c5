"""Factions: their platforms, members (membership of a faction is a public political affiliation), slates, dissents."""

from __future__ import annotations

from dataclasses import dataclass

from frombelow.federation.errors import NotFound
from frombelow.web.models import ElectionRow, FactionMemberRow, FactionRow, MotionRow, RecordRow
from frombelow.web.queries import people


def factions() -> list[FactionRow]:
    """Live factions first, then dissolved ones (they stay in the record), by name."""
    return list(FactionRow.objects.order_by("dissolved", "name"))


@dataclass(frozen=True)
class Slate:
    election: str
    candidates: tuple[str, ...]  # names, in the order the slate's seats go to them


@dataclass(frozen=True)
class Dissent:
    decision: str
    title: str
    text: str
    recorded_at: str


@dataclass(frozen=True)
class Faction:
    row: FactionRow
    founded_by: str
    members: list[tuple[str, str]]  # (member id, name), by name
    slates: list[Slate]
    dissents: list[Dissent]


def summary(faction_id: str) -> FactionRow:
    row = FactionRow.objects.filter(id=faction_id).first()
    if row is None:
        raise NotFound(f"there is no faction {faction_id!r}")
    return row


def faction(faction_id: str) -> Faction:
    row = summary(faction_id)
    ids = list(FactionMemberRow.objects.filter(faction=row.id).values_list("member", flat=True))
    slates = [
        (e.id, e.data["slates"][row.id]["candidates"])
        for e in ElectionRow.objects.filter(data__slates__has_key=row.id).order_by("-term", "id")
    ]
    called = people.names([*ids, row.data["founded_by"], *(c for _, cs in slates for c in cs)])
    return Faction(
        row=row,
        founded_by=called[row.data["founded_by"]],
        members=sorted(((m, called[m]) for m in ids), key=lambda pair: (pair[1], pair[0])),
        slates=[Slate(election, tuple(called[c] for c in candidates)) for election, candidates in slates],
        dissents=dissents(row.id),
    )


def dissents(faction_id: str) -> list[Dissent]:
    """The statements the faction recorded against decisions, oldest first."""
    found = [
        d
        for statements in RecordRow.objects.filter(kind="dissents").values_list("data", flat=True)
        for d in statements
        if d["faction"] == faction_id
    ]
    titles = dict(MotionRow.objects.filter(id__in=[d["decision"] for d in found]).values_list("id", "title"))
    return sorted(
        (Dissent(d["decision"], titles.get(d["decision"], d["decision"]), d["text"], d["recorded_at"]) for d in found),
        key=lambda d: (d.recorded_at, d.decision),
    )


def belongs(member: str, faction_id: str) -> bool:
    return FactionMemberRow.objects.filter(faction=faction_id, member=member).exists()
