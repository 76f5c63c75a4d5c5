"""What every page's template may use."""

from __future__ import annotations

from django.http import HttpRequest

from frombelow.web.queries import people


def platform(request: HttpRequest) -> dict:
    return {"me": people.me(request.user), "federation": people.federation()}
