"""The web platform's tests: a real database (SQLite by default, PostgreSQL when
``DATABASE_URL`` names one), the demo federation loaded once per test database, and the
platform's clock under the tests' control."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client

from frombelow.web import clock, demo, recording


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory) -> None:
    """The test database with the demo federation in it (committed: each test rolls back to it)."""
    settings.SIGNING_KEY = tmp_path_factory.mktemp("key") / "signing-key.pem"
    with django_db_blocker.unblock():
        demo.load()


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    """A test's transaction is rolled back after it: the state kept in memory must be too."""
    recording.forget()
    yield
    recording.forget()


class Clock:
    """The platform's clock, moved forward by the test (deadlines pass without waiting)."""

    def __init__(self) -> None:
        self.shift = timedelta(0)
        self._real = clock.now

    def now(self) -> datetime:
        return self._real() + self.shift

    def advance(self, **by: float) -> None:
        self.shift += timedelta(**by)


@pytest.fixture
def platform_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(clock, "now", moved.now)
    return moved


def login_as(client: Client, username: str) -> Client:
    assert client.login(username=username, password=demo.PASSWORD), f"the demo login {username} did not work"
    return client


@pytest.fixture
def ana(db, client: Client) -> Client:
    """A member of Local 1, where a by-election's ranked vote is open."""
    return login_as(client, "ana")


@pytest.fixture
def boris(db) -> Client:
    """A delegate of his local in South District, mandated on the strike fund."""
    return login_as(Client(), "boris")


@pytest.fixture
def clara(db) -> Client:
    """A member of the local whose recall petition is gathering signatures."""
    return login_as(Client(), "clara")


@pytest.fixture
def logins(db) -> dict[str, str]:
    """username -> member id, for the demo logins."""
    return {login.username: login.member for login in demo.LOGINS}
