"""How a page runs an action for the member logged in: one way for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from frombelow.federation.errors import RuleBroken
from frombelow.web.queries import people
from frombelow.web.refusals import status_of


def acting(
    request: HttpRequest,
    act: Callable[[str], object],
    done: str,
    back_to: str,
    shown_again: Callable[[int], HttpResponse],
) -> HttpResponse:
    """Run ``act(member id)``: on success, ``done`` and a redirect to ``back_to`` (so a reload
    repeats nothing); on a refusal, the page ``shown_again`` with the rules' message and the
    refusal's status. A login that is no member is refused the same way (403)."""
    try:
        act(people.acting(request.user).id)
    except RuleBroken as refusal:
        messages.error(request, str(refusal))
        return shown_again(status_of(refusal))
    messages.success(request, done)
    return redirect(back_to)
