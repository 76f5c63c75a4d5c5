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
    API call makes it (the ORM took three times as long to build it as the database to answer).
    The login's other fields are left deferred: read only if something asks for them."""
    users = get_user_model()
    query = (
        "SELECT u.id, u.is_active, a.id, a.member, a.display_name"
        f' FROM "{ApiToken._meta.db_table}" t JOIN "{users._meta.db_table}" u ON u.id = t.user_id'
        f' LEFT JOIN "{Account._meta.db_table}" a ON a.user_id = u.id'
        " WHERE t.digest = %s AND t.expires_at > %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [token_digest, connection.ops.adapt_datetimefield_value(timezone.now())])
        row = cursor.fetchone()
    if row is None:
        return None
    user_id, active, account_id, member, name = row
    user = users.from_db(connection.alias, ["id", "is_active"], (user_id, bool(active)))
    if account_id is not None:  # as select_related would: people.member_id reads it without a query
        user.account = Account(id=account_id, user=user, member=member, display_name=name)
    return user
