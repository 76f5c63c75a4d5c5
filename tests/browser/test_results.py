"""A visitor, logged out, reads the record: a finished STV election's count and chart, the ledger, factions."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import chart_drawn, new_page, screenshot


def test_a_visitor_reads_a_finished_stv_count_the_ledger_and_the_factions(browser: Browser, site: str) -> None:
    page = new_page(browser)
    page.goto(f"{site}/elections/")
    decided = page.locator("tr", has_text="South District to").filter(has_text="term 2").filter(has_text="stv")
    decided.first.get_by_role("link").click()
    expect(page.locator(".stage")).to_have_text("decided")
    expect(page.locator("table.rounds tbody tr")).not_to_have_count(0)
    expect(page.locator("#chart")).to_have_attribute("data-chart", "sankey")
    chart_drawn(page)
    screenshot(page, "results-stv-sankey")

    without = new_page(browser, javascript=False)
    without.goto(page.url)  # the round table is there for those without JavaScript
    expect(without.locator("table.rounds tbody tr")).not_to_have_count(0)

    page.goto(f"{site}/ledger/")
    expect(page.locator("main table tbody tr")).not_to_have_count(0)
    screenshot(page, "ledger-explorer")
    page.locator("main table tbody tr a").first.click()
    expect(page.locator("main")).to_contain_text("proof")
    screenshot(page, "ledger-entry")

    page.goto(f"{site}/factions")
    expect(page.locator("main a[href^='/factions/']")).not_to_have_count(0)
    screenshot(page, "factions")
    page.locator("main a[href^='/factions/']").first.click()
    screenshot(page, "faction")
