"""Who a login is, and the names members go by (kept in accounts, not in the public record)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from frombelow.web.models import Account, FederationRow, MemberRow


@dataclass(frozen=True)
class Me:
    """The member a login is, as pages show them."""

    id: str
    name: str
    council: str | None  # their base council, or None once they have left


def me(user: object) -> Me | None:
    if not getattr(user, "is_authenticated", False):
        return None
    account = Account.objects.filter(user=user).first()
    if account is None:
        return None
    council = MemberRow.objects.filter(id=account.member).values_list("council", flat=True).first()
    return Me(account.member, account.display_name, council)


def names(members: Iterable[str]) -> dict[str, str]:
    """member id -> the name they go by (their id, for members with no account here)."""
    members = set(members)
    known = dict(Account.objects.filter(member__in=members).values_list("member", "display_name"))
    return {m: known.get(m, m) for m in members}


def federation() -> FederationRow | None:
    return FederationRow.objects.first()
