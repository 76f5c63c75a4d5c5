"""Where one poll's roll and box are kept: two tables that nothing joins.

- The roll: a row per eligibility token issued, holding the token's SHA-256 (never the
  token), the member it was issued to, and whether it has been used. It names members
  and holds no ballot.
- The box: one slot per member of the electorate, all made empty when the box is set up;
  a ballot goes into a slot drawn at random among the empty ones, so where a ballot sits
  says nothing of when it was cast, and the box never grows. A slot holds a
  ``StoredBallot``: the marks (and the base council, only where the count is by council),
  the receipt's commitment and, when revoting is allowed, the revote key. No member id,
  no token digest, no time.

A database keeps them as two tables, ``roll(token PRIMARY KEY, member UNIQUE, voted)``
and ``box(slot PRIMARY KEY, ballot NULL)`` per poll; ``JsonlBoxStore`` as two files. A
database store must also keep the *database* from timing the box's rows: a serial key,
an insertion timestamp or a transaction id on the row (PostgreSQL's ``xmin``, shared with
the roll's row written in the same transaction) would link a member to their ballot.

Every write returns only once it is durable: the box gives a receipt after ``put`` returns.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from frombelow.federation.codec import canonical, from_data


@dataclass(frozen=True)
class StoredBallot:
    """A ballot in the box: what was voted, and nothing of who or when."""

    marks: tuple[str, ...]
    group: str  # the base council it was cast in, only where the count is by council; else ""
    receipt: str  # the commitment given to the voter (hex)
    revote: str = ""  # SHA-256 of the voter's token and receipt nonce, when revoting is allowed (hex)


class Holder(NamedTuple):
    member: str
    voted: bool


class BoxStore(Protocol):
    """One poll's roll and box. Each method is one statement on a table."""

    # --- the roll --------------------------------------------------------------------------
    def issue(self, token: str, member: str) -> None:
        """Record that a token (its digest) was issued to ``member``, who holds no other."""

    def holder(self, token: str) -> Holder | None:
        """Who the token (its digest) was issued to and whether it was used; None if never issued."""

    def holds_token(self, member: str) -> bool:
        """Whether ``member`` has been issued a token for this poll."""

    def claim(self, token: str) -> bool:
        """Mark the token used, atomically: False if it was used already (then nothing changes)."""

    def release(self, token: str) -> None:
        """Undo a claim whose ballot could not be stored."""

    # --- the box ---------------------------------------------------------------------------
    def make_slots(self, count: int, largest: StoredBallot) -> None:
        """Make ``count`` empty slots, each able to hold ``largest``; nothing if they exist."""

    def empty_slots(self) -> list[int]:
        """The slots holding no ballot."""

    def find(self, revote: str) -> int | None:
        """The slot of the ballot with this revote key, if any."""

    def put(self, slot: int, ballot: StoredBallot) -> None:
        """Write ``ballot`` into ``slot`` (replacing what was there), durably before returning."""

    def ballots(self) -> list[StoredBallot]:
        """Every ballot in the box, in slot order."""


