"""Repeated wrong passwords lock a username out (from that address) for a while, even with the right
password: on the login page and on POST /api/v1/tokens alike, with a message that says so."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from frombelow.web import demo
from frombelow.web.models import ApiToken

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed logins: this username is locked for 15 minutes from here"


def _log_in(client: Client, password: str, username: str = "boris", **headers: str):
    return client.post("/login", {"username": username, "password": password}, **headers)


def _token(password: str, username: str = "boris", **headers: str):
    body = {"username": username, "password": password}
    return Client().post("/api/v1/tokens", body, content_type="application/json", **headers)


def test_the_login_page_locks_a_username_out_after_repeated_failures():
    browser = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = _log_in(browser, "not-his-password")
        assert wrong.status_code == 200 and "do not match" in wrong.content.decode()
    locked = _log_in(browser, "not-his-password")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    right = _log_in(browser, demo.PASSWORD)
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert "_auth_user_id" not in browser.session
    # The API is locked for him too: the attempts are counted per username and address, not per door.
    assert _token(demo.PASSWORD).status_code == 429


def test_the_token_endpoint_locks_a_username_out_after_repeated_failures():
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token("not-his-password").json()["code"] == "wrong_credentials"
    assert _token("not-his-password").status_code == 429
    right = _token(demo.PASSWORD)
    assert right.status_code == 429 and right.json() == {"code": "locked_out", "message": right.json()["message"]}
    assert right.json()["message"].startswith(LOCKED)
    assert not ApiToken.objects.filter(user__username="boris").exists()


def test_the_lockout_is_for_that_username_from_that_address_only():
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(Client(), "not-his-password")
    assert _log_in(Client(), demo.PASSWORD, username="clara").status_code == 302  # others log in from here
    assert _log_in(Client(), demo.PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 302  # he does from elsewhere


def test_the_lockout_ends_after_the_cool_off():
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(Client(), "not-his-password")
    assert _log_in(Client(), demo.PASSWORD).status_code == 429
    # The failures age past the cool-off (moved back in time rather than the clock forward).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _log_in(Client(), demo.PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures():
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(Client(), "not-his-password")
    assert _log_in(Client(), demo.PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(Client(), "not-his-password")
    assert _log_in(Client(), demo.PASSWORD).status_code == 302


def test_the_lockout_message_is_in_the_members_language():
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = Client().post(
            "/login", {"username": "boris", "password": "not-his-password"}, headers={"Accept-Language": "fr"}
        )
    assert locked.status_code == 429
    assert "Trop de connexions échouées : cet identifiant est bloqué ici pendant 15 minutes" in html.unescape(
        locked.content.decode()
    )


def test_behind_the_proxy_the_address_is_the_one_it_appended(settings):
    """In production the peer is the proxy: the client is the last X-Forwarded-For entry, not a forgeable first one."""
    settings.BEHIND_PROXY = True
    for forged in range(settings.AXES_FAILURE_LIMIT):  # a guesser rotating a forged first entry
        _log_in(Client(), "not-his-password", headers={"X-Forwarded-For": f"10.0.0.{forged}, 203.0.113.9"})
    assert _log_in(Client(), demo.PASSWORD, headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    assert _log_in(Client(), demo.PASSWORD, headers={"X-Forwarded-For": "198.51.100.4"}).status_code == 302
