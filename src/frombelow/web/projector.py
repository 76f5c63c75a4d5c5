"""The projector: from the federation's state to the tables the pages read.

``project(before, after)`` writes the rows of every value that differs between two
states: after one command (an action), or from the empty state to the whole ledger's
(``rebuild``). Both go through the same code, so a rebuilt database equals the live one.
What changed is found by comparing the state's persistent maps: values are immutable, so
a value is unchanged exactly when it is the same object (``is``), and a map no command
touched is itself the same object and costs nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from fractions import Fraction
from typing import Any

from immutables import Map

from frombelow.federation import State
from frombelow.federation.elections import stage
from frombelow.web.models import (
    PROJECTION_MODELS,
    CouncilRow,
    DecisionRow,
    ElectionRow,
    FactionMemberRow,
    FactionRow,
    FederationRow,
    MemberRow,
    MotionRow,
    PollRow,
    RecordRow,
    SeatRow,
    VoteRow,
)

_MISSING = object()
# Maps kept whole in ``RecordRow`` (kind = the map's name): read by key, by council, by status.
RECORDED = (
    "terms", "service", "mandates", "petitions", "dissents", "objections", "amendments", "proposals", "recalls",
    "apportionments", "secretaries",
)  # fmt: skip


def as_data(value: Any) -> Any:
    """A state value as JSON data: dataclasses as objects, maps as objects keyed by text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Map):
        return {
            k: as_data(v) for k, v in sorted((_key(k), v) for k, v in value.items())
        }  # in one order, live or rebuilt
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [as_data(item) for item in value]
    return value


def _key(key: Any) -> str:
    return "/".join(key) if isinstance(key, tuple) else str(key)


def changed(old: Map, new: Map) -> set:
    """The keys whose value differs between two versions of a map (added, replaced or removed)."""
    if old is new:
        return set()
    keys = {k for k, v in new.items() if old.get(k, _MISSING) is not v}
    keys.update(k for k in old if k not in new)
    return keys


def project(before: State, after: State) -> None:
    """Write the rows of everything that differs from ``before`` to ``after``."""
    for field, write in WRITERS:
        keys = changed(getattr(before, field), getattr(after, field))
        if keys:
            write(before, after, keys)


def clear() -> None:
    """Empty every projection table (``rebuild`` starts from nothing)."""
    for model in PROJECTION_MODELS:
        model.objects.all().delete()


# --- writers: each replaces the rows of the keys given ----------------------------------------


def _replace(model: type, column: str, keys: Iterable, rows: Iterable, **scope: object) -> None:
    """Delete the rows of ``keys`` (within ``scope``), then insert ``rows``."""
    keys = list(keys)
    for start in range(0, len(keys), 500):  # SQLite allows a limited number of parameters per statement
        model.objects.filter(**scope, **{f"{column}__in": keys[start : start + 500]}).delete()
    model.objects.bulk_create(rows, batch_size=500)


def _federations(_before: State, after: State, keys: set) -> None:
    rows = [
        FederationRow(id=f.id, name=f.name, congress=f.congress, data=as_data(f))
        for f in (after.federations.get(k) for k in keys)
        if f is not None
    ]
    _replace(FederationRow, "id", keys, rows)


def _councils(_before: State, after: State, keys: set) -> None:
    keys = set(keys)
    for key in list(keys):  # a council's count of the members it represents moves with every base council below
        if key in after.councils:
            keys.update(after.ancestors(key))
    rows = []
    for key in keys:
        council = after.councils.get(key)
        if council is None:
            continue
        filled = len(after.rolls.get(key, ())) if council.kind == "base" else len(after.benches.get(key, ()))
        represented = after.count_under(key) if council.closed_at is None else 0
        rows.append(
            CouncilRow(
                id=council.id,
                federation=council.federation,
                name=council.name,
                kind=council.kind,
                parent=council.parent,
                closed=council.closed_at is not None,
                members=filled,
                represented=represented,
                data=as_data(council),
            )
        )
    _replace(CouncilRow, "id", keys, rows)


def _members(_before: State, after: State, keys: set) -> None:
    rows = [
        MemberRow(id=m.id, federation=m.federation, council=m.council)
        for m in (after.members.get(k) for k in keys)
        if m is not None
    ]
    _replace(MemberRow, "id", keys, rows)


def _factions(before: State, after: State, keys: set) -> None:
    rows = []
    for key in keys:
        faction = after.factions.get(key)
        if faction is None:
            continue
        data = as_data(dataclasses.replace(faction, members=Map(), supporters=Map()))
        rows.append(
            FactionRow(
                id=faction.id,
                federation=faction.federation,
                name=faction.name,
                dissolved=faction.dissolved_at is not None,
                members=len(faction.members),
                data=data | {"supporters": len(faction.supporters)},
            )
        )
        old = before.factions.get(key)
        joined_or_left = changed(old.members if old is not None else Map(), faction.members)
        FactionMemberRow.objects.filter(faction=key, member__in=joined_or_left).delete()
        FactionMemberRow.objects.bulk_create(
            (FactionMemberRow(faction=key, member=m) for m in joined_or_left if m in faction.members), batch_size=500
        )
    _replace(FactionRow, "id", keys, rows)


