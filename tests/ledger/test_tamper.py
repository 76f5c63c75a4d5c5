"""Tampering with a bundle: every change is detected by ``verify`` and located.

Two bundles: a simulated federation of 10 k events or more (``demo``), on which a sample
of entries is changed byte by byte and every kind of alteration is tried; and a tiny one
(a local voting in secret on a motion), every byte of whose files is changed in turn.
A located fault names the entry changed (its index), or the checkpoint changed.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from histories import KEY, copy_of, demo_bundle, lines_of, tiny_bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frombelow.federation.events import from_json
from frombelow.ledger import checkpoints
from frombelow.ledger.entries import encode
from frombelow.ledger.signing import Signer
from frombelow.ledger.verifying import VerificationFailed, verify

SAMPLE = random.Random(1917)


def failure(bundle: Path) -> VerificationFailed:
    with pytest.raises(VerificationFailed) as caught:
        verify(bundle)
    return caught.value


def rewrite(bundle: Path, name: str, lines: list[bytes]) -> None:
    (bundle / name).write_bytes(b"".join(lines))


@pytest.fixture(scope="module")
def demo() -> Path:
    return demo_bundle()


@pytest.fixture
def bundle(demo: Path, tmp_path: Path) -> Path:
    return copy_of(demo, tmp_path)


@pytest.fixture(scope="module")
def entries(demo: Path) -> list[bytes]:
    return lines_of(demo / "events.jsonl")


def sampled(entries: list[bytes], n: int) -> list[int]:
    """The first and last entries, a count, an opening, the last entries of two checkpoints and the
    first after them, and others at random."""
    kinds = [json.loads(line)["event"]["kind"] for line in entries]
    signed = [checkpoints.read(line.rstrip(b"\n")).size for line in lines_of(demo_bundle() / "checkpoints.jsonl")]
    chosen = {0, len(entries) - 1, kinds.index("poll counted"), kinds.index("poll opened")}
    chosen |= {signed[1] - 1, signed[1], signed[len(signed) // 2] - 1}
    return sorted(chosen | set(SAMPLE.sample(range(len(entries)), n)))


# --- the 10 k-event bundle ----------------------------------------------------------------------


def test_the_demo_bundle_is_intact_and_large_enough(demo: Path) -> None:
    report = verify(demo)
    assert report.entries >= 10_000 and report.recounted > 100 and report.ballot_files > 100


def test_single_byte_changes_in_sampled_entries_are_located(bundle: Path, entries: list[bytes]) -> None:
    for index in sampled(entries, 6):
        line = entries[index]
        for position in sorted(SAMPLE.sample(range(len(line) - 1), 2)):
            changed = bytearray(line)
            changed[position] ^= 1 << SAMPLE.randrange(7)
            rewrite(bundle, "events.jsonl", [*entries[:index], bytes(changed), *entries[index + 1 :]])
            fault = failure(bundle)
            assert fault.index == index, (index, position, str(fault))


def test_each_deletion_is_located(bundle: Path, entries: list[bytes]) -> None:
    for index in sampled(entries, 4):
        rewrite(bundle, "events.jsonl", entries[:index] + entries[index + 1 :])
        fault = failure(bundle)
        assert fault.index == index, str(fault)


def test_each_duplication_is_located(bundle: Path, entries: list[bytes]) -> None:
    for index in sampled(entries, 3):
        rewrite(bundle, "events.jsonl", [*entries[: index + 1], entries[index], *entries[index + 1 :]])
        fault = failure(bundle)
        assert fault.index == index + 1 and "repeats" in fault.what, str(fault)


def test_swapping_two_entries_is_located(bundle: Path, entries: list[bytes]) -> None:
    for first, second in [(0, 1), (10, 11), (100, 5000), (len(entries) - 2, len(entries) - 1)]:
        swapped = list(entries)
        swapped[first], swapped[second] = swapped[second], swapped[first]
        rewrite(bundle, "events.jsonl", swapped)
        assert failure(bundle).index == first


def test_an_entry_inserted_with_a_correct_index_and_link_is_located(bundle: Path, entries: list[bytes]) -> None:
    index = 2_000
    before = json.loads(entries[index - 1])
    forged = encode(index, json.loads(entries[index])["previous"], from_json(before["event"]))
    rewrite(bundle, "events.jsonl", [*entries[:index], forged.data + b"\n", *entries[index:]])
    fault = failure(bundle)
    assert fault.index == index and "inserted" in fault.what


def test_truncation_past_a_checkpoint_is_located(bundle: Path, entries: list[bytes]) -> None:
    for keep in (len(entries) - 1, 5_000, 1):
        rewrite(bundle, "events.jsonl", entries[:keep])
        fault = failure(bundle)
        assert fault.index == keep and "missing" in fault.what


def test_a_line_cut_short_is_located(bundle: Path, entries: list[bytes]) -> None:
    rewrite(bundle, "events.jsonl", [*entries[:-1], entries[-1][:-1]])
    assert failure(bundle).index == len(entries) - 1


def test_entries_after_the_last_checkpoint_vouch_for_nothing(bundle: Path, entries: list[bytes]) -> None:
    signed = lines_of(bundle / "checkpoints.jsonl")
    rewrite(bundle, "checkpoints.jsonl", signed[:-1])
    fault = failure(bundle)
    assert fault.index == checkpoints.read(signed[-2].rstrip(b"\n")).size and "no signed checkpoint" in fault.what


def test_an_entry_rewritten_with_the_chain_relinked_is_caught_by_the_checkpoints(
    bundle: Path, entries: list[bytes]
) -> None:
    # A forger without the key changes entry 3,000 and re-links every entry after it.
    forged, previous = list(entries[:3_000]), json.loads(entries[2_999])
    head = encode(previous["index"], previous["previous"], from_json(previous["event"])).hash
    for index in range(3_000, len(entries)):
        event = from_json(json.loads(entries[index])["event"])
        if index == 3_000:
            event = type(event)(**{**event.__dict__, "actor": "someone else"})
        entry = encode(index, head, event)
        forged.append(entry.data + b"\n")
        head = entry.hash
    rewrite(bundle, "events.jsonl", forged)
    fault = failure(bundle)
    assert fault.checkpoint is not None and fault.index is not None and fault.index <= 3_000, str(fault)
    signed = [checkpoints.read(line.rstrip(b"\n")) for line in lines_of(bundle / "checkpoints.jsonl")]
    covering = next(c for c in signed if c.size > 3_000)
    assert fault.index == covering.size - 1 or fault.index <= 3_000


def test_checkpoint_edits_are_detected_and_name_the_checkpoint(bundle: Path) -> None:
    signed = lines_of(bundle / "checkpoints.jsonl")
    number = len(signed) // 2
    original = checkpoints.read(signed[number].rstrip(b"\n"))
    edits = {
        "size": original.size + 1,
        "root": "0" * 64,
        "head": "f" * 64,
        "at": "2030-01-01T00:00:00Z",
        "signature": checkpoints.read(signed[0].rstrip(b"\n")).signature,  # another checkpoint's signature
    }
    for field, value in edits.items():
        fields = {**json.loads(signed[number]), field: value}
        line = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        rewrite(bundle, "checkpoints.jsonl", [*signed[:number], line, *signed[number + 1 :]])
        fault = failure(bundle)
        assert fault.checkpoint == number and fault.index is None, (field, str(fault))
    for order in ([*signed[:number], signed[number + 1], signed[number], *signed[number + 2 :]], [*signed, signed[-1]]):
        rewrite(bundle, "checkpoints.jsonl", order)
        assert failure(bundle).checkpoint is not None


def test_a_swapped_key_is_detected(bundle: Path) -> None:
    (bundle / "public_key.pem").write_bytes(Signer.from_seed(b"a forger").public_pem())
    fault = failure(bundle)
    assert fault.checkpoint == 0 and "names key" in fault.what


def test_a_bundle_re_signed_with_another_key_fails_against_the_instances_key(bundle: Path) -> None:
    forger = Signer.from_seed(b"a forger")
    signed = [checkpoints.read(line.rstrip(b"\n")) for line in lines_of(bundle / "checkpoints.jsonl")]
    resigned = [checkpoints.sign(forger, c.size, c.root, c.head, c.at).to_bytes() + b"\n" for c in signed]
    rewrite(bundle, "checkpoints.jsonl", resigned)
    (bundle / "public_key.pem").write_bytes(forger.public_pem())
    assert verify(bundle).key_id == forger.key_id  # consistent in itself: only the known key tells
    with pytest.raises(VerificationFailed, match=f"not the instance's key {KEY.key_id}"):
        verify(bundle, key=KEY.key_id)


def test_a_changed_ballot_file_is_located_at_its_count(bundle: Path, entries: list[bytes]) -> None:
    index = json.loads((bundle / "ballots" / "index.json").read_bytes())
    poll, name = min(index.items())
    lines = lines_of(bundle / "ballots" / name)
    counted_at = next(
        i
        for i, line in enumerate(entries)
        if b'"kind":"poll counted"' in line and json.loads(line)["event"]["poll"] == poll
    )
    for altered in (lines[1:], [*lines, lines[0]], [lines[0].replace(b'"marks":["', b'"marks":["x'), *lines[1:]]):
        rewrite(bundle / "ballots", name, altered)
        assert failure(bundle).index == counted_at
    (bundle / "ballots" / name).unlink()
    assert failure(bundle).index == counted_at
    shutil.rmtree(bundle / "ballots")
    assert failure(bundle).index is not None  # every secret count's ballots are published


# --- the tiny bundle: every byte ----------------------------------------------------------------

TINY_FILES = ("events.jsonl", "checkpoints.jsonl", "public_key.pem", "ballots/index.json", "ballots/vote-on-m1.jsonl")


def every_byte() -> list[tuple[str, int]]:
    """(file, first byte) for chunks of 512 bytes of each of the tiny bundle's files."""
    return [(name, start) for name in TINY_FILES for start in range(0, (tiny_bundle() / name).stat().st_size, 512)]


