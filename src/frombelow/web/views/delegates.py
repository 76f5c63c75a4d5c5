"""Pages: a delegate's record, every roll-call vote beside the mandate they had."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from frombelow.federation.errors import NotFound
from frombelow.web import ids  # noqa: F401 registers <id:…>, which these paths use
from frombelow.web.queries import delegates


def record(request: HttpRequest, member: str) -> HttpResponse:
    try:
        shown = delegates.record(member)
    except NotFound as missing:
        raise Http404(str(missing)) from None
    return render(request, "platform/delegates/record.html", {"record": shown})


urlpatterns = [path("delegates/<id:member>", record, name="delegate")]
