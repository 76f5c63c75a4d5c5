"""Checkpoints: the ledger's size and Merkle root, signed by the instance's key.

A checkpoint (a "signed tree head" in Certificate Transparency) says: "the first
``size`` entries of this ledger have Merkle root ``root``; the last of them hashes to
``head``; signed at ``at`` with the key ``key_id``". The signature is Ed25519 over the
canonical JSON (see entries.py) of exactly those five fields::

    {"at":"2026-03-01T12:00:00Z","head":"<hex>","key_id":"<16 hex>","root":"<hex>","size":1000}

and ``checkpoints.jsonl`` holds one checkpoint a line: the same object with
``"signature"`` (hex) added. Once a checkpoint is published, the entries it covers can no
longer change unseen: their root would differ, and a later checkpoint that does not
extend this one fails its consistency proof.

When to sign one (``due``): after a command that closed an election (its ``election
decided``: counted, or won unopposed), so the result of every election is covered by a
signature as soon as it is known, and whenever ``EVERY`` entries have gone unsigned
since the last checkpoint (which covers every other count within 1,000 entries). Not at
every count: a federation counts a vote every few dozen entries, and every checkpoint is
a signature each verifier checks (0.1 to 0.3 ms each), so verifying a million entries
would take most of its time in signatures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frombelow.federation.codec import canonical, from_data, require_aware, to_data
from frombelow.ledger.entries import Entry
from frombelow.ledger.signing import Ed25519PublicKey, Signer, signature_holds

EVERY = 1_000  # entries at most between two checkpoints
SIGNED_KEYS = frozenset({"at", "head", "key_id", "root", "size"})
CHECKPOINT_KEYS = SIGNED_KEYS | {"signature"}


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root: str  # hex Merkle root of the first ``size`` entries
    head: str  # hex hash of entry size - 1 (64 zeros when size is 0)
    at: datetime
    key_id: str
    signature: str = ""  # hex Ed25519 signature of ``signed_bytes``

    def signed_bytes(self) -> bytes:
        """What the signature covers: the canonical JSON of the five fields."""
        fields = {"at": to_data(self.at), "head": self.head, "key_id": self.key_id, "root": self.root}
        return canonical({**fields, "size": self.size}).encode("utf-8")

    def to_bytes(self) -> bytes:
        """The checkpoint as ``checkpoints.jsonl`` holds it (one line, without its newline)."""
        fields = json.loads(self.signed_bytes())
        return canonical({**fields, "signature": self.signature}).encode("utf-8")

    def is_signed_by(self, public_key: Ed25519PublicKey) -> bool:
        try:
            signature = bytes.fromhex(self.signature)
        except ValueError:
            return False
        return signature_holds(public_key, self.signed_bytes(), signature)


def sign(signer: Signer, size: int, root: str, head: str, at: datetime) -> Checkpoint:
    require_aware(at, "a checkpoint's time")
    unsigned = Checkpoint(size, root, head, at, signer.key_id)
    return Checkpoint(size, root, head, at, signer.key_id, signer.sign(unsigned.signed_bytes()).hex())


def read(data: bytes) -> Checkpoint:
    """A checkpoint from its line. Raises ``ValueError`` saying what is wrong with it."""
    try:
        fields: Any = json.loads(data)
    except ValueError as error:
        raise ValueError(f"it is not JSON: {error}") from error
    if type(fields) is not dict or fields.keys() != CHECKPOINT_KEYS:
        raise ValueError(f"it is not an object of {', '.join(sorted(CHECKPOINT_KEYS))}")
    if type(fields["size"]) is not int or fields["size"] < 0:
        raise ValueError("its size is not a whole number")
    if not all(type(fields[key]) is str for key in ("at", "head", "key_id", "root", "signature")):
        raise ValueError("its root, head, time, key id and signature are not all text")
    for key, digits in (("root", 64), ("head", 64), ("key_id", 16), ("signature", 128)):
        if not re.fullmatch(f"[0-9a-f]{{{digits}}}", fields[key]):
            raise ValueError(f"its {key.replace('_', ' ')} is not {digits} hex digits in lower case")
    try:
        at = from_data(datetime, fields["at"])
        require_aware(at)
    except Exception as error:  # whatever the time's text, the answer is "not a time"
        raise ValueError(f"its time {fields['at']!r} is not an ISO 8601 time with a zone") from error
    checkpoint = Checkpoint(fields["size"], fields["root"], fields["head"], at, fields["key_id"], fields["signature"])
    if checkpoint.to_bytes() != data:
        raise ValueError("its bytes are not the canonical JSON of what they hold")
    return checkpoint


def due(appended: Sequence[Entry], unsigned: int, every: int = EVERY) -> bool:
    """Whether to sign a checkpoint after one command's entries (``appended``), with
    ``unsigned`` entries (these included) appended since the last checkpoint."""
    return unsigned >= every or (unsigned > 0 and any(entry.event.kind == "election decided" for entry in appended))
