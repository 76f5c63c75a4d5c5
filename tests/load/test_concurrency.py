"""Everyone at once: every member sends the same ballot, signature or roll-call vote five times in parallel.

Against gunicorn's worker processes on PostgreSQL, exactly one of each member's five
attempts counts and the other four are refused with a 4xx and a JSON reason: the ledger
head's row lock and the roll's unique constraints decide, not a lock in any one process.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from frombelow.ballotbox import check_receipt
from tests.load.instance import Instance, ballots_path, signatures_path

ATTEMPTS = 5
THREADS = 64


def everyone_at_once(instance: Instance, path: str, body: object = None) -> list[tuple[str, int, object]]:
    """Each member's ATTEMPTS requests, shuffled among all the others', THREADS in flight: (member, status, body)."""
    client = instance.client()
    members = instance.scenario["members"]
    attempts = [member for member in members for _ in range(ATTEMPTS)]
    random.Random(1917).shuffle(attempts)

    def send(member: str) -> tuple[str, int, object]:
        status, answer = client.post(path, members[member], body)
        return member, status, answer

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(send, attempts))


def assert_one_each(answers: list[tuple[str, int, object]], accepted: set[str]) -> None:
    """Every member in ``accepted`` had exactly one attempt accepted; every other attempt a 4xx with a reason."""
    taken = Counter(member for member, status, _ in answers if status == 200)
    assert taken == Counter(dict.fromkeys(accepted, 1))
    refused = [(status, body) for _, status, body in answers if status != 200]
    assert len(refused) == len(answers) - len(accepted)
    for status, body in refused:
        assert 400 <= status < 500, (status, body)
        assert isinstance(body, dict) and body["code"] and body["message"], body


def assert_whole(instance: Instance, tmp_path: Path) -> None:
    """Nothing half-written, the exported ledger verifies, and the projections are what a rebuild writes."""
    entries, head = instance.ledger_size()
    assert entries == head
    exported = tmp_path / "bundle"
    instance.frombelow("export", str(exported))
    verified = instance.frombelow("verify", str(exported), check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    live = instance.snapshot()
    instance.frombelow("rebuild")
    assert instance.snapshot() == live


def test_secret_ballots_count_once_each(instance: Instance, tmp_path: Path) -> None:
    poll = instance.scenario["secret_poll"]
    answers = everyone_at_once(instance, ballots_path(poll), {"marks": ["yes"]})
    members = set(instance.scenario["members"])
    assert_one_each(answers, members)
    receipts = [body["receipt"] for _, status, body in answers if status == 200]
    assert len(set(receipts)) == len(members)

    instance.frombelow("manage", "load_scenario", "--close", poll)  # everyone has voted: count it now

    (counted,) = [e for e in instance.events("poll counted") if e.poll == poll]
    assert len(counted.ballots) == len(members)
    assert all(check_receipt(counted.ballots, receipt) is not None for receipt in receipts)
    cast = [e for e in instance.events("ballot cast") if e.poll == poll]
    assert sorted(e.actor for e in cast) == sorted(members)
    assert instance.filled_slots(poll) == len(members)
    assert_whole(instance, tmp_path)


def test_roll_call_votes_count_once_each(instance: Instance, tmp_path: Path) -> None:
    poll = instance.scenario["roll_call"]
    answers = everyone_at_once(instance, ballots_path(poll), {"marks": ["yes"]})
    members = set(instance.scenario["members"])
    assert_one_each(answers, members)
    assert all(body["recorded"] for _, status, body in answers if status == 200)

    votes = [e for e in instance.events("vote cast") if e.poll == poll]
    assert sorted(e.actor for e in votes) == sorted(members)
    instance.frombelow("manage", "load_scenario", "--close", poll)
    (counted,) = [e for e in instance.events("poll counted") if e.poll == poll]
    assert counted.outcome == "carried"
    assert_whole(instance, tmp_path)


def test_petition_signatures_count_once_each(instance: Instance, tmp_path: Path) -> None:
    petition = instance.scenario["petition"]
    answers = everyone_at_once(instance, signatures_path(petition))
    members = set(instance.scenario["members"])
    (started,) = instance.events("recall petition started")
    assert_one_each(answers, members - {started.actor})  # who started it signed it in starting it

    signed = [e.actor for e in instance.events("recall petition signed") if e.petition == petition]
    assert sorted([started.actor, *signed]) == sorted(members)
    status, body = instance.client().get(f"/api/v1/petitions/{petition}")
    assert (status, body["signatures"], body["status"]) == (200, len(members), "put to the vote")
    assert_whole(instance, tmp_path)