@pytest.mark.parametrize(("name", "start"), every_byte())
def test_every_single_byte_change_of_a_tiny_bundle_is_detected_and_located(
    name: str, start: int, tmp_path: Path
) -> None:
    bundle = copy_of(tiny_bundle(), tmp_path)
    original = (bundle / name).read_bytes()
    spans = []  # (first byte, end) of each line, to tell which entry a byte is in
    for line in original.splitlines(keepends=True):
        spans.append((spans[-1][1] if spans else 0, (spans[-1][1] if spans else 0) + len(line)))
    for position in range(start, min(start + 512, len(original))):
        for flip in (0x01, 0x20):
            changed = bytearray(original)
            changed[position] ^= flip
            (bundle / name).write_bytes(bytes(changed))
            fault = failure(bundle)
            if name == "events.jsonl":
                line = next(i for i, (low, high) in enumerate(spans) if low <= position < high)
                assert fault.index == line, (position, flip, str(fault))
            elif name == "checkpoints.jsonl":
                line = next(i for i, (low, high) in enumerate(spans) if low <= position < high)
                assert fault.checkpoint == line, (position, flip, str(fault))
    (bundle / name).write_bytes(original)
    verify(bundle)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_random_alteration_of_the_entries_is_detected_within_what_was_altered(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bundle = copy_of(tiny_bundle(), tmp_path_factory.mktemp("random"))
    lines = lines_of(bundle / "events.jsonl")
    altered = list(lines)
    touched: set[int] = set()
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        operation = data.draw(st.sampled_from(["bytes", "delete", "duplicate", "swap", "replace"]))
        if index >= len(altered):
            continue
        if operation == "bytes":
            line = bytearray(altered[index])
            for _ in range(data.draw(st.integers(1, 3))):
                line[data.draw(st.integers(0, len(line) - 1))] = data.draw(st.integers(0, 255))
            altered[index] = bytes(line)
        elif operation == "delete":
            del altered[index]
        elif operation == "duplicate":
            altered.insert(index, altered[index])
        elif operation == "swap":
            other = data.draw(st.integers(0, len(altered) - 1))
            altered[index], altered[other] = altered[other], altered[index]
            touched.add(other)
        else:
            altered[index] = data.draw(st.sampled_from(lines))
        touched.add(index)
    if altered == lines:
        return
    rewrite(bundle, "events.jsonl", altered)
    fault = failure(bundle)
    first_changed = next((i for i, (a, b) in enumerate(zip(altered, lines, strict=False)) if a != b), len(lines))
    first_changed = min(first_changed, len(altered))
    assert fault.index is not None and fault.index >= first_changed, (str(fault), first_changed)
