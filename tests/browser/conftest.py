"""Browser tests: Playwright driving Debian's Chromium against the platform served live.

They run in a pytest session of their own (``make test`` runs ``pytest tests/browser``
after the rest), because a live server needs committed data: each test loads the demo
federation into an empty database and the database is emptied after it, which would
take the demo away from the other web tests sharing a process. Screenshots of each page
go to docs/screenshots/ (the README shows them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in this thread

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from frombelow.web import demo, recording  # noqa: E402
from tests.web.conftest import Clock, platform_clock  # noqa: E402, F401  (the clock fixture, shared)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
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
    logins = demo.load()
    yield logins
    recording.forget()


@pytest.fixture
def site(live_server, federation) -> str:
    return live_server.url


def new_page(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900}, locale="en")
    return context.new_page()


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.PASSWORD)
    page.click("form.login button[type=submit], form.login input[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
