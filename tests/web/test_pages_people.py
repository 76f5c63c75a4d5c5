"""Accounts, joining by invitation, and factions, through HTTP: what each page shows, and refusals that change nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frombelow.web import demo
from frombelow.web.actions import issue_invitation
from frombelow.web.models import (
    Account,
    ApiToken,
    FactionMemberRow,
    FactionRow,
    LedgerHead,
    MemberRow,
    RecordRow,
)
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

NEWCOMER = {"username": "dora", "name": "Dora Nowak", "password": "solidarity-forever-42"}


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, Account.objects.count(), ApiToken.objects.count(), snapshot()


@pytest.fixture
def code(logins) -> str:
    """An invitation to Local 1, issued by ana."""
    return issue_invitation.run(logins["ana"], "local-1")


@pytest.fixture
def operator(db) -> Client:
    """A login that is not a member of the federation (the server's operator)."""
    get_user_model().objects.create_user("operator", password=demo.PASSWORD)
    client = Client()
    client.login(username="operator", password=demo.PASSWORD)
    return client


# --- logging in and out --------------------------------------------------------------------


def test_logging_in_and_out(client: Client):
    assert client.get("/login").status_code == 200
    wrong = client.post("/login", {"username": "ana", "password": "not it"})
    assert wrong.status_code == 200 and "do not match" in wrong.content.decode()
    right = client.post("/login", {"username": "ana", "password": demo.PASSWORD})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/account").status_code == 200
    assert client.get("/logout").status_code == 405  # logging out is a POST (CSRF-protected)
    assert client.post("/logout").status_code == 302
    assert client.get("/account")["Location"].startswith("/login")


# --- the account page ----------------------------------------------------------------------


def test_the_account_page_says_who_i_am_my_council_factions_and_seats(boris: Client, logins):
    page = boris.get("/account")
    assert page.status_code == 200
    html = page.content.decode()
    name = Account.objects.get(member=logins["boris"]).display_name
    assert name in html and logins["boris"] in html
    assert 'href="/councils/local-6"' in html and 'href="/councils/south"' in html  # his council, his seat
    for faction in FactionMemberRow.objects.filter(member=logins["boris"]).values_list("faction", flat=True):
        assert f'href="/factions/{faction}"' in html
    assert f'href="/delegates/{logins["boris"]}"' in html


def test_the_account_page_needs_a_login(client: Client):
    assert client.get("/account")["Location"].startswith("/login")


def test_a_token_is_shown_once_works_and_can_be_revoked(ana: Client):
    made = ana.post("/account/tokens", {"name": "my script"})
    assert made.status_code == 201
    token = re.search(r'id="new-token">([\w-]+)<', made.content.decode()).group(1)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/v1/me", **bearer).status_code == 200
    again = ana.get("/account").content.decode()
    assert token not in again and "my script" in again
    listed = ApiToken.objects.get(name="my script")
    revoked = ana.post(f"/account/tokens/{listed.pk}/revoke")
    assert revoked.status_code == 302
    assert Client().get("/api/v1/me", **bearer).status_code == 401


def test_no_one_revokes_someone_elses_token(ana: Client, boris: Client):
    boris.post("/account/tokens", {"name": "boris's"})
    theirs = ApiToken.objects.get(name="boris's")
    before = _everything()
    refused = ana.post(f"/account/tokens/{theirs.pk}/revoke")
    assert refused.status_code == 404 and "no such API token" in refused.content.decode()
    assert _everything() == before


def test_a_token_name_too_long_is_400_naming_the_field(ana: Client):
    before = _everything()
    refused = ana.post("/account/tokens", {"name": "x" * 101})
    assert refused.status_code == 400 and "at most 100 characters" in refused.content.decode()
    assert _everything() == before


# --- joining by invitation -----------------------------------------------------------------


def test_a_newcomer_joins_by_invitation_is_logged_in_and_sent_to_their_council(client: Client, code: str):
    page = client.get(f"/join/{code}")
    assert page.status_code == 200 and "Join Local 1" in page.content.decode()
    members = MemberRow.objects.filter(council="local-1").count()
    joined = client.post(f"/join/{code}", NEWCOMER)
    assert joined.status_code == 302 and joined["Location"] == "/councils/local-1"
    assert MemberRow.objects.filter(council="local-1").count() == members + 1
    welcome = client.get(joined["Location"]).content.decode()
    assert "Welcome to Local 1" in welcome and "Dora Nowak" in welcome  # logged in, named in the header
    used = Client().get(f"/join/{code}")
    assert used.status_code == 403 and "used already" in used.content.decode()


def test_an_unknown_invitation_is_404_with_a_clear_message(client: Client):
    before = _everything()
    unknown = client.post("/join/not-a-code-anyone-issued", NEWCOMER)
    assert unknown.status_code == 404 and "not known" in unknown.content.decode()
    assert _everything() == before


def test_an_expired_invitation_is_refused(client: Client, code: str, platform_clock):
    platform_clock.advance(days=15)  # the demo charter's invitations last 14 days
    before = _everything()
    expired = client.post(f"/join/{code}", NEWCOMER)
    assert expired.status_code == 403 and "expired" in expired.content.decode()
    assert _everything() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password": ""}, "password", "This field is required"),
        ({"password": "short"}, "password", "at least 10 characters"),
        ({"name": ""}, "name", "This field is required"),
        ({"username": "boris"}, None, "taken"),
        ({"username": "no spaces"}, None, "letters, digits"),
        ({"password": "password123"}, None, "too common"),
    ],
)
def test_a_malformed_join_is_400_naming_the_problem_and_changes_nothing(
    client: Client, code: str, change: dict, field: str | None, message: str
):
    before = _everything()
    refused = client.post(f"/join/{code}", NEWCOMER | change)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert message in html
    if field:
        assert re.search(rf'id="id_{field}"', html)
    assert _everything() == before
    assert client.get(f"/join/{code}").status_code == 200  # the invitation still works


