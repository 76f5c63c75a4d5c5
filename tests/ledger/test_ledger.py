"""The ledger: entries and their chain, the append-only API, checkpoints and their policy,
stores, keys and bundles."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from histories import KEY, at, record, tiny_history

from frombelow.federation.codec import canonical
from frombelow.federation.elections import ElectionDecided
from frombelow.federation.errors import InvalidCommand
from frombelow.federation.events import MemberLeft, to_json
from frombelow.ledger import checkpoints, merkle
from frombelow.ledger.bundles import read_bundle, write_bundle
from frombelow.ledger.entries import GENESIS, decode, encode
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import (
    Signer,
    key_id,
    load_private_key,
    load_public_key,
    save_private_key,
    signature_holds,
)
from frombelow.ledger.stores import JsonlStore, MemoryStore

LEFT = MemberLeft("bo", at(1), "bo", "local-1")


def events(n: int) -> list[MemberLeft]:
    return [MemberLeft(f"m{i}", at(i), f"m{i}", "local-1") for i in range(n)]


# --- entries ------------------------------------------------------------------------------------


def test_an_entry_is_the_canonical_json_of_its_event_index_and_previous_hash() -> None:
    entry = encode(0, GENESIS, LEFT)
    assert entry.data == canonical({"event": to_json(LEFT), "index": 0, "previous": GENESIS}).encode()
    assert entry.data.startswith(b'{"event":{"actor":"bo","at":"2026-03-01T10:00:00Z","council":"local-1"')
    assert entry.data.endswith(b',"index":0,"previous":"' + b"0" * 64 + b'"}')
    assert entry.hash == hashlib.sha256(entry.data).hexdigest()
    assert decode(entry.data) == entry


def test_reading_an_entry_refuses_bytes_that_are_not_its_canonical_form() -> None:
    data = encode(0, GENESIS, LEFT).data
    with pytest.raises(ValueError, match="not the canonical JSON"):
        decode(data.replace(b'{"event":', b'{ "event":'))
    with pytest.raises(ValueError, match="not JSON"):
        decode(data[:-1])
    with pytest.raises(ValueError, match='"event", "index" and "previous"'):
        decode(json.dumps({"event": to_json(LEFT), "index": 0}).encode())
    with pytest.raises(ValueError, match="cannot be read"):
        decode(data.replace(b"member left", b"member gone"))


def test_entries_are_chained_by_the_hash_of_the_one_before() -> None:
    ledger = Ledger()
    entries = ledger.append_all(events(3))
    assert [e.index for e in entries] == [0, 1, 2]
    assert entries[0].previous == GENESIS
    assert [e.previous for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert ledger.head == entries[-1].hash
    assert ledger.entries() == entries and ledger.entries(1, 2) == entries[1:2]


# --- the Merkle tree over the entries -----------------------------------------------------------


def test_the_root_is_the_merkle_tree_hash_of_the_entries_bytes() -> None:
    ledger = Ledger()
    assert ledger.root() == merkle.EMPTY_ROOT
    entries = ledger.append_all(events(7))
    assert ledger.root() == merkle.root_of([e.data for e in entries])
    assert ledger.root(3) == merkle.root_of([e.data for e in entries[:3]])


def test_inclusion_and_consistency_proofs_verify() -> None:
    ledger = Ledger()
    entries = ledger.append_all(events(11))
    for size in range(1, 12):
        for entry in entries[:size]:
            proof = ledger.inclusion_proof(entry.index, size)
            assert merkle.verify_inclusion(entry.data, entry.index, size, proof, ledger.root(size))
        for old in range(size + 1):
            proof = ledger.consistency_proof(old, size)
            assert merkle.verify_consistency(old, size, ledger.root(old), ledger.root(size), proof)


# --- append-only --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Ledger, MemoryStore, JsonlStore])
def test_nothing_in_the_api_changes_or_removes_what_was_appended(kind: type) -> None:
    # Invariant 4 by construction: the only ways in are append and checkpoint.
    verbs = ("update", "delete", "remove", "replace", "set", "pop", "edit", "truncate", "clear", "insert", "rewrite")
    names = [name for name in dir(kind) if not name.startswith("__")]
    assert not [name for name in names if any(verb in name.lower() for verb in verbs)]


def test_a_correction_is_a_new_entry_and_the_corrected_one_stays() -> None:
    ledger = Ledger(signer=KEY)
    wrong = ledger.append(MemberLeft("bo", at(1), "bo", "local-2"))  # the wrong council
    before = ledger.checkpoint(at(2))
    ledger.append(MemberLeft("bo", at(3), "bo", "local-1"))
    after = ledger.checkpoint(at(4))
    assert ledger.entries(0, 1) == [wrong]
    proof = ledger.consistency_proof(before.size, after.size)
    assert merkle.verify_consistency(1, 2, bytes.fromhex(before.root), bytes.fromhex(after.root), proof)


# --- checkpoints --------------------------------------------------------------------------------


def test_a_checkpoint_signs_the_size_root_head_and_time() -> None:
    ledger = Ledger(signer=KEY)
    ledger.append_all(events(5))
    checkpoint = ledger.checkpoint(datetime(2026, 3, 2, 12, 30, tzinfo=UTC))
    assert (checkpoint.size, checkpoint.root, checkpoint.head) == (5, ledger.root().hex(), ledger.head)
    assert checkpoint.key_id == KEY.key_id
    assert checkpoint.signed_bytes() == (
        b'{"at":"2026-03-02T12:30:00Z","head":"%s","key_id":"%s","root":"%s","size":5}'
        % (ledger.head.encode(), KEY.key_id.encode(), ledger.root().hex().encode())
    )
    assert signature_holds(KEY.public_key, checkpoint.signed_bytes(), bytes.fromhex(checkpoint.signature))
    assert checkpoint.is_signed_by(KEY.public_key)
    assert not checkpoint.is_signed_by(Signer.from_seed(b"another").public_key)
    assert checkpoints.read(checkpoint.to_bytes()) == checkpoint
    assert ledger.checkpoints() == [checkpoint] and ledger.last_checkpoint == checkpoint


def test_checkpointing_twice_without_new_entries_signs_nothing_new() -> None:
    ledger = Ledger(signer=KEY)
    ledger.append_all(events(2))
    first = ledger.checkpoint(at(10))
    assert ledger.checkpoint(at(11)) == first and len(ledger.checkpoints()) == 1


def test_a_rewound_ledger_is_the_one_it_was_at_the_mark_and_appends_as_it_would_have() -> None:
    # What the platform does when a batch's transaction rolls back: forget, in memory, what the store did not keep.
    ledger = Ledger(signer=KEY)
    ledger.append_all(events(3))
    ledger.checkpoint(at(5))
    mark = ledger.mark()
    ledger.append_all(events(4)[3:] + [LEFT])
    ledger.checkpoint(at(6))
    ledger.rewind(mark)
    fresh = Ledger(signer=KEY)
    fresh.append_all(events(3))
    first = fresh.checkpoint(at(5))
    assert (ledger.size, ledger.root(), ledger.head, ledger.last_checkpoint) == (3, fresh.root(), fresh.head, first)
    assert ledger.unsigned == 0
    assert [e.data for e in ledger.append_all([LEFT])] == [e.data for e in fresh.append_all([LEFT])]
    assert ledger.root() == fresh.root()


def test_catching_up_takes_in_entries_and_checkpoints_another_writer_added() -> None:
    store = MemoryStore()
    writer, reader = Ledger(store, KEY), Ledger(store, KEY)
    writer.append_all(events(2))
    assert [e.event for e in reader.catch_up()] == events(2) and reader.last_checkpoint is None
    signed = writer.checkpoint(at(3))  # a checkpoint with no new entry: the reader must see it still
    assert reader.catch_up(2) == [] and reader.last_checkpoint == signed and reader.unsigned == 0
    writer.append(LEFT)
    assert [e.event for e in reader.catch_up(3)] == [LEFT] and reader.head == writer.head


def test_a_checkpoint_needs_a_key_and_time_going_forward() -> None:
    with pytest.raises(ValueError, match="no key"):
        Ledger().checkpoint(at(1))
    ledger = Ledger(signer=KEY)
    ledger.append(LEFT)
    ledger.checkpoint(at(5))
    ledger.append(LEFT)
    with pytest.raises(ValueError, match="before the last one"):
        ledger.checkpoint(at(4))
    with pytest.raises(InvalidCommand, match="time zone"):
        ledger.checkpoint(datetime(2026, 3, 3))  # a time without a zone
    assert len(ledger.checkpoints()) == 1


def test_checkpoints_are_due_at_every_closed_election_and_every_so_many_entries() -> None:
    decided = encode(0, GENESIS, ElectionDecided("the count", at(1), "e1", ("ann",), 0, False))
    assert checkpoints.due([decided], unsigned=1)
    assert not checkpoints.due([encode(0, GENESIS, LEFT)], unsigned=999)
    assert checkpoints.due([encode(0, GENESIS, LEFT)], unsigned=1_000)
    assert not checkpoints.due([], 0)
    batches, _ = tiny_history()  # no election in it: a checkpoint every 3 entries, and one to end
    assert [c.size for c in record(batches, every=3).checkpoints()] == [3, 6, 9, 12]
    assert [c.size for c in record(batches, every=1_000).checkpoints()] == [12]


# --- stores -------------------------------------------------------------------------------------


def test_a_jsonl_store_reopened_holds_the_same_ledger(tmp_path: Path) -> None:
    ledger = Ledger(JsonlStore(tmp_path), KEY)
    ledger.append_all(events(5))
    signed = ledger.checkpoint(at(6))
    ledger.append_all(events(2))
    ledger.store.close()
    again = Ledger(JsonlStore(tmp_path), KEY)
    assert (again.size, again.root(), again.head) == (7, ledger.root(), ledger.head)
    assert again.checkpoints() == [signed] and again.unsigned == 2
    assert again.entries() == ledger.entries()
    assert (tmp_path / "events.jsonl").read_bytes() == b"".join(e.data + b"\n" for e in ledger.entries())


def test_a_jsonl_store_refuses_a_file_cut_short(tmp_path: Path) -> None:
    ledger = Ledger(JsonlStore(tmp_path))
    ledger.append_all(events(2))
    ledger.store.close()
    path = tmp_path / "events.jsonl"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match="cut short"):
        JsonlStore(tmp_path)


def test_stores_refuse_an_entry_of_more_than_one_line(tmp_path: Path) -> None:
    for store in (JsonlStore(tmp_path),):
        with pytest.raises(ValueError, match="one line"):
            store.append(b"{}\n{}")
        with pytest.raises(ValueError, match="one line"):
            store.append_checkpoint(b"{}\n{}")


def test_a_memory_store_reads_ranges() -> None:
    store = MemoryStore()
    for data in (b"a", b"b", b"c"):
        store.append(data)
    assert store.size() == 3 and store.read(1, 3) == [b"b", b"c"] and store.read(2, 9) == [b"c"]


# --- keys ---------------------------------------------------------------------------------------


def test_keys_are_saved_and_loaded_and_known_by_their_id(tmp_path: Path) -> None:
    signer = Signer.generate()
    save_private_key(signer, tmp_path / "key.pem")
    assert (tmp_path / "key.pem").stat().st_mode & 0o777 == 0o600
    loaded = load_private_key(tmp_path / "key.pem")
    assert loaded.key_id == signer.key_id
    raw = signer.public_key.public_bytes_raw()
    assert signer.key_id == hashlib.sha256(raw).hexdigest()[:16]
    assert key_id(load_public_key(signer.public_pem())) == signer.key_id
    save_private_key(signer, tmp_path / "locked.pem", password=b"solidarity")
    assert load_private_key(tmp_path / "locked.pem", b"solidarity").key_id == signer.key_id
    with pytest.raises(TypeError):
        load_private_key(tmp_path / "locked.pem")


def test_a_demo_key_is_the_same_for_the_same_seed() -> None:
    assert Signer.from_seed(b"x").key_id == Signer.from_seed(b"x").key_id != Signer.from_seed(b"y").key_id


# --- bundles ------------------------------------------------------------------------------------


def test_a_bundle_holds_the_ledger_its_key_and_the_published_ballots(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    ledger = record(batches, every=3)
    write_bundle(tmp_path, ledger, ballots)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ballots",
        "checkpoints.jsonl",
        "events.jsonl",
        "public_key.pem",
    ]
    assert json.loads((tmp_path / "ballots" / "index.json").read_text()) == {"vote on m1": "vote-on-m1.jsonl"}
    no, yes = (b'{"group":"","marks":["%s"],"receipt":"","weight":"1/1"}\n' % m for m in (b"no", b"yes"))
    assert (tmp_path / "ballots" / "vote-on-m1.jsonl").read_bytes() == no + yes + yes  # in the order published
    bundle = read_bundle(tmp_path)
    assert bundle.key_id == KEY.key_id
    assert bundle.ballots == {"vote on m1": tuple(ballots["vote on m1"])}
    assert bundle.ledger.entries() == ledger.entries() and bundle.checkpoints == ledger.checkpoints()
    assert bundle.ledger.root() == ledger.root()


def test_a_bundle_is_written_only_when_a_checkpoint_covers_every_entry(tmp_path: Path) -> None:
    ledger = Ledger(signer=KEY)
    ledger.append(LEFT)
    with pytest.raises(ValueError, match="1 entries are not yet covered"):
        write_bundle(tmp_path / "a", ledger)
    ledger.checkpoint(at(9))
    write_bundle(tmp_path / "a", ledger)
    with pytest.raises(ValueError, match="holds a bundle already"):
        write_bundle(tmp_path / "a", ledger)
    with pytest.raises(ValueError, match="no signer"):
        write_bundle(tmp_path / "b", Ledger())


def test_ballot_files_of_polls_whose_names_collide_are_kept_apart(tmp_path: Path) -> None:
    ledger = Ledger(signer=KEY)
    ledger.checkpoint(at(1))
    write_bundle(tmp_path, ledger, {"vote on m1": [], "Vote on M1": [], "vote/on/m1": []})
    index = json.loads((tmp_path / "ballots" / "index.json").read_text())
    assert sorted(index.values()) == ["vote-on-m1-2.jsonl", "vote-on-m1-3.jsonl", "vote-on-m1.jsonl"]
