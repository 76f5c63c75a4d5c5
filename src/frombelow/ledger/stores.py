"""Where the ledger keeps its bytes: a small interface, in memory or in JSON Lines files.

A store keeps two append-only sequences of byte strings, the entries and the
checkpoints, and knows nothing of what they mean (``Ledger`` does). It has no way to
change or remove what it holds. The web platform implements the same five methods on a
database table (one row per entry: index, bytes); ``JsonlStore`` is the file form, and
its directory is laid out as a bundle's (``events.jsonl``, ``checkpoints.jsonl``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

EVENTS_FILE = "events.jsonl"
CHECKPOINTS_FILE = "checkpoints.jsonl"


class Store(Protocol):
    def size(self) -> int:
        """How many entries it holds."""

    def append(self, entry: bytes) -> None:
        """Keep one more entry (its bytes, without a newline)."""

    def read(self, start: int, stop: int) -> list[bytes]:
        """Entries start .. stop - 1."""

    def append_checkpoint(self, checkpoint: bytes) -> None:
        """Keep a checkpoint, once every entry it covers is durable."""

    def checkpoints(self, start: int = 0) -> list[bytes]:
        """The checkpoints from the ``start``-th on (every one by default), oldest first."""


class MemoryStore:
    def __init__(self) -> None:
        self._entries: list[bytes] = []
        self._checkpoints: list[bytes] = []

    def size(self) -> int:
        return len(self._entries)

    def append(self, entry: bytes) -> None:
        self._entries.append(entry)

    def read(self, start: int, stop: int) -> list[bytes]:
        return self._entries[start:stop]

    def append_checkpoint(self, checkpoint: bytes) -> None:
        self._checkpoints.append(checkpoint)

    def checkpoints(self, start: int = 0) -> list[bytes]:
        return self._checkpoints[start:]


class JsonlStore:
    """``events.jsonl`` and ``checkpoints.jsonl`` in a directory, one item a line.

    Entries are written as they come and made durable (flushed and fsynced) before any
    checkpoint that covers them is written; each checkpoint is fsynced too. A file whose
    last line was cut short (a crash while writing) is refused on opening, not repaired:
    nothing here removes bytes.
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._events = self.directory / EVENTS_FILE
        self._checkpoints = self.directory / CHECKPOINTS_FILE
        self._offsets = _line_offsets(self._events)  # where each entry starts, and where the file ends
        _line_offsets(self._checkpoints)  # refuse a cut-short file here too
        self._writer = None

    def size(self) -> int:
        return len(self._offsets) - 1

    def append(self, entry: bytes) -> None:
        if b"\n" in entry:
            raise ValueError("an entry is one line")
        if self._writer is None:
            self._writer = open(self._events, "ab")  # noqa: SIM115 - kept open across appends, closed by close()
        self._writer.write(entry + b"\n")
        self._offsets.append(self._offsets[-1] + len(entry) + 1)

    def read(self, start: int, stop: int) -> list[bytes]:
        start, stop, _ = slice(start, stop).indices(self.size())
        if start >= stop:
            return []
        self._flush()
        with open(self._events, "rb") as file:
            file.seek(self._offsets[start])
            block = file.read(self._offsets[stop] - self._offsets[start])
        return block.split(b"\n")[:-1]

    def append_checkpoint(self, checkpoint: bytes) -> None:
        if b"\n" in checkpoint:
            raise ValueError("a checkpoint is one line")
        self._flush(durable=True)
        with open(self._checkpoints, "ab") as file:
            file.write(checkpoint + b"\n")
            file.flush()
            os.fsync(file.fileno())

    def checkpoints(self, start: int = 0) -> list[bytes]:
        if not self._checkpoints.exists():
            return []
        return self._checkpoints.read_bytes().split(b"\n")[:-1][start:]

    def close(self) -> None:
        self._flush(durable=True)
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _flush(self, durable: bool = False) -> None:
        if self._writer is not None:
            self._writer.flush()
            if durable:
                os.fsync(self._writer.fileno())


def _line_offsets(path: Path) -> list[int]:
    """The offset of every line's start, and the file's length; refuses a cut-short last line."""
    offsets = [0]
    if not path.exists():
        return offsets
    with open(path, "rb") as file:
        for line in file:
            if not line.endswith(b"\n"):
                raise ValueError(f"{path} ends in a line cut short (no newline): it needs a person to look at it")
            offsets.append(offsets[-1] + len(line))
    return offsets
