"""The ledger: events appended one after another, hash-linked, Merkle-rooted, signed.

    >>> ledger = Ledger(MemoryStore(), Signer.generate())
    >>> ledger.append_all(events)
    >>> checkpoint = ledger.checkpoint(at)
    >>> ledger.inclusion_proof(5)          # entry 5 is in the tree of checkpoint.size

There is no update and no delete, here or in a store: a wrong event stays, and the
correction is a new event naming the one it corrects. ``record`` is what the platform
calls after each command: it appends the command's events and signs a checkpoint when
``checkpoints.due`` says so (an election closed, or ``EVERY`` entries unsigned).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from frombelow.federation.codec import require_aware
from frombelow.federation.events import Event
from frombelow.ledger import checkpoints
from frombelow.ledger.checkpoints import Checkpoint
from frombelow.ledger.entries import GENESIS, Entry, decode, encode
from frombelow.ledger.merkle import Tree
from frombelow.ledger.signing import Signer
from frombelow.ledger.stores import MemoryStore, Store


class Mark(NamedTuple):
    size: int
    head: str
    signed: int
    last: Checkpoint | None


class Ledger:
    def __init__(self, store: Store | None = None, signer: Signer | None = None) -> None:
        self.store: Store = store if store is not None else MemoryStore()
        self.signer = signer
        held = self.store.read(0, self.store.size())
        self._tree = Tree.of(held)
        self._head = hashlib.sha256(held[-1]).hexdigest() if held else GENESIS
        signed = self.store.checkpoints()
        self._signed = len(signed)
        self._last: Checkpoint | None = checkpoints.read(signed[-1]) if signed else None

    @property
    def size(self) -> int:
        return self._tree.size

    @property
    def head(self) -> str:
        """The hex hash of the last entry (64 zeros when there is none)."""
        return self._head

    @property
    def last_checkpoint(self) -> Checkpoint | None:
        return self._last

    @property
    def unsigned(self) -> int:
        """How many entries no checkpoint covers yet."""
        return self.size - (self._last.size if self._last else 0)

    def append(self, event: Event) -> Entry:
        entry = encode(self.size, self._head, event)
        self.store.append(entry.data)
        self._tree.append(entry.data)
        self._head = entry.hash
        return entry

    def catch_up(self, size: int | None = None) -> list[Entry]:
        """The entries and checkpoints another writer added to the store since this ledger last
        looked, now taken in; ``size``: the store's size, when the caller knows it already."""
        size = self.store.size() if size is None else size
        new = self.store.read(self.size, size) if size > self.size else []
        if new:
            self._tree.extend(new)
            self._head = hashlib.sha256(new[-1]).hexdigest()
        signed = self.store.checkpoints(self._signed)  # only those signed since: a ledger holds thousands
        if signed:
            self._signed += len(signed)
            self._last = checkpoints.read(signed[-1])
        return [decode(data) for data in new]

    def mark(self) -> Mark:
        """Where the ledger stands now, to ``rewind`` to."""
        return Mark(self.size, self._head, self._signed, self._last)

    def rewind(self, mark: Mark) -> None:
        """Forget what was appended (and signed) since ``mark``, when the store did not keep it
        (its transaction was rolled back). The record itself is never rewound: only this copy."""
        self._tree.truncate(mark.size)
        self._head, self._signed, self._last = mark.head, mark.signed, mark.last

    def append_all(self, events: Iterable[Event]) -> list[Entry]:
        return [self.append(event) for event in events]

    def record(self, events: Iterable[Event], at: datetime, every: int = checkpoints.EVERY) -> list[Entry]:
        """Append one command's events; sign a checkpoint at ``at`` if the policy says one is due."""
        appended = self.append_all(events)
        if self.signer is not None and checkpoints.due(appended, self.unsigned, every):
            self.checkpoint(at)
        return appended

    def root(self, size: int | None = None) -> bytes:
        """The Merkle root of the first ``size`` entries (all by default)."""
        return self._tree.root(size)

    def checkpoint(self, at: datetime) -> Checkpoint:
        """Sign the ledger as it stands. Signing again with nothing appended returns the last checkpoint."""
        if self.signer is None:
            raise ValueError("this ledger has no key to sign with")
        require_aware(at, "a checkpoint's time")
        if self._last is not None and self._last.size == self.size:
            return self._last
        if self._last is not None and at < self._last.at:
            raise ValueError(f"a checkpoint cannot be dated before the last one ({self._last.at.isoformat()})")
        signed = checkpoints.sign(self.signer, self.size, self.root().hex(), self._head, at)
        self.store.append_checkpoint(signed.to_bytes())
        self._signed += 1
        self._last = signed
        return signed

    def checkpoints(self) -> list[Checkpoint]:
        return [checkpoints.read(data) for data in self.store.checkpoints()]

    def entries(self, start: int = 0, stop: int | None = None) -> list[Entry]:
        return [decode(data) for data in self.store.read(start, self.size if stop is None else stop)]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path showing entry ``index`` in the tree of the first ``size`` entries."""
        return self._tree.inclusion_proof(index, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``new_size`` entries extends the one of ``old_size``."""
        return self._tree.consistency_proof(old_size, new_size)
