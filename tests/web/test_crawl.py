"""Every page reachable from the federation's tree answers without a server error, for a
visitor and for a member: a crawl through the links pages show, as a person would follow them."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"#]+)"')
LIMIT = 400  # pages per crawl: enough to reach every kind of page in the demo


def crawl(client: Client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = ["/"]
    kinds: set[str] = set()
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode("utf-8")):
            target = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or target.startswith(("/static/", "/api/", "/i18n/")) or target in seen:
                continue
            kind = re.sub(r"/[^/]+", "/*", parts.path, count=0)[:40]  # breadth over kinds of page first
            (queue.insert(0, target) if kind not in kinds else queue.append(target))
            kinds.add(kind)
    return seen


def test_a_visitor_meets_no_server_error():
    answered = crawl(Client())
    assert len(answered) > 50
    assert not {url: code for url, code in answered.items() if code >= 500}


def test_a_member_meets_no_server_error(ana):
    answered = crawl(ana)
    assert len(answered) > 50
    assert not {url: code for url, code in answered.items() if code >= 500}
    assert any(url.startswith("/elections/") for url in answered)
    assert any(url.startswith("/ledger/") for url in answered)
