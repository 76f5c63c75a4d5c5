"""The ledger explorer and the receipt checker, through HTTP: public pages that read the record and change nothing."""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from frombelow.web import recording
from frombelow.web.actions import cast_ballot, settle
from frombelow.web.models import LedgerCheckpoint, LedgerEntry, LedgerHead, PollRow
from frombelow.web.queries import ledger, people
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db

FROMBELOW = str(Path(sys.executable).with_name("frombelow"))  # the command as installed beside this Python


def _everything() -> tuple:
    return LedgerHead.objects.get(pk=1).size, LedgerCheckpoint.objects.count(), snapshot()


def _rows(page: str) -> list[int]:
    """The entry indexes a listing links to, in the order shown."""
    return [int(part.split('"', 1)[0]) for part in page.split('href="/ledger/')[1:] if part[:1].isdigit()]


def _by_election() -> PollRow:
    return PollRow.objects.get(purpose="election", counted=False)


def _frombelow(*arguments: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([FROMBELOW, *map(str, arguments)], check=False, capture_output=True, text=True, timeout=120)


# --- the explorer --------------------------------------------------------------------------


def test_the_explorer_lists_the_newest_entries_first_with_the_latest_checkpoint(client: Client):
    size = LedgerHead.objects.get(pk=1).size
    latest = ledger.latest_checkpoint()
    response = client.get("/ledger/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _rows(page)[: ledger.PER_PAGE] == list(range(size - 1, size - 1 - ledger.PER_PAGE, -1))
    assert str(latest.size) in page and latest.root in page and latest.key_id in page
    assert 'href="/ledger/public-key.pem"' in page and 'href="/ledger/checkpoints"' in page
    assert f"page 1 of {-(-size // ledger.PER_PAGE)}" in page


def test_the_explorer_names_members_and_the_count(client: Client, logins):
    ana = logins["ana"]
    by_ana = LedgerEntry.objects.filter(data__contains=f'"actor":"{ana}"').order_by("-index").first()
    response = client.get(f"/ledger/?before={by_ana.index + 1}")
    assert response.status_code == 200
    first_row = response.content.decode().split(f'href="/ledger/{by_ana.index}"', 1)[1].split("</tr>", 1)[0]
    assert html.escape(people.names([ana])[ana]) in first_row
    counted = LedgerEntry.objects.filter(kind="poll counted").order_by("-index").first()
    row = client.get(f"/ledger/?before={counted.index + 1}").content.decode()
    row = row.split(f'href="/ledger/{counted.index}"', 1)[1].split("</tr>", 1)[0]
    assert "the count" in row and "ballots published" in row


def test_the_explorer_filters_by_kind_and_offers_the_kinds_present(client: Client):
    page = client.get("/ledger/").content.decode()
    for kind in LedgerEntry.objects.values_list("kind", flat=True).distinct():
        assert f'<option value="{kind}">' in page
    response = client.get("/ledger/", {"kind": "poll counted"})
    assert response.status_code == 200
    shown = _rows(response.content.decode())
    counted = list(LedgerEntry.objects.filter(kind="poll counted").order_by("-index").values_list("index", flat=True))
    assert shown[: len(counted[: ledger.PER_PAGE])] == counted[: ledger.PER_PAGE]
    assert f"{len(counted)} entries" in response.content.decode()


def test_the_explorer_pages_by_number_and_by_index(client: Client):
    size = LedgerHead.objects.get(pk=1).size
    second = _rows(client.get("/ledger/", {"page": 2}).content.decode())
    assert second[: ledger.PER_PAGE] == list(range(size - 1 - ledger.PER_PAGE, size - 1 - 2 * ledger.PER_PAGE, -1))
    page = client.get("/ledger/", {"before": 100}).content.decode()
    assert _rows(page)[: ledger.PER_PAGE] == list(range(99, 49, -1))
    assert "?before=50&amp;kind=" in page  # the link to older entries stays put as the ledger grows
    assert _rows(client.get("/ledger/", {"before": 10}).content.decode())[:10] == list(range(9, -1, -1))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "two"}, "Enter a whole number"),
        ({"before": "-3"}, "greater than or equal to 0"),
        ({"kind": "coup"}, "coup"),
    ],
)
def test_malformed_explorer_queries_are_refused_naming_what_is_wrong(client: Client, query, field):
    response = client.get("/ledger/", query)
    assert response.status_code == 400
    assert field in response.content.decode()


# --- one entry and its proof ---------------------------------------------------------------


def test_an_entry_shows_its_bytes_as_stored_its_hash_and_the_previous_one(client: Client):
    row = LedgerEntry.objects.filter(kind="poll counted").first()
    response = client.get(f"/ledger/{row.index}")
    assert response.status_code == 200
    page = response.content.decode()
    assert html.escape(row.data) in page
    assert hashlib.sha256(row.data.encode()).hexdigest() in page
    before = LedgerEntry.objects.get(index=row.index - 1)
    assert hashlib.sha256(before.data.encode()).hexdigest() in page
    assert f'href="/ledger/{row.index}/proof.json"' in page


def test_a_missing_entry_is_a_404_with_a_clear_message(client: Client):
    size = LedgerHead.objects.get(pk=1).size
    response = client.get(f"/ledger/{size + 5}")
    assert response.status_code == 404
    assert f"there is no entry {size + 5}" in response.content.decode()
    assert client.get(f"/ledger/{size + 5}/proof.json").status_code == 404


