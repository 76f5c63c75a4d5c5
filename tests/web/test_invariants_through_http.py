"""Invariants 1, 2, 5 and 6, through HTTP: what a person could try from a browser or a script.

Each refusal is checked to say why (the rules' message), to answer with a 4xx, and to
change nothing: the ledger's size and every projection table are compared before and after.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from frombelow.web.actions import issue_api_token
from frombelow.web.models import BoxSlot, LedgerHead, PollRow, SeatRow
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db


def everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, snapshot(), BoxSlot.objects.filter(ballot__isnull=False).count()


def refused(response, status: int, says: str) -> None:
    text = response.content.decode()
    assert response.status_code == status, text[:500]
    assert says in text, f"expected {says!r} in the answer"


def by_election() -> PollRow:
    return PollRow.objects.get(purpose="election", counted=False)


def ranks(poll: PollRow, *order: str) -> dict[str, str]:
    return {"poll": poll.id, **{f"rank-{n}": choice for n, choice in enumerate(order, start=1)}}


# --- invariant 1: no control from above ----------------------------------------------------------


def test_a_delegate_cannot_put_a_motion_on_a_lower_councils_agenda(boris: Client):
    before = everything()
    answer = boris.post("/motions/new", {"council": "local-5", "title": "From above", "text": "Do as we say"})
    refused(answer, 403, "Local 5")
    assert everything() == before


def test_a_council_cannot_mandate_another_councils_delegates(boris: Client):
    """boris belongs to Local 6; Local 5's delegates answer to Local 5 alone."""
    before = everything()
    answer = boris.post("/motions/strike-fund/mandates", {"council": "local-5", "position": "no", "text": "Vote no"})
    assert answer.status_code == 403
    assert everything() == before


def test_only_those_who_elected_a_delegate_petition_to_recall_them(clara: Client):
    """clara's local is under South District: North's delegate to the congress is not hers to recall."""
    north = SeatRow.objects.get(council="congress", constituent="north")
    before = everything()
    answer = clara.post("/petitions/new", {"council": "congress", "delegate": north.member, "reason": "Not ours"})
    assert answer.status_code == 403
    assert everything() == before


# --- invariant 2: the secret ballot --------------------------------------------------------------


def test_no_stored_row_links_a_member_to_their_ballot(ana: Client, logins):
    poll = by_election()
    first, second = poll.data["choices"][:2]
    answer = ana.post("/polls/ballot", ranks(poll, first, second))
    assert answer.status_code == 200 and "receipt" in answer.content.decode()
    filled = BoxSlot.objects.filter(poll=poll.id, ballot__isnull=False)
    (slot,) = filled
    commitment = slot.ballot.split('"receipt":"')[1][:64]
    member = logins["ana"]
    for model in apps.get_models():  # every table of every app: ledger, box, projections, sessions, accounts
        for row in model.objects.all().values():
            text = str(row)
            assert not (member in text and commitment in text), f"{model.__name__} links {member} to a ballot"
            if model is BoxSlot:
                assert member not in text
    assert answer.content.decode().count(commitment) == 1  # the voter's copy, and no other


# --- invariant 5: one member, one ballot ---------------------------------------------------------


def test_a_member_votes_once_through_the_pages_and_the_api(ana: Client, logins):
    poll = by_election()
    first, second = poll.data["choices"][:2]
    assert ana.post("/polls/ballot", ranks(poll, first)).status_code == 200
    before = everything()
    refused(ana.post("/polls/ballot", ranks(poll, second)), 403, "already")
    from django.contrib.auth import get_user_model

    token = issue_api_token.run(get_user_model().objects.get(username="ana"))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    again = api.post(f"/api/v1/polls/{poll.id}/ballots", {"marks": [second]}, content_type="application/json")
    assert again.status_code == 403 and again.json()["code"] == "not_allowed"
    assert everything() == before
    assert BoxSlot.objects.filter(poll=poll.id, ballot__isnull=False).count() == 1


def test_a_member_cannot_vote_in_another_councils_election(clara: Client):
    poll = by_election()  # Local 1's; clara belongs to Local 6
    before = everything()
    answer = clara.post("/polls/ballot", ranks(poll, poll.data["choices"][0]))
    assert answer.status_code == 403
    assert everything() == before


# --- invariant 6: bad input, a clear error, nothing changed --------------------------------------


@pytest.mark.parametrize(
    ("sent", "status", "says"),
    [
        ({"poll": "no such vote"}, 404, "no such vote"),
        ({"rank-1": "x"}, 404, ""),
    ],
)
def test_a_malformed_ballot_form_is_refused(ana: Client, sent, status, says):
    before = everything()
    refused(ana.post("/polls/ballot", sent), status, says)
    assert everything() == before


def test_a_ballot_naming_no_candidate_or_one_twice_is_refused(ana: Client):
    poll = by_election()
    first = poll.data["choices"][0]
    before = everything()
    assert ana.post("/polls/ballot", ranks(poll, "not a candidate")).status_code == 400
    assert ana.post("/polls/ballot", ranks(poll, first, first)).status_code == 400
    assert ana.post("/polls/ballot", ranks(poll)).status_code == 400
    assert everything() == before


@pytest.mark.parametrize(
    "payload",
    ['{"marks": "yes"}', '{"marks": [1, 2]}', "{}", "not json", '{"marks": [' + '"x",' * 5000 + '"x"]}'],
)
def test_a_malformed_api_payload_is_a_json_400(payload):
    from django.contrib.auth import get_user_model

    token = issue_api_token.run(get_user_model().objects.get(username="ana"))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    poll = by_election()
    before = everything()
    answer = api.post(f"/api/v1/polls/{poll.id}/ballots", payload, content_type="application/json")
    assert 400 <= answer.status_code < 500
    body = answer.json()
    assert set(body) >= {"code", "message"} and body["message"]
    assert everything() == before
