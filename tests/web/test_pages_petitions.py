"""Petition pages through HTTP: sign, withdraw, the live count, the threshold opening a recall vote,
starting a recall petition or an initiative, and a non-member refused with nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client

from frombelow.web.models import Account, LedgerHead, MemberRow, MotionRow, RecordRow
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

DEMO = "/petitions/petition-demo"


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, snapshot()


def _signatures() -> int:
    return len(RecordRow.objects.get(kind="petitions", key="petition-demo").data["signatures"])


def _login_of(member: str) -> Client:
    client = Client()
    client.force_login(Account.objects.get(member=member).user)
    return client


def test_the_petition_page_shows_who_is_recalled_the_count_live_and_a_sign_button(clara: Client):
    page = clara.get(DEMO)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Broke our mandate" in text and "South District" in text
    assert "4 of 14 signatures" in text and 'hx-get="/petitions/petition-demo/signatures"' in text
    assert "Sign this petition" in text
    fragment = clara.get(DEMO + "/signatures")
    assert fragment.status_code == 200 and fragment.content.decode().strip() == "4 of 14 signatures"


def test_signing_and_withdrawing(clara: Client):
    assert clara.post(DEMO + "/signatures").status_code == 302
    assert _signatures() == 5
    assert "Withdraw my signature" in clara.get(DEMO).content.decode()
    before = _everything()
    again = clara.post(DEMO + "/signatures")
    assert again.status_code == 400 and "signed" in again.content.decode()
    assert _everything() == before
    assert clara.post(DEMO + "/withdraw").status_code == 302
    assert _signatures() == 4


def test_a_non_member_of_the_electing_council_is_refused_and_nothing_changes(ana: Client):
    before = _everything()
    page = ana.post(DEMO + "/signatures")
    assert page.status_code == 403 and "Local 6" in page.content.decode()
    assert _everything() == before


def test_at_the_threshold_a_recall_vote_opens_and_the_page_links_to_it(clara: Client):
    petition = RecordRow.objects.get(kind="petitions", key="petition-demo")
    unsigned = [
        m
        for m in MemberRow.objects.filter(council="local-6").order_by("id").values_list("id", flat=True)
        if m not in petition.data["signatures"]
    ]
    for member in unsigned[: petition.data["needed"] - len(petition.data["signatures"])]:
        assert _login_of(member).post(DEMO + "/signatures").status_code == 302
    petition = RecordRow.objects.get(kind="petitions", key="petition-demo")
    assert petition.data["poll"]
    text = clara.get(DEMO).content.decode()
    assert "Go to the recall vote" in text and "/polls/?poll=recall" in text
    vote = clara.get("/polls/", {"poll": petition.data["poll"]})
    assert vote.status_code == 200 and 'name="marks" value="yes"' in vote.content.decode()


def test_starting_a_recall_petition_and_an_initiative(ana: Client):
    local_5 = _login_of(MemberRow.objects.filter(council="local-5").order_by("id").first().id)
    form = local_5.get("/petitions/new", {"council": "south", "delegate": "m-882"})
    assert form.status_code == 200 and 'value="m-882" selected' in form.content.decode()
    made = local_5.post("/petitions/new", {"council": "south", "delegate": "m-882", "reason": "Never reports back"})
    assert made.status_code == 302
    assert "Never reports back" in local_5.get(made["Location"]).content.decode()

    before = _everything()
    outsider = ana.post("/petitions/new", {"council": "south", "delegate": "m-882", "reason": "Not my delegate"})
    assert outsider.status_code == 403
    assert ana.post("/petitions/new", {"council": "south", "delegate": "m-882", "reason": ""}).status_code == 400
    assert _everything() == before

    assert ana.get("/petitions/new", {"kind": "initiative", "council": "north"}).status_code == 200
    started = ana.post(
        "/petitions/new", {"kind": "initiative", "council": "north", "title": "Shorter shifts", "text": "Six hours."}
    )
    assert started.status_code == 302
    assert "Shorter shifts" in ana.get(started["Location"]).content.decode()
    assert not MotionRow.objects.filter(title="Shorter shifts").exists()  # not on the agenda before its threshold


def test_the_index_and_a_missing_petition(client: Client):
    page = client.get("/petitions/")
    assert page.status_code == 200 and DEMO in page.content.decode()
    assert client.get("/petitions/no-such-petition").status_code == 404
