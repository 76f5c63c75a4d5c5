"""What every page's template may use."""

from __future__ import annotations

from django.http import HttpRequest

from frombelow.web import queries


def platform(request: HttpRequest) -> dict:
    member = queries.member_of(request.user)
    return {"me": member, "federation": queries.federation()}
