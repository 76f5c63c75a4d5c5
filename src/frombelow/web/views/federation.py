"""Pages: the federation's tree of councils, drawn, and as a nested list that needs no script.

A federation has a thousand councils and more: the list is built here in one pass, not by a template
included once per council, and every council's address comes from one reverse() (both cost a
fraction of a millisecond per council, which was most of the page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from frombelow.web.queries import councils


def home(request: HttpRequest) -> HttpResponse:
    root = councils.tree()
    if root is None:
        return render(request, "platform/federation/tree.html", {"root": None})
    address = council_address()
    return render(
        request,
        "platform/federation/tree.html",
        {"root": root, "drawing": drawing(root, address), "every_council": every_council(root, address)},
    )


def council_address() -> Callable[[str], str]:
    """A council's page's address as reverse("council", args=[id]) gives it, reversing only once."""
    marker = "council"
    prefix = reverse("council", args=[marker]).removesuffix(marker)
    return lambda council_id: prefix + quote(council_id, safe=RFC3986_SUBDELIMS + "~:@")


def drawing(node: councils.Node, address: Callable[[str], str]) -> dict:
    """The tree as ECharts' tree series reads it, each council with its page's address."""
    return {
        "name": node.name,
        "value": node.represented,
        "url": address(node.id),
        "children": [drawing(child, address) for child in node.children],
    }


def every_council(root: councils.Node, address: Callable[[str], str]) -> SafeString:
    """The tree as nested <li>s (the <ul class="tree"> around them is the template's): each council's
    link and what it stands for, in the request's language."""

    @cache  # a thousand base councils share a few hundred counts: translate each once
    def standing(kind: str, represented: int, filled: int) -> str:
        if kind == "base":
            return ngettext("%(members)s member", "%(members)s members", represented) % {
                "members": localize(represented)
            }
        return ngettext(
            "represents %(members)s member, %(filled)s seats filled",
            "represents %(members)s members, %(filled)s seats filled",
            represented,
        ) % {"members": localize(represented), "filled": localize(filled)}

    parts: list[str] = []

    def item(node: councils.Node) -> None:
        parts.append(
            format_html(
                '<li><a href="{}">{}</a> <span class="muted">{}</span>',
                address(node.id),
                node.name,
                standing(node.kind, node.represented, node.filled),
            )
        )
        if node.children:
            parts.append("<ul>")
            for child in node.children:
                item(child)
            parts.append("</ul>")
        parts.append("</li>\n")

    item(root)
    return mark_safe("".join(parts))  # every part is format_html's, or a literal tag


urlpatterns = [path("", home, name="home")]
