"""The federation's page, through HTTP: the nested list (built in one pass, not a template per council)
holds every open council under its parent, in id order, each linked, escaped, and translated; the chart's
data draws the same tree."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from frombelow.web.models import CouncilRow, FederationRow

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """What <ul class="tree"> lists: each council (by its link) in document order, its parent (the <li>
    around its own), its name and the words beside it, entities decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # of <ul> inside the tree's list; 0 outside it
        self.items: list[str | None] = []  # the councils of the <li>s open now, innermost last
        self.parent: dict[str, str | None] = {}
        self.href: dict[str, str] = {}
        self.text: dict[tuple[str, str], str] = {}  # ("name" | "standing", council) -> text
        self.reading: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ul" and (self.depth or dict(attrs).get("class") == "tree"):
            self.depth += 1
        elif not self.depth:
            return
        elif tag == "li":
            self.items.append(None)
        elif tag == "a":
            href = dict(attrs)["href"]
            council = href.removeprefix("/councils/")
            self.items[-1] = council
            self.parent[council] = self.items[-2] if len(self.items) > 1 else None
            self.href[council] = href
            self.reading = ("name", council)
        elif tag == "span":
            self.reading = ("standing", self.items[-1])

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "ul":
            self.depth -= 1
        elif tag == "li":
            self.items.pop()
        self.reading = None

    def handle_data(self, data: str) -> None:
        if self.reading:
            self.text[self.reading] = self.text.get(self.reading, "") + data


def _outline(html: str) -> Outline:
    outline = Outline()
    outline.feed(html)
    return outline


def _chart(html: str) -> dict:
    found = re.search(r'<script id="tree-data" type="application/json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found.group(1))


def _preorder(parents: dict[str, str | None], council: str) -> list[str]:
    children = sorted(c for c, p in parents.items() if p == council)
    return [council] + [c for child in children for c in _preorder(parents, child)]


def test_the_list_nests_every_open_council_under_its_parent_in_id_order(client: Client):
    closed = CouncilRow.objects.get(id="local-2")
    CouncilRow.objects.filter(id=closed.id).update(closed=True)  # as the projector marks a split council
    congress = FederationRow.objects.get().congress
    open_councils = CouncilRow.objects.filter(closed=False)
    parents = {c.id: (None if c.id == congress else c.parent) for c in open_councils}

    outline = _outline(client.get("/").content.decode())

    assert outline.parent == parents
    assert list(outline.parent) == _preorder(parents, congress)  # document order: each council, then its children
    assert closed.id not in outline.href and len(parents) > 5
    assert all(outline.href[c.id] == f"/councils/{c.id}" for c in open_councils)
    assert all(outline.text[("name", c.id)] == c.name for c in open_councils)


def test_each_council_says_whom_it_stands_for_in_french(client: Client):
    outline = _outline(client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    def membres(n: int) -> str:  # French: singular for 0 and 1
        return f"{n} membre" if n <= 1 else f"{n} membres"

    delegate_councils = CouncilRow.objects.exclude(kind="base")
    assert delegate_councils.exists()
    for council in CouncilRow.objects.all():
        said = outline.text[("standing", council.id)]
        if council.kind == "base":
            assert said == membres(council.represented)
        else:
            assert said == f"représente {membres(council.represented)}, {council.members} sièges pourvus"


def test_names_are_escaped_and_the_chart_draws_the_same_tree(client: Client):
    CouncilRow.objects.filter(id="north").update(name='North & <b>"South"</b>')

    html = client.get("/").content.decode()
    outline, chart = _outline(html), _chart(html)

    assert "<b>" not in html
    assert outline.text[("name", "north")] == 'North & <b>"South"</b>'

    def drawn(node: dict, parent: str | None, into: dict) -> dict:
        council = node["url"].removeprefix("/councils/")
        into[council] = (parent, node["name"], node["value"])
        for child in node["children"]:
            drawn(child, council, into)
        return into

    represented = dict(CouncilRow.objects.values_list("id", "represented"))
    assert drawn(chart, None, {}) == {
        c: (outline.parent[c], outline.text[("name", c)], represented[c]) for c in outline.parent
    }
