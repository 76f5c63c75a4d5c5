"""Security headers on every answer (Content-Security-Policy, X-Frame-Options, X-Content-Type-Options,
Referrer-Policy), and pages the policy does not break: no inline script, event handler or style.
HSTS, sent only over TLS, is tested under the production settings (test_production)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from frombelow.web.security.headers import POLICY

pytestmark = pytest.mark.django_db

ANSWERS = [
    "/",
    "/login",
    "/councils/local-1",
    "/ledger/",
    "/api/v1/federation",
    "/nowhere",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
HANDLER_OR_STYLE = re.compile(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", re.IGNORECASE)
LINK = re.compile(r'href="(/[^"#]*)"')


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_carries_the_security_headers(client: Client, path: str):
    answer = client.get(path)
    assert answer["Content-Security-Policy"] == POLICY
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in answer  # plain HTTP: HSTS only over TLS


def test_static_files_carry_the_policy_and_nosniff(client: Client):
    """Served by whitenoise before the framing middleware: a stylesheet or script is never framed as a page."""
    answer = client.get("/static/platform/site.css")
    assert answer["Content-Security-Policy"] == POLICY and answer["X-Content-Type-Options"] == "nosniff"


def test_the_policy_allows_scripts_and_styles_from_this_site_only():
    directives = dict(part.strip().split(" ", 1) for part in POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in POLICY and directives["frame-ancestors"] == "'none'"


def test_no_page_has_an_inline_script_handler_or_style(page_as: Callable[[str], Client]):
    """A crawl from the home page as a member: what the policy would block is not there to block."""
    ana, seen, queue = page_as("ana"), set(), ["/", "/elections/north/local-1/term-2/by-election-1"]
    while queue and len(seen) < 80:
        url = queue.pop(0)
        seen.add(url)
        answer = ana.get(url)
        if answer.status_code != 200 or "text/html" not in answer["Content-Type"]:
            continue
        page = answer.content.decode()
        assert not INLINE_SCRIPT.search(page), (url, INLINE_SCRIPT.search(page).group(0))
        assert not HANDLER_OR_STYLE.search(page), (url, HANDLER_OR_STYLE.search(page).group(0))
        for link in LINK.findall(page):
            target = urljoin(url, link.replace("&amp;", "&"))
            if not target.startswith(("/static/", "/api/", "/i18n/")) and urlsplit(target).path not in seen:
                queue.append(urlsplit(target).path)
    assert len(seen) >= 30


def test_the_language_switcher_works_without_inline_script(client: Client):
    page = client.get("/").content.decode()
    assert 'src="/static/platform/language.js"' in page and "onchange" not in page
    assert client.get("/static/platform/language.js").status_code == 200


def test_the_api_docs_load_nothing_from_elsewhere(client: Client):
    """Swagger UI is served from this site (the policy would block a CDN's copy)."""
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
    assert not re.search(r'(src|href)="https?://', docs.content.decode())
