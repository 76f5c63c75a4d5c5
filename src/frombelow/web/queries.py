"""Reads: everything pages and the API show comes from here, out of the projection tables."""

from __future__ import annotations

from dataclasses import dataclass

from frombelow.web.models import Account, FederationRow


@dataclass(frozen=True)
class Me:
    """The member a login is, as pages show them."""

    id: str
    name: str
    council: str | None  # their base council, or None once they have left


def member_of(user: object) -> Me | None:
    if not getattr(user, "is_authenticated", False):
        return None
    account = Account.objects.filter(user=user).first()
    if account is None:
        return None
    from frombelow.web.models import MemberRow

    council = MemberRow.objects.filter(id=account.member).values_list("council", flat=True).first()
    return Me(account.member, account.display_name, council)


def federation() -> FederationRow | None:
    return FederationRow.objects.first()
