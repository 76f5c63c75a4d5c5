"""The federation's tree and a council's page, through HTTP; invitations, and that no one invites for another council."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from frombelow.web.actions import call_vote, cast_ballot, settle
from frombelow.web.models import (
    Account,
    CouncilRow,
    DecisionRow,
    LedgerHead,
    MemberRow,
    MotionRow,
    RecordRow,
    SeatRow,
    VoteRow,
)
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, Account.objects.count(), snapshot()


def test_the_tree_links_every_council_and_lists_it_without_script(client: Client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    for council in CouncilRow.objects.filter(closed=False):
        assert f'href="/councils/{council.id}"' in html, council.id
    assert 'id="tree-data"' in html and "echarts-5.6.0.min.js" in html
    assert html.count("<ul") >= 3  # congress > districts > locals, nested
    local = CouncilRow.objects.get(id="local-1")
    assert f"{local.represented} members" in html


def test_a_delegate_councils_page_names_its_delegates_their_constituents_and_terms(client: Client):
    page = client.get("/councils/south")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Delegate council" in html and 'href="/councils/congress"' in html
    for seat in SeatRow.objects.filter(council="south"):
        assert f'href="/delegates/{seat.member}"' in html
        assert f'href="/councils/{seat.constituent}"' in html
    assert Account.objects.get(member=SeatRow.objects.filter(council="south").first().member).display_name in html
    assert 'href="/motions/strike-fund"' in html  # on the agenda
    assert 'href="/petitions/petition-demo"' in html and "collecting signatures" in html


def test_a_base_councils_page_counts_members_and_shows_elections(client: Client):
    local = CouncilRow.objects.get(id="local-1")
    page = client.get("/councils/local-1")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{local.members} members" in html and "Base council" in html
    assert 'href="/councils/north"' in html
    assert 'href="/elections/north/local-1/term-2/by-election-1"' in html
    assert "Make an invitation link" not in html  # only for its members, logged in


def test_decisions_show_their_status_and_the_dissent_attached(client: Client):
    dissented = RecordRow.objects.filter(kind="dissents").first()
    decision = DecisionRow.objects.get(motion=dissented.key)
    html = client.get(f"/councils/{decision.council}").content.decode()
    statement = dissented.data[0]
    assert f"Dissent of {statement['faction_name']}" in html and statement["text"] in html
    assert MotionRow.objects.get(id=decision.motion).title in html and decision.status in html


def test_a_council_that_does_not_exist_is_404(client: Client):
    assert client.get("/councils/no-such-council").status_code == 404


def test_a_member_invites_someone_to_their_own_council_and_the_link_is_shown_once(ana: Client):
    page = ana.get("/councils/local-1")
    assert "Make an invitation link" in page.content.decode()
    size = LedgerHead.objects.get(pk=1).size
    made = ana.post("/councils/local-1/invitations")
    assert made.status_code == 201
    link = re.search(r"http://testserver/join/([\w-]+)", made.content.decode())
    assert link is not None
    assert LedgerHead.objects.get(pk=1).size == size + 1
    assert link.group(1) not in ana.get("/councils/local-1").content.decode()
    assert ana.get(f"/join/{link.group(1)}").status_code == 200


@pytest.mark.parametrize(
    ("council", "status", "message"),
    [
        ("local-6", 403, "only members of Local 6 may invite"),  # another base council
        ("north", 403, "is a delegate council"),  # the council above: no control from above, nor from below
        ("no-such-council", 404, "no-such-council"),
    ],
)
def test_no_one_invites_people_into_a_council_not_their_own(ana: Client, council: str, status: int, message: str):
    before = _everything()
    refused = ana.post(f"/councils/{council}/invitations")
    assert refused.status_code == status
    if status != 404:
        assert message in refused.content.decode()
    assert _everything() == before


def test_inviting_needs_a_login(client: Client):
    before = _everything()
    refused = client.post("/councils/local-1/invitations")
    assert refused.status_code == 302 and "/login" in refused["Location"]
    assert _everything() == before


def test_a_delegates_record_shows_each_roll_call_vote_beside_the_mandate(boris: Client, logins):
    cast_ballot.run(logins["boris"], "vote on strike-fund", ["no"])  # Local 6 mandated "yes"
    page = boris.get(f"/delegates/{logins['boris']}")
    assert page.status_code == 200
    html = page.content.decode()
    row = re.search(r"<tr>\s*<td><a href=\"/motions/strike-fund\">.*?</tr>", html, re.DOTALL)
    assert row is not None
    assert "<td>no</td>" in row.group(0)  # cast
    assert 'yes <span class="muted">(recall-trigger)</span>' in row.group(0)  # mandated
    assert 'class="badge deviated">deviated' in row.group(0)
    assert "South District" in html and "Local 6" in html  # the seat


def test_a_vote_kept_to_its_mandate_is_marked_kept(client: Client):
    kept = VoteRow.objects.filter(deviated=False).exclude(mandate="").first()
    html = client.get(f"/delegates/{kept.member}").content.decode()
    assert 'class="badge kept">kept' in html


def test_the_record_of_no_one_is_404(client: Client):
    assert client.get("/delegates/no-such-member").status_code == 404


def test_a_delegate_councils_page_shows_how_its_seats_are_shared_with_a_half_circle_of_them(client):
    text = client.get("/councils/south").content.decode()
    assert "Seats shared among its constituents" in text and "Gallagher" in text
    shares = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', text, re.DOTALL)
    chart = json.loads(shares.group(1))
    assert chart["type"] == "hemicycle" and sum(s["value"] for s in chart["seats"]) >= 1
    assert "echarts-5.6.0.min.js" in text


def test_a_delegate_gives_up_their_seat_and_the_by_election_is_called_at_once(boris: Client, clara: Client, logins):
    assert "Give up my seat" in boris.get("/councils/south").content.decode()
    answer = boris.post("/councils/south/resignation", follow=True)
    assert answer.status_code == 200 and "You have given up your seat" in answer.content.decode()
    assert not SeatRow.objects.filter(council="south", member=logins["boris"]).exists()
    page = clara.get("/councils/south").content.decode()
    assert "by-election-2" in page  # Local 6's by-election, called by the resignation itself
    assert "Call a by-election" not in page  # the seat is being filled: nothing to call
    before = _everything()
    again = clara.post("/councils/south/by-election", {"constituent": "local-6"})
    assert again.status_code == 400 and "is vacant" in again.content.decode()
    assert _everything() == before


def test_no_one_gives_up_a_seat_they_do_not_hold_nor_calls_another_councils_by_election(ana: Client, boris: Client):
    before = _everything()
    assert ana.post("/councils/south/resignation").status_code == 403
    assert boris.post("/councils/south/by-election", {"constituent": "local-4"}).status_code == 403
    assert _everything() == before


# --- the secretary ---------------------------------------------------------------------------


def _member_of(council: str, but: str) -> Client:
    """A logged-in member of ``council`` other than ``but`` (the demo's other members have no password)."""
    members = MemberRow.objects.filter(council=council).exclude(id=but).values_list("id", flat=True)
    user = Account.objects.filter(member__in=members).order_by("member").first().user
    client = Client()
    client.force_login(user)
    return client


def test_a_base_councils_page_names_its_secretary_and_who_invites(client: Client, logins):
    html = client.get("/councils/local-1").content.decode()
    assert "Secretary: Ana Ortiz, elected" in html
    assert "By the charter, its secretary issues its invitations" in html
    assert "Propose a secretary" not in html  # only for its members, logged in
    assert 'id="secretary"' not in client.get("/councils/north").content.decode()  # a delegate council has none


def test_only_the_secretary_is_offered_the_invitation_and_another_member_is_refused(ana: Client, logins):
    assert "Make an invitation link" in ana.get("/councils/local-1").content.decode()
    other = _member_of("local-1", but=logins["ana"])
    page = other.get("/councils/local-1").content.decode()
    assert "Make an invitation link" not in page
    assert "Invitations to this council are made by its secretary, Ana Ortiz." in page
    before = _everything()
    refused = other.post("/councils/local-1/invitations")
    assert refused.status_code == 403
    assert f"only the secretary of Local 1, {logins['ana']}, may invite people to join it" in refused.content.decode()
    assert _everything() == before


def test_members_elect_a_new_secretary_who_then_alone_invites(ana: Client, logins, platform_clock):
    other = _member_of("local-1", but=logins["ana"])
    nominee = Account.objects.get(user=other.session["_auth_user_id"]).member
    proposed = ana.post("/councils/local-1/secretary", {"nominee": nominee, "text": "Ana has served her turn."})
    assert proposed.status_code == 302
    motion = MotionRow.objects.get(kind="secretary", council="local-1", status="on the agenda")
    assert proposed["Location"] == f"/motions/{motion.id}" and motion.title == f"Elect {nominee} secretary of Local 1"
    assert motion.title in ana.get("/councils/local-1").content.decode()  # on the agenda
    call_vote.run(logins["ana"], motion.id)
    for voter in MemberRow.objects.filter(council="local-1").values_list("id", flat=True):
        cast_ballot.run(voter, f"vote on {motion.id}", ["yes"])
    platform_clock.advance(days=8)
    settle.run()
    assert RecordRow.objects.get(kind="secretaries", key="local-1").data["member"] == nominee
    assert "Make an invitation link" in other.get("/councils/local-1").content.decode()
    assert ana.post("/councils/local-1/invitations").status_code == 403
    assert other.post("/councils/local-1/invitations").status_code == 201


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"text": "Why not."}, 400, "Nominee"),
        ({"nominee": "no-such-member", "text": "Why not."}, 400, "Nominee"),
        ({"nominee": "NOMINEE", "text": ""}, 400, "Why"),
    ],
)
def test_a_malformed_secretary_form_names_the_field_and_changes_nothing(
    ana: Client, logins, form: dict, status: int, message: str
):
    form = {k: logins["ana"] if v == "NOMINEE" else v for k, v in form.items()}
    before = _everything()
    refused = ana.post("/councils/local-1/secretary", form)
    assert refused.status_code == status and message in refused.content.decode()
    assert _everything() == before


def test_no_one_elects_the_secretary_of_a_council_not_their_own(boris: Client, client: Client, logins):
    """Invariant 1 through HTTP: a delegate of a district (and a member of another local) names no local's secretary."""
    before = _everything()
    refused = boris.post("/councils/local-1/secretary", {"nominee": logins["ana"], "text": "From above."})
    assert refused.status_code == 403 and "only members of Local 1 may elect its secretary" in refused.content.decode()
    anonymous = client.post("/councils/local-1/secretary", {"nominee": logins["ana"], "text": "Why."})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert _everything() == before
