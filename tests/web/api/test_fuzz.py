"""Fuzzing the API: schemathesis makes requests from /api/v1/openapi.json, anonymous and as a member.

Every answer: no server error, the status and body the document gives for it (schemathesis'
checks), an error is JSON ``{code, message}``, a request that fits the schema is never refused
as malformed by it, and a 4xx changed nothing (the ledger, the ballot boxes, tokens, logins;
the projections spot-checked). Each request runs in a savepoint rolled back after it, so every
one starts from the demo; a third of the cases name things that exist (councils, polls, motions,
…) in the path, to get past "there is no …".

``FROMBELOW_FUZZ_EXAMPLES`` sets the examples per operation and caller: CI runs the default
few; the full run (benchmarks/README.md, "Fuzzing") runs more than ten thousand requests.
"""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja import Schema
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from frombelow.web import recording
from frombelow.web.actions import issue_api_token
from frombelow.web.api import AREAS
from frombelow.web.models import (
    ApiToken,
    BoxSlot,
    BoxToken,
    CouncilRow,
    DecisionRow,
    ElectionRow,
    FactionRow,
    LedgerHead,
    MemberRow,
    MotionRow,
    PollRow,
    RecordRow,
)
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FROMBELOW_FUZZ_EXAMPLES", "3"))
# Every schemathesis check but positive_data_acceptance: the rules refuse some schema-valid
# requests with 400 (a recall petition naming no delegate); what we hold instead is that the
# schema layer never refuses what the schema allows (``invalid_input``, below).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    use_after_free,
    ensure_resource_availability,
    ignored_auth,
]
SNAPSHOT_EVERY = 10  # the full projection snapshot on every tenth refused write (it reads every table)

APPLICATION = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPLICATION)
OPERATIONS = [found.ok() for found in SCHEMA.get_all_operations()]
SENT: Counter[int] = Counter()  # the statuses answered in the running test (printed: pytest -rP)


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests share the test's connection and transaction (as Django's test client arranges)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def existing() -> dict[str, list[str]]:
    """Ids of things in the demo, by the name of the path parameter that takes them."""
    return {
        "council_id": list(CouncilRow.objects.values_list("id", flat=True)),
        "election_id": list(ElectionRow.objects.values_list("id", flat=True)),
        "poll_id": list(PollRow.objects.values_list("id", flat=True)),
        "motion_id": list(MotionRow.objects.values_list("id", flat=True)),
        "decision_id": list(DecisionRow.objects.values_list("motion", flat=True)),
        "petition_id": list(RecordRow.objects.filter(kind="petitions").values_list("key", flat=True)),
        "faction_id": list(FactionRow.objects.values_list("id", flat=True)),
        "member": list(MemberRow.objects.values_list("id", flat=True)[:50]),
        "index": [str(i) for i in range(0, LedgerHead.objects.get(pk=1).size, 7)],
    }


def cases(operation: schemathesis.APIOperation) -> st.SearchStrategy:
    """Schema-valid and schema-breaking requests, and schema-valid ones naming things that exist."""
    generated = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    known = existing()
    names = [p.name for p in operation.path_parameters if known.get(p.name)]
    if names:
        real = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        generated.append(
            real.flatmap(lambda path: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=path))
        )
    return st.one_of(generated)


def kept() -> tuple:
    """What a refused request must leave as it was (cheap enough to read around every request)."""
    return (
        LedgerHead.objects.get(pk=1).size,
        BoxSlot.objects.count(),
        BoxToken.objects.count(),
        ApiToken.objects.count(),
        get_user_model().objects.count(),
    )


