"""Crashes while ballots are cast: no acknowledged ballot is lost, nothing half-written is left.

The server is killed with SIGKILL (master and workers) at random moments and started again,
or PostgreSQL ends the platform's connections under it. Meanwhile every member keeps trying
until they get a receipt, or are told they have voted already (an earlier try committed but
its answer was lost with the server). Afterwards every receipt handed out is in the count.
"""

from __future__ import annotations

import http.client
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from frombelow.ballotbox import check_receipt
from tests.load.instance import Instance, ballots_path
from tests.load.test_concurrency import assert_whole

CRASHES = 4
PATIENCE = 180.0  # seconds a member keeps trying before the test gives up on the platform


def vote_through_crashes(instance: Instance, crash: Callable[[], None]) -> dict[str, str | None]:
    """Every member votes, trying again after any failure, while ``crash`` strikes CRASHES times at random."""
    poll = instance.scenario["secret_poll"]
    client = instance.client()
    rng = random.Random()

    def vote(member: str, token: str) -> tuple[str, str | None]:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                status, body = client.post(
                    ballots_path(poll), token, {"marks": ["yes" if rng.random() < 0.6 else "no"]}
                )
            except (OSError, http.client.HTTPException):  # the server is down, or died mid-answer: try again
                time.sleep(0.05)
                continue
            if status == 200:
                return member, body["receipt"]
            if status < 500:  # refused: an earlier try of ours was committed, its answer lost
                assert body["code"] == "not_allowed" and "already" in body["message"], body
                return member, None
            time.sleep(0.05)  # a 5xx: the database connection was cut mid-request
        raise AssertionError(f"{member} could not vote in {PATIENCE} s")

    with ThreadPoolExecutor(32) as pool:
        trying = [pool.submit(vote, member, token) for member, token in instance.scenario["members"].items()]
        struck = 0
        while struck < CRASHES:
            time.sleep(rng.uniform(0.2, 1.0) if struck else rng.uniform(0.05, 0.3))  # the first soon, mid-vote
            if all(attempt.done() for attempt in trying):
                break
            crash()
            struck += 1
        voted = dict(attempt.result() for attempt in trying)
    assert struck, "everyone had voted before the first crash: the test crashed nothing"
    return voted


def assert_every_receipt_counted(instance: Instance, receipts: dict[str, str | None], tmp_path: Path) -> None:
    poll = instance.scenario["secret_poll"]
    members = set(instance.scenario["members"])
    assert set(receipts) == members
    instance.stop()
    entries, head = instance.ledger_size()
    cast = [e.actor for e in instance.events("ballot cast") if e.poll == poll]
    assert (entries, sorted(cast), instance.filled_slots(poll)) == (head, sorted(members), len(members))

    instance.frombelow("manage", "load_scenario", "--close", poll)
    (counted,) = [e for e in instance.events("poll counted") if e.poll == poll]
    assert len(counted.ballots) == len(members)
    given = [r for r in receipts.values() if r is not None]
    assert given, "no member got a receipt: the crashes left nothing to check"
    assert [r for r in given if check_receipt(counted.ballots, r) is None] == []
    assert_whole(instance, tmp_path)


def test_ballots_survive_the_server_killed(instance: Instance, tmp_path: Path) -> None:
    def crash() -> None:
        instance.kill()
        instance.start()

    assert_every_receipt_counted(instance, vote_through_crashes(instance, crash), tmp_path)


def test_ballots_survive_the_database_connections_cut(instance: Instance, tmp_path: Path) -> None:
    assert_every_receipt_counted(instance, vote_through_crashes(instance, instance.terminate_connections), tmp_path)
