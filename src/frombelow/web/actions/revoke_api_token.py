"""A member revokes one of their API tokens: it stops working at once."""

from __future__ import annotations

from frombelow.federation.errors import NotFound
from frombelow.web.models import ApiToken


def run(user: object, token_id: int) -> None:
    """Only the token's own login can revoke it; someone else's token reads as unknown."""
    revoked, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not revoked:
        raise NotFound("you have no such API token")