def fuzz(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    """Send the operation's generated requests and hold every answer to the schema and the rules."""
    refused_writes = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize="FROMBELOW_FUZZ_EXAMPLES" not in os.environ,  # CI's few cases are the same every run
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation))
    def answered_as_the_schema_says(case: schemathesis.Case) -> None:
        with transaction.atomic():
            before = kept()
            whole = operation.method != "get" and len(refused_writes) % SNAPSHOT_EVERY == 0 and snapshot()
            response = case.call(headers=headers)
            SENT[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"code", "message"}, body
                if case.meta.generation.mode is GenerationMode.POSITIVE:
                    assert body["code"] != "invalid_input", f"the schema allows what its validation refused: {body}"
                assert kept() == before, f"{response.status_code} {body} yet something changed"
                if operation.method != "get":
                    if whole:
                        assert snapshot() == whole, f"{response.status_code} {body} yet a projection changed"
                    refused_writes.append(response.status_code)
            transaction.set_rollback(True)

    try:
        answered_as_the_schema_says()
    except BaseException as failure:
        failure.add_note(f"fuzzing {operation.label} ({'as a member' if headers else 'anonymous'})")
        raise


@pytest.mark.parametrize("caller", ["anonymous", "ana"])
@pytest.mark.parametrize("area", AREAS)
def test_fuzzed_requests_are_answered_as_the_schema_says(area: str, caller: str, in_process) -> None:
    headers = {}
    if caller != "anonymous":
        token = issue_api_token.run(get_user_model().objects.get(username=caller), "fuzz")
        headers = {"Authorization": f"Bearer {token}"}
    recording.state()  # read once: a refused command keeps no state in memory, so each would replay the ledger
    operations = [operation for operation in OPERATIONS if area in operation.tags]
    assert operations, f"no operation is tagged {area!r}"
    SENT.clear()
    for operation in operations:
        fuzz(operation, headers)
    print(f"fuzzed {area} as {caller}: {SENT.total()} requests, by status {dict(sorted(SENT.items()))}")  # pytest -rP


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document names each schema by its class: two of one name document one body wrongly."""
    classes = {
        (value.__module__, value.__name__)
        for area in AREAS
        for value in vars(importlib.import_module(f"frombelow.web.api.{area}")).values()
        if isinstance(value, type) and issubclass(value, Schema) and value.__module__.startswith("frombelow.")
    }
    named = Counter(name for _, name in classes)
    assert [name for name, count in named.items() if count > 1] == []


def test_every_operation_documents_its_refusals():
    """A 400, 401, 403, 404 or 409 an operation taking input gives is in the document, as ``{code, message}``."""
    document = Client().get("/api/v1/openapi.json").json()
    undocumented = [
        f"{method.upper()} {path}: {status}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(operation.get(part) for part in ("parameters", "requestBody", "security"))  # it could refuse
        for status in ("400", "401", "403", "404", "409")
        if status not in operation["responses"]
    ]
    assert undocumented == []


def test_a_ledger_index_that_is_no_number_is_refused_as_json():
    """It reached no route and Django answered with its HTML page; now the API says what is wrong."""
    response = Client().get("/api/v1/ledger/first")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert Client().get("/api/v1/ledger/-1").json()["code"] == "not_found"


def test_a_council_with_decisions_answers_as_its_schema_says():
    """Its decisions are the council's summaries, not motions.py's DecisionOut (which the document named)."""
    decided = DecisionRow.objects.values_list("council", flat=True).first()
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    body = Client().get(f"/api/v1/councils/{decided}").json()
    assert body["decisions"]
    decision = schemas[schemas["CouncilDetail"]["properties"]["decisions"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(decision["required"]) <= set(body["decisions"][0])


@pytest.mark.parametrize("path", ["/elections/north%0Alocal-1/accept", "/no-such-endpoint", "/polls/%0A"])
def test_a_path_no_endpoint_takes_is_answered_in_json(path: str):
    """An id with a newline matched no {path:…} route and got the site's HTML 404 page."""
    response = Client().post(f"/api/v1{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_a_nul_character_is_refused_as_the_schema_says_on_either_database():
    """PostgreSQL's text cannot hold NUL: founding a faction named with one was a 500 there (full fuzz run),
    then a 400 from the database while SQLite stored it; now the schema's pattern refuses it on both."""
    token = issue_api_token.run(get_user_model().objects.get(username="ana"), "fuzz")
    before, founded = kept(), FactionRow.objects.count()
    response = Client().post(
        "/api/v1/factions",
        {"name": "Left\x00Bloc", "platform": "all power"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_input"
    assert response.json()["message"].startswith("body.payload.name: holds a control character")
    assert (kept(), FactionRow.objects.count()) == (before, founded)