def test_an_entry_no_checkpoint_covers_yet_has_no_proof_until_one_is_signed(client: Client, logins):
    poll = _by_election()
    cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:1])
    newest = LedgerHead.objects.get(pk=1).size - 1
    assert ledger.latest_checkpoint().size <= newest
    page = client.get(f"/ledger/{newest}").content.decode()
    assert "No signed checkpoint covers this entry yet" in page
    assert client.get(f"/ledger/{newest}/proof.json").status_code == 404
    recording.record(lambda _state, _at: [], sign=True)
    assert ledger.latest_checkpoint().size == newest + 1
    assert f'href="/ledger/{newest}/proof.json"' in client.get(f"/ledger/{newest}").content.decode()
    assert client.get(f"/ledger/{newest}/proof.json").status_code == 200


def test_the_downloaded_proof_holds_under_frombelow_proof_check_and_a_changed_one_does_not(client: Client, tmp_path):
    index = LedgerEntry.objects.filter(kind="election decided").first().index
    response = client.get(f"/ledger/{index}/proof.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    proof = tmp_path / "proof.json"
    proof.write_bytes(response.content)
    key = client.get("/ledger/public-key.pem")
    assert key.content == recording.signer().public_pem()
    key_id = recording.signer().key_id
    held = _frombelow("proof", "--check", proof, "--key", key_id)
    assert held.returncode == 0, held.stderr
    assert f"entry {index}" in held.stdout and "holds" in held.stdout
    changed = json.loads(response.content)
    changed["entry"] = changed["entry"].replace('"at":"2', '"at":"1', 1)
    proof.write_text(json.dumps(changed))
    refused = _frombelow("proof", "--check", proof, "--key", key_id)
    assert refused.returncode == 1 and "does NOT hold" in refused.stderr
    proof.write_bytes(response.content)
    assert _frombelow("proof", "--check", proof, "--key", "0" * 16).returncode == 1  # another instance's key


def test_checkpoints_are_listed_newest_first_with_the_key_and_the_public_key_is_the_instances(client: Client):
    response = client.get("/ledger/checkpoints")
    assert response.status_code == 200
    page = response.content.decode()
    signed = list(LedgerCheckpoint.objects.order_by("-size").values_list("size", flat=True))
    positions = [page.index(f'<td class="number">{size}</td>') for size in signed[: ledger.PER_PAGE]]
    assert positions == sorted(positions)
    assert recording.signer().key_id in page
    assert client.get("/ledger/checkpoints", {"page": "last"}).status_code == 400
    key = client.get("/ledger/public-key.pem")
    assert key.status_code == 200 and key.content.startswith(b"-----BEGIN PUBLIC KEY-----")


def test_reading_the_ledger_changes_nothing(client: Client):
    before = _everything()
    for url in ("/ledger/", "/ledger/1", "/ledger/1/proof.json", "/ledger/checkpoints", "/ledger/public-key.pem"):
        assert client.get(url).status_code == 200
    assert client.post("/ledger/").status_code == 405
    assert _everything() == before


# --- the receipt checker -------------------------------------------------------------------


def _check(client: Client, poll: str, receipt: str) -> tuple[int, str]:
    response = client.post("/receipt", {"poll": poll, "receipt": receipt})
    return response.status_code, html.unescape(response.content.decode())


def test_the_receipt_form_lists_the_secret_votes_and_takes_the_vote_from_the_address(client: Client):
    poll = _by_election()
    response = client.get("/receipt", {"poll": poll.id})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f'<option value="{poll.id}" selected>' in page
    public = PollRow.objects.filter(secret=False).first()
    assert f'<option value="{public.id}"' not in page


def test_a_receipt_before_the_count_then_in_the_count_as_cast(client: Client, logins, platform_clock):
    poll = _by_election()
    receipt = cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:2])
    status, page = _check(client, poll.id, receipt.text)
    assert status == 200 and "not counted yet: the vote closes at" in page
    platform_clock.advance(days=8)
    status, page = _check(client, poll.id, receipt.text)
    assert status == 200 and "not counted yet: the vote closed at" in page
    settle.run()
    before = _everything()
    named = people.names(poll.data["choices"][:2])
    status, page = _check(client, poll.id, receipt.text)
    assert status == 200
    assert "your ballot is in the count, as: " + " > ".join(named[c] for c in poll.data["choices"][:2]) in page
    status, page = _check(client, poll.id, receipt.commitment)
    assert status == 200 and "commitment found (nonce not given)" in page
    status, page = _check(client, poll.id, f"{receipt.commitment}:{'ab' * 32}")
    assert status == 200 and "the nonce given does not open it" in page
    status, page = _check(client, poll.id, "0" * 64)
    assert status == 200 and "not in the count" in page
    assert _everything() == before


@pytest.mark.parametrize(
    ("receipt", "message"),
    [
        ("not a receipt", "a receipt is 64 hexadecimal digits"),
        ("ab" * 32 + ":xyz", "the nonce after ':' must be 64 hexadecimal digits"),
        ("", "This field is required"),
    ],
)
def test_a_malformed_receipt_is_a_400_saying_what_a_receipt_looks_like(client: Client, receipt, message):
    before = _everything()
    status, page = _check(client, _by_election().id, receipt)
    assert status == 400 and message in page
    assert _everything() == before


def test_a_vote_that_is_not_secret_or_not_there_is_refused_in_the_form(client: Client):
    public = PollRow.objects.filter(secret=False).first()
    for poll in (public.id, "no such vote"):
        status, page = _check(client, poll, "ab" * 32)
        assert status == 400 and "Select a valid choice" in page
