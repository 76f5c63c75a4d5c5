"""Who a login is, and the names members go by (kept in accounts, not in the public record)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from frombelow.federation.errors import NotAllowed, NotFound
from frombelow.federation.membership import digest
from frombelow.web import clock, recording
from frombelow.web.models import (
    Account,
    ApiToken,
    CouncilRow,
    FactionMemberRow,
    FactionRow,
    FederationRow,
    MemberRow,
    SeatRow,
)


@dataclass(frozen=True)
class Me:
    """The member a login is, as pages show them."""

    id: str
    name: str
    council: str | None  # their base council, or None once they have left


def me(user: object) -> Me | None:
    account = _account(user)
    if account is None:
        return None
    council = MemberRow.objects.filter(id=account.member).values_list("council", flat=True).first()
    return Me(account.member, account.display_name, council)


def member_id(user: object) -> str | None:
    """The member a login is, by id alone (what acting through the API needs)."""
    account = _account(user)
    return None if account is None else account.member


def _account(user: object) -> Account | None:
    if not getattr(user, "is_authenticated", False):
        return None
    # Read with the login when it came with an API token (select_related): no query then.
    return getattr(user, "account", None)


def acting(user: object) -> Me:
    """The member a login acts as; a refusal for a login that is not one (e.g. the operator's)."""
    found = me(user)
    if found is None:
        raise NotAllowed("this login is not a member of the federation: only members act here")
    return found


def names(members: Iterable[str]) -> dict[str, str]:
    """member id -> the name they go by (their id, for members with no account here)."""
    members = set(members)
    known = dict(Account.objects.filter(member__in=members).values_list("member", "display_name"))
    return {m: known.get(m, m) for m in members}


def federation() -> FederationRow | None:
    return FederationRow.objects.first()


@dataclass(frozen=True)
class Seat:
    council: str
    council_name: str
    constituent: str
    constituent_name: str
    term: int
    since: datetime


def seats(member: str) -> list[Seat]:
    """The seats a member holds as a delegate, with the councils' names."""
    rows = list(SeatRow.objects.filter(member=member).order_by("since", "council"))
    called = council_names(c for row in rows for c in (row.council, row.constituent))
    return [
        Seat(row.council, called[row.council], row.constituent, called[row.constituent], row.term, row.since)
        for row in rows
    ]


def council_names(councils: Iterable[str]) -> dict[str, str]:
    councils = set(councils)
    known = dict(CouncilRow.objects.filter(id__in=councils).values_list("id", "name"))
    return {c: known.get(c, c) for c in councils}


def factions_of(member: str) -> list[FactionRow]:
    joined = FactionMemberRow.objects.filter(member=member).values_list("faction", flat=True)
    return list(FactionRow.objects.filter(id__in=list(joined), dissolved=False).order_by("name"))


def tokens(user: object) -> list[ApiToken]:
    """A login's API tokens still valid, newest first (their digests only: tokens are shown once)."""
    return list(ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at", "-id"))


@dataclass(frozen=True)
class Invitation:
    council: str
    council_name: str
    expires_at: datetime


def invitation(code: str) -> Invitation:
    """The council an invitation code would join, or the refusal ``join`` would give for it."""
    found = recording.state().invitations.get(digest(code))
    if found is None:
        raise NotFound("that invitation code is not known")
    if found.used:
        raise NotAllowed("that invitation has been used already")
    if clock.now() >= found.expires_at:
        raise NotAllowed("that invitation has expired; ask for a new one")
    return Invitation(found.council, council_names([found.council])[found.council], found.expires_at)
