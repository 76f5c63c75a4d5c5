"""Pages naming an id with a control character (a NUL: PostgreSQL cannot even look one up) answer as for
any id that does not exist, on both databases: 404 for a path, nothing listed for a filter; never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from frombelow.web.ids import names_nothing
from frombelow.web.models import ElectionRow, FactionRow, LedgerHead, PollRow

pytestmark = pytest.mark.django_db


def page_routes() -> list[str]:
    """Every page's route naming something by a string in its path (the API has its own tests)."""
    found = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("api/", "i18n/")):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and re.search(r"<(?!int:)[^>]+>", route):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.parametrize("character", ["\x00", "\x1f", "\t"])
def test_no_id_holds_a_control_character(character: str):
    assert names_nothing(f"local-1{character}")
    assert not names_nothing("election north/local-1/term-2 ünïcödé")


@pytest.mark.parametrize("character", ["\x00", "\x1f", "\n"])
def test_a_page_path_naming_an_id_with_a_control_character_is_not_found(ana: Client, character: str):
    routes = page_routes()
    assert len(routes) >= 25
    size = LedgerHead.objects.get(pk=1).size
    wrong = []
    for route in routes:
        url = "/" + re.sub(r"<[^>]+>", quote(f"local-1{character}", safe=""), route)
        for method in ("get", "post"):
            status = getattr(ana, method)(url).status_code
            if status != 404:
                wrong.append(f"{method.upper()} {url}: {status}")
    assert wrong == []
    assert LedgerHead.objects.get(pk=1).size == size


def test_real_ids_still_reach_their_pages(ana: Client):
    election = ElectionRow.objects.values_list("id", flat=True).first()
    faction = FactionRow.objects.values_list("id", flat=True).first()
    assert "/" in election
    assert ana.get(reverse("election", args=[election])).status_code == 200
    assert ana.get(reverse("faction", args=[faction])).status_code == 200
    assert ana.get(reverse("council", args=["local-1"])).status_code == 200


@pytest.mark.parametrize("page", ["elections", "motions", "petitions"])
def test_a_council_filter_with_a_nul_lists_nothing_as_a_council_that_does_not_exist(ana: Client, page: str):
    shown = {"elections": ("undecided", "decided"), "motions": ("motions",), "petitions": ("petitions",)}[page]
    nul = ana.get(reverse(page), {"council": "local-1\x00"})
    missing = ana.get(reverse(page), {"council": "no-such-council"})
    everything = ana.get(reverse(page))
    assert nul.status_code == missing.status_code == 200
    assert [list(nul.context[name]) for name in shown] == [list(missing.context[name]) for name in shown]
    assert any(list(everything.context[name]) for name in shown)
    assert not any(list(nul.context[name]) for name in shown)


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/polls/", {"poll": "vote\x00"}),
        ("get", "/polls/turnout", {"poll": "vote\x00"}),
        ("post", "/polls/ballot", {"poll": "vote\x00", "choice": "yes"}),
    ],
)
def test_a_vote_named_with_a_nul_is_not_found(ana: Client, method: str, url: str, data: dict):
    assert PollRow.objects.exists()
    assert getattr(ana, method)(url, data).status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/factions", {"name": "Left\x00Bloc", "platform": "all power"}),
        ("/motions/new", {"council": "local-1", "title": "Strike\x00fund", "text": "yes"}),
        ("/petitions/new", {"kind": "initiative", "council": "local-1", "title": "t", "text": "a\x00b"}),
    ],
)
def test_a_form_with_a_nul_in_its_text_is_refused_and_nothing_is_stored(ana: Client, url: str, data: dict):
    size = LedgerHead.objects.get(pk=1).size
    assert ana.post(url, data).status_code == 400
    assert LedgerHead.objects.get(pk=1).size == size
