"""Petitions as pages show them: recall petitions and initiatives (they share one map of the record)."""

from __future__ import annotations

from dataclasses import dataclass

from frombelow.web.models import CouncilRow, MotionRow, PollRow, RecordRow, SeatRow
from frombelow.web.queries import elections, people

COLLECTING = "collecting signatures"


@dataclass(frozen=True)
class PetitionView:
    row: RecordRow
    kind: str  # "recall" or "initiative"
    council: str  # as shown: where the delegate sits, or whose agenda the initiative would reach
    constituent: str  # as shown: the council that elected the delegate ("" for an initiative)
    delegate: str  # as shown ("" for an initiative)
    title: str  # the initiative's motion title, or "" for a recall
    text: str  # the reason for a recall, the motion's text for an initiative
    started_by: str  # as shown
    signatures: int
    needed: int
    electorate: int
    status: str
    collecting: bool
    signed: bool  # by the member looking
    poll: PollRow | None  # the recall vote it called
    motion: MotionRow | None  # the motion the initiative placed


def find(petition_id: str) -> RecordRow | None:
    return RecordRow.objects.filter(kind="petitions", key=petition_id).first()


def kind_of(row: RecordRow) -> str:
    return "recall" if "delegate" in row.data else "initiative"


def view(row: RecordRow, member: str | None) -> PetitionView:
    data = row.data
    recall = kind_of(row) == "recall"
    councils = elections.council_names({data["council"], *([data["constituent"]] if recall else [])})
    named = people.names([data["started_by"], *([data["delegate"]] if recall else [])])
    return PetitionView(
        row=row,
        kind=kind_of(row),
        council=councils[data["council"]],
        constituent=councils[data["constituent"]] if recall else "",
        delegate=named[data["delegate"]] if recall else "",
        title="" if recall else data["motion_title"],
        text=data["reason"] if recall else data["text"],
        started_by=named[data["started_by"]],
        signatures=len(data["signatures"]),
        needed=data["needed"],
        electorate=data["electorate"],
        status=data["status"],
        collecting=data["status"] == COLLECTING,
        signed=member is not None and member in data["signatures"],
        poll=PollRow.objects.filter(id=data.get("poll") or "").first() if recall else None,
        motion=MotionRow.objects.filter(id=data.get("motion") or "").first() if not recall else None,
    )


def listing(council: str | None = None) -> list[dict]:
    rows = RecordRow.objects.filter(kind="petitions")
    if council:
        rows = rows.filter(council=council)
    rows = sorted(rows, key=lambda r: r.data["started_at"], reverse=True)
    councils = elections.council_names({r.data["council"] for r in rows})
    named = people.names(r.data["delegate"] for r in rows if kind_of(r) == "recall")
    return [
        {
            "id": r.key,
            "kind": kind_of(r),
            "what": named[r.data["delegate"]] if kind_of(r) == "recall" else r.data["motion_title"],
            "council": councils[r.data["council"]],
            "signatures": len(r.data["signatures"]),
            "needed": r.data["needed"],
            "status": r.data["status"],
        }
        for r in rows
    ]


def recall_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The delegate councils (id, name) and the delegates sitting in them (member, "name (council)"),
    for the form that starts a recall petition."""
    councils = list(CouncilRow.objects.filter(kind="delegate", closed=False).values_list("id", "name"))
    seats = list(SeatRow.objects.order_by("council", "member").values_list("council", "member"))
    named, council_names = people.names(m for _c, m in seats), dict(councils)
    return councils, [(m, f"{named[m]} ({council_names.get(c, c)})") for c, m in seats]
