"""The API for people: me, tokens, joining, invitations, leaving, the tree, councils, factions, a delegate's record.

Every endpoint: its success, 401 without a token where one is needed, 4xx JSON ``{code, message}``
for bad input, and nothing changed on a refusal.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frombelow.web import demo
from frombelow.web.actions import cast_ballot, issue_api_token, issue_invitation
from frombelow.web.models import (
    Account,
    ApiToken,
    CouncilRow,
    DecisionRow,
    FactionMemberRow,
    FactionRow,
    LedgerHead,
    MemberRow,
    RecordRow,
)
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1"
NEWCOMER = {"username": "dora", "name": "Dora Nowak", "password": "solidarity-forever-42"}


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, Account.objects.count(), ApiToken.objects.count(), snapshot()


class Api:
    """A client speaking JSON to the API, with a bearer token if given."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str):
        return self.client.get(API + path, **self.headers)

    def post(self, path: str, body: object = None):
        return self.client.post(API + path, body or {}, content_type="application/json", **self.headers)


def _as(username: str) -> Api:
    return Api(issue_api_token.run(get_user_model().objects.get(username=username)))


@pytest.fixture
def ana(db) -> Api:
    return _as("ana")


@pytest.fixture
def clara(db) -> Api:
    return _as("clara")


@pytest.fixture
def anyone(db) -> Api:
    return Api()


def _refused(response, status: int, code: str | None = None, says: str = "") -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message"} and says in body["message"]
    if code:
        assert body["code"] == code
    return body


# --- accounts ------------------------------------------------------------------------------


def test_me_says_who_the_token_is(ana: Api, logins):
    me = ana.get("/me")
    assert me.status_code == 200
    body = me.json()
    assert body["id"] == logins["ana"] and body["council"] == "local-1"
    assert body["name"] == Account.objects.get(member=logins["ana"]).display_name
    assert {f["id"] for f in body["factions"]} == set(
        FactionMemberRow.objects.filter(member=logins["ana"]).values_list("faction", flat=True)
    )


def test_me_lists_a_delegates_seats(logins):
    seats = _as("boris").get("/me").json()["seats"]
    assert {(s["council"], s["constituent"]) for s in seats} == {("south", "local-6")}


def test_me_needs_a_valid_token(anyone: Api):
    _refused(anyone.get("/me"), 401, "unauthenticated")
    _refused(Api("not-a-token").get("/me"), 401, "unauthenticated")


def test_me_for_a_login_that_is_no_member_is_403(db):
    get_user_model().objects.create_user("operator", password=demo.PASSWORD)
    _refused(_as("operator").get("/me"), 403, "not_allowed", "not a member of the federation")


def test_a_token_is_made_with_username_and_password_and_works(anyone: Api):
    made = anyone.post("/tokens", {"username": "clara", "password": demo.PASSWORD, "name": "phone"})
    assert made.status_code == 201
    assert Api(made.json()["token"]).get("/me").json()["council"] == "local-6"
    assert ApiToken.objects.filter(name="phone").count() == 1


def test_a_token_is_not_made_for_a_wrong_password_or_a_malformed_body(anyone: Api):
    before = _everything()
    _refused(anyone.post("/tokens", {"username": "clara", "password": "wrong"}), 401, "wrong_credentials")
    _refused(anyone.post("/tokens", {"username": "clara"}), 400, "invalid_input", "password")
    _refused(anyone.post("/tokens", {"username": "", "password": "x"}), 400, "invalid_input", "username")
    assert _everything() == before


def test_a_newcomer_joins_through_the_api(anyone: Api, logins):
    code = issue_invitation.run(logins["ana"], "local-1")
    joined = anyone.post("/join", {"code": code, **NEWCOMER})
    assert joined.status_code == 201
    body = joined.json()
    assert body["council"] == "local-1" and MemberRow.objects.get(id=body["member"]).council == "local-1"
    token = anyone.post("/tokens", {"username": "dora", "password": NEWCOMER["password"]}).json()["token"]
    assert Api(token).get("/me").json()["name"] == "Dora Nowak"
    _refused(anyone.post("/join", {"code": code, **NEWCOMER, "username": "dora2"}), 403, "not_allowed", "used")


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"code": "no-such-invitation-code"}, 404, "not known"),
        ({"password": "short"}, 400, "password"),
        ({"name": ""}, 400, "name"),
        ({"username": "boris"}, 400, "taken"),
    ],
)
def test_a_bad_join_is_refused_and_changes_nothing(anyone: Api, logins, change: dict, status: int, says: str):
    code = issue_invitation.run(logins["ana"], "local-1")
    before = _everything()
    _refused(anyone.post("/join", {"code": code, **NEWCOMER} | change), status, says=says)
    assert _everything() == before


