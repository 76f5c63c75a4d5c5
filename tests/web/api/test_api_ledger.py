"""The ledger's API, through HTTP: public reads (no token needed), JSON errors, nothing changed by reading."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client

from frombelow.ledger import checkpoints, proofs
from frombelow.ledger.signing import load_public_key
from frombelow.web import recording
from frombelow.web.actions import cast_ballot, issue_api_token, settle
from frombelow.web.models import Account, LedgerCheckpoint, LedgerEntry, LedgerHead, PollRow
from frombelow.web.queries import ledger, people
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def anyone() -> Client:
    """A stranger with no account and no token, and a client that enforces CSRF as browsers meet it."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def with_token(logins) -> Client:
    token = issue_api_token.run(Account.objects.get(member=logins["ana"]).user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, LedgerCheckpoint.objects.count(), snapshot()


def _refusal(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    return body["message"]


def _by_election() -> PollRow:
    return PollRow.objects.get(purpose="election", counted=False)


def _check(client: Client, poll: str, receipt: str):
    return client.post(f"{API}/receipts/check", json.dumps({"poll": poll, "receipt": receipt}), "application/json")


def test_entries_newest_first_for_anyone_with_or_without_a_token(anyone: Client, with_token: Client):
    size = LedgerHead.objects.get(pk=1).size
    body = anyone.get(f"{API}/ledger").json()
    assert [e["index"] for e in body["entries"]] == list(range(size - 1, size - 1 - ledger.PER_PAGE, -1))
    assert body["total"] == size and body["page"] == 1 and body["pages"] == -(-size // ledger.PER_PAGE)
    assert body["older_before"] == size - ledger.PER_PAGE
    assert with_token.get(f"{API}/ledger").json() == body
    older = anyone.get(f"{API}/ledger", {"before": body["older_before"]}).json()
    assert older["entries"][0]["index"] == size - 1 - ledger.PER_PAGE and older["page"] is None
    assert anyone.get(f"{API}/ledger", {"page": 2}).json()["entries"] == older["entries"]


def test_entries_by_kind_with_members_by_name(anyone: Client, logins):
    body = anyone.get(f"{API}/ledger", {"kind": "ballot cast"}).json()
    assert body["total"] == LedgerEntry.objects.filter(kind="ballot cast").count()
    assert {e["kind"] for e in body["entries"]} == {"ballot cast"}
    for shown in body["entries"]:
        assert shown["actor_name"] == people.names([shown["actor"]])[shown["actor"]]
    counted = anyone.get(f"{API}/ledger", {"kind": "poll counted"}).json()["entries"]
    assert {e["actor_name"] for e in counted} == {"the count"}
    assert anyone.get(f"{API}/ledger", {"kind": "no such kind"}).json()["entries"] == []


@pytest.mark.parametrize("query", [{"page": 0}, {"page": "first"}, {"before": -1}])
def test_malformed_paging_is_a_400_in_json(anyone: Client, query):
    _refusal(anyone.get(f"{API}/ledger", query), 400, "invalid_input")


def test_one_entry_its_bytes_hash_and_a_proof_that_holds(anyone: Client):
    row = LedgerEntry.objects.filter(kind="election decided").first()
    body = anyone.get(f"{API}/ledger/{row.index}").json()
    assert body["data"] == row.data
    assert body["hash"] == hashlib.sha256(row.data.encode()).hexdigest()
    before = LedgerEntry.objects.get(index=row.index - 1)
    assert body["previous"] == hashlib.sha256(before.data.encode()).hexdigest()
    assert body["kind"] == "election decided" and body["actor_name"] == "the count"
    assert proofs.check(body["proof"], key=recording.signer().key_id).startswith(f"entry {row.index} ")
    assert body["proof"]["size"] == ledger.latest_checkpoint().size
    forged = {**body["proof"], "entry": body["proof"]["entry"].replace('"at":"2', '"at":"1', 1)}
    with pytest.raises(proofs.BadProof):
        proofs.check(forged)


def test_an_entry_past_the_latest_checkpoint_has_no_proof_yet_and_a_missing_one_is_a_404(anyone: Client, logins):
    poll = _by_election()
    cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:1])
    newest = LedgerHead.objects.get(pk=1).size - 1
    assert anyone.get(f"{API}/ledger/{newest}").json()["proof"] is None
    message = _refusal(anyone.get(f"{API}/ledger/{newest + 10}"), 404, "not_found")
    assert f"there is no entry {newest + 10}" in message


def test_checkpoints_newest_first_each_signed_by_the_public_key(anyone: Client):
    body = anyone.get(f"{API}/ledger/checkpoints").json()
    sizes = [c["size"] for c in body["checkpoints"]]
    assert sizes == sorted(LedgerCheckpoint.objects.values_list("size", flat=True), reverse=True)[: ledger.PER_PAGE]
    pem = anyone.get(f"{API}/ledger/public-key")
    assert pem.status_code == 200 and pem.content == recording.signer().public_pem()
    key = load_public_key(pem.content)
    for shown in body["checkpoints"]:
        signed = checkpoints.read(shown["data"].encode())
        assert signed.is_signed_by(key) and (signed.size, signed.root) == (shown["size"], shown["root"])
    _refusal(anyone.get(f"{API}/ledger/checkpoints", {"page": 0}), 400, "invalid_input")


def test_a_receipt_before_and_after_the_count(anyone: Client, logins, platform_clock):
    poll = _by_election()
    marks = poll.data["choices"][:2]
    receipt = cast_ballot.run(logins["ana"], poll.id, marks)
    waiting = _check(anyone, poll.id, receipt.text).json()
    assert waiting["outcome"] == "not counted yet" and waiting["closes_at"] and waiting["marks"] is None
    platform_clock.advance(days=8)
    settle.run()
    before = _everything()
    counted = _check(anyone, poll.id, receipt.text).json()
    assert counted["outcome"] == "counted as cast" and counted["marks"] == marks
    named = people.names(marks)
    assert counted["marks_named"] == [named[m] for m in marks]
    assert _check(anyone, poll.id, receipt.commitment).json()["outcome"] == "commitment found"
    assert _check(anyone, poll.id, f"{receipt.commitment}:{'cd' * 32}").json()["outcome"] == "does not open"
    assert _check(anyone, poll.id, "0" * 64).json()["outcome"] == "not in the count"
    assert _everything() == before


def test_a_malformed_receipt_check_is_a_json_4xx_and_changes_nothing(anyone: Client):
    poll = _by_election()
    public = PollRow.objects.filter(secret=False).first()
    before = _everything()
    assert "64 hexadecimal digits" in _refusal(_check(anyone, poll.id, "not a receipt"), 400, "invalid_command")
    assert "public roll call" in _refusal(_check(anyone, public.id, "ab" * 32), 400, "invalid_command")
    _refusal(_check(anyone, "no such vote", "ab" * 32), 404, "not_found")
    _refusal(
        anyone.post(f"{API}/receipts/check", json.dumps({"poll": poll.id}), "application/json"), 400, "invalid_input"
    )
    _refusal(anyone.post(f"{API}/receipts/check", "{not json", "application/json"), 400, "http_error")
    assert _everything() == before


def test_the_openapi_document_describes_every_ledger_endpoint(anyone: Client):
    document = anyone.get(f"{API}/openapi.json").json()
    paths = document["paths"]
    for path, method in [
        ("/api/v1/ledger", "get"),
        ("/api/v1/ledger/{index}", "get"),
        ("/api/v1/ledger/checkpoints", "get"),
        ("/api/v1/ledger/public-key", "get"),
        ("/api/v1/receipts/check", "post"),
    ]:
        operation = paths[path][method]
        assert "200" in operation["responses"] and not operation.get("security")
    schemas = document["components"]["schemas"]
    assert {"EntriesOut", "EntryDetailOut", "ProofOut", "CheckpointsOut", "ReceiptIn", "ReceiptOut"} <= schemas.keys()
