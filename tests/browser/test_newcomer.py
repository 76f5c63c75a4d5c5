"""A newcomer is invited into Local 1, joins and votes by secret ballot; a member ranks the by-election.

The demo opened Local 1's ranked by-election when it loaded, and an election's
electorate is fixed when its vote opens: a newcomer joining today is not in it. So here
the newcomer votes yes/no in a secret vote they can be in (a motion they put to their
council), and ana ranks the by-election; a newcomer's own ranked votes, with and without
JavaScript, are in ``test_recall.py``, in the by-election that follows a recall.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from frombelow.web.actions import settle
from tests.browser.conftest import (
    Clock,
    chart_drawn,
    check_receipt,
    invite,
    join,
    log_in,
    log_out,
    new_page,
    others_vote,
    rank,
    receipt_shown,
    screenshot,
)

BY_ELECTION = "north/local-1/term-2/by-election-1"


def test_a_newcomer_joins_and_votes_and_every_receipt_is_in_the_count(
    browser: Browser, site: str, platform_clock: Clock
) -> None:
    ana = new_page(browser)
    ana.goto(site)
    expect(ana.locator("main")).to_contain_text("Local 1")
    screenshot(ana, "federation-tree")
    log_in(ana, site, "ana")
    link = invite(ana, site, "local-1")
    assert "/join/" in link
    log_out(ana)

    newcomer = new_page(browser, javascript=False)
    newcomer.goto(link)
    expect(newcomer.locator("h1")).to_have_text("Join Local 1")
    screenshot(newcomer, "join")
    join(newcomer, link, "rosa", "Rosa Newcomer")
    expect(newcomer.locator("h1")).to_have_text("Local 1")
    expect(newcomer.locator(".card")).to_contain_text("You are a member of this council.")
    screenshot(newcomer, "council")

    newcomer.goto(f"{site}/motions/new")
    newcomer.select_option("#council", label="Local 1")
    newcomer.fill("[name=title]", "Safety stewards on every shift")
    newcomer.fill("[name=text]", "Local 1 elects a safety steward for each shift.")
    newcomer.get_by_role("button", name="Put it on the agenda").click()
    expect(newcomer.locator(".messages")).to_contain_text("The motion is on the agenda.")
    newcomer.get_by_role("button", name="Call the vote").click()
    expect(newcomer.locator(".poll")).to_contain_text("secret ballot")
    newcomer.get_by_label("yes", exact=True).check()
    newcomer.get_by_role("button", name="Cast my secret ballot").click()
    motion_receipt, motion_check = receipt_shown(newcomer)

    log_in(ana, site, "ana")
    ana.goto(f"{site}/elections/{BY_ELECTION}")
    expect(ana.locator(".stage")).to_have_text("voting")
    candidates = [o.inner_text() for o in ana.locator("select[name=rank-1] option").all()][1:]
    assert len(candidates) == 4, candidates
    screenshot(ana, "election-ballot")
    ranked = [candidates[2], candidates[0], candidates[3]]
    rank(ana, ranked)
    ana.get_by_role("button", name="Cast my secret ballot").click()
    ballot_receipt, ballot_check = receipt_shown(ana)
    expect(ana.locator(".turnout")).to_contain_text("1 of 47")
    screenshot(ana, "receipt-shown")

    others_vote(f"election {BY_ELECTION}", voters=24)  # so that the count takes rounds

    platform_clock.advance(days=8)  # both votes close
    settle.run()  # what cron's `frombelow tick` does: count the polls whose time is up

    assert check_receipt(newcomer, site, motion_check, motion_receipt).endswith("as: yes")
    assert check_receipt(ana, site, ballot_check, ballot_receipt).endswith("as: " + " > ".join(ranked))
    screenshot(ana, "receipt-checked")

    newcomer.goto(f"{site}/elections/{BY_ELECTION}")  # without JavaScript: the round table is the record
    expect(newcomer.locator(".stage")).to_have_text("decided")
    expect(newcomer.locator("table.rounds tbody tr").first).to_be_visible()
    ana.goto(f"{site}/elections/{BY_ELECTION}")
    chart_drawn(ana)
    screenshot(ana, "results-irv-sankey")
