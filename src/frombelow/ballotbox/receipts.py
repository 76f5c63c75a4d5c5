"""Receipts: a voter's proof that their ballot is in the count, and what it says.

A receipt is a commitment to the ballot: ``SHA-256(nonce || canonical ballot)`` with a
fresh random 32-byte ``nonce`` (``secrets``). The *canonical ballot* is the ballot as
``PollCounted`` publishes it with its ``receipt`` field empty, written by the federation
codec's canonical JSON (sorted keys, no spaces, UTF-8), e.g.
``{"group":"","marks":["yes"],"receipt":"","weight":"1/1"}``.

The commitment (hex) is published beside the ballot when the poll closes; the nonce is
given to the voter alone and stored nowhere. Anyone holding a commitment can see whether
that ballot was counted; the voter, holding the nonce too, can also see that the
published marks are the ones they cast (no one else can open the commitment, and no
one can find marks other than theirs that it opens to).

What a receipt does not do: it does not stop a voter from showing it, nonce and all, to
someone who wants to check how they voted. A vote that allows revoting
(``BallotBox(revote=True)``) lets a coerced voter vote again in private before the close.
"""

from __future__ import annotations

import dataclasses
import hashlib
import string
from collections.abc import Iterable
from dataclasses import dataclass

from frombelow.federation.codec import canonical
from frombelow.federation.voting import Ballot

NONCE_BYTES = 32


@dataclass(frozen=True)
class Receipt:
    """What a voter is given once their ballot is durable: keep the whole of it, show it to no one."""

    poll: str
    commitment: str  # hex SHA-256, published beside the ballot as its ``receipt``
    nonce: str  # hex, known to the voter alone

    @property
    def text(self) -> str:
        """The receipt as one line to copy: ``<commitment>:<nonce>``."""
        return f"{self.commitment}:{self.nonce}"


def commitment(nonce: bytes, ballot: Ballot) -> str:
    """``SHA-256(nonce || canonical ballot)`` in hex; the ballot's own ``receipt`` field is left out."""
    return hashlib.sha256(nonce + canonical_ballot(ballot)).hexdigest()


def canonical_ballot(ballot: Ballot) -> bytes:
    return canonical(dataclasses.replace(ballot, receipt="")).encode("utf-8")


def check_receipt(published: Iterable[Ballot], receipt: Receipt | str) -> Ballot | None:
    """The published ballot ``receipt`` is for, or ``None`` if it is not in the count.

    ``receipt`` is a ``Receipt`` or its text: ``<commitment>:<nonce>``, or the commitment
    alone (which shows only that a ballot with that commitment was counted). With the
    nonce, the ballot is returned only if the commitment opens to its marks, so a voter
    who sees their own choice in what comes back knows it was counted as cast.
    """
    committed, nonce = _read(receipt)
    if committed is None:
        return None
    for ballot in published:
        if ballot.receipt != committed:
            continue
        if nonce is None or commitment(nonce, ballot) == committed:
            return ballot
    return None


def _read(receipt: Receipt | str) -> tuple[str | None, bytes | None]:
    """The commitment and nonce of a receipt, or ``(None, None)`` if it cannot be one."""
    if isinstance(receipt, Receipt):
        committed, nonce = receipt.commitment, receipt.nonce
    else:
        committed, _, nonce = str(receipt).strip().partition(":")
    committed, nonce = committed.lower(), nonce.lower()
    if not is_hex(committed, hashlib.sha256().digest_size):
        return None, None
    if not nonce:
        return committed, None
    if not is_hex(nonce, NONCE_BYTES):
        return None, None
    return committed, bytes.fromhex(nonce)


def is_hex(text: str, size: int) -> bool:
    return len(text) == 2 * size and all(c in string.hexdigits for c in text)