def test_a_member_invites_to_their_own_council(ana: Api, anyone: Api):
    made = ana.post("/invitations", {"council": "local-1"})
    assert made.status_code == 201
    body = made.json()
    assert body["link"].endswith(f"/join/{body['code']}") and body["council"] == "local-1"
    assert anyone.client.get(f"/join/{body['code']}").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"council": "local-6"}, 403, "only members of Local 6"),  # another base council
        ({"council": "north"}, 403, "delegate council"),  # the council above
        ({"council": "no-such-council"}, 404, "no-such-council"),
        ({}, 400, "council"),
    ],
)
def test_no_one_invites_into_another_council(ana: Api, body: dict, status: int, says: str):
    """Invariant 1 through the API: refused, with nothing changed."""
    before = _everything()
    _refused(ana.post("/invitations", body), status, says=says)
    assert _everything() == before


def test_inviting_and_leaving_need_a_token(anyone: Api):
    before = _everything()
    _refused(anyone.post("/invitations", {"council": "local-1"}), 401)
    _refused(anyone.post("/leave", {"confirm": True}), 401)
    assert _everything() == before


def test_leaving_needs_confirm_true_then_takes_effect(clara: Api, logins):
    before = _everything()
    _refused(clara.post("/leave", {}), 400, "invalid_input", "confirm")
    _refused(clara.post("/leave", {"confirm": False}), 400, "invalid_input", "confirm")
    assert _everything() == before
    left = clara.post("/leave", {"confirm": True})
    assert left.status_code == 200 and left.json() == {"member": logins["clara"], "left": True}
    assert not MemberRow.objects.filter(id=logins["clara"]).exists()
    _refused(clara.post("/leave", {"confirm": True}), 404, "not_found")


# --- the federation, councils, a delegate's record ----------------------------------------


def test_the_tree_is_public_and_holds_every_open_council(anyone: Api):
    tree = anyone.get("/federation")
    assert tree.status_code == 200
    body = tree.json()
    assert body["id"] == "metal" and body["tree"]["id"] == body["congress"] == "congress"

    def walk(node: dict) -> list[str]:
        return [node["id"], *(i for child in node["children"] for i in walk(child))]

    assert sorted(walk(body["tree"])) == sorted(CouncilRow.objects.filter(closed=False).values_list("id", flat=True))
    assert body["tree"]["represented"] == MemberRow.objects.count()


def test_every_council_is_listed(anyone: Api):
    councils = anyone.get("/councils")
    assert councils.status_code == 200
    assert {c["id"] for c in councils.json()} == set(CouncilRow.objects.values_list("id", flat=True))


def test_a_council_with_its_delegates_agenda_petitions_and_decisions(anyone: Api):
    south = anyone.get("/councils/south")
    assert south.status_code == 200
    body = south.json()
    assert body["council"]["kind"] == "delegate" and body["parent"]["id"] == "congress"
    assert {c["id"] for c in body["children"]} == {"local-4", "local-5", "local-6"}
    assert {d["constituent"] for d in body["delegates"]} <= {"local-4", "local-5", "local-6"}
    assert "strike-fund" in {m["id"] for m in body["agenda"]}
    assert "petition-demo" in {p["id"] for p in body["petitions"]}

    dissented = RecordRow.objects.filter(kind="dissents").first()
    council = DecisionRow.objects.get(motion=dissented.key).council
    decisions = {d["motion"]: d for d in anyone.get(f"/councils/{council}").json()["decisions"]}
    assert [d["text"] for d in decisions[dissented.key]["dissents"]] == [d["text"] for d in dissented.data]


