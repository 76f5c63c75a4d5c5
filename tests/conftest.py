import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"


@pytest.fixture(scope="session")
def conformance() -> Path:
    if not CONFORMANCE.is_dir():
        pytest.skip(f"shared conformance material not found at {CONFORMANCE}")
    return CONFORMANCE

# The browser tests run in a session of their own (`make test` runs them after the rest): see tests/browser/conftest.py.
collect_ignore = [] if os.environ.get("FROMBELOW_BROWSER") else ["browser"]