class MemoryBoxStore:
    """The roll and the box in memory, for tests and simulations."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._roll: dict[str, Holder] = {}
        self._members: set[str] = set()
        self._slots: list[StoredBallot | None] = []
        self._revotes: dict[str, int] = {}  # revote key -> slot

    def issue(self, token: str, member: str) -> None:
        with self._lock:
            _check_new(token in self._roll, member in self._members)
            self._roll[token] = Holder(member, False)
            self._members.add(member)

    def holder(self, token: str) -> Holder | None:
        return self._roll.get(token)

    def holds_token(self, member: str) -> bool:
        return member in self._members

    def claim(self, token: str) -> bool:
        with self._lock:
            holder = self._roll[token]
            if holder.voted:
                return False
            self._roll[token] = Holder(holder.member, True)
            return True

    def release(self, token: str) -> None:
        with self._lock:
            self._roll[token] = Holder(self._roll[token].member, False)

    def make_slots(self, count: int, largest: StoredBallot) -> None:
        with self._lock:
            if not self._slots:
                self._slots = [None] * count

    @property
    def slot_count(self) -> int:
        return len(self._slots)

    def empty_slots(self) -> list[int]:
        return [i for i, ballot in enumerate(self._slots) if ballot is None]

    def find(self, revote: str) -> int | None:
        return self._revotes.get(revote) if revote else None

    def put(self, slot: int, ballot: StoredBallot) -> None:
        with self._lock:
            if not 0 <= slot < len(self._slots):
                raise IndexError(f"the box has no slot {slot}")
            replaced = self._slots[slot]
            if replaced is not None:
                self._revotes.pop(replaced.revote, None)
            self._slots[slot] = ballot
            if ballot.revote:
                self._revotes[ballot.revote] = slot

    def ballots(self) -> list[StoredBallot]:
        return [b for b in self._slots if b is not None]


class JsonlBoxStore:
    """The roll and the box as two JSON Lines files in ``directory`` (one directory per poll).

    ``roll.jsonl`` is appended to: ``{"issued": <token digest>, "member": <id>}`` when a
    token is issued, ``{"voted": <digest>}`` when it is used, ``{"released": <digest>}``
    when a ballot could not be stored after all. ``box.jsonl`` has one line per slot, all
    of the same length (spaces pad them): ``null`` for an empty slot, else the canonical
    JSON of a ``StoredBallot``. A ballot is written in place at its slot's offset, so the
    file's size and layout never change with the ballots in it. Every write is flushed and
    ``os.fsync``-ed before the method returns. Opening the directory again reads both back.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.roll_path = self.directory / "roll.jsonl"
        self.box_path = self.directory / "box.jsonl"
        self._memory = MemoryBoxStore()  # what the files hold, to answer reads without scanning them
        self._lock = threading.Lock()
        self._width = 0
        self._read_back()

    # --- the roll --------------------------------------------------------------------------
    def issue(self, token: str, member: str) -> None:
        with self._lock:
            self._memory.issue(token, member)
            self._append_to_roll({"issued": token, "member": member})

    def holder(self, token: str) -> Holder | None:
        return self._memory.holder(token)

    def holds_token(self, member: str) -> bool:
        return self._memory.holds_token(member)

    def claim(self, token: str) -> bool:
        with self._lock:
            if not self._memory.claim(token):
                return False
            try:
                self._append_to_roll({"voted": token})
            except BaseException:
                self._memory.release(token)
                raise
            return True

    def release(self, token: str) -> None:
        with self._lock:
            self._append_to_roll({"released": token})
            self._memory.release(token)

    # --- the box ---------------------------------------------------------------------------
    def make_slots(self, count: int, largest: StoredBallot) -> None:
        with self._lock:
            if self._width:
                return
            width = len(_line(largest)) + 1
            part = self.box_path.with_suffix(".part")
            with part.open("wb") as file:
                file.write(_padded(b"null", width) * count)
                _sync(file)
            part.replace(self.box_path)
            _sync_directory(self.directory)
            self._width = width
            self._memory.make_slots(count, largest)

    def empty_slots(self) -> list[int]:
        return self._memory.empty_slots()

    def find(self, revote: str) -> int | None:
        return self._memory.find(revote)

    def put(self, slot: int, ballot: StoredBallot) -> None:
        with self._lock:
            if not 0 <= slot < self._memory.slot_count:
                raise IndexError(f"the box has no slot {slot}")
            line = _padded(_line(ballot), self._width)
            with self.box_path.open("r+b") as file:
                file.seek(slot * self._width)
                file.write(line)
                _sync(file)
            self._memory.put(slot, ballot)

    def ballots(self) -> list[StoredBallot]:
        return self._memory.ballots()

    # --- files -----------------------------------------------------------------------------
    def _append_to_roll(self, record: dict[str, str]) -> None:
        with self.roll_path.open("ab") as file:
            file.write(json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
            _sync(file)

    def _read_back(self) -> None:
        if self.roll_path.exists():
            for line in self.roll_path.read_bytes().splitlines():
                record = json.loads(line)
                if "issued" in record:
                    self._memory.issue(record["issued"], record["member"])
                elif "voted" in record:
                    self._memory.claim(record["voted"])
                else:
                    self._memory.release(record["released"])
        if self.box_path.exists():
            data = self.box_path.read_bytes()
            self._width = data.index(b"\n") + 1
            lines = [json.loads(data[i : i + self._width]) for i in range(0, len(data), self._width)]
            self._memory.make_slots(len(lines), StoredBallot((), "", ""))
            for slot, record in enumerate(lines):
                if record is not None:
                    self._memory.put(slot, from_data(StoredBallot, record))


def _check_new(token_known: bool, member_known: bool) -> None:
    if token_known:
        raise ValueError("this token was issued already")
    if member_known:
        raise ValueError("this member holds a token already")


def _line(ballot: StoredBallot) -> bytes:
    return canonical(ballot).encode("utf-8")


def _padded(line: bytes, width: int) -> bytes:
    if len(line) >= width:
        raise ValueError(f"a ballot of {len(line)} bytes does not fit the box's {width - 1}-byte slots")
    return line + b" " * (width - 1 - len(line)) + b"\n"


def _sync(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


def _sync_directory(directory: Path) -> None:
    """Make a new file's name durable too (a rename is only on disk once its directory is)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