def test_a_council_that_does_not_exist_is_404_json(anyone: Api):
    _refused(anyone.get("/councils/no-such-council"), 404, "not_found", "no-such-council")


def test_a_delegates_record_shows_the_deviation(anyone: Api, logins):
    cast_ballot.run(logins["boris"], "vote on strike-fund", ["no"])
    record = anyone.get(f"/delegates/{logins['boris']}/record")
    assert record.status_code == 200
    vote = next(v for v in record.json()["votes"] if v["motion"] == "strike-fund")
    assert vote["cast"] == ["no"] and vote["position"] == "yes" and vote["policy"] == "recall-trigger"
    assert vote["deviated"] is True
    _refused(anyone.get("/delegates/no-such-member/record"), 404, "not_found")


# --- factions ------------------------------------------------------------------------------


def test_factions_are_public(anyone: Api):
    listed = anyone.get("/factions")
    assert listed.status_code == 200
    assert {f["id"]: f["members"] for f in listed.json()} == dict(FactionRow.objects.values_list("id", "members"))
    faction = FactionRow.objects.first()
    shown = anyone.get(f"/factions/{faction.id}").json()
    assert shown["faction"]["platform"] == faction.data["platform"]
    assert {m["id"] for m in shown["member_names"]} == set(
        FactionMemberRow.objects.filter(faction=faction.id).values_list("member", flat=True)
    )
    _refused(anyone.get("/factions/no-such-faction"), 404, "not_found")


def test_a_member_founds_amends_joins_leaves_and_dissolves(ana: Api, clara: Api):
    founded = ana.post("/factions", {"name": "Rank and File", "platform": "Members decide."})
    assert founded.status_code == 201
    faction = founded.json()["id"]
    assert founded.json()["members"] == 1
    joined = clara.post(f"/factions/{faction}/join")
    assert joined.status_code == 200 and joined.json()["members"] == 2
    amended = clara.post(f"/factions/{faction}/platform", {"text": "Members decide everything."})
    assert amended.status_code == 200 and amended.json()["platform"] == "Members decide everything."
    left = clara.post(f"/factions/{faction}/leave")
    assert left.status_code == 200 and left.json()["members"] == 1
    dissolved = ana.post(f"/factions/{faction}/dissolution")
    assert dissolved.status_code == 200 and dissolved.json()["dissolved"] is True


def test_only_its_members_change_a_faction(ana: Api, logins):
    """Invariant 1: a faction is changed by its own members only."""
    outside = FactionRow.objects.exclude(id__in=FactionMemberRow.objects.filter(member=logins["ana"]).values("faction"))
    faction = outside.first()
    before = _everything()
    _refused(ana.post(f"/factions/{faction.id}/platform", {"text": "Other"}), 403, "not_allowed", "only members")
    _refused(ana.post(f"/factions/{faction.id}/dissolution"), 403, "not_allowed", "only members")
    _refused(ana.post(f"/factions/{faction.id}/leave"), 403, "not_allowed", "only members")
    assert _everything() == before


def test_a_non_member_cannot_join_a_faction(db):
    get_user_model().objects.create_user("operator", password=demo.PASSWORD)
    operator = _as("operator")
    before = _everything()
    _refused(operator.post("/factions/left/join"), 403, "not_allowed", "not a member of the federation")
    assert _everything() == before


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/factions", {"name": "X"}, 400, "platform"),
        ("/factions", {"name": "", "platform": "Y"}, 400, "name"),
        ("/factions", {"name": "Left Unity", "platform": "Y"}, 400, "there is a faction named Left Unity"),
        ("/factions/left/platform", {}, 400, "text"),
        ("/factions/no-such-faction/join", None, 404, "no-such-faction"),
    ],
)
def test_bad_faction_requests_are_refused_and_change_nothing(ana: Api, path: str, body, status: int, says: str):
    before = _everything()
    _refused(ana.post(path, body), status, says=says)
    assert _everything() == before


