"""Invariant 6 at the box: every refusal says what rule it keeps, and changes nothing.

Each refusal is tried on a box on files (``JsonlBoxStore``) where ann has voted already;
the state, the record, the roll, the box and every byte of its files are the same after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from polling import CHARTER, Station, a_motion_put_to_the_vote, a_motion_vote, snapshot

from frombelow.ballotbox import BallotBox, JsonlBoxStore, MemoryBoxStore, Receipt
from frombelow.federation.commands import Leave
from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound, RuleBroken


@pytest.fixture
def station(tmp_path: Path) -> Station:
    station = a_motion_vote(JsonlBoxStore(tmp_path / "box"), revote=True)
    station.receipts = {"ann": station.cast("ann", ("yes",))}  # type: ignore[attr-defined]
    return station


def cast(member: str, marks: object, when: Callable[[Station], datetime] = lambda s: s.voting) -> Callable:
    return lambda s: s.box.cast(s.state, s.tokens[member], marks, when(s))


def with_token(token: object) -> Callable:
    return lambda s: s.box.cast(s.state, token, ("yes",), s.voting)


def revote(member: str, receipt: Callable[[Station], Receipt], marks: tuple = ("no",)) -> Callable:
    return lambda s: s.box.revote(s.state, s.tokens[member], receipt(s), marks, s.voting)


def anns(s: Station) -> Receipt:
    return s.receipts["ann"]  # type: ignore[attr-defined]


REFUSALS = {
    "an unknown token": (with_token("not-a-token"), NotAllowed, "this is not a voting token for Strike"),
    "a token cut short": (lambda s: with_token(s.tokens["worker-01"][:-1])(s), NotAllowed, "copied whole"),
    "a token that is no text": (with_token(None), NotAllowed, "this is not a voting token"),
    "a token used already": (
        cast("ann", ("no",)),
        NotAllowed,
        "this voting token has been used: each member votes once",
    ),
    "marks as one word": (cast("worker-01", "yes"), InvalidCommand, "a ballot's marks are a list of choices"),
    "a choice not on the ballot": (cast("worker-01", ("maybe",)), InvalidCommand, "'maybe' is not a choice"),
    "two answers to a question": (cast("worker-01", ("yes", "no")), InvalidCommand, "vote yes, no or abstain"),
    "no answer": (cast("worker-01", ()), InvalidCommand, "vote yes, no or abstain"),
    "after the closing time": (
        cast("worker-01", ("yes",), lambda s: s.current.closes_at),
        NotAllowed,
        "the vote on Strike is closed",
    ),
    "before the last recorded event": (
        cast("worker-01", ("yes",), lambda s: s.voting - timedelta(minutes=1)),
        InvalidCommand,
        "dated before the last recorded event",
    ),
    "a time without its zone": (
        cast("worker-01", ("yes",), lambda s: s.voting.replace(tzinfo=None)),
        InvalidCommand,
        "must carry a time zone",
    ),
    "a token to one outside the electorate": (
        lambda s: s.box.issue(s.state, "bo"),
        NotAllowed,
        "voting tokens for Strike go only to those entitled to vote in Local 1 when the vote opened",
    ),
    "a second token": (
        lambda s: s.box.issue(s.state, "worker-01"),
        NotAllowed,
        "worker-01 has been given a voting token",
    ),
    "closing early": (
        lambda s: s.box.close(s.state, s.voting),
        NotAllowed,
        "the vote on Strike stays open until 2026-05-10 01:00 UTC",
    ),
    "a revote before voting": (
        revote("worker-01", anns),
        NotAllowed,
        "you have not voted on Strike with this token yet: cast your ballot",
    ),
    "a revote with a receipt never given": (
        revote("ann", lambda s: dataclasses.replace(anns(s), nonce="00" * 32)),
        NotAllowed,
        "this receipt is not the one last given for this token's ballot",
    ),
    "a revote with a mangled nonce": (
        revote("ann", lambda s: dataclasses.replace(anns(s), nonce="xyz")),
        InvalidCommand,
        "a receipt's nonce is 64 hexadecimal characters",
    ),
    "a revote with a receipt of another vote": (
        revote("ann", lambda s: dataclasses.replace(anns(s), poll="vote on something else")),
        InvalidCommand,
        "this receipt is for another vote",
    ),
    "a revote to a choice not on the ballot": (
        revote("ann", anns, ("maybe",)),
        InvalidCommand,
        "'maybe' is not a choice",
    ),
    "a revote with an unknown token": (
        lambda s: s.box.revote(s.state, "not-a-token", anns(s), ("no",), s.voting),
        NotAllowed,
        "this is not a voting token",
    ),
}


@pytest.mark.parametrize("attempt, refusal, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_says_why_and_changes_nothing(
    station: Station, attempt: Callable, refusal: type[RuleBroken], message: str
) -> None:
    before = snapshot(station)
    with pytest.raises(refusal, match=message):
        attempt(station)
    assert snapshot(station) == before


def test_a_revote_with_anothers_receipt_is_refused_and_changes_nothing(station: Station) -> None:
    """Bo may not replace ann's ballot by presenting her receipt (shown him, say) with his own token."""
    station.cast("worker-02", ("no",))
    before = snapshot(station)
    with pytest.raises(NotAllowed, match="this receipt is not the one last given for this token's ballot"):
        station.revote("worker-02", station.receipts["ann"], ("no",))  # type: ignore[attr-defined]
    assert snapshot(station) == before


