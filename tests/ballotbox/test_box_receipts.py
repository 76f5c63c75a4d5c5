"""Receipts: a commitment anyone can find in the published box, and only its voter can open."""

from __future__ import annotations

import dataclasses
import hashlib
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from polling import LOCAL_1, a_motion_vote

from frombelow.ballotbox import Receipt, check_receipt, commitment
from frombelow.federation.voting import Ballot


def test_the_commitment_is_sha256_of_the_nonce_and_the_canonical_ballot() -> None:
    nonce = bytes(range(32))
    ballot = Ballot(("worker-02", "ann"), "", Fraction(1), receipt="anything")
    canonical = b'{"group":"","marks":["worker-02","ann"],"receipt":"","weight":"1/1"}'
    assert commitment(nonce, ballot) == hashlib.sha256(nonce + canonical).hexdigest()


@pytest.fixture(scope="module")
def counted() -> tuple[dict[str, Receipt], tuple[Ballot, ...]]:
    station = a_motion_vote()
    receipts = {member: station.cast(member, ("yes",) if i < 7 else ("no",)) for i, member in enumerate(LOCAL_1)}
    return receipts, station.close()


def test_every_voter_finds_their_ballot_as_they_cast_it_after_the_count(counted: tuple) -> None:
    receipts, published = counted
    for i, member in enumerate(LOCAL_1):
        receipt = receipts[member]
        expected = ("yes",) if i < 7 else ("no",)
        for form in (receipt, receipt.text, receipt.text.upper(), f"  {receipt.text}\n", receipt.commitment):
            found = check_receipt(published, form)
            assert found is not None and found.marks == expected and found.receipt == receipt.commitment


def test_receipts_are_all_different_even_for_the_same_choice(counted: tuple) -> None:
    receipts, published = counted
    assert len({r.commitment for r in receipts.values()}) == len({r.nonce for r in receipts.values()}) == len(LOCAL_1)
    assert len({b.receipt for b in published}) == len(LOCAL_1)


def test_a_ballot_altered_after_the_cast_does_not_open_its_receipt(counted: tuple) -> None:
    receipts, published = counted
    receipt = receipts["ann"]  # ann voted yes
    altered = [dataclasses.replace(b, marks=("no",)) if b.receipt == receipt.commitment else b for b in published]
    assert check_receipt(altered, receipt) is None  # the nonce shows the box changed her vote
    assert check_receipt(altered, receipt.commitment) is not None  # the commitment alone only finds it
    assert check_receipt([b for b in published if b.receipt != receipt.commitment], receipt) is None


def test_a_wrong_nonce_opens_nothing(counted: tuple) -> None:
    receipts, published = counted
    receipt = receipts["ann"]
    assert check_receipt(published, dataclasses.replace(receipt, nonce="00" * 32)) is None
    assert check_receipt(published, f"{receipt.commitment}:{receipts['worker-01'].nonce}") is None


@pytest.mark.parametrize("text", ["", ":", "not a receipt", "ab" * 31, "ab" * 33, "zz" * 32, "ab" * 32 + ":xyz"])
def test_text_that_is_no_receipt_finds_nothing(counted: tuple, text: str) -> None:
    assert check_receipt(counted[1], text) is None


@given(
    marks=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5, unique=True),
    nonce=st.binary(min_size=32, max_size=32),
)
def test_a_commitment_opens_only_to_its_own_ballot(marks: list[str], nonce: bytes) -> None:
    ballot = Ballot(tuple(marks))
    published = [dataclasses.replace(ballot, receipt=commitment(nonce, ballot))]
    assert check_receipt(published, Receipt("a vote", published[0].receipt, nonce.hex())) == published[0]
    other = dataclasses.replace(published[0], marks=tuple(reversed(marks)) if len(marks) > 1 else (marks[0] + "x",))
    assert check_receipt([other], Receipt("a vote", published[0].receipt, nonce.hex())) is None
