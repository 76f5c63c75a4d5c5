"""Motion pages through HTTP: a roll call beside its mandate (a deviation shown, a recall vote opened),
proposing, amending, mandating, calling the vote, withdrawing, and objecting to a decision."""

from __future__ import annotations

import pytest
from django.test import Client

from frombelow.web.actions import call_vote, cast_ballot, propose_motion
from frombelow.web.models import DecisionRow, LedgerHead, MotionRow, PollRow, RecordRow, SeatRow
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

STRIKE_FUND = "/motions/strike-fund"


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, snapshot()


def test_a_delegate_sees_their_mandate_before_voting_and_a_vote_against_it_shows_as_deviated(boris: Client):
    page = boris.get(STRIKE_FUND)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Strike fund" in text and "public roll call" in text
    assert "Your council, Local 6, mandated you: <strong>yes</strong> (recall-trigger)" in text
    assert 'type="radio" name="marks" value="no"' in text
    voted = boris.post("/polls/ballot", {"poll": "vote on strike-fund", "marks": "no"})
    assert voted.status_code == 302 and voted["Location"] == STRIKE_FUND
    text = boris.get(STRIKE_FUND).content.decode()
    assert 'class="roll-call"' in text and 'class="badge deviated"' in text
    assert "Recall votes opened" in text and "/polls/?poll=recall" in text
    assert RecordRow.objects.filter(kind="recalls", data__delegate="m-522", data__decided=False).exists()


def test_voting_twice_in_a_roll_call_is_refused_and_changes_nothing(boris: Client):
    boris.post("/polls/ballot", {"poll": "vote on strike-fund", "marks": "yes"})
    before = _everything()
    again = boris.post("/polls/ballot", {"poll": "vote on strike-fund", "marks": "no"})
    assert again.status_code == 403 and "voted already" in again.content.decode()
    assert _everything() == before


def test_a_malformed_vote_is_refused_naming_the_field(boris: Client):
    before = _everything()
    page = boris.post("/polls/ballot", {"poll": "vote on strike-fund", "marks": "maybe"})
    assert page.status_code == 400 and "Your choice: Select a valid choice" in page.content.decode()
    assert _everything() == before


def test_a_member_who_does_not_sit_in_the_council_may_not_vote_there(clara: Client):
    before = _everything()
    page = clara.post("/polls/ballot", {"poll": "vote on strike-fund", "marks": "yes"})
    assert page.status_code == 403
    assert _everything() == before


def test_proposing_amending_calling_the_vote_and_withdrawing(clara: Client, boris: Client):
    assert clara.get("/motions/new?council=local-6").status_code == 200
    made = clara.post("/motions/new", {"council": "local-6", "title": "Picnic", "text": "A picnic in June."})
    assert made.status_code == 302
    url = made["Location"]
    motion = MotionRow.objects.get(title="Picnic")
    assert url == f"/motions/{motion.id}" and motion.status == "on the agenda"
    page = clara.get(url).content.decode()
    assert "Call the vote" in page and "Withdraw the motion" in page and "Propose an amendment" in page

    assert clara.post(url + "/amendments", {"text": "A picnic in July."}).status_code == 302
    amendment = MotionRow.objects.get(data__amends=motion.id)
    assert amendment.id in clara.get(url).content.decode()
    refused = clara.post(url + "/vote-call")  # the amendment is voted on first
    assert refused.status_code == 403 and "amendments" in refused.content.decode()
    assert clara.post(f"/motions/{amendment.id}/vote-call").status_code == 302
    assert PollRow.objects.filter(id=f"vote on {amendment.id}").exists()

    before = _everything()
    assert boris.post(url + "/withdraw").status_code == 403  # only its proposer withdraws it
    assert clara.post(url + "/amendments", {"text": ""}).status_code == 400
    elsewhere = clara.post("/motions/new", {"council": "south", "title": "Ours", "text": "From above."})
    assert elsewhere.status_code == 403 and "South District" in elsewhere.content.decode()
    assert clara.post("/motions/new", {"council": "local-6", "title": "", "text": "x"}).status_code == 400
    assert _everything() == before

    second = clara.post("/motions/new", {"council": "local-6", "title": "Second", "text": "Another."})
    assert clara.post(second["Location"] + "/withdraw").status_code == 302
    assert MotionRow.objects.get(title="Second").status == "withdrawn"


def test_a_member_proposes_a_mandate_on_an_item_of_the_council_above(ana: Client, clara: Client):
    item = MotionRow.objects.filter(council="north", status="on the agenda").exclude(kind="mandate").first()
    url = f"/motions/{item.id}"
    assert "Mandate your delegates" in ana.get(url).content.decode()  # Local 1 sends delegates to North
    made = ana.post(url + "/mandates", {"council": "local-1", "position": "no", "text": "We say no."})
    assert made.status_code == 302
    assert MotionRow.objects.filter(kind="mandate", council="local-1", title__contains=item.title).exists()
    before = _everything()
    refused = clara.post(url + "/mandates", {"council": "local-1", "position": "yes", "text": "Not mine."})
    assert refused.status_code == 403
    assert ana.post(url + "/mandates", {"council": "local-1", "position": "perhaps", "text": "?"}).status_code == 400
    assert _everything() == before


def test_a_decision_in_its_veto_window_takes_objections(clara: Client, ana: Client, logins, platform_clock):
    propose_motion.run(logins["boris"], "motion-levy", "south", "A levy", "Each local pays a levy.")
    call_vote.run(logins["boris"], "motion-levy")
    for seat in SeatRow.objects.filter(council="south"):
        cast_ballot.run(seat.member, "vote on motion-levy", ["yes"])
    platform_clock.advance(days=8)
    page = clara.get("/motions/motion-levy")
    assert page.status_code == 200
    text = page.content.decode()
    assert DecisionRow.objects.get(motion="motion-levy").status == "waiting for the veto window"
    assert "carried" in text and "Object to this decision" in text and 'class="totals"' in text
    assert clara.post("/decisions/motion-levy/objections").status_code == 302
    assert "1 member objected" in clara.get("/motions/motion-levy").content.decode()
    before = _everything()
    again = clara.post("/decisions/motion-levy/objections")
    assert again.status_code == 400 and "already" in again.content.decode()
    outside = ana.post("/decisions/motion-levy/objections")  # Local 1 is under North, not South
    assert outside.status_code == 403
    assert _everything() == before


def test_the_motion_index_and_a_missing_motion(client: Client):
    page = client.get("/motions/")
    assert page.status_code == 200 and STRIKE_FUND in page.content.decode()
    assert client.get("/motions/no-such-motion").status_code == 404


def test_logged_out_actions_go_to_the_login(client: Client):
    before = _everything()
    sent = client.post(STRIKE_FUND + "/vote-call")
    assert sent.status_code == 302 and "login" in sent["Location"]
    assert _everything() == before
