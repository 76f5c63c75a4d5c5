"""The platform's time: every command is dated by it, never by the member giving it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
