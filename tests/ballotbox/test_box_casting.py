"""Casting and closing: the roll records who voted, the box what, and the count is anyone's to redo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from polling import CANDIDATES, LOCAL_1, a_motion_vote, an_election

from frombelow.ballotbox import BallotBox, JsonlBoxStore, MemoryBoxStore, check_receipt, token_digest
from frombelow.federation.events import from_json, to_json
from frombelow.federation.voting import COUNTED_BY_COUNCIL, BallotCast, recount

CHOICES = {member: ("yes",) if i % 3 else ("no",) for i, member in enumerate(LOCAL_1)}  # 8 yes, 4 no


@pytest.fixture(params=["memory", "jsonl"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MemoryBoxStore | JsonlBoxStore:
    return MemoryBoxStore() if request.param == "memory" else JsonlBoxStore(tmp_path / "box")


def test_a_cast_records_only_that_the_member_voted(store: MemoryBoxStore) -> None:
    station = a_motion_vote(store)
    events, receipt = station.box.cast(station.state, station.tokens["ann"], ("yes",), station.voting)
    assert events == [BallotCast("ann", station.voting, station.poll)]
    assert receipt.poll == station.poll and len(receipt.commitment) == 64 and len(receipt.nonce) == 64
    [ballot] = store.ballots()
    assert ballot.marks == ("yes",) and ballot.receipt == receipt.commitment and ballot.group == ""
    assert store.holder(token_digest(station.tokens["ann"])) == ("ann", True)


def test_the_box_is_counted_by_the_federation_and_every_receipt_found(store: MemoryBoxStore) -> None:
    station = a_motion_vote(store)
    receipts = {member: station.cast(member, marks) for member, marks in CHOICES.items()}
    published = station.close()

    counted = station.current.counted
    assert counted is not None and counted.outcome == "carried"
    assert dict(counted.totals)["yes"] == 8 and dict(counted.totals)["no"] == 4
    assert published == counted.ballots
    assert sorted(b.receipt for b in published) == sorted(r.commitment for r in receipts.values())
    for member, receipt in receipts.items():
        assert check_receipt(published, receipt).marks == CHOICES[member]  # type: ignore[union-attr]
    assert recount(station.current, counted) == counted
    assert [from_json(to_json(e)) for e in station.history] == station.history


def test_an_election_is_counted_by_its_method_from_the_box() -> None:
    station = an_election()
    rankings = [CANDIDATES, CANDIDATES[::-1], (CANDIDATES[2], CANDIDATES[0])]
    for i, member in enumerate(LOCAL_1):
        station.cast(member, rankings[i % 3])
    published = station.close()
    counted = station.current.counted
    assert counted is not None and counted.outcome == "elected" and len(counted.elected) == 2
    assert sorted(b.marks for b in published) == sorted(rankings[i % 3] for i in range(len(LOCAL_1)))
    assert recount(station.current, counted) == counted
    assert station.history[-1].kind == "delegate seated"


def test_a_box_on_files_carries_on_after_a_restart(tmp_path: Path) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path))
    first = {member: station.cast(member, marks) for member, marks in list(CHOICES.items())[:6]}

    station.box = BallotBox(station.state, station.poll, JsonlBoxStore(tmp_path))  # the server restarted
    with pytest.raises(Exception, match="this voting token has been used"):
        station.cast("ann", ("no",))
    rest = {member: station.cast(member, marks) for member, marks in list(CHOICES.items())[6:]}
    published = station.close()
    assert len(published) == len(LOCAL_1)
    assert all(check_receipt(published, r) for r in {**first, **rest}.values())


def test_the_receipt_is_given_only_once_the_ballot_is_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path))
    synced: list[bytes] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        real_fsync(descriptor)
        synced.append((tmp_path / "box.jsonl").read_bytes())

    monkeypatch.setattr(os, "fsync", fsync)
    receipt = station.cast("ann", ("yes",))
    assert any(receipt.commitment.encode() in data for data in synced)  # flushed and synced before cast returned


def test_a_ballot_the_store_cannot_keep_gets_no_receipt_and_the_voter_may_try_again() -> None:
    class Failing(MemoryBoxStore):
        broken = True

        def put(self, slot: int, ballot: object) -> None:
            if self.broken:
                raise OSError("disk full")
            super().put(slot, ballot)  # type: ignore[arg-type]

    store = Failing()
    station = a_motion_vote(store)
    before = station.state
    with pytest.raises(OSError, match="disk full"):
        station.cast("ann", ("yes",))
    assert station.state is before and store.ballots() == []
    assert store.holder(token_digest(station.tokens["ann"])) == ("ann", False)
    store.broken = False
    receipt = station.cast("ann", ("yes",))
    assert [b.receipt for b in store.ballots()] == [receipt.commitment]


def test_the_box_holds_a_slot_per_voter_and_never_grows(tmp_path: Path) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path))
    size = (tmp_path / "box.jsonl").stat().st_size
    lines = (tmp_path / "box.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) == len(LOCAL_1) and len({len(line) for line in lines}) == 1
    for member, marks in CHOICES.items():
        station.cast(member, marks)
        assert (tmp_path / "box.jsonl").stat().st_size == size


def test_a_roll_line_cut_short_by_a_crash_is_dropped_on_restart(tmp_path: Path) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path))
    station.cast("ann", ("yes",))
    with (tmp_path / "roll.jsonl").open("ab") as roll:
        roll.write(b'{"voted":"' + token_digest(station.tokens["worker-01"]).encode()[:20])  # the crash

    station.box = BallotBox(station.state, station.poll, JsonlBoxStore(tmp_path))
    assert (tmp_path / "roll.jsonl").read_bytes().endswith(b"}\n")
    station.cast("worker-01", ("no",))  # their claim never returned: they vote
    assert JsonlBoxStore(tmp_path).holder(token_digest(station.tokens["worker-01"])) == ("worker-01", True)


def test_where_the_count_is_by_council_each_ballot_names_its_base_council_and_no_more(tmp_path: Path) -> None:
    COUNTED_BY_COUNCIL.add("motion")  # as a charter's ratification is counted
    try:
        station = a_motion_vote(JsonlBoxStore(tmp_path))
        for member, marks in CHOICES.items():
            station.cast(member, marks)
        published = station.close()
    finally:
        COUNTED_BY_COUNCIL.discard("motion")
    assert {b.group for b in published} == {"local-1"}
    assert {b.group for b in JsonlBoxStore(tmp_path).ballots()} == {"local-1"}