def _seats(_before: State, after: State, keys: set) -> None:
    for council, member in keys:
        SeatRow.objects.filter(council=council, member=member).delete()
    SeatRow.objects.bulk_create(
        (
            SeatRow(
                council=d.council,
                member=d.member,
                constituent=d.constituent,
                term=d.term,
                election=d.election,
                since=d.since,
            )
            for d in (after.delegates.get(k) for k in keys)
            if d is not None
        ),
        batch_size=500,
    )


def _polls(before: State, after: State, keys: set) -> None:
    rows, voted = [], []
    for key in keys:
        poll, old = after.polls[key], before.polls.get(key)
        if not poll.secret:
            _public_votes(after, poll, changed(old.turnout if old is not None else Map(), poll.turnout))
        if old is not None and dataclasses.replace(old, turnout=poll.turnout) == poll:
            voted.append(poll)  # only who voted changed (what a vote does most): the row's turnout, in place
            continue
        counted = poll.counted
        summary = as_data(dataclasses.replace(poll, electorate=Map(), turnout=Map(), counted=None))
        del summary["total_weight"]  # as "weight", below
        data = summary | {
            "weight": str(poll.total_weight),
            "count": None if counted is None else as_data(dataclasses.replace(counted, ballots=())),
            "ballots": 0 if counted is None else len(counted.ballots),
        }
        rows.append(
            PollRow(
                id=poll.id,
                council=poll.council,
                purpose=poll.purpose,
                subject=poll.subject,
                question=poll.question,
                method=poll.method,
                secret=poll.secret,
                counted=counted is not None,
                opened_at=poll.opened_at,
                closes_at=poll.closes_at,
                electorate=len(poll.electorate),
                turnout=len(poll.turnout),
                outcome="" if counted is None else counted.outcome,
                data=data,
            )
        )
    for poll in voted:
        PollRow.objects.filter(id=poll.id).update(turnout=len(poll.turnout))
    _replace(PollRow, "id", [row.id for row in rows], rows)
    elections = {p.subject for p in (after.polls[row.id] for row in rows) if p.purpose == "election"}
    _elections(before, after, {e for e in elections if e in after.elections})  # an election's stage follows its poll


def _public_votes(state: State, poll: Any, voters: set) -> None:
    """Roll-call votes, each beside the mandate its voter's constituent gave on the item, if any."""
    if not voters:
        return
    mandated = {
        v.delegate: (m, v)
        for m in state.mandates.values()
        if m.item == poll.subject
        for v in m.votes
        if v.poll == poll.id
    }
    rows = []
    for member in voters:
        cast = poll.turnout.get(member)
        if cast is None:
            continue
        mandate, vote = mandated.get(member, (None, None))
        asked = vote.asked if vote is not None else cast
        rows.append(
            VoteRow(
                poll=poll.id,
                council=poll.council,
                member=member,
                cast=list(cast),
                asked=list(asked),
                weight=str(poll.electorate[member].weight),
                mandate=mandate.motion if mandate else "",
                position=mandate.position if mandate else "",
                policy=(mandate.policy or "") if mandate else "",
                deviated=mandate is not None and tuple(asked) != (mandate.position,),
                opened_at=poll.opened_at,
            )
        )
    VoteRow.objects.filter(poll=poll.id, member__in=voters).delete()
    VoteRow.objects.bulk_create(rows, batch_size=500)


def _elections(_before: State, after: State, keys: set) -> None:
    rows = [
        ElectionRow(
            id=e.id,
            council=e.council,
            constituent=e.constituent,
            term=e.term,
            stage=stage(after, e),
            poll=e.poll if e.poll in after.polls else "",
            data=as_data(e),
        )
        for e in (after.elections[k] for k in keys)
    ]
    _replace(ElectionRow, "id", keys, rows)


def _motions(_before: State, after: State, keys: set) -> None:
    rows = [
        MotionRow(
            id=m.id,
            council=m.council,
            title=m.title,
            kind=m.kind,
            status=m.status,
            proposed_at=m.proposed_at,
            data=as_data(m),
        )
        for m in (after.motions[k] for k in keys)
    ]
    _replace(MotionRow, "id", keys, rows)


def _decisions(_before: State, after: State, keys: set) -> None:
    rows = [
        DecisionRow(
            motion=d.motion,
            council=d.council,
            status=d.status,
            carried_at=d.carried_at,
            takes_effect_at=d.takes_effect_at,
            data=as_data(d),
        )
        for d in (after.decisions[k] for k in keys)
    ]
    _replace(DecisionRow, "motion", keys, rows)


def _recorded(kind: str) -> Callable[[State, State, set], None]:
    def write(_before: State, after: State, keys: set) -> None:
        table = getattr(after, kind)
        rows = [
            RecordRow(
                kind=kind,
                key=_key(key),
                council=str(getattr(value, "council", "") or ""),
                status=str(getattr(value, "status", "") or ""),
                data=as_data(value),
            )
            for key, value in ((k, table.get(k)) for k in keys)
            if value is not None
        ]
        _replace(RecordRow, "key", [_key(k) for k in keys], rows, kind=kind)

    return write


WRITERS: tuple[tuple[str, Callable[[State, State, set], None]], ...] = (
    ("federations", _federations),
    ("councils", _councils),
    ("rolls", _councils),  # a base council's count of members
    ("benches", _councils),  # a delegate council's seats filled
    ("members", _members),
    ("factions", _factions),
    ("delegates", _seats),
    ("polls", _polls),
    ("elections", _elections),
    ("motions", _motions),
    ("decisions", _decisions),
    *((kind, _recorded(kind)) for kind in RECORDED),
)