# --- leaving -------------------------------------------------------------------------------


def test_leaving_needs_a_confirmation_then_takes_effect(clara: Client, logins):
    before = _everything()
    unconfirmed = clara.post("/account/leave", {})
    assert unconfirmed.status_code == 400 and "This field is required" in unconfirmed.content.decode()
    assert _everything() == before
    left = clara.post("/account/leave", {"confirm": "on"})
    assert left.status_code == 302
    assert not MemberRow.objects.filter(id=logins["clara"]).exists()
    assert "no longer a member of a council" in clara.get("/account").content.decode()


def test_a_login_that_is_no_member_cannot_leave(operator: Client):
    before = _everything()
    refused = operator.post("/account/leave", {"confirm": "on"})
    assert refused.status_code == 403 and "not a member of the federation" in refused.content.decode()
    assert _everything() == before


# --- factions ------------------------------------------------------------------------------


def test_the_factions_page_lists_platforms_and_member_counts(client: Client):
    html = client.get("/factions").content.decode()
    for faction in FactionRow.objects.all():
        assert f'href="/factions/{faction.id}"' in html and faction.data["platform"] in html
        assert f'<td class="number">{faction.members}</td>' in html
    assert "Found a faction" not in html  # for members only


def test_a_factions_page_names_its_members_and_the_dissent_it_recorded(client: Client):
    statement = RecordRow.objects.filter(kind="dissents").first().data[0]
    faction = FactionRow.objects.get(id=statement["faction"])
    html = client.get(f"/factions/{faction.id}").content.decode()
    assert faction.name in html and faction.data["platform"] in html
    some = FactionMemberRow.objects.filter(faction=faction.id).first().member
    assert Account.objects.get(member=some).display_name in html
    assert statement["text"] in html and f'href="/motions/{statement["decision"]}"' in html


