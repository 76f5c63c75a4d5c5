"""Invariant 2: secret ballot. No event links a member to a ballot's content.

The full term of ``test_scenario_full_term`` (secret elections, a recall, a referendum, a
ratification by council, public roll calls) is scanned event by event, in the JSON the
ledger stores: a secret poll's ``BallotCast`` says only who voted, its ``PollCounted``
publishes the ballots with no voter on them (a ratification's carry their base council,
which its count by council needs, and nothing else), and no vote with content is ever
recorded for a secret poll.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_scenario_full_term import a_full_term

from frombelow.federation.events import THE_COUNT, Event, to_json
from frombelow.federation.voting import COUNTED_BY_COUNCIL


@pytest.fixture(scope="module")
def history() -> list[Event]:
    return a_full_term().history


def _strings(value: Any) -> set[str]:
    """Every string anywhere in an event's JSON."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_no_event_of_a_secret_poll_links_a_voter_to_what_they_voted(history: list[Event]) -> None:
    records = [to_json(e) for e in history]
    members = {m for r in records if r["kind"] == "federation founded" for m, _ in r["founders"]}
    members |= {r["member"] for r in records if r["kind"] == "member joined"}
    bases = {c["id"] for r in records if r["kind"] == "federation founded" for c in r["councils"]}
    bases |= {c[0] for r in records if r["kind"] == "council split" for c in r.get("parts", [])}
    opened = {r["poll"]: r for r in records if r["kind"] == "poll opened"}
    secret = {poll for poll, r in opened.items() if r["secret"]}
    assert {opened[p]["purpose"] for p in secret} >= {"election", "recall", "referendum", "ratification"}

    for record in records:
        poll = record.get("poll")
        if poll not in secret:
            continue
        content = {"marks", "cast", "ballots", "weight"} & record.keys()
        if record["kind"] == "ballot cast":
            assert set(record) == {"kind", "actor", "at", "poll"}, record  # who voted, never how
        elif record["kind"] == "poll counted":
            assert record["actor"] == THE_COUNT
            by_council = opened[poll]["purpose"] in COUNTED_BY_COUNCIL
            for ballot in record["ballots"]:
                assert ballot["receipt"] not in members
                if by_council:
                    assert ballot["group"] in bases - members  # a base council, never a person
                else:
                    assert ballot["group"] == "", record  # not even the council it was cast in
        else:
            # Any other event of a secret poll (e.g. a recall lost, a seat filled) names no ballot content.
            assert not content, record
            assert record["kind"] != "vote cast"


def test_the_scan_sees_public_roll_calls_and_secret_ballots_both(history: list[Event]) -> None:
    """The public side is still public: a roll call's votes name their voter, and a secret poll's turnout is known."""
    kinds = [e.kind for e in history]
    assert "vote cast" in kinds and "ballot cast" in kinds
    ratified = [to_json(e) for e in history if e.kind == "poll counted" and "ratification" in e.poll]
    assert ratified and all(b["group"] for r in ratified for b in r["ballots"])
    assert all(not (_strings(b) - {""}) & {"ann", "bo", "cy", "di"} for r in ratified for b in r["ballots"])
