"""The API at /api/v1 (django-ninja): everything a member can do in the browser, with a token.

Authentication: ``Authorization: Bearer <token>`` (tokens are made on the account page
or with POST /api/v1/tokens). Errors are JSON ``{"code": ..., "message": ...}``: 400 for
malformed input, 401 without a valid token, 403 for what the rules don't allow, 404 for
what doesn't exist, 409 when the rules refuse the command as it stands.
Each area's endpoints are a router in ``api/<area>.py``, added here.
"""

from __future__ import annotations

import importlib

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from frombelow.federation.errors import RuleBroken
from frombelow.web import ids  # noqa: F401 registers <id:…> and <slashed_id:…>, which the areas' routes use
from frombelow.web.api import text
from frombelow.web.api.auth import BearerToken
from frombelow.web.refusals import code_of, status_of


class FederationApi(NinjaAPI):
    """The API, answering a path that reaches no endpoint with JSON too, not with the site's HTML page."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        # Any character, newlines too: an id with a newline in it matches no {path:…} converter.
        return [*patterns, re_path(r"[\s\S]*", _no_such_endpoint)], app_name, namespace


api = FederationApi(
    title="frombelow",
    version="1",
    description="Councils, mandated and recallable delegates, secret ballots and a count anyone can check.",
    auth=BearerToken(),
    urls_namespace="api",
)

AREAS = ("accounts", "federation", "elections", "motions", "petitions", "ledger")


def error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message}, status=status)


@csrf_exempt  # as every endpoint: tokens, not cookies, authenticate the API
def _no_such_endpoint(request: HttpRequest) -> HttpResponse:
    # Also an id holding a control character: it names nothing, so it matches no <id:…> route.
    return error(request, 404, "not_found", "nothing is at this path: no endpoint, or no such id (see /api/v1/docs)")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    where = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {_problem(e)}" for e in exc.errors)
    return error(request, 400, "invalid_input", where or "the request is malformed")


def _problem(found: dict) -> str:
    if found.get("type") == "string_pattern_mismatch" and found.get("ctx", {}).get("pattern") == text.PATTERN:
        return "holds a control character (NUL, …): of those, text may hold only tab, newline and carriage return"
    return found.get("msg", "invalid")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", "send a valid API token: Authorization: Bearer <token>")


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(DataError)
def _unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The last line of defence: text (api/text.py) and ids (web/ids.py) holding a NUL never reach the database.
    # What it cannot hold all the same (PostgreSQL: a NUL in text) wrote nothing: its transaction failed.
    return error(request, 400, "invalid_input", "the request holds what cannot be stored (e.g. a NUL character)")


@api.exception_handler(RuleBroken)
def _refused(request: HttpRequest, exc: RuleBroken) -> HttpResponse:
    return error(request, status_of(exc), code_of(exc), str(exc))


for _area in AREAS:
    _module = importlib.import_module(f"frombelow.web.api.{_area}")
    api.add_router("/", _module.router)  # each router names its own paths (/councils/{id}, /elections/{id}/ballots, …)
