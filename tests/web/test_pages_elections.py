"""Election pages through HTTP: nominate, open, the ranked ballot without JavaScript, the receipt once, the count."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client

from frombelow.web.actions import resign
from frombelow.web.models import Account, ElectionRow, LedgerHead, MemberRow, PollRow
from frombelow.web.queries import polls
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, snapshot()


def _by_election() -> ElectionRow:
    return ElectionRow.objects.get(stage="voting")


def _url(election: ElectionRow) -> str:
    return f"/elections/{election.id}"


def _ranks(poll: PollRow, *order: str) -> dict[str, str]:
    return {"poll": poll.id, **{f"rank-{n}": choice for n, choice in enumerate(order, start=1)}}


def test_the_index_lists_open_and_recent_elections(client: Client):
    page = client.get("/elections/")
    assert page.status_code == 200
    text = page.content.decode()
    assert _url(_by_election()) in text
    assert "/elections/north/local-1/term-2" in text  # a decided one


def test_the_election_page_shows_the_candidates_and_a_select_per_rank(ana: Client):
    election = _by_election()
    page = ana.get(_url(election))
    assert page.status_code == 200
    text = page.content.decode()
    assert "voting" in text and "irv" in text
    choices = election.data["nominations"]
    assert len(re.findall(r'<select name="rank-\d+"', text)) == len(choices)
    voters = PollRow.objects.get(id=election.poll).electorate
    assert f"0 of {voters} voted" in text and 'hx-trigger="every 5s"' in text


def test_a_ranked_ballot_without_javascript_gives_the_receipt_once_and_a_second_is_refused(ana: Client):
    election = _by_election()
    poll = PollRow.objects.get(id=election.poll)
    first, second = poll.data["choices"][:2]
    cast = ana.post("/polls/ballot", _ranks(poll, first, second, "", ""))
    assert cast.status_code == 200  # the election's page, with the receipt: in this response, stored nowhere
    shown = cast.content.decode()
    receipt = re.search(r'id="receipt">([0-9a-f]{64}:[0-9a-f]+)<', shown)
    assert receipt, "the receipt is shown after voting"
    assert f"/receipt?poll={quote(poll.id, safe='')}" in shown
    assert f"1 of {poll.electorate} voted" in shown and 'name="rank-1"' not in shown
    assert receipt.group(1) not in ana.get(_url(election)).content.decode()  # shown once only
    from django.contrib.sessions.models import Session

    stored = [str(session.get_decoded()) for session in Session.objects.all()]
    assert not any(receipt.group(1).split(":")[0] in text for text in stored)  # not kept in a session either
    before = _everything()
    again = ana.post("/polls/ballot", _ranks(poll, second))
    assert again.status_code == 403 and "voted" in again.content.decode()
    assert _everything() == before


@pytest.mark.parametrize(
    ("ranks", "says"),
    [
        (("{0}", "{0}"), "ranked more than once"),
        (("", "{0}"), "choice 1 is blank"),
        ((), "rank at least one"),
        (("someone-else",), "not one of the available choices"),
    ],
)
def test_a_malformed_ballot_is_refused_naming_what_is_wrong(ana: Client, ranks: tuple[str, ...], says: str):
    poll = PollRow.objects.get(id=_by_election().poll)
    choice = poll.data["choices"][0]
    before = _everything()
    page = ana.post("/polls/ballot", _ranks(poll, *(r.format(choice) for r in ranks)))
    assert page.status_code == 400
    assert says in page.content.decode()
    assert _everything() == before


def test_a_ballot_in_someone_elses_election_is_refused(clara: Client):
    poll = PollRow.objects.get(id=_by_election().poll)
    before = _everything()
    page = clara.post("/polls/ballot", _ranks(poll, poll.data["choices"][0]))
    assert page.status_code == 403
    assert "entitled to vote" in page.content.decode()
    assert _everything() == before


def test_after_the_close_the_page_counts_and_shows_the_rounds_and_the_transfer_chart(ana: Client, platform_clock):
    election = _by_election()
    poll = PollRow.objects.get(id=election.poll)
    ana.post("/polls/ballot", _ranks(poll, *poll.data["choices"][:3]))
    platform_clock.advance(days=8)
    page = ana.get(_url(election))
    assert page.status_code == 200
    text = page.content.decode()
    assert PollRow.objects.get(id=poll.id).counted
    assert 'class="rounds"' in text and "Round by round" in text
    assert 'id="chart"' in text and 'data-chart="sankey"' in text and "echarts-5.6.0.min.js" in text
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', text).group(1))
    assert chart["type"] == "sankey" and chart["nodes"]
    assert "decided" in text


def test_a_counted_stv_election_shows_its_transfers(client: Client):
    page = client.get("/elections/congress/south/term-2")
    assert page.status_code == 200
    text = page.content.decode()
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', text).group(1))
    assert chart["links"], "votes moved between rounds"
    assert {link["source"].rsplit(" · ", 1)[1] for link in chart["links"]} == {"1", "2"}


def test_the_turnout_fragment_counts_live(client: Client):
    poll = PollRow.objects.get(id=_by_election().poll)
    page = client.get("/polls/turnout", {"poll": poll.id})
    assert page.status_code == 200 and page.content.decode().strip() == f"0 of {poll.electorate} voted"
    assert client.get("/polls/turnout", {"poll": "no such vote"}).status_code == 404


def _member_of(council: str, n: int = 0) -> Client:
    """A logged-in member of ``council`` (the demo's members have accounts without passwords)."""
    member = MemberRow.objects.filter(council=council).order_by("id")[n].id
    client = Client()
    client.force_login(Account.objects.get(member=member).user)
    return client


def _login_of(member: str) -> Client:
    """A logged-in demo member (their accounts have no password: the test logs them in directly)."""
    client = Client()
    client.force_login(Account.objects.get(member=member).user)
    return client


def test_nominating_accepting_withdrawing_and_opening_the_vote(ana: Client, clara: Client, logins, platform_clock):
    resign.run(logins["boris"], "south")  # Local 6's seat in South District falls vacant: a by-election
    election = ElectionRow.objects.get(
        constituent="local-6", council="south", stage="nominations", data__nominations={}
    )
    url = _url(election)
    others = [m for m in MemberRow.objects.filter(council="local-6").order_by("id").values_list("id", flat=True)]
    others = [m for m in others if m not in (logins["clara"], logins["boris"])][:2]
    page = clara.get(url)
    assert page.status_code == 200 and 'name="nominee"' in page.content.decode()
    for nominee in (logins["clara"], *others):
        assert clara.post(url + "/nominations", {"nominee": nominee}).status_code == 302
    nominations = ElectionRow.objects.get(id=election.id).data["nominations"]
    assert nominations[logins["clara"]]["accepted"] and not nominations[others[0]]["accepted"]
    nominee = _login_of(others[0])
    assert "Accept my nomination" in nominee.get(url).content.decode()
    assert nominee.post(url + "/accept").status_code == 302
    assert ElectionRow.objects.get(id=election.id).data["nominations"][others[0]]["accepted"]
    assert _login_of(others[1]).post(url + "/withdraw").status_code == 302
    assert others[1] not in ElectionRow.objects.get(id=election.id).data["nominations"]

    before = _everything()
    refused = ana.post(url + "/nominations", {"nominee": logins["ana"]})  # ana is of Local 1, not Local 6
    assert refused.status_code == 403 and "Local 6" in refused.content.decode()
    assert clara.post(url + "/nominations", {"nominee": ""}).status_code == 400
    early = clara.post(url + "/open")
    assert early.status_code == 403 and "nominations stay open" in early.content.decode()
    assert _everything() == before

    platform_clock.advance(days=8)
    assert "Open the vote" in clara.get(url).content.decode()
    assert clara.post(url + "/open").status_code == 302
    assert ElectionRow.objects.get(id=election.id).stage == "voting"
    assert 'name="rank-1"' in clara.get(url).content.decode()


def test_the_transfer_chart_keeps_every_vote_of_a_round_and_the_hemicycle_counts_seats():
    rounds = [
        {"number": 1, "tally": [["a", "3"], ["b", "1"], ["c", "2"]], "elected": ["a"], "excluded": []},
        {"number": 2, "tally": [["a", "2"], ["b", "1.5"], ["c", "2.25"]], "elected": [], "excluded": ["b"]},
        {"number": 3, "tally": [["a", "2"], ["c", "3"]], "elected": ["c"], "excluded": []},
    ]
    chart = polls.sankey(rounds, {"a": "Ana", "b": "Ben", "c": "Cy"})
    for number, tally in ((1, rounds[0]["tally"]), (2, rounds[1]["tally"])):
        for choice, votes in tally:
            name = f"{ {'a': 'Ana', 'b': 'Ben', 'c': 'Cy'}[choice] } · {number}"
            out = sum(link["value"] for link in chart["links"] if link["source"] == name)
            assert out == pytest.approx(float(votes), abs=1e-4), name
    assert any(link["target"] == "exhausted · 3" for link in chart["links"])  # Ben's 1.5 went 0.75 to Cy, 0.75 nowhere
    seats = polls.hemicycle(["red", "red", "green"], {"red": "Red List", "green": "Greens"})
    assert seats == {"type": "hemicycle", "seats": [{"name": "Red List", "value": 2}, {"name": "Greens", "value": 1}]}
