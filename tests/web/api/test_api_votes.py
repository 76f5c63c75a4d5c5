"""The API for votes: elections, polls and ballots, motions, decisions, petitions.

Every endpoint: its success, 401 without a token where one is needed, 4xx JSON ``{code, message}``
for bad input, nothing changed on a refusal; poll and election ids (with spaces and slashes)
round-trip through the path.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from frombelow.web.actions import issue_api_token, resign
from frombelow.web.models import Account, ElectionRow, LedgerHead, MemberRow, PollRow, SeatRow
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, snapshot()


class Api:
    def __init__(self, member: str | None = None) -> None:
        self.client = Client()
        self.headers = {}
        if member is not None:
            token = issue_api_token.run(Account.objects.get(member=member).user)
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str):
        return self.client.get(API + path, **self.headers)

    def post(self, path: str, body: object = None):
        return self.client.post(API + path, body or {}, content_type="application/json", **self.headers)

    def delete(self, path: str):
        return self.client.delete(API + path, **self.headers)


def _refused(response, status: int, says: str = "") -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message"} and says in body["message"]
    return body


def _path(poll_or_election: str) -> str:
    return quote(poll_or_election, safe="/")


@pytest.fixture
def by_election() -> PollRow:
    return PollRow.objects.get(id=ElectionRow.objects.get(stage="voting").poll)


def test_elections_are_listed_and_read_with_their_rounds(db):
    listed = Api().get("/elections")
    assert listed.status_code == 200
    assert "north/local-1/term-2/by-election-1" in [e["id"] for e in listed.json()["open"]]
    decided = Api().get("/elections/congress/south/term-2").json()
    assert decided["stage"] == "decided" and decided["poll"]["counted"]
    rounds = decided["poll"]["rounds"]
    assert [r["number"] for r in rounds] == [1, 2, 3] and rounds[0]["tally"][0]["votes"] == "3"
    _refused(Api().get("/elections/no/such/election"), 404, "no election")


def test_a_secret_ballot_gives_a_receipt_once_and_a_second_is_refused(logins, by_election):
    ana = Api(logins["ana"])
    path = f"/polls/{_path(by_election.id)}"
    assert ana.get(path).json()["may_vote"] is True
    cast = ana.post(path + "/ballots", {"marks": by_election.data["choices"][:2]})
    assert cast.status_code == 200
    body = cast.json()
    assert body["poll"] == by_election.id and body["secret"] and not body["recorded"]
    assert len(body["receipt"].split(":")[0]) == 64
    read = ana.get(path).json()
    assert read["id"] == by_election.id and read["turnout"] == 1 and read["voted"] and not read["may_vote"]
    before = _everything()
    _refused(ana.post(path + "/ballots", {"marks": by_election.data["choices"][:1]}), 403, "voted")
    assert _everything() == before


@pytest.mark.parametrize(
    ("marks", "status", "says"),
    [
        ({"marks": ["{0}", "{0}"]}, 400, "at most once"),
        ({"marks": ["nobody"]}, 400, "'nobody' is not a choice"),
        ({"marks": []}, 400, "marks"),
        ({}, 400, "marks"),
        ({"marks": "{0}"}, 400, "marks"),
    ],
)
def test_a_malformed_ballot_is_refused_naming_what_is_wrong(logins, by_election, marks, status, says):
    choice = by_election.data["choices"][0]
    body = {k: [m.format(choice) for m in v] if isinstance(v, list) else v.format(choice) for k, v in marks.items()}
    before = _everything()
    _refused(Api(logins["ana"]).post(f"/polls/{_path(by_election.id)}/ballots", body), status, says)
    assert _everything() == before


def test_a_ballot_in_someone_elses_election_or_without_a_token_is_refused(logins, by_election):
    path = f"/polls/{_path(by_election.id)}/ballots"
    before = _everything()
    _refused(Api(logins["clara"]).post(path, {"marks": by_election.data["choices"][:1]}), 403, "entitled")
    _refused(Api().post(path, {"marks": by_election.data["choices"][:1]}), 401)
    _refused(Api(logins["clara"]).post("/polls/no%20such%20vote/ballots", {"marks": ["yes"]}), 404)
    assert _everything() == before


def test_after_the_close_the_poll_reads_with_its_count(logins, by_election, platform_clock):
    Api(logins["ana"]).post(f"/polls/{_path(by_election.id)}/ballots", {"marks": by_election.data["choices"][:3]})
    platform_clock.advance(days=8)
    read = Api().get(f"/polls/{_path(by_election.id)}").json()
    assert read["counted"] and read["outcome"] == "elected" and read["rounds"] and read["elected"]
    election = Api().get(f"/elections/{_path(by_election.subject)}").json()
    assert election["stage"] == "decided" and election["poll"]["rounds"] == read["rounds"]


def test_a_roll_call_vote_is_recorded_by_name_beside_the_mandate(logins):
    boris = Api(logins["boris"])
    assert boris.get("/motions/strike-fund").json()["my_mandate"] == {
        "constituent": "Local 6",
        "position": "yes",
        "policy": "recall-trigger",
    }
    cast = boris.post(f"/polls/{_path('vote on strike-fund')}/ballots", {"marks": ["no"]})
    assert cast.status_code == 200 and cast.json()["recorded"] and cast.json()["receipt"] is None
    roll = boris.get(f"/polls/{_path('vote on strike-fund')}").json()["roll_call"]
    mine = next(v for v in roll if v["member"] == logins["boris"])
    assert mine["cast"] == ["no"] and mine["position"] == "yes" and mine["deviated"]


def test_nominations_through_the_api(logins, platform_clock):
    resign.run(logins["boris"], "south")
    election = ElectionRow.objects.get(
        constituent="local-6", council="south", stage="nominations", data__nominations={}
    )
    path = f"/elections/{_path(election.id)}"
    clara = Api(logins["clara"])
    other = next(
        m
        for m in MemberRow.objects.filter(council="local-6").order_by("id").values_list("id", flat=True)
        if m not in (logins["clara"], logins["boris"])
    )
    _refused(Api().post(path + "/nominations", {"nominee": logins["clara"]}), 401)
    assert clara.post(path + "/nominations", {"nominee": logins["clara"]}).status_code == 200
    named = clara.post(path + "/nominations", {"nominee": other}).json()
    assert {n["member"]: n["accepted"] for n in named["nominations"]} == {logins["clara"]: True, other: False}
    nominee = Api(other)
    assert nominee.post(path + "/accept").status_code == 200
    assert all(n["accepted"] for n in nominee.get(path).json()["nominations"])
    before = _everything()
    _refused(Api(logins["ana"]).post(path + "/nominations", {"nominee": logins["ana"]}), 403, "Local 6")
    _refused(clara.post(path + "/nominations", {"nominee": ""}), 400, "nominee")
    _refused(clara.post(path + "/open"), 403, "nominations stay open")
    _refused(clara.post(path + "/accept"), 400, "accepted")
    assert _everything() == before
    platform_clock.advance(days=8)
    opened = clara.post(path + "/open").json()
    assert opened["stage"] == "voting" and opened["poll"]["id"] == f"election {election.id}"
    assert opened["poll"]["may_vote"]
    withdrawn = Api(logins["clara"]).post(path + "/withdraw")
    _refused(withdrawn, 403)


def test_withdrawing_a_nomination(logins):
    resign.run(logins["boris"], "south")
    election = ElectionRow.objects.get(
        constituent="local-6", council="south", stage="nominations", data__nominations={}
    )
    path = f"/elections/{_path(election.id)}"
    clara = Api(logins["clara"])
    clara.post(path + "/nominations", {"nominee": logins["clara"]})
    assert clara.post(path + "/withdraw").json()["nominations"] == []
    _refused(clara.post(path + "/withdraw"), 404, "no one has nominated you")


def test_motions_proposed_amended_mandated_called_and_withdrawn(logins):
    clara, ana = Api(logins["clara"]), Api(logins["ana"])
    _refused(Api().post("/motions", {"council": "local-6", "title": "Picnic", "text": "In June."}), 401)
    made = clara.post("/motions", {"council": "local-6", "title": "Picnic", "text": "In June."})
    assert made.status_code == 200
    motion = made.json()
    assert motion["status"] == "on the agenda" and motion["council"] == "local-6"
    amendment = clara.post(f"/motions/{motion['id']}/amendments", {"text": "In July."}).json()
    assert amendment["amends"] == motion["id"]
    assert clara.get(f"/motions/{motion['id']}").json()["amendments"] == [amendment["id"]]
    called = clara.post(f"/motions/{amendment['id']}/vote-call").json()
    assert called["poll"]["id"] == f"vote on {amendment['id']}" and called["poll"]["secret"]

    before = _everything()
    _refused(clara.post("/motions", {"council": "south", "title": "Ours", "text": "From above."}), 403, "South")
    _refused(clara.post("/motions", {"council": "local-6", "title": ""}), 400, "title")
    _refused(clara.post(f"/motions/{motion['id']}/vote-call"), 403, "amendments")
    _refused(ana.post(f"/motions/{motion['id']}/withdraw"), 403)
    _refused(clara.post(f"/motions/{motion['id']}/amendments", {"text": ""}), 400, "text")
    _refused(Api().get("/motions/no-such-motion"), 404)
    assert _everything() == before

    other = clara.post("/motions", {"council": "local-6", "title": "Second", "text": "Another."}).json()
    assert clara.post(f"/motions/{other['id']}/withdraw").json()["status"] == "withdrawn"

    item = Api().get("/motions/strike-fund").json()
    assert item["council"] == "south"
    mandate = clara.post("/motions/strike-fund/mandates", {"council": "local-6", "position": "no", "text": "No."})
    assert mandate.status_code == 200 and mandate.json()["kind"] == "mandate"
    before = _everything()
    _refused(ana.post("/motions/strike-fund/mandates", {"council": "local-6", "position": "no", "text": "x"}), 403)
    _refused(clara.post("/motions/strike-fund/mandates", {"council": "local-6", "position": "maybe", "text": "x"}), 400)
    assert _everything() == before


def test_objecting_to_a_decision(logins, platform_clock):
    boris = Api(logins["boris"])
    levy = boris.post("/motions", {"council": "south", "title": "A levy", "text": "Each local pays."}).json()
    boris.post(f"/motions/{levy['id']}/vote-call")
    for seat in SeatRow.objects.filter(council="south"):
        Api(seat.member).post(f"/polls/{_path('vote on ' + levy['id'])}/ballots", {"marks": ["yes"]})
    platform_clock.advance(days=8)
    read = Api().get(f"/motions/{levy['id']}").json()
    assert read["status"] == "carried" and read["decision"]["status"] == "waiting for the veto window"
    assert {t["choice"]: t["votes"] for t in read["poll"]["totals"]}["no"] == "0"
    _refused(Api().post(f"/decisions/{levy['id']}/objections"), 401)
    objected = Api(logins["clara"]).post(f"/decisions/{levy['id']}/objections")
    assert objected.status_code == 200 and objected.json()["decision"]["objections"] == 1
    before = _everything()
    _refused(Api(logins["clara"]).post(f"/decisions/{levy['id']}/objections"), 400, "already")
    _refused(Api(logins["ana"]).post(f"/decisions/{levy['id']}/objections"), 403)
    assert _everything() == before


def test_petitions_started_signed_and_withdrawn(logins):
    clara, ana = Api(logins["clara"]), Api(logins["ana"])
    read = Api().get("/petitions/petition-demo").json()
    assert read["kind"] == "recall" and read["signatures"] == 4 and read["needed"] == 14
    _refused(Api().post("/petitions/petition-demo/signatures"), 401)
    signed = clara.post("/petitions/petition-demo/signatures").json()
    assert signed["signatures"] == 5 and signed["signed"]
    before = _everything()
    _refused(clara.post("/petitions/petition-demo/signatures"), 400, "signed")
    _refused(ana.post("/petitions/petition-demo/signatures"), 403, "Local 6")
    _refused(ana.post("/petitions", {"kind": "recall", "council": "south", "delegate": "m-882"}), 403)
    _refused(ana.post("/petitions", {"kind": "recall", "council": "south"}), 400, "delegate")
    _refused(ana.post("/petitions", {"kind": "strike", "council": "south"}), 400, "kind")
    _refused(Api().get("/petitions/no-such-petition"), 404)
    assert _everything() == before
    assert clara.delete("/petitions/petition-demo/signatures").json()["signatures"] == 4
    _refused(clara.delete("/petitions/petition-demo/signatures"), 400, "not signed")

    started = ana.post(
        "/petitions", {"kind": "initiative", "council": "north", "title": "Shorter shifts", "text": "Six."}
    )
    assert started.status_code == 200 and started.json()["kind"] == "initiative"
    assert started.json()["title"] == "Shorter shifts" and started.json()["signatures"] == 1
    local_5 = MemberRow.objects.filter(council="local-5").order_by("id").first().id
    recall = Api(local_5).post("/petitions", {"kind": "recall", "council": "south", "delegate": "m-882", "reason": "x"})
    assert recall.status_code == 200 and recall.json()["delegate"] == "m-882"


def test_the_openapi_document_names_every_endpoint(db):
    paths = Client().get(API + "/openapi.json").json()["paths"]
    for wanted in (
        "/api/v1/elections",
        "/api/v1/elections/{election_id}",
        "/api/v1/elections/{election_id}/nominations",
        "/api/v1/polls/{poll_id}/ballots",
        "/api/v1/motions",
        "/api/v1/decisions/{decision_id}/objections",
        "/api/v1/petitions/{petition_id}/signatures",
    ):
        assert wanted in paths, wanted
