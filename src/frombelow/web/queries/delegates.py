"""A delegate's record: every roll-call vote they cast, beside the mandate their constituent gave on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frombelow.federation.errors import NotFound
from frombelow.web.models import MemberRow, PollRow, SeatRow, VoteRow
from frombelow.web.queries import people


@dataclass(frozen=True)
class Vote:
    poll: str
    question: str
    motion: str  # the motion voted on ("" for a poll on something else)
    council: str
    council_name: str
    opened_at: datetime
    cast: tuple[str, ...]
    weight: str
    mandate: str  # the constituent's mandate on the item, if it gave one
    position: str
    policy: str
    deviated: bool


@dataclass(frozen=True)
class Record:
    member: str
    name: str
    seats: list[people.Seat]
    votes: list[Vote]  # newest first


def record(member: str) -> Record:
    votes = list(VoteRow.objects.filter(member=member).order_by("-opened_at", "poll"))
    if (
        not votes
        and not MemberRow.objects.filter(id=member).exists()
        and not SeatRow.objects.filter(member=member).exists()
    ):
        raise NotFound(f"there is no member {member!r}")
    polls = {
        p.id: p
        for p in PollRow.objects.filter(id__in=[v.poll for v in votes]).only("id", "question", "purpose", "subject")
    }
    councils = people.council_names(v.council for v in votes)
    return Record(
        member=member,
        name=people.names([member])[member],
        seats=people.seats(member),
        votes=[
            Vote(
                poll=v.poll,
                question=polls[v.poll].question if v.poll in polls else v.poll,
                motion=polls[v.poll].subject if v.poll in polls and polls[v.poll].purpose == "motion" else "",
                council=v.council,
                council_name=councils[v.council],
                opened_at=v.opened_at,
                cast=tuple(v.cast),
                weight=v.weight,
                mandate=v.mandate,
                position=v.position,
                policy=v.policy,
                deviated=v.deviated,
            )
            for v in votes
        ],
    )
