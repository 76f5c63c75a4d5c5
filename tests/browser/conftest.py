"""Browser tests: Playwright driving Debian's Chromium against the platform served live.

They run in a pytest session of their own (``make test`` runs ``pytest tests/browser``
after the rest), because a live server needs committed data: each test loads the demo
federation into an empty database and the database is emptied after it, which would
take the demo away from the other web tests sharing a process. Screenshots of each page
go to docs/screenshots/ (the README shows them).
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in this thread

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from playwright.sync_api import Browser, Page, expect, sync_playwright

from frombelow.web import demo, recording
from frombelow.web.actions import cast_ballot
from frombelow.web.models import Account, LedgerHead
from tests.web.conftest import Clock, platform_clock  # noqa: F401  (the clock fixture, shared)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NEWCOMER_PASSWORD = "all-power-to-the-locals"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def federation(transactional_db, settings, tmp_path) -> list[demo.Login]:
    """The demo federation, loaded into this test's empty database."""
    settings.SIGNING_KEY = tmp_path / "signing-key.pem"
    recording.forget()
    LedgerHead.objects.get_or_create(pk=1, defaults={"size": 0})  # a migration made it; the last test's flush took it
    logins = demo.load()
    yield logins
    after_the_scenario(tmp_path)
    recording.forget()


def after_the_scenario(tmp_path: Path) -> None:
    """What the scenario left: the projections a rebuild gives equal the live ones, and its export verifies."""
    from frombelow.ledger.verifying import verify
    from frombelow.web.export import export
    from frombelow.web.rebuild import rebuild
    from tests.web.projections import snapshot

    live = snapshot()
    rebuild()
    assert snapshot() == live, "rebuild after the scenario differs from the live projections"
    report = verify(export(tmp_path / "bundle"))
    assert report.entries == LedgerHead.objects.get(pk=1).size


@pytest.fixture
def site(live_server, federation) -> str:
    return live_server.url


def new_page(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900}, locale="en")
    return context.new_page()


def log_in(page: Page, site: str, username: str, password: str = demo.PASSWORD) -> None:
    page.goto(f"{site}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form[action$='/login'] button")
    expect(page.locator("form[action$='/logout']")).to_be_visible()


def log_out(page: Page) -> None:
    page.click("form[action$='/logout'] button")
    expect(page.locator("a[href$='/login']").first).to_be_visible()


def invite(page: Page, site: str, council: str) -> str:
    """The invitation link a member of ``council`` (logged in on ``page``) makes on the council's page."""
    page.goto(f"{site}/councils/{council}")
    page.get_by_role("button", name="Make an invitation link").click()
    return page.locator("#invitation-link").inner_text().strip()


def join(page: Page, link: str, username: str, name: str) -> None:
    """A newcomer opens the invitation link and joins under ``username`` (password ``NEWCOMER_PASSWORD``)."""
    page.goto(link)
    page.fill("input[name=username]", username)
    page.fill("input[name=name]", name)
    for field in page.locator("input[type=password]").all():
        field.fill(NEWCOMER_PASSWORD)
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".messages")).to_contain_text("Welcome to")


def rank(page: Page, candidates: list[str]) -> None:
    """Fill a ranked ballot (one select per rank) with ``candidates``' names, first choice first."""
    for n, name in enumerate(candidates, start=1):
        page.select_option(f"select[name=rank-{n}]", label=name)


def receipt_shown(page: Page) -> tuple[str, str]:
    """The receipt shown once after a secret ballot, and the link to check it after the count."""
    expect(page.locator("#receipt")).to_be_visible()
    check = page.locator(".receipt-card a").get_attribute("href")
    return page.locator("#receipt").inner_text().strip(), check


def check_receipt(page: Page, site: str, check: str, receipt: str) -> str:
    """After the count: the receipt checker finds the ballot in the count as cast; its answer (the ballot's marks)."""
    page.goto(site + check)
    page.fill("[name=receipt]", receipt)
    page.get_by_role("button", name="Check").click()
    answer = page.locator("[role=status] .badge")
    expect(answer).to_have_class(re.compile(r"\bkept\b"))
    return answer.inner_text()


def chart_drawn(page: Page) -> None:
    """ECharts drew the results chart (a canvas inside the chart's container)."""
    expect(page.locator("#chart canvas, #chart svg").first).to_be_visible()
    # Let the drawing's animation finish before a screenshot (ECharts says so by "finished").
    page.evaluate(
        """() => new Promise(done => {
            echarts.getInstanceByDom(document.getElementById("chart")).on("finished", () => done(true));
            setTimeout(() => done(false), 2000);
        })"""
    )


def others_vote(poll_id: str, voters: int, marks: Sequence[str] = ()) -> None:
    """Up to ``voters`` members with no login (the demo's) vote, through the action the ballot form calls.

    Each casts ``marks``, or without them ranks a random few of the choices."""
    rng = random.Random(7)
    poll = recording.state().polls[poll_id]
    with_login = set(
        Account.objects.exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX).values_list("member", flat=True)
    )
    for voter in [m for m in sorted(poll.electorate) if m not in with_login][:voters]:
        if voter not in poll.turnout:
            cast_ballot.run(voter, poll_id, marks or rng.sample(poll.choices, k=rng.randint(1, len(poll.choices))))


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
