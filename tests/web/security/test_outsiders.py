"""No one acts in a council (or faction) they are not a member of: every members-only POST, page and
API, is refused to an outsider with 403 and changes nothing. A base council's roll of names is shown to
its members only."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve

import frombelow.web
from frombelow.web.api import api
from frombelow.web.models import PollRow
from frombelow.web.queries import councils
from tests.web.security.conftest import nothing_changes

pytestmark = pytest.mark.django_db

ELECTION = "election north/local-1/term-2/by-election-1"  # ana's local votes; clara and boris are outsiders
NOMINATING = "north/local-2/term-2/by-election-1"  # Local 2's by-election, taking nominations
ROLL_CALL = "vote on strike-fund"  # South District's delegates vote; ana is in the North
NORTH_MOTION = "motion-813"  # on North District's agenda
TEMPLATES = Path(frombelow.web.__file__).parent / "templates"
NORTH_DECISION = "motion-840"  # a North District decision: the members of its locals may object


@dataclass(frozen=True)
class Outsider:
    """Who tries what, and where: ``data`` may name a demo login (``@boris``) or ``@candidate``, one standing
    in the open election."""

    who: str
    path: str
    data: dict = field(default_factory=dict)


def _filled(data: dict, logins: dict[str, str]) -> dict:
    named = {f"@{login}": member for login, member in logins.items()}
    named["@candidate"] = PollRow.objects.get(id=ELECTION).data["choices"][0]

    def value(v: object) -> object:
        return [value(item) for item in v] if isinstance(v, list) else named.get(v, v) if isinstance(v, str) else v

    return {key: value(v) for key, v in data.items()}


PAGES = {
    "issue an invitation": Outsider("boris", "/councils/local-1/invitations"),
    "propose a secretary": Outsider(
        "boris", "/councils/local-1/secretary", {"nominee": "@ana", "text": "she reads the minutes"}
    ),
    "call a by-election": Outsider("clara", "/councils/north/by-election", {"constituent": "local-1"}),
    "give up a seat": Outsider("clara", "/councils/north/resignation"),
    "propose a motion": Outsider(
        "clara", "/motions/new", {"council": "north", "title": "Outside", "text": "from outside"}
    ),
    "call a vote": Outsider("clara", f"/motions/{NORTH_MOTION}/vote-call"),
    "withdraw a motion": Outsider("clara", f"/motions/{NORTH_MOTION}/withdraw"),
    "amend a motion": Outsider("clara", f"/motions/{NORTH_MOTION}/amendments", {"text": "amended from outside"}),
    "mandate a delegate": Outsider(
        "ana", "/motions/strike-fund/mandates", {"council": "local-6", "position": "no", "text": "x"}
    ),
    "object to a decision": Outsider("clara", f"/decisions/{NORTH_DECISION}/objections"),
    "cast a secret ballot": Outsider("clara", "/polls/ballot", {"poll": ELECTION, "rank-1": "@candidate"}),
    "vote in a roll call": Outsider("ana", "/polls/ballot", {"poll": ROLL_CALL, "marks": "no"}),
    "nominate": Outsider("clara", f"/elections/{NOMINATING}/nominations", {"nominee": "@clara"}),
    "open an election's vote": Outsider("clara", f"/elections/{NOMINATING}/open"),
    "sign a recall petition": Outsider("ana", "/petitions/petition-demo/signatures"),
    "start a recall petition": Outsider(
        "ana", "/petitions/new", {"kind": "recall", "council": "south", "delegate": "@boris", "reason": "from outside"}
    ),
    "start an initiative": Outsider(
        "clara",
        "/petitions/new",
        {"kind": "initiative", "council": "north", "title": "Outside", "text": "from outside"},
    ),
    "amend a faction's platform": Outsider("ana", "/factions/broad/platform", {"text": "rewritten from outside"}),
    "dissolve a faction": Outsider("ana", "/factions/broad/dissolution"),
}

API = {
    "issue an invitation": Outsider("boris", "/api/v1/invitations", {"council": "local-1"}),
    "propose a secretary": Outsider(
        "boris", "/api/v1/councils/local-1/secretary", {"nominee": "@ana", "text": "minutes"}
    ),
    "call a by-election": Outsider("clara", "/api/v1/councils/north/by-election", {"constituent": "local-1"}),
    "give up a seat": Outsider("clara", "/api/v1/councils/north/resignation"),
    "propose a motion": Outsider(
        "clara", "/api/v1/motions", {"council": "north", "title": "Outside", "text": "outside"}
    ),
    "call a vote": Outsider("clara", f"/api/v1/motions/{NORTH_MOTION}/vote-call"),
    "withdraw a motion": Outsider("clara", f"/api/v1/motions/{NORTH_MOTION}/withdraw"),
    "amend a motion": Outsider("clara", f"/api/v1/motions/{NORTH_MOTION}/amendments", {"text": "amended from outside"}),
    "mandate a delegate": Outsider(
        "ana", "/api/v1/motions/strike-fund/mandates", {"council": "local-6", "position": "no", "text": "x"}
    ),
    "object to a decision": Outsider("clara", f"/api/v1/decisions/{NORTH_DECISION}/objections"),
    "cast a secret ballot": Outsider("clara", f"/api/v1/polls/{ELECTION}/ballots", {"marks": ["@candidate"]}),
    "vote in a roll call": Outsider("ana", f"/api/v1/polls/{ROLL_CALL}/ballots", {"marks": ["no"]}),
    "nominate": Outsider("clara", f"/api/v1/elections/{NOMINATING}/nominations", {"nominee": "@clara"}),
    "open an election's vote": Outsider("clara", f"/api/v1/elections/{NOMINATING}/open"),
    "sign a recall petition": Outsider("ana", "/api/v1/petitions/petition-demo/signatures"),
    "start a recall petition": Outsider(
        "ana", "/api/v1/petitions", {"kind": "recall", "council": "south", "delegate": "@boris", "reason": "outside"}
    ),
    "start an initiative": Outsider(
        "clara", "/api/v1/petitions", {"kind": "initiative", "council": "north", "title": "Outside", "text": "outside"}
    ),
    "amend a faction's platform": Outsider(
        "ana", "/api/v1/factions/broad/platform", {"text": "rewritten from outside"}
    ),
    "dissolve a faction": Outsider("ana", "/api/v1/factions/broad/dissolution"),
}


@pytest.mark.parametrize("action", PAGES)
def test_an_outsider_is_refused_every_members_only_page_action(
    action: str, page_as: Callable[[str], Client], logins: dict[str, str]
):
    attempt = PAGES[action]
    browser = page_as(attempt.who)
    with nothing_changes():
        refused = browser.post(attempt.path, _filled(attempt.data, logins))
    assert refused.status_code == 403, (action, refused.status_code, refused.content.decode()[:2000])


@pytest.mark.parametrize("action", API)
def test_an_outsider_is_refused_every_members_only_api_action(
    action: str, api_as: Callable[[str], Client], logins: dict[str, str]
):
    attempt = API[action]
    client = api_as(attempt.who)
    with nothing_changes():
        refused = client.post(attempt.path, _filled(attempt.data, logins), content_type="application/json")
    assert refused.status_code == 403, (action, refused.status_code, refused.content.decode()[:2000])
    assert refused.json()["code"] == "not_allowed"


def test_a_base_councils_roll_of_names_is_shown_to_its_members_only(page_as: Callable[[str], Client], client: Client):
    """Names are kept out of the public record: the secretary form, which lists the members, is theirs alone."""
    secretary = councils.council("local-1").secretary
    names = [name for _, name in councils.roll("local-1") if not secretary or name != secretary.name]
    inside = html.unescape(page_as("ana").get("/councils/local-1").content.decode())
    assert names and 'id="elect-secretary"' in inside and all(name in inside for name in names)
    for outside in (page_as("boris"), client):
        page = html.unescape(outside.get("/councils/local-1").content.decode())
        assert 'id="elect-secretary"' not in page
        assert not [name for name in names if name in page], "an outsider sees a member's name"


# What the tables above leave out, and why: every other POST is open to anyone, or acts on the
# member's own login, membership or signature (nothing in a council that is not theirs).
OPEN_OR_ONES_OWN = {
    "login": "anyone logs in",
    "logout": "one's own session",
    "set_language": "one's own language",
    "receipt": "anyone checks a receipt they hold",
    "make_token": "one's own API token",
    "revoke_token": "one's own API token",
    "leave": "one's own membership",
    "join_faction": "factions are open to every member of the federation",
    "leave_faction": "one's own faction membership",
    "accept-nomination": "one's own nomination",
    "withdraw-nomination": "one's own nomination",
    "withdraw-signature": "one's own signature",
    "join": "a newcomer with an invitation (single-use: test_expiry)",
    "factions": "founding a faction: open to every member",
}
OPEN_OR_ONES_OWN_API = {
    "post /api/v1/tokens",
    "post /api/v1/join",
    "post /api/v1/leave",
    "post /api/v1/factions",
    "post /api/v1/factions/{faction_id}/join",
    "post /api/v1/factions/{faction_id}/leave",
    "post /api/v1/elections/{election_id}/accept",
    "post /api/v1/elections/{election_id}/withdraw",
    "delete /api/v1/petitions/{petition_id}/signatures",
    "post /api/v1/receipts/check",
}


def _posting_pages() -> set[str]:
    """The URL name of every form that posts: its action, or the page it is on."""
    named = set()
    for template in TEMPLATES.rglob("*.html"):
        for form in re.finditer(r'<form[^>]*method="post"[^>]*>', template.read_text(encoding="utf-8")):
            action = re.search(r"\{% url '([\w-]+)'", form.group(0))
            named.add(action.group(1) if action else {"join.html": "join", "list.html": "factions"}[template.name])
    return named


def test_the_tables_cover_every_page_that_posts():
    covered = {resolve(attempt.path).url_name for attempt in PAGES.values()}
    assert _posting_pages() - covered - OPEN_OR_ONES_OWN.keys() == set()


def test_the_tables_cover_every_api_endpoint_that_writes():
    writes = {
        f"{method} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method != "get"
    }
    routes = {entry: re.compile("^" + re.sub(r"\{\w+\}", ".+", entry.split(" ")[1]) + "$") for entry in writes}
    covered = {entry for entry, route in routes.items() for attempt in API.values() if route.match(attempt.path)}
    assert writes - covered - OPEN_OR_ONES_OWN_API == set()
