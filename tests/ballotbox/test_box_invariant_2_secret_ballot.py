"""Invariant 2 at the box: nothing it stores or produces links a member to a ballot's content.

A contested election (whose voters are also its candidates, with revotes) and a motion's
vote run through boxes on files. Then every byte is scanned, record by record (a line of
a file; an event): the box's own files, the record of events as the ledger stores them
(canonical JSON lines) and, once the ledger can write one, the exported bundle. A record
holding ballot content (marks) may name no member anywhere outside its marks and the
public result (totals, rounds, who was elected); for each member, no record holds both
their id and any marks. The box also keeps no token, no nonce, no time, and not the
order in which the ballots came.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from polling import CANDIDATES, LOCAL_1, Station, a_motion_vote, an_election

from frombelow.ballotbox import JsonlBoxStore, Receipt, StoredBallot, token_digest
from frombelow.federation.codec import canonical
from frombelow.federation.events import to_json

CONTENT = "marks"
PUBLIC_RESULT = {"marks", "totals", "rounds", "elected", "choices"}  # the candidates, named as candidates
DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")


@dataclasses.dataclass
class Run:
    station: Station
    directory: Path
    receipts: list[Receipt]  # in the order the ballots were cast (revotes included)


def election(directory: Path) -> Run:
    station = an_election(JsonlBoxStore(directory), revote=True)
    rankings = [CANDIDATES, CANDIDATES[::-1], CANDIDATES[1:], (CANDIDATES[2],)]
    receipts = [station.cast(member, rankings[i % 4]) for i, member in enumerate(LOCAL_1)]
    receipts += [station.revote(LOCAL_1[0], receipts[0], CANDIDATES[1:])]  # ann changes her mind
    station.close()
    return Run(station, directory, receipts)


def motion(directory: Path) -> Run:
    station = a_motion_vote(JsonlBoxStore(directory))
    receipts = [station.cast(member, ("yes", "no", "abstain")[i % 3 : i % 3 + 1]) for i, member in enumerate(LOCAL_1)]
    station.close()
    return Run(station, directory, receipts)


@pytest.fixture(scope="module", params=[election, motion], ids=["election", "motion"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return request.param(tmp_path_factory.mktemp(request.param.__name__))


def records_of_files(directory: Path) -> list[tuple[str, bytes]]:
    """Every line of every file under ``directory``, named by where it is."""
    return [
        (f"{path.relative_to(directory)}:{number}", line)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_bytes().splitlines(), 1)
    ]


def records_of_the_record(station: Station) -> list[tuple[str, bytes]]:
    return [(f"event {i}", canonical(to_json(e)).encode("utf-8")) for i, e in enumerate(station.history)]


def without(value: Any, keys: set[str]) -> Any:
    """The JSON ``value`` with every ``keys`` field removed, at any depth."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(v, keys) for v in value]
    return value


def assert_no_record_links_a_member_to_content(records: list[tuple[str, bytes]], members: list[str]) -> int:
    """Check every record; the number of records holding ballot content."""
    with_content = 0
    for where, line in records:
        if f'"{CONTENT}"'.encode() not in line:
            continue
        with_content += 1
        rest = canonical(without(json.loads(line), PUBLIC_RESULT)).encode("utf-8")
        for member in members:
            assert f'"{member}"'.encode() not in rest, f"{where} names {member} beside ballot content: {line!r}"
            assert member.encode() not in rest, f"{where} holds {member!r} beside ballot content: {line!r}"
    return with_content


def test_no_record_kept_by_the_box_names_a_member_beside_a_ballot(run: Run) -> None:
    records = records_of_files(run.directory)
    assert assert_no_record_links_a_member_to_content(records, LOCAL_1) == len(LOCAL_1)
    roll = [line for where, line in records if where.startswith("roll.jsonl")]
    assert roll and not any(CONTENT.encode() in line or b"receipt" in line for line in roll)


def test_no_event_names_a_member_beside_a_ballot(run: Run) -> None:
    records = records_of_the_record(run.station)
    assert assert_no_record_links_a_member_to_content(records, LOCAL_1) == 1  # PollCounted, publishing the box
    casts = [json.loads(line) for _, line in records if b'"ballot cast"' in line]
    assert len(casts) == len(LOCAL_1) and all(set(c) == {"kind", "actor", "at", "poll"} for c in casts)


def test_the_exported_bundle_names_no_member_beside_a_ballot(run: Run, tmp_path: Path) -> None:
    bundles = pytest.importorskip("frombelow.ledger.bundles")
    from frombelow.ledger.log import Ledger
    from frombelow.ledger.signing import Signer
    from frombelow.ledger.verifying import verify

    ledger = Ledger(signer=Signer.from_seed(bytes(32)))
    ledger.append_all(run.station.history)
    counted = run.station.current.counted
    ledger.checkpoint(counted.at)
    bundles.write_bundle(tmp_path, ledger, {run.station.poll: counted.ballots})
    records = records_of_files(tmp_path)
    assert assert_no_record_links_a_member_to_content(records, LOCAL_1) == 1 + len(counted.ballots)
    verify(tmp_path)  # and the box's count is one anyone can check


def test_the_box_keeps_no_token_nonce_or_time(run: Run) -> None:
    box = (run.directory / "box.jsonl").read_bytes()
    everything = b"".join(line for _, line in records_of_files(run.directory))
    for token in run.station.tokens.values():
        assert token.encode() not in everything  # the roll keeps its digest, never the token
        assert token_digest(token).encode() not in box  # and the box not even that
    for receipt in run.receipts:
        assert receipt.nonce.encode() not in everything
    assert not DATE.search(everything)


def test_where_a_ballot_lies_says_nothing_of_when_it_came(run: Run) -> None:
    box = [json.loads(line) for _, line in records_of_files(run.directory) if _.startswith("box.jsonl")]
    stored = [b["receipt"] for b in box if b is not None]
    counted = {b.receipt for b in run.station.current.counted.ballots}
    in_order_cast = [r.commitment for r in run.receipts if r.commitment in counted]
    assert sorted(stored) == sorted(in_order_cast) and stored != in_order_cast  # 1 chance in 12! of a false alarm
    assert len(box) == len(LOCAL_1)  # a slot per voter, whoever voted


def test_a_stored_ballot_has_no_field_for_who_or_when() -> None:
    assert [f.name for f in dataclasses.fields(StoredBallot)] == ["marks", "group", "receipt", "revote"]


@pytest.mark.parametrize(
    "line",
    [
        b'{"marks":["yes"],"voter":"ann"}',
        b'{"ballots":[{"group":"","marks":["worker-02"],"receipt":"ab"}],"turnout":["worker-01"]}',
        b'{"marks":["no"],"note":"cast by worker-07 at noon"}',
    ],
)
def test_the_scan_catches_a_member_beside_a_ballot(line: bytes) -> None:
    with pytest.raises(AssertionError, match="beside ballot content"):
        assert_no_record_links_a_member_to_content([("planted", line)], LOCAL_1)
