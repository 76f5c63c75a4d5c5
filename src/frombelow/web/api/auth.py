"""API tokens: ``Authorization: Bearer <token>``; the table keeps the token's SHA-256 and its expiry."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from frombelow.web.actions.issue_api_token import digest
from frombelow.web.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = (
            ApiToken.objects.select_related("user__account")
            .filter(digest=digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user
