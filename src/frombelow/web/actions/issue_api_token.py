"""A member makes a token for the API: shown once, kept as its SHA-256, valid for a limited time."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from frombelow.web.models import ApiToken

LIFETIME = timedelta(days=90)


def run(user: object, name: str = "") -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.create(user=user, digest=digest(token), name=name[:100], created_at=now, expires_at=now + LIFETIME)
    return token


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
