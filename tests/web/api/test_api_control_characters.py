"""Control characters (a NUL above all: PostgreSQL's text cannot hold one) answered alike on both databases.

Text in a body: the schema's pattern refuses them (but tab, newline, carriage return), a 400 invalid_input
the document predicts. An id in a path or filter: nothing has such an id, so 404 or an empty list, as for
any id that does not exist, without asking the database.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.db import DataError
from django.test import Client
from pydantic import BaseModel, ValidationError

from frombelow.web.actions import issue_api_token
from frombelow.web.api.text import PATTERN, Text
from frombelow.web.models import FactionRow, LedgerHead, MotionRow, RecordRow
from frombelow.web.queries import factions

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_ana() -> Client:
    token = issue_api_token.run(get_user_model().objects.get(username="ana"), "control characters")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def stored() -> tuple:
    return LedgerHead.objects.get(pk=1).size, FactionRow.objects.count(), MotionRow.objects.count()


class Named(BaseModel):
    name: Text


ALLOWED = ["", "Left Bloc", "tab\there", "lines\nand\r\nmore\n", "ünïcödé ✊", "\x7f", " "]
REFUSED = ["\x00", "Left\x00Bloc", "\x01", "bell\x07", "\x0b", "\x0c", "\x1b[31m", "\x1f", "ends\x00"]


@pytest.mark.parametrize("text", ALLOWED + REFUSED)
def test_the_pattern_reads_alike_in_pydantic_json_schema_and_python(text: str):
    """pydantic (Rust's regex) validates, jsonschema and schemathesis (Python's re) generate and check by it."""
    allowed = text in ALLOWED
    try:
        Named(name=text)
        by_pydantic = True
    except ValidationError:
        by_pydantic = False
    by_json_schema = jsonschema.Draft202012Validator(Named.model_json_schema()).is_valid({"name": text})
    assert (by_pydantic, by_json_schema, re.search(PATTERN, text) is not None) == (allowed, allowed, allowed)


def test_every_text_a_request_body_takes_carries_the_pattern():
    """Found by walking the OpenAPI document: a string field without it would take a NUL to the database."""
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]

    def strings(schema: dict, at: str) -> list[tuple[str, dict]]:
        if "$ref" in schema:
            return strings(schemas[schema["$ref"].rsplit("/", 1)[-1]], at)
        found = [(at, schema)] if schema.get("type") == "string" and "enum" not in schema else []
        for name, inner in schema.get("properties", {}).items():
            found += strings(inner, f"{at}.{name}")
        for inner in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
            found += strings(inner, at)
        if "items" in schema:
            found += strings(schema["items"], f"{at}[]")
        return found

    bodies = [
        (f"{method.upper()} {path}", content["schema"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    ]
    assert len(bodies) >= 15
    taken = [(f"{operation} {at}", schema) for operation, body in bodies for at, schema in strings(body, "body")]
    assert len(taken) >= 30
    assert [where for where, schema in taken if schema.get("pattern") != PATTERN] == []


@pytest.mark.parametrize("name", ["Left\x00Bloc", "Left\x01Bloc", "\x00"])
def test_a_control_character_in_a_name_is_refused_and_nothing_is_stored(as_ana: Client, name: str):
    before = stored()
    response = as_ana.post("/api/v1/factions", {"name": name, "platform": "all power"}, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_input"
    assert "body.payload.name: holds a control character" in response.json()["message"]
    assert stored() == before


def test_tab_newline_and_carriage_return_are_text(as_ana: Client):
    platform = "Line one\r\nline two\n\tindented"
    response = as_ana.post(
        "/api/v1/factions", {"name": "Left Bloc", "platform": platform}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["platform"] == platform


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/motions", {"council": "local-1", "title": "Strike\x00fund", "text": "yes"}),
        ("/api/v1/motions", {"council": "local\x00", "title": "Strike fund", "text": "yes"}),
        ("/api/v1/petitions", {"kind": "initiative", "council": "local-1", "title": "t", "text": "a\x00b"}),
        ("/api/v1/receipts/check", {"poll": "vote\x00", "receipt": "ab:cd"}),
        ("/api/v1/tokens", {"username": "ana\x00", "password": "whatever"}),
        ("/api/v1/join", {"code": "\x00", "username": "x", "name": "X", "password": "long enough now"}),
        ("/api/v1/invitations", {"council": "local-1\x00"}),
    ],
)
def test_text_with_a_nul_is_refused_in_every_kind_of_request(as_ana: Client, path: str, body: dict):
    """Ids in a body too: a lookup of the username or the poll with a NUL was a DataError on PostgreSQL."""
    before = stored()
    response = as_ana.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_input"
    assert stored() == before


def path_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation naming something by a string id in its path."""
    document = Client().get("/api/v1/openapi.json").json()
    return [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(p["in"] == "path" and p["schema"].get("type") == "string" for p in operation.get("parameters", []))
    ]


@pytest.mark.parametrize("character", ["\x00", "\x1f", "\n"])
def test_an_id_in_a_path_with_a_control_character_is_not_found(as_ana: Client, character: str):
    """Every operation, anonymous and as a member: 404 not_found, as for an id nothing has."""
    operations = path_operations()
    assert len(operations) >= 25
    before = stored()
    wrong = []
    for method, path in operations:
        url = re.sub(r"{[^}]+}", quote(f"local-1{character}", safe=""), path)
        for caller in (Client(), as_ana):
            response = getattr(caller, method)(url, {}, content_type="application/json")
            if response.status_code != 404 or response.json()["code"] != "not_found":
                wrong.append(f"{method.upper()} {url}: {response.status_code} {response.content[:100]!r}")
    assert wrong == []
    assert stored() == before


def test_elections_of_a_council_with_a_nul_are_none_as_of_any_council_that_does_not_exist():
    """The full fuzz run on PostgreSQL: GET /elections?council=%00 was a 400 (DataError)."""
    nul = Client().get("/api/v1/elections", {"council": "\x00"})
    missing = Client().get("/api/v1/elections", {"council": "no-such-council"})
    assert nul.status_code == missing.status_code == 200
    assert nul.json() == missing.json() == {"open": [], "recent": []}
    assert Client().get("/api/v1/elections", {"council": "local-1"}).json() != missing.json()


@pytest.mark.parametrize("query", [{}, {"page": 3}, {"before": 40}])
def test_ledger_entries_of_a_kind_with_a_nul_are_none_as_of_any_kind_no_entry_has(query: dict):
    nul = Client().get("/api/v1/ledger", {"kind": "poll\x00counted", **query})
    missing = Client().get("/api/v1/ledger", {"kind": "no such kind", **query})
    assert nul.status_code == missing.status_code == 200
    assert nul.json() == {**missing.json(), "kind": "poll\x00counted"}
    assert nul.json()["total"] == 0


def test_what_the_database_still_cannot_hold_is_refused_not_a_server_error(monkeypatch: pytest.MonkeyPatch):
    """The last line of defence: a DataError that got past the schema and the id converters is a 400."""

    def unstorable() -> list:
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(factions, "factions", unstorable)
    response = Client().get("/api/v1/factions")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_a_petition_signed_with_a_nul_in_its_id_is_not_found(as_ana: Client):
    """It looked the petition up before asking the rules: a DataError on PostgreSQL."""
    petition = RecordRow.objects.filter(kind="petitions").values_list("key", flat=True).first()
    response = as_ana.post(f"/api/v1/petitions/{petition}%00/signatures")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