def test_faction_acts_need_a_token(anyone: Api):
    before = _everything()
    for path, body in (
        ("/factions", {"name": "X", "platform": "Y"}),
        ("/factions/left/join", None),
        ("/factions/left/leave", None),
        ("/factions/left/platform", {"text": "Z"}),
        ("/factions/left/dissolution", None),
    ):
        _refused(anyone.post(path, body), 401, "unauthenticated")
    assert _everything() == before


def test_the_openapi_document_describes_every_endpoint_here(anyone: Api):
    paths = anyone.get("/openapi.json").json()["paths"]
    for path in (
        "/me",
        "/tokens",
        "/join",
        "/invitations",
        "/leave",
        "/federation",
        "/councils",
        "/councils/{council_id}",
        "/factions",
        "/factions/{faction_id}",
        "/factions/{faction_id}/join",
        "/factions/{faction_id}/leave",
        "/factions/{faction_id}/platform",
        "/factions/{faction_id}/dissolution",
        "/delegates/{member}/record",
    ):
        assert API + path in paths, path


def test_a_delegate_resigns_and_the_by_election_is_called_at_once(logins):
    boris, clara = _as("boris"), _as("clara")
    seats = boris.post("/councils/south/resignation")
    assert seats.status_code == 200
    assert logins["boris"] not in {d["member"] for d in seats.json()["delegates"]}
    assert any(e["stage"] == "nominations" for e in seats.json()["elections"])
    before = _everything()
    _refused(clara.post("/councils/south/by-election", {"constituent": "local-6"}), 400, "invalid_command")
    assert _everything() == before


def test_resigning_a_seat_not_held_or_calling_another_councils_by_election_is_refused(ana: Api):
    before = _everything()
    _refused(ana.post("/councils/south/resignation"), 403, "not_allowed")
    _refused(ana.post("/councils/south/by-election", {"constituent": "local-4"}), 403, "not_allowed")
    _refused(ana.post("/councils/south/by-election", {}), 400, "invalid_input")
    _refused(Api().post("/councils/south/resignation"), 401)
    assert _everything() == before


# --- the secretary ---------------------------------------------------------------------------


def test_a_council_names_its_secretary_and_who_invites(anyone: Api, logins):
    body = anyone.get("/councils/local-1").json()
    assert body["secretary"]["member"] == logins["ana"] and body["secretary"]["name"] == "Ana Ortiz"
    assert body["invitations_by"] == "secretary"
    assert anyone.get("/councils/north").json()["secretary"] is None


def test_a_member_proposes_a_secretary_for_their_council(ana: Api, logins):
    made = ana.post("/councils/local-1/secretary", {"nominee": logins["ana"], "text": "Re-elect her."})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["id"].startswith("secretary-local-1-") and body["title"] == f"Elect {logins['ana']} secretary of Local 1"
    )
    assert body["id"] in {m["id"] for m in ana.get("/councils/local-1").json()["agenda"]}


@pytest.mark.parametrize(
    ("who", "council", "body", "status", "says"),
    [
        ("clara", "local-1", {"nominee": "ana", "text": "From outside."}, 403, "only members of Local 1 may elect"),
        ("ana", "local-1", {"nominee": "clara", "text": "Why."}, 403, "must be one of its members"),
        ("ana", "north", {"nominee": "ana", "text": "From below."}, 403, "delegate council"),
        ("ana", "local-1", {"nominee": "ana"}, 400, "text"),
    ],
)
def test_a_secretary_proposal_is_refused_with_nothing_changed(
    logins, who: str, council: str, body: dict, status: int, says: str
):
    body = {k: logins.get(v, v) for k, v in body.items()}  # login names -> member ids
    member = _as(who)
    before = _everything()
    _refused(member.post(f"/councils/{council}/secretary", body), status, says=says)
    _refused(Api().post(f"/councils/{council}/secretary", body), 401)
    assert _everything() == before


def test_only_the_secretary_invites_through_the_api(logins):
    others = Account.objects.filter(member__in=MemberRow.objects.filter(council="local-1").values("id"))
    other = Api(issue_api_token.run(others.exclude(member=logins["ana"]).order_by("member").first().user))
    before = _everything()
    _refused(other.post("/invitations", {"council": "local-1"}), 403, "not_allowed", "only the secretary of Local 1")
    assert _everything() == before
