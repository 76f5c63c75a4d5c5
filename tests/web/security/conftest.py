"""Helpers for the security tests: a client for any demo login, a token for the API, and a check
that a refused request changed nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frombelow.web import demo
from frombelow.web.actions import issue_api_token
from frombelow.web.models import LedgerHead
from tests.web.projections import snapshot


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Every projection table and the ledger's length are the same after the block as before it."""
    before, size = snapshot(), LedgerHead.objects.get().size
    yield
    assert LedgerHead.objects.get().size == size, "the ledger grew"
    assert snapshot() == before, "a projection changed"


@pytest.fixture
def page_as(db) -> Callable[[str], Client]:
    """A logged-in browser for a demo login."""

    def client(username: str) -> Client:
        browser = Client()
        assert browser.login(username=username, password=demo.PASSWORD), username
        return browser

    return client


@pytest.fixture
def api_as(db) -> Callable[[str], Client]:
    """An API client for a demo login: a bearer token, no cookie."""

    def client(username: str) -> Client:
        token = issue_api_token.run(get_user_model().objects.get(username=username), "security test")
        return Client(headers={"Authorization": f"Bearer {token}"})

    return client
