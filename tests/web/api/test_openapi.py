"""The OpenAPI document is valid OpenAPI, and every operation in it is exercised by the API tests."""

from __future__ import annotations

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
    """Each operation is called somewhere as ``.<method>(`` on a line naming its path's last fixed segment."""
    document = Client().get("/api/v1/openapi.json").json()
    lines = [
        line
        for p in TESTS.glob("test_*.py")
        if p.name != Path(__file__).name
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    untested = []
    for path, operations in document["paths"].items():
        segments = [part for part in path.removeprefix("/api/v1").split("/") if part and not part.startswith("{")]
        named = f"/{segments[-1]}" if segments else "/"
        for method in operations:
            if not any(f".{method}(" in line and named in line for line in lines):
                untested.append(f"{method.upper()} {path}")
    assert not untested, f"operations no API test calls: {untested}"
