"""The stores: the roll and the box as two small tables, in memory or in JSON Lines files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polling import a_motion_put_to_the_vote

from frombelow.ballotbox import BallotBox, JsonlBoxStore, MemoryBoxStore, StoredBallot
from frombelow.federation.errors import NotAllowed

LARGEST = StoredBallot(("abstain",), "", "0" * 64, "0" * 64)


def ballot(i: int) -> StoredBallot:
    return StoredBallot(("yes",), "", f"{i:064x}", f"{i + 1:064x}")


@settings(max_examples=40, deadline=None)
@given(slots=st.integers(1, 12), picks=st.lists(st.integers(0, 10**6), max_size=20), on_files=st.booleans())
def test_the_vacancies_are_exactly_the_empty_slots(slots: int, picks: list[int], on_files: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        store = JsonlBoxStore(directory) if on_files else MemoryBoxStore()
        store.make_slots(slots, LARGEST)
        filled: dict[int, StoredBallot] = {}
        for i, pick in enumerate(picks):
            if store.vacancies():
                slot = store.vacancy(pick % store.vacancies())
            else:
                slot = pick % slots  # a full box: replace in place, as a revote does
            store.put(slot, ballot(i))
            filled[slot] = ballot(i)
            empty = {store.vacancy(n) for n in range(store.vacancies())}
            assert empty == set(range(slots)) - filled.keys() and store.vacancies() == len(empty)
            assert store.find(ballot(i).revote) == slot
        assert store.ballots() == [filled[s] for s in sorted(filled)]
        if on_files:
            again = JsonlBoxStore(directory)
            assert again.ballots() == store.ballots() and again.vacancies() == store.vacancies()


def test_the_roll_on_files_reads_back_as_written(tmp_path: Path) -> None:
    store = JsonlBoxStore(tmp_path)
    store.issue({"a" * 64: "ann", "b" * 64: "bo"})
    assert store.claim("a" * 64) and not store.claim("a" * 64)
    assert store.claim("b" * 64)
    store.release("b" * 64)
    again = JsonlBoxStore(tmp_path)
    assert again.holder("a" * 64) == ("ann", True) and again.holder("b" * 64) == ("bo", False)
    assert again.holds_token("bo") and not again.holds_token("cy") and again.holder("c" * 64) is None


@pytest.mark.parametrize("store", [MemoryBoxStore, JsonlBoxStore])
def test_tokens_are_issued_all_or_none(store: type, tmp_path: Path) -> None:
    roll = store() if store is MemoryBoxStore else store(tmp_path)
    roll.issue({"a" * 64: "ann"})
    for batch in (
        {"b" * 64: "bo", "c" * 64: "ann"},
        {"b" * 64: "bo", "a" * 64: "cy"},
        {"b" * 64: "bo", "c" * 64: "bo"},
    ):
        with pytest.raises(ValueError, match="two tokens|issued already"):
            roll.issue(batch)
        assert roll.holder("b" * 64) is None and not roll.holds_token("bo")


def test_a_ballot_longer_than_its_slot_is_not_written(tmp_path: Path) -> None:
    store = JsonlBoxStore(tmp_path)
    store.make_slots(2, LARGEST)
    before = (tmp_path / "box.jsonl").read_bytes()
    with pytest.raises(ValueError, match="does not fit the box's"):
        store.put(0, StoredBallot(("abstain", "abstain"), "", "0" * 64, "0" * 64))
    assert (tmp_path / "box.jsonl").read_bytes() == before and store.vacancies() == 2


def test_a_batch_of_tokens_with_one_refused_issues_none() -> None:
    station = a_motion_put_to_the_vote()
    store = MemoryBoxStore()
    box = BallotBox(station.state, station.poll, store)
    with pytest.raises(NotAllowed, match="go only to those entitled to vote in Local 1"):
        box.issue_all(station.state, ["ann", "worker-01", "bo"])
    assert not store.holds_token("ann") and not store.holds_token("worker-01")
    tokens = box.issue_all(station.state, ["ann", "ann"])
    assert list(tokens) == ["ann"]
    rest = box.issue_all(station.state)
    assert len(rest) == len(station.current.electorate) - 1 and "ann" not in rest
    assert len(set(tokens.values()) | set(rest.values())) == len(station.current.electorate)
