"""One entry of the ledger: an event, its place, and the hash of the entry before it.

An entry is the JSON object ``{"event": <events.to_json(event)>, "index": n, "previous":
<hex SHA-256 of entry n - 1's bytes, or 64 zeros for the first>}``. Its bytes are that
object's canonical JSON, and those bytes are everything: the entry's hash is their
SHA-256, its Merkle leaf is those bytes, and ``events.jsonl`` holds them one a line.

Canonical JSON (``codec.canonical``): keys sorted, no white space, UTF-8, strings escaped
as Python's ``json`` does (``"`` and ``\\``, and control characters as ``\\n``,
``\\u001f``…; nothing else), integers in decimal. For the data an event holds (strings,
integers, booleans, null, lists and objects with ASCII keys: no floats, since fractions
are written "2/3" and times as ISO 8601 strings) this is exactly RFC 8785 (JSON
Canonicalization Scheme), so any JCS library rebuilds the same bytes from the same entry.

The chain (each entry names the hash of the one before) and the Merkle tree over the
entries bind every byte: an entry changed, removed, added or moved changes the hashes
after it and every root signed since. Nothing here updates or deletes: a correction is
a new event that names the one it corrects (e.g. a dissent recorded against a decision,
a recount's result), and the wrong one stays where it was, for anyone to see.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from frombelow.federation.codec import canonical
from frombelow.federation.events import Event, from_json, to_json

GENESIS = "0" * 64  # what the first entry names as the hash before it
ENTRY_KEYS = frozenset({"event", "index", "previous"})
_HASH = re.compile("[0-9a-f]{64}")


@dataclass(frozen=True)
class Entry:
    index: int
    previous: str  # hex SHA-256 of the entry before (GENESIS for the first)
    event: Event
    data: bytes  # the canonical bytes: what is hashed, stored and published
    hash: str  # hex SHA-256 of ``data``


def encode(index: int, previous: str, event: Event) -> Entry:
    """The entry holding ``event`` at ``index``, after the entry whose hash is ``previous``."""
    data = canonical({"event": to_json(event), "index": index, "previous": previous}).encode("utf-8")
    return Entry(index, previous, event, data, hashlib.sha256(data).hexdigest())


def decode(data: bytes) -> Entry:
    """An entry back from its bytes (which must be canonical: re-encoding gives them again).

    Raises ``ValueError`` saying what is wrong with them.
    """
    fields = parse(data)
    try:
        event = from_json(fields["event"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"its event cannot be read: {error!r}") from error
    entry = encode(fields["index"], fields["previous"], event)
    if entry.data != data:
        raise ValueError("its bytes are not the canonical JSON of what they hold")
    return entry


def parse(data: bytes) -> dict[str, Any]:
    """The entry's JSON object, checked for shape (the three keys, an integer index, a
    hex hash): what the verifier reads of every entry. Raises ``ValueError``."""
    try:
        fields = json.loads(data)
    except ValueError as error:  # UnicodeDecodeError is one
        raise ValueError(f"it is not JSON: {error}") from error
    if type(fields) is not dict or fields.keys() != ENTRY_KEYS:
        raise ValueError('it is not an object of "event", "index" and "previous"')
    if type(fields["index"]) is not int or not _is_hash(fields["previous"]) or type(fields["event"]) is not dict:
        raise ValueError("its index is not a number, its previous hash not 64 hex digits, or its event not an object")
    return fields


def _is_hash(value: Any) -> bool:
    return type(value) is str and _HASH.fullmatch(value) is not None
