"""API tokens: ``Authorization: Bearer <token>``; the table keeps the token's SHA-256 and its expiry."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from frombelow.web.actions.issue_api_token import digest
from frombelow.web.models import Account, ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = _login(digest(token))
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


def _login(token_digest: str) -> object | None:
    """The login an unexpired token is for, with its account: one query, written out because every
    API call makes it (the ORM took three times as long to build it as the database to answer)."""
    users = get_user_model()
    query = (
        f"SELECT u.*, a.id AS account_id, a.member AS account_member, a.display_name AS account_name"
        f' FROM "{ApiToken._meta.db_table}" t JOIN "{users._meta.db_table}" u ON u.id = t.user_id'
        f' LEFT JOIN "{Account._meta.db_table}" a ON a.user_id = u.id'
        " WHERE t.digest = %s AND t.expires_at > %s"
    )
    for user in users.objects.raw(query, [token_digest, connection.ops.adapt_datetimefield_value(timezone.now())]):
        if user.account_id is not None:  # as select_related would: people.member_id reads it without a query
            user.account = Account(
                id=user.account_id, user=user, member=user.account_member, display_name=user.account_name
            )
        return user
    return None
