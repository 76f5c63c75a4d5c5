"""Invariant 5 at the box: one member, one counted ballot, under any concurrency.

Threads race to cast with the same token, or with every token at once, through one box
or through two boxes sharing a store (two server processes on one database); whatever
the interleaving, the box holds exactly one ballot per member who voted, the record one
``BallotCast`` each, and the count takes exactly those ballots.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polling import LOCAL_1, Station, a_motion_vote

from frombelow.ballotbox import BallotBox, JsonlBoxStore, MemoryBoxStore, Receipt, check_receipt
from frombelow.federation.errors import NotAllowed, RuleBroken

THREADS = 16


def race(attempts: list[Callable[[], Receipt]]) -> tuple[list[Receipt], list[Exception]]:
    """Run every attempt in its own thread, all released at once; what they returned and raised."""
    start = threading.Barrier(len(attempts))
    given_back: list[Receipt] = []
    refused: list[Exception] = []
    lock = threading.Lock()

    def run(attempt: Callable[[], Receipt]) -> None:
        start.wait()
        try:
            receipt = attempt()
        except RuleBroken as refusal:
            with lock:
                refused.append(refusal)
        else:
            with lock:
                given_back.append(receipt)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return given_back, refused


def casts_recorded(station: Station) -> Counter:
    return Counter(e.actor for e in station.history if e.kind == "ballot cast")


@pytest.fixture(params=["memory", "jsonl"])
def station(request: pytest.FixtureRequest, tmp_path: Path) -> Station:
    return a_motion_vote(MemoryBoxStore() if request.param == "memory" else JsonlBoxStore(tmp_path), revote=True)


def test_a_token_used_twice_counts_once(station: Station) -> None:
    first = station.cast("ann", ("yes",))
    with pytest.raises(NotAllowed, match="this voting token has been used"):
        station.cast("ann", ("no",))
    assert [b.receipt for b in station.box.store.ballots()] == [first.commitment]
    assert casts_recorded(station) == {"ann": 1}


def test_threads_racing_with_one_token_cast_one_ballot(station: Station) -> None:
    receipts, refused = race([lambda i=i: station.cast("ann", ("yes",) if i % 2 else ("no",)) for i in range(THREADS)])
    assert len(receipts) == 1 and len(refused) == THREADS - 1
    assert all("this voting token has been used" in str(r) for r in refused)
    assert [b.receipt for b in station.box.store.ballots()] == [receipts[0].commitment]
    assert casts_recorded(station) == {"ann": 1}


def test_every_member_racing_several_times_casts_one_ballot_each(station: Station) -> None:
    attempts = [lambda m=m: station.cast(m, ("yes",)) for m in LOCAL_1 for _ in range(4)]
    receipts, refused = race(attempts)
    assert len(receipts) == len(LOCAL_1) and len(refused) == 3 * len(LOCAL_1)
    assert casts_recorded(station) == dict.fromkeys(LOCAL_1, 1)
    published = station.close()
    assert len(published) == len(LOCAL_1)
    assert all(check_receipt(published, r) for r in receipts)


def test_casts_and_revotes_racing_leave_one_ballot_per_member(station: Station) -> None:
    first = {m: station.cast(m, ("abstain",)) for m in LOCAL_1[:6]}
    attempts = [lambda m=m: station.revote(m, first[m], ("yes",)) for m in first for _ in range(3)]
    attempts += [lambda m=m: station.cast(m, ("no",)) for m in LOCAL_1 for _ in range(2)]
    receipts, refused = race(attempts)
    assert len(station.box.store.ballots()) == len(LOCAL_1)
    assert casts_recorded(station) == dict.fromkeys(LOCAL_1, 1)
    assert (
        len(receipts) == 6 + 6 and len(refused) == len(attempts) - 12
    )  # one revote per first voter, one cast per other
    station.close()
    counted = station.current.counted
    assert counted is not None and dict(counted.totals) == {"yes": 6, "no": 6, "abstain": 0}


def test_two_boxes_on_one_store_still_cast_one_ballot_per_token() -> None:
    """Two processes serving the same poll share its store: the store's claim is what keeps one ballot."""
    station = a_motion_vote(MemoryBoxStore())
    other = BallotBox(station.state, station.poll, station.box.store)
    boxes = [station.box, other]

    def cast(i: int) -> Receipt:
        events, receipt = boxes[i % 2].cast(station.state, station.tokens["ann"], ("yes",), station.voting)
        station.record(events)
        return receipt

    receipts, refused = race([lambda i=i: cast(i) for i in range(THREADS)])
    assert len(receipts) == 1 and len(refused) == THREADS - 1 and len(station.box.store.ballots()) == 1
    assert casts_recorded(station) == {"ann": 1}


ACTIONS = st.lists(
    st.tuples(st.sampled_from(LOCAL_1[:5]), st.sampled_from(["cast", "revote", "stale revote", "stranger"])),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS, marks=st.sampled_from([("yes",), ("no",), ("abstain",)]))
def test_whatever_members_try_the_box_holds_one_ballot_per_voter(actions: list, marks: tuple) -> None:
    station = a_motion_vote(revote=True)
    latest: dict[str, Receipt] = {}
    earlier: dict[str, Receipt] = {}
    for member, action in actions:
        try:
            if action == "cast":
                latest[member] = station.cast(member, marks)
            elif action == "revote" and member in latest:
                earlier[member], latest[member] = latest[member], station.revote(member, latest[member], marks)
            elif action == "stale revote" and member in earlier:
                station.revote(member, earlier[member], marks)
                raise AssertionError("a replaced receipt was taken")
            elif action == "stranger" and latest:
                other = next(iter(latest.values()))
                station.box.revote(station.state, "not-a-token", other, marks, station.voting)
                raise AssertionError("a stranger's token was taken")
        except NotAllowed:
            pass
    assert sorted(b.receipt for b in station.box.store.ballots()) == sorted(r.commitment for r in latest.values())
    assert casts_recorded(station) == dict.fromkeys(latest, 1)
