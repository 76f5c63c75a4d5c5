"""A delegate votes against his local's mandate in a public roll call; the deviation shows."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from frombelow.web import demo
from tests.browser.conftest import log_in, new_page, screenshot


def test_a_delegate_voting_against_his_mandate_is_shown_as_deviating(
    browser: Browser, site: str, federation: list[demo.Login]
) -> None:
    boris = next(login.member for login in federation if login.username == "boris")
    page = new_page(browser)
    log_in(page, site, "boris")

    page.goto(f"{site}/motions/{demo.ITEM}")
    mandate = page.locator(".card.mandate")
    expect(mandate).to_contain_text("yes")
    expect(mandate).to_contain_text("recall-trigger")
    expect(page.locator(".poll")).to_contain_text("public roll call")
    screenshot(page, "roll-call-with-mandate")

    page.get_by_label("no", exact=True).check()
    page.get_by_role("button", name="Cast my vote (public)").click()
    expect(page.locator(".messages")).to_contain_text("recorded, by name, in the roll call")
    mine = page.locator("table.roll-call tr", has=page.locator(".badge.deviated"))
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("no")
    expect(mine).to_contain_text("recall-trigger")
    expect(page.get_by_role("heading", name="Recall votes opened")).to_be_visible()  # the mandate's policy acted
    screenshot(page, "roll-call-deviated")

    page.goto(f"{site}/delegates/{boris}")
    row = page.locator("tr", has=page.locator(f"a[href='/motions/{demo.ITEM}']"))
    expect(row.locator(".badge.deviated")).to_have_text("deviated")
    expect(row).to_contain_text("no")
    screenshot(page, "delegate-record-deviation")
