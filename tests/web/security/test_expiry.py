"""What lets someone in runs out: API tokens at their expiry or when revoked, sessions after
SESSION_COOKIE_AGE or at logout, invitations once used or past their days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from frombelow.web.actions import issue_api_token, issue_invitation
from frombelow.web.models import ApiToken
from tests.web.security.conftest import nothing_changes

pytestmark = pytest.mark.django_db

NEWCOMER = {"username": "dora", "name": "Dora Nowak", "password": "solidarity-forever-42"}


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Moves Django's clock (sessions' and tokens' expiry read it) forward by the given time."""
    real = timezone.now

    def move(by: timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real() + by)

    return move


def _bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_an_api_token_past_its_expiry_is_refused(later: Callable[[timedelta], None]):
    token = issue_api_token.run(get_user_model().objects.get(username="ana"), "expiring")
    expires_at = ApiToken.objects.get(name="expiring").expires_at
    assert _bearer(token).get("/api/v1/me").status_code == 200
    later(expires_at - timezone.now() + timedelta(seconds=1))
    expired = _bearer(token).get("/api/v1/me")
    assert expired.status_code == 401 and expired.json()["code"] == "unauthenticated"


def test_a_revoked_api_token_is_refused_at_once(page_as: Callable[[str], Client]):
    token = issue_api_token.run(get_user_model().objects.get(username="ana"), "to revoke")
    assert _bearer(token).get("/api/v1/me").status_code == 200
    revoked = page_as("ana").post(f"/account/tokens/{ApiToken.objects.get(name='to revoke').pk}/revoke")
    assert revoked.status_code == 302
    assert _bearer(token).get("/api/v1/me").status_code == 401


def test_a_session_older_than_its_age_is_refused(page_as: Callable[[str], Client], later):
    ana = page_as("ana")
    assert ana.get("/account").status_code == 200
    later(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
    assert ana.get("/account").status_code == 200
    later(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    refused = ana.get("/account")
    assert refused.status_code == 302 and refused["Location"].startswith("/login")


def test_logging_out_ends_the_session_even_for_a_copy_of_its_cookie(page_as: Callable[[str], Client]):
    ana = page_as("ana")
    copied = Client()
    copied.cookies[settings.SESSION_COOKIE_NAME] = ana.cookies[settings.SESSION_COOKIE_NAME].value
    assert copied.get("/account").status_code == 200
    assert ana.post("/logout").status_code == 302
    for browser in (ana, copied):
        refused = browser.get("/account")
        assert refused.status_code == 302 and refused["Location"].startswith("/login")


@pytest.fixture
def code(logins: dict[str, str]) -> str:
    return issue_invitation.run(logins["ana"], "local-1")


def test_an_invitation_is_used_once(code: str):
    assert Client().post(f"/join/{code}", NEWCOMER).status_code == 302
    with nothing_changes():
        again = Client().post(f"/join/{code}", {**NEWCOMER, "username": "dora-again"})
        by_api = Client().post(
            "/api/v1/join", {**NEWCOMER, "username": "dora-api", "code": code}, content_type="application/json"
        )
    assert again.status_code == 403 and "used already" in again.content.decode()
    assert by_api.status_code == 403 and "used already" in by_api.json()["message"]
    assert not get_user_model().objects.filter(username__in=["dora-again", "dora-api"]).exists()


def test_an_invitation_expires(code: str, platform_clock):
    platform_clock.advance(days=15)  # the demo charter's invitations last 14 days
    with nothing_changes():
        late = Client().post(f"/join/{code}", NEWCOMER)
    assert late.status_code == 403 and "expired" in late.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()
