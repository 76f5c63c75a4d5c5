"""Members of Local 6 petition the recall of their delegate to the threshold, recall him,
and two newcomers rank candidates in the by-election that follows: one without JavaScript,
one with it, each checking their receipt after the count.

The demo's logins are three; every other member has no password. So the signatures and
votes that make up the numbers (the threshold, the quorum) are given by demo members
through the same actions the pages call, while the newcomers and clara act in the browser.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from frombelow.web import demo, recording
from frombelow.web.actions import settle, sign_recall
from frombelow.web.models import Account
from tests.browser.conftest import (
    Clock,
    chart_drawn,
    check_receipt,
    invite,
    join,
    log_in,
    new_page,
    others_vote,
    rank,
    receipt_shown,
    screenshot,
)

PETITION = f"/petitions/{demo.PETITION}"


def sign(page: Page, site: str) -> None:
    page.goto(site + PETITION)
    page.get_by_role("button", name="Sign this petition").click()
    expect(page.locator(".messages .success")).to_be_visible()


def test_members_recall_their_delegate_and_newcomers_rank_his_successor(
    browser: Browser, site: str, federation: list[demo.Login], platform_clock: Clock
) -> None:
    boris = next(login.member for login in federation if login.username == "boris")
    clara = new_page(browser)
    log_in(clara, site, "clara")
    clara.goto(site + PETITION)
    signatures = clara.locator(".signatures")
    expect(signatures).to_have_text("4 of 14 signatures")
    screenshot(clara, "petition")
    sign(clara, site)
    expect(signatures).to_have_text("5 of 14 signatures")

    # Two newcomers, invited by clara: one browses without JavaScript, one with it.
    jose = new_page(browser, javascript=False)
    join(jose, invite(clara, site, "local-6"), "jose", "José Newcomer")
    mina = new_page(browser)
    join(mina, invite(clara, site, "local-6"), "mina", "Mina Newcomer")

    # Seven members sign elsewhere; the count on clara's open page follows (htmx, every 5 s).
    clara.goto(site + PETITION)
    state = recording.state()
    petition = state.petitions[demo.PETITION]
    unsigned = [m for m in state.roll("local-6") if m not in petition.signatures and m != boris]
    # Not the demo logins, nor the newcomers, who sign in their browsers (their ids are random: any could come first).
    in_browsers = {login.member for login in federation} | set(
        Account.objects.filter(user__username__in=["jose", "mina"]).values_list("member", flat=True)
    )
    for member in [m for m in unsigned if m not in in_browsers][:7]:
        sign_recall.run(member, demo.PETITION)
    expect(signatures).to_have_text("12 of 14 signatures", timeout=12_000)

    sign(jose, site)
    expect(jose.locator(".signatures")).to_have_text("13 of 14 signatures")
    sign(mina, site)  # the last signature reaches the threshold: the recall vote opens
    expect(mina.locator(".status")).to_have_text("put to the vote")
    opened = mina.locator(".card", has_text="a recall vote is open")
    expect(opened).to_be_visible()
    screenshot(mina, "petition-threshold-reached")

    opened.get_by_role("link", name="Go to the recall vote").click()
    expect(mina.locator(".poll")).to_contain_text("secret ballot")
    screenshot(mina, "recall-vote")
    mina.get_by_label("yes", exact=True).check()
    mina.get_by_role("button", name="Cast my secret ballot").click()
    receipt_shown(mina)
    recall_poll = next(p for p in recording.state().polls.values() if p.purpose == "recall" and p.counted is None)
    others_vote(recall_poll.id, voters=len(recall_poll.electorate) // 2 + 1, marks=["yes"])  # past the quorum

    platform_clock.advance(days=8)
    settle.run()  # cron's `frombelow tick`: the recall vote is counted, the seat falls vacant, a by-election is called
    clara.goto(f"{site}/delegates/{boris}")
    expect(clara.locator("main")).to_contain_text("No seat held now.")
    clara.goto(f"{site}/councils/local-6")
    clara.locator("tr", has_text="nominations").get_by_role("link").click()
    election = clara.url

    for page in (jose, mina, clara):  # each stands: the nominee list offers oneself first
        page.goto(election)
        page.get_by_role("button", name="Nominate").click()
        expect(page.locator(".messages")).to_be_visible()
    expect(clara.locator("table.nominations tbody tr")).to_have_count(3)
    screenshot(clara, "by-election-nominations")

    platform_clock.advance(days=7, hours=1)  # nominations close
    mina.goto(election)
    mina.get_by_role("button", name="Open the vote").click()
    expect(mina.locator(".stage")).to_have_text("voting")

    jose.goto(election)
    rank(jose, ["Mina Newcomer", "José Newcomer"])
    screenshot(jose, "ranked-ballot-without-javascript")
    jose.get_by_role("button", name="Cast my secret ballot").click()
    jose_receipt, jose_check = receipt_shown(jose)
    screenshot(jose, "receipt-shown-without-javascript")

    mina.goto(election)
    turnout = mina.locator(".turnout")
    expect(turnout).to_contain_text("1 of")
    rank(mina, ["José Newcomer", "Mina Newcomer", clara_name(clara)])
    mina.get_by_role("button", name="Cast my secret ballot").click()
    mina_receipt, mina_check = receipt_shown(mina)
    expect(turnout).to_contain_text("2 of")
    poll = election_poll(election)
    others_vote(poll, voters=20)

    platform_clock.advance(days=8)
    settle.run()
    assert check_receipt(jose, site, jose_check, jose_receipt).endswith("as: Mina Newcomer > José Newcomer")
    mina_answer = check_receipt(mina, site, mina_check, mina_receipt)
    assert mina_answer.endswith(f"as: José Newcomer > Mina Newcomer > {clara_name(clara)}")
    screenshot(mina, "receipt-checker")

    jose.goto(election)
    expect(jose.locator(".stage")).to_have_text("decided")
    expect(jose.locator("table.rounds tbody tr").first).to_be_visible()
    mina.goto(election)
    chart_drawn(mina)
    screenshot(mina, "by-election-results")


def clara_name(page: Page) -> str:
    """The name clara goes by (the demo makes names up), as the nav shows it."""
    return page.locator("a[href$='/account']").first.inner_text().strip()


def election_poll(url: str) -> str:
    election = url.split("/elections/", 1)[1]
    return recording.state().elections[election].poll
