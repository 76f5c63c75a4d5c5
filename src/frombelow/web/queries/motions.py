"""Motions as pages show them: the text, amendments, the vote (secret or by roll call beside
mandates), the decision with its veto window, objections and dissent."""

from __future__ import annotations

from dataclasses import dataclass, field

from frombelow.federation.mandates import in_force
from frombelow.web import clock, recording
from frombelow.web.models import CouncilRow, DecisionRow, MemberRow, MotionRow, PollRow, RecordRow, SeatRow
from frombelow.web.queries import elections, people, polls

WAITING = "waiting for the veto window"


@dataclass(frozen=True)
class MyMandate:
    """The mandate the delegate looking carries into this vote, from the constituent that sent them."""

    constituent: str  # as shown
    position: str
    policy: str


@dataclass(frozen=True)
class MotionView:
    row: MotionRow
    council: str  # as shown
    council_kind: str
    proposer: str  # as shown
    amends: MotionRow | None
    amendments: list[MotionRow]
    poll: polls.PollView | None
    decision: DecisionRow | None
    objections: dict | None  # {"members": n, "councils": [names], "referendum": poll id or None}
    dissents: list[dict]
    recalls: list[dict]  # recall votes opened by deviations in this roll call: {"delegate", "poll"}
    sits: bool
    may_withdraw: bool
    my_mandate: MyMandate | None
    mandating: list[tuple[str, str]] = field(default_factory=list)  # (council, name) where I may propose a mandate
    window_open: bool = False


def find(motion_id: str) -> MotionRow | None:
    row = MotionRow.objects.filter(id=motion_id).first()
    if row is not None and PollRow.objects.filter(id=poll_of(motion_id)).exists():
        polls.find(poll_of(motion_id))  # counts it if its time is up
        row = MotionRow.objects.filter(id=motion_id).first()
    return row


def poll_of(motion_id: str) -> str:
    return f"vote on {motion_id}"


def councils_sat_in(member: str) -> list[tuple[str, str]]:
    """(council, name): the base council a member belongs to and every council they hold a seat in."""
    ids = [*MemberRow.objects.filter(id=member).values_list("council", flat=True)]
    ids += SeatRow.objects.filter(member=member).values_list("council", flat=True)
    names = elections.council_names(set(ids))
    return sorted(((i, names[i]) for i in set(ids)), key=lambda c: c[1])


def view(row: MotionRow, member: str | None) -> MotionView:
    data = row.data
    council = CouncilRow.objects.get(id=row.council)
    poll_row = PollRow.objects.filter(id=poll_of(row.id)).first()
    poll = polls.view(poll_row, member) if poll_row is not None else None
    decision = DecisionRow.objects.filter(motion=row.id).first()
    named = people.names([data["proposed_by"]])
    sits = member is not None and elections.sits_in(row.council, member)
    mine = councils_sat_in(member) if member else []
    below = set(CouncilRow.objects.filter(parent=row.council).values_list("id", flat=True))
    on_agenda = row.status == "on the agenda"
    return MotionView(
        row=row,
        council=council.name,
        council_kind=council.kind,
        proposer=named.get(data["proposed_by"], data["proposed_by"]),
        amends=MotionRow.objects.filter(id=data["amends"]).first() if data.get("amends") else None,
        amendments=list(MotionRow.objects.filter(data__amends=row.id).order_by("proposed_at")),
        poll=poll,
        decision=decision,
        objections=_objections(row.id),
        dissents=list(
            RecordRow.objects.filter(kind="dissents", key=row.id).values_list("data", flat=True).first() or []
        ),
        recalls=_recalls(poll),
        sits=sits,
        may_withdraw=on_agenda and poll_row is None and member == data["proposed_by"],
        my_mandate=_my_mandate(row, member, poll),
        mandating=[c for c in mine if c[0] in below] if on_agenda and poll_row is None else [],
        window_open=decision is not None and decision.status == WAITING and decision.takes_effect_at > clock.now(),
    )


def _objections(decision: str) -> dict | None:
    found = RecordRow.objects.filter(kind="objections", key=decision).first()
    if found is None:
        return None
    councils = elections.council_names(set(found.data["councils"]))
    return {
        "members": len(found.data["members"]),
        "councils": sorted(councils.values()),
        "referendum": found.data["referendum"],
    }


def _my_mandate(row: MotionRow, member: str | None, poll: polls.PollView | None) -> MyMandate | None:
    if member is None or poll is None or poll.row.secret:
        return None
    seat = SeatRow.objects.filter(council=row.council, member=member).first()
    if seat is None:
        return None
    mandate = in_force(recording.state(), seat.constituent, row.id)
    if mandate is None or mandate.policy is None:
        return None
    name = elections.council_names({seat.constituent})[seat.constituent]
    return MyMandate(name, mandate.position, mandate.policy)


def _recalls(poll: polls.PollView | None) -> list[dict]:
    """Recall votes a deviation under a recall-trigger mandate opened against a delegate of this roll call."""
    if poll is None or poll.row.secret:
        return []
    deviated = {v["member"]: v["name"] for v in poll.votes if v["deviated"] and v["policy"] == "recall-trigger"}
    if not deviated:
        return []
    opened = RecordRow.objects.filter(kind="recalls", data__delegate__in=list(deviated))
    return [
        {"delegate": deviated[r.data["delegate"]], "poll": p}
        for r in opened
        for p in r.data["polls"]
        if PollRow.objects.filter(id=p, opened_at__gte=poll.row.opened_at).exists()
    ]


def listing(council: str | None = None) -> list[MotionRow]:
    rows = MotionRow.objects.order_by("-proposed_at")
    if council:
        rows = rows.filter(council=council)
    return list(rows[:50])
