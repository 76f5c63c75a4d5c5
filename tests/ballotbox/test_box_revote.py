"""Revoting before the close: the ballot is replaced, and nothing recorded or published links the two."""

from __future__ import annotations

from pathlib import Path

import pytest
from polling import LOCAL_1, a_motion_vote

from frombelow.ballotbox import JsonlBoxStore, check_receipt
from frombelow.federation.codec import canonical
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import to_json


def test_a_revote_replaces_the_ballot_and_only_the_new_one_is_counted(tmp_path: Path) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path), revote=True)
    receipts = {member: station.cast(member, ("yes",) if i % 2 else ("no",)) for i, member in enumerate(LOCAL_1)}
    recorded = list(station.history)
    first = {m: receipts[m] for m in ("worker-01", "worker-03")}  # two who voted yes change to no
    for member, receipt in first.items():
        receipts[member] = station.revote(member, receipt, ("no",))

    assert station.history == recorded  # a revote records nothing: the member voted, once
    assert len(station.box.store.ballots()) == len(LOCAL_1)
    published = station.close()
    counted = station.current.counted
    assert counted is not None and dict(counted.totals) == {"yes": 4, "no": 8, "abstain": 0}
    for member, receipt in receipts.items():
        assert check_receipt(published, receipt) is not None
    for member, receipt in first.items():
        assert check_receipt(published, receipt) is None  # the replaced ballot is gone
        assert check_receipt(published, receipt.commitment) is None
        assert check_receipt(published, receipts[member]).marks == ("no",)  # type: ignore[union-attr]


def test_nothing_kept_or_published_holds_the_replaced_ballot(tmp_path: Path) -> None:
    station = a_motion_vote(JsonlBoxStore(tmp_path), revote=True)
    old = station.cast("ann", ("yes",))
    new = station.revote("ann", old, ("no",))
    for member in LOCAL_1[1:]:
        station.cast(member, ("abstain",))
    published = station.close()
    kept = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    record = "\n".join(canonical(to_json(e)) for e in station.history).encode()
    for data in (kept, record):
        assert old.commitment.encode() not in data and old.nonce.encode() not in data
        assert new.nonce.encode() not in data  # the nonce is the voter's alone
    assert new.commitment.encode() in kept and new.commitment.encode() in record
    assert [b.marks for b in published if b.marks != ("abstain",)] == [("no",)]


def test_each_revote_takes_the_latest_receipt() -> None:
    station = a_motion_vote(revote=True)
    first = station.cast("ann", ("yes",))
    second = station.revote("ann", first, ("no",))
    with pytest.raises(NotAllowed, match="this receipt is not the one last given for this token's ballot"):
        station.revote("ann", first, ("abstain",))
    third = station.revote("ann", second, ("abstain",))
    assert [b.receipt for b in station.box.store.ballots()] == [third.commitment]
    assert len({first.commitment, second.commitment, third.commitment}) == 3


def test_a_revote_keeps_the_voter_to_their_own_ballot() -> None:
    """With her own token and another's receipt, no one replaces another's ballot."""
    station = a_motion_vote(revote=True)
    anns = station.cast("ann", ("yes",))
    station.cast("worker-01", ("no",))
    with pytest.raises(NotAllowed, match="this receipt is not the one last given for this token's ballot"):
        station.revote("worker-01", anns, ("no",))
    assert sorted(b.marks for b in station.box.store.ballots()) == [("no",), ("yes",)]
