"""The load tests run a real server (gunicorn) on a database of their own: PostgreSQL only.

``FROMBELOW_LOAD_MEMBERS`` (default 200) sets how many members act at once, each trying five times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.load.instance import Instance, postgres

MEMBERS = int(os.environ.get("FROMBELOW_LOAD_MEMBERS", "200"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if postgres() is None:
        skip = pytest.mark.skip(reason="the load tests need PostgreSQL (DATABASE_URL=postgres://...)")
        for item in items:
            if "tests/load/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)


@pytest.fixture
def instance() -> Iterator[Instance]:
    """A fresh database with the load scenario of MEMBERS members, gunicorn serving it."""
    made = Instance.create(MEMBERS)
    try:
        made.start()
        yield made
    finally:
        made.drop()
