"""The OpenAPI document is valid OpenAPI, and every operation in it is exercised by the API tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parent


def test_the_openapi_document_validates():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises, naming what is wrong, if the document breaks the OpenAPI schema
    assert document["info"]["title"] == "frombelow"
    assert "BearerToken" in document["components"]["securitySchemes"]


def test_every_operation_is_called_by_a_test():
    """Each path's fixed part (before its first parameter) appears in an API test with its method."""
    document = Client().get("/api/v1/openapi.json").json()
    tests = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name)
    untested = []
    for path, operations in document["paths"].items():
        fixed = re.split(r"\{", path.removeprefix("/api/v1"), maxsplit=1)[0].rstrip("/") or "/"
        last = path.rstrip("/").rsplit("/", 1)[-1]
        for method in operations:
            named = fixed in tests and (last.startswith("{") or last in tests)
            called = re.search(rf"\.{method}\(", tests) is not None
            if not (named and called):
                untested.append(f"{method.upper()} {path}")
    assert not untested, f"operations no API test calls: {untested}"