def test_a_member_who_left_since_the_opening_votes_no_more(station: Station) -> None:
    station.run(Leave("worker-03", station.voting))
    before = snapshot(station)
    with pytest.raises(NotAllowed, match="you are no longer a member, so you may not vote on Strike"):
        station.cast("worker-03", ("yes",))
    assert snapshot(station) == before


def test_once_counted_the_box_takes_nothing_more(station: Station) -> None:
    station.close()
    before = snapshot(station)
    for attempt, message in [
        (cast("worker-01", ("yes",), lambda s: s.current.closes_at), "the vote on Strike is closed"),
        (
            lambda s: s.box.revote(s.state, s.tokens["ann"], anns(s), ("no",), s.current.closes_at),
            "the vote on Strike is closed",
        ),
        (lambda s: s.box.issue(s.state, "worker-01"), "the vote on Strike is closed"),
        (lambda s: s.box.close(s.state, s.current.closes_at), "the vote on Strike has been counted already"),
    ]:
        with pytest.raises(RuleBroken, match=message):
            attempt(station)
        assert snapshot(station) == before


def test_a_revote_where_the_box_allows_none_is_refused(tmp_path: Path) -> None:
    station = a_motion_vote(MemoryBoxStore())
    receipt = station.cast("ann", ("yes",))
    before = snapshot(station)
    with pytest.raises(NotAllowed, match="the vote on Strike does not allow a ballot to be changed once cast"):
        station.revote("ann", receipt, ("no",))
    with pytest.raises(NotAllowed, match=r"has been used: each member votes once on Strike$"):
        station.cast("ann", ("no",))
    assert snapshot(station) == before


def test_a_public_roll_call_has_no_box(tmp_path: Path) -> None:
    station = a_motion_put_to_the_vote(dataclasses.replace(CHARTER, secret_voting_in_base_councils=False))
    with pytest.raises(
        InvalidCommand, match="the vote on Strike is a public roll call: its votes are recorded by name"
    ):
        BallotBox(station.state, station.poll, JsonlBoxStore(tmp_path))
    assert not (tmp_path / "box.jsonl").exists()


def test_a_box_for_no_vote_is_refused() -> None:
    station = a_motion_put_to_the_vote()
    with pytest.raises(NotFound, match="there is no vote 'vote on nothing'"):
        BallotBox(station.state, "vote on nothing", MemoryBoxStore())
