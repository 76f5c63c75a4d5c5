"""Pages: the federation's tree of councils, drawn, and as a nested list that needs no script."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from frombelow.web.queries import councils


def home(request: HttpRequest) -> HttpResponse:
    root = councils.tree()
    return render(request, "platform/federation/tree.html", {"root": root, "drawing": drawing(root) if root else None})


def drawing(node: councils.Node) -> dict:
    """The tree as ECharts' tree series reads it, each council with its page's address."""
    data = asdict(node)

    def link(item: dict) -> dict:
        return {
            "name": item["name"],
            "value": item["represented"],
            "url": reverse("council", args=[item["id"]]),
            "children": [link(child) for child in item["children"]],
        }

    return link(data)


urlpatterns = [path("", home, name="home")]
