"""CSRF on every form: a POST without the token is refused (403) at every URL of the site, every
template's POST form carries the token, and the API, which takes bearer tokens and never cookies,
cannot be driven by a cross-site request (a session cookie alone gets 401 there)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import frombelow.web
from frombelow.web import demo
from frombelow.web.actions import issue_api_token

pytestmark = pytest.mark.django_db

TEMPLATES = Path(frombelow.web.__file__).parent / "templates"
FAILED = "CSRF verification failed"
# id and slashed_id: the converters for ids (web/ids.py)
SAMPLE = {"int": "1", "str": "local-1", "path": "north/local-1/term-2", "slug": "x", "id": "local-1"}
SAMPLE["slashed_id"] = SAMPLE["path"]


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str | None, str]]:
    """(URL name, route) for every URL the site answers, outside the API."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("api/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, route


def _path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


ROUTES = dict(_routes(get_resolver().url_patterns))


@pytest.mark.parametrize("name", sorted(ROUTES, key=str))
def test_a_post_without_the_csrf_token_is_refused_everywhere(name: str):
    member = Client(enforce_csrf_checks=True)
    member.login(username="ana", password=demo.PASSWORD)
    for browser in (member, Client(enforce_csrf_checks=True)):
        refused = browser.post(_path(ROUTES[name]), {"anything": "x"})
        assert refused.status_code == 403 and FAILED in refused.content.decode(), (name, refused.status_code)


def test_with_the_token_the_same_post_goes_through():
    """The control: the refusals above are for the missing token, not for posting at all."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/login").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    logged_in = browser.post("/login", {"username": "ana", "password": demo.PASSWORD, "csrfmiddlewaretoken": token})
    assert logged_in.status_code == 302


def _post_forms() -> Iterator[tuple[str, str]]:
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for form in re.finditer(r'<form[^>]*method="post"[^>]*>(.*?)</form>', text, re.DOTALL | re.IGNORECASE):
            yield f"{template.relative_to(TEMPLATES)}:{text[: form.start()].count(chr(10)) + 1}", form.group(0)


FORMS = dict(_post_forms())


@pytest.mark.parametrize("where", FORMS)
def test_every_post_form_carries_the_token_to_a_url_checked_above(where: str):
    form = FORMS[where]
    assert "{% csrf_token %}" in form, where
    if "action=" not in form:
        return  # it posts back to its own page, one of the URLs above
    action = re.search(r"action=\"\{% url '([\w-]+)'", form)
    assert action and action.group(1) in ROUTES, (where, "posts to a URL not checked above")


def test_the_api_takes_no_cookie_so_csrf_does_not_apply(page_as: Callable[[str], Client]):
    cookie_only = page_as("ana")  # a logged-in browser, as a cross-site form would ride on
    refused = cookie_only.post("/api/v1/invitations", {"council": "local-1"}, content_type="application/json")
    assert refused.status_code == 401
    token = issue_api_token.run(get_user_model().objects.get(username="ana"), "script")
    script = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    made = script.post("/api/v1/invitations", {"council": "local-1"}, content_type="application/json")
    assert made.status_code == 201  # no CSRF token needed: nothing a browser sends by itself authenticates it
