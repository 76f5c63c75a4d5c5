"""Login throttling (django-axes, its failed attempts kept in the database).

After ``AXES_FAILURE_LIMIT`` wrong passwords for one username from one address, that username is
locked out from that address for ``AXES_COOLOFF_TIME``, even with the right password. The login page and
POST /api/v1/tokens both check passwords through ``django.contrib.auth.authenticate``, so both are
throttled. Locking a username from one address only, not everywhere, keeps anyone from locking a
delegate out of a vote from afar.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKED_OUT = 429  # Too Many Requests: the same for the page and the API


class LockedOutLogins(AxesStandaloneBackend):
    """Refuses a locked-out username before any password is checked."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: object
    ) -> None:
        # Scripts and Django's test client authenticate without a request; every login over HTTP has one.
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed logins: this username is locked for %(minutes)s minute from here, even with the right password. Try again later.",
        "Too many failed logins: this username is locked for %(minutes)s minutes from here, even with the right password. Try again later.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """The answer to a locked-out login: JSON ``{code, message}`` for the API, the login page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message()}, status=LOCKED_OUT)
    context = {"form": AuthenticationForm(request), "locked_out": message(), "next": request.POST.get("next", "")}
    return render(request, "platform/accounts/login.html", context, status=LOCKED_OUT)


def client_address(request: HttpRequest) -> str:
    """Who is trying: behind the proxy, the address it appended to X-Forwarded-For; else the socket's peer."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