def test_a_faction_that_does_not_exist_is_404(client: Client):
    assert client.get("/factions/no-such-faction").status_code == 404


def test_a_member_founds_a_faction_amends_its_platform_and_dissolves_it(ana: Client, logins):
    founded = ana.post("/factions", {"name": "Rank and File", "platform": "Members decide."})
    assert founded.status_code == 302
    page = ana.get(founded["Location"]).content.decode()
    assert "Rank and File" in page and "Members decide." in page and "Amend the platform" in page
    faction = FactionRow.objects.get(name="Rank and File")
    assert ana.post(f"/factions/{faction.id}/platform", {"text": "Members decide everything."}).status_code == 302
    assert FactionRow.objects.get(id=faction.id).data["platform"] == "Members decide everything."
    assert ana.post(f"/factions/{faction.id}/dissolution").status_code == 302  # its only member: more than half
    assert FactionRow.objects.get(id=faction.id).dissolved


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"name": "Rank and File"}, 400, "This field is required"),  # no platform
        ({"name": "", "platform": "x"}, 400, "This field is required"),
        ({"name": "left unity", "platform": "again"}, 400, "there is a faction named Left Unity already"),
    ],
)
def test_founding_a_faction_badly_is_refused_and_changes_nothing(ana: Client, form: dict, status: int, message: str):
    before = _everything()
    refused = ana.post("/factions", form)
    assert refused.status_code == status and message in refused.content.decode()
    assert _everything() == before


def test_joining_and_leaving_a_faction(ana: Client, logins):
    faction = FactionRow.objects.exclude(id__in=FactionMemberRow.objects.filter(member=logins["ana"]).values("faction"))
    faction = faction.first()
    assert ana.post(f"/factions/{faction.id}/join").status_code == 302
    assert FactionRow.objects.get(id=faction.id).members == faction.members + 1
    again = ana.post(f"/factions/{faction.id}/join")
    assert again.status_code == 400 and "member of" in again.content.decode()
    assert ana.post(f"/factions/{faction.id}/leave").status_code == 302
    assert FactionRow.objects.get(id=faction.id).members == faction.members


def test_only_a_factions_own_members_change_it(ana: Client, logins):
    """Invariant 1: no one outside a faction amends, leaves for or dissolves it."""
    outside = FactionRow.objects.exclude(id__in=FactionMemberRow.objects.filter(member=logins["ana"]).values("faction"))
    faction = outside.first()
    before = _everything()
    for action, form in (("platform", {"text": "Something else"}), ("dissolution", {}), ("leave", {})):
        refused = ana.post(f"/factions/{faction.id}/{action}", form)
        assert refused.status_code == 403, action
        assert f"only members of {faction.name}" in refused.content.decode()
    assert _everything() == before


def test_a_login_that_is_no_member_cannot_join_a_faction(operator: Client, clara: Client, logins):
    faction = FactionRow.objects.first()
    before = _everything()
    refused = operator.post(f"/factions/{faction.id}/join")
    assert refused.status_code == 403 and "not a member of the federation" in refused.content.decode()
    assert _everything() == before
    clara.post("/account/leave", {"confirm": "on"})  # a member who left is no member either
    before = _everything()
    refused = clara.post(f"/factions/{faction.id}/join")
    assert refused.status_code == 404 and "not a member" in refused.content.decode()
    assert _everything() == before


def test_acting_on_a_faction_needs_a_login(client: Client):
    before = _everything()
    assert client.post("/factions/left/join")["Location"].startswith("/login")
    assert client.post("/factions", {"name": "X", "platform": "Y"})["Location"].startswith("/login")
    assert _everything() == before


def test_amending_to_an_empty_platform_is_400(ana: Client):
    ana.post("/factions", {"name": "Mine", "platform": "Ours."})
    mine = FactionRow.objects.get(name="Mine").id
    before = _everything()
    refused = ana.post(f"/factions/{mine}/platform", {"text": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    assert _everything() == before
