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
from collections.abc import Mapping
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
    def issue(self, tokens: Mapping[str, str]) -> None:
        """Record tokens (digest -> member) as issued, all or none; no member holds two."""

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

    def vacancies(self) -> int:
        """How many slots hold no ballot."""

    def vacancy(self, n: int) -> int:
        """The ``n``-th slot holding no ballot (0 <= n < vacancies()), in any order fixed meanwhile."""

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
        self._vacant: list[int] = []  # the empty slots, in no particular order
        self._place: dict[int, int] = {}  # empty slot -> where it is in _vacant
        self._revotes: dict[str, int] = {}  # revote key -> slot

    def issue(self, tokens: Mapping[str, str]) -> None:
        with self._lock:
            members = set(tokens.values())
            if len(members) < len(tokens) or members & self._members:
                raise ValueError("a member would hold two tokens")
            if tokens.keys() & self._roll.keys():
                raise ValueError("a token was issued already")
            self._roll.update((token, Holder(member, False)) for token, member in tokens.items())
            self._members |= members

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
                self._vacant = list(range(count))
                self._place = {slot: slot for slot in range(count)}

    @property
    def slot_count(self) -> int:
        return len(self._slots)

    def vacancies(self) -> int:
        return len(self._vacant)

    def vacancy(self, n: int) -> int:
        return self._vacant[n]

    def find(self, revote: str) -> int | None:
        return self._revotes.get(revote) if revote else None

    def put(self, slot: int, ballot: StoredBallot) -> None:
        with self._lock:
            if not 0 <= slot < len(self._slots):
                raise IndexError(f"the box has no slot {slot}")
            replaced = self._slots[slot]
            if replaced is not None:
                self._revotes.pop(replaced.revote, None)
            else:  # the slot is taken: the last vacancy moves into its place
                last, at = self._vacant.pop(), self._place.pop(slot)
                if last != slot:
                    self._vacant[at], self._place[last] = last, at
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
    ``os.fsync``-ed before the method returns. Opening the directory again reads both back
    (a last roll line cut short by a crash is passed over: its write never returned).

    One process at a time: a token's claim is atomic within the process (a lock), but two
    processes on one directory would each trust their own copy of the roll. A database
    store claims with one conditional update (``... SET voted WHERE token = ? AND NOT voted``).
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
    def issue(self, tokens: Mapping[str, str]) -> None:
        with self._lock:
            self._memory.issue(tokens)
            self._append_to_roll(*({"issued": token, "member": member} for token, member in tokens.items()))

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
            width = len(ballot_line(largest)) + 1
            part = self.box_path.with_suffix(".part")
            with part.open("wb") as file:
                file.write(_padded(b"null", width) * count)
                _sync(file)
            part.replace(self.box_path)
            _sync_directory(self.directory)
            self._width = width
            self._memory.make_slots(count, largest)

    def vacancies(self) -> int:
        return self._memory.vacancies()

    def vacancy(self, n: int) -> int:
        return self._memory.vacancy(n)

    def find(self, revote: str) -> int | None:
        return self._memory.find(revote)

    def put(self, slot: int, ballot: StoredBallot) -> None:
        with self._lock:
            if not 0 <= slot < self._memory.slot_count:
                raise IndexError(f"the box has no slot {slot}")
            line = _padded(ballot_line(ballot), self._width)
            with self.box_path.open("r+b") as file:
                file.seek(slot * self._width)
                file.write(line)
                _sync(file)
            self._memory.put(slot, ballot)

    def ballots(self) -> list[StoredBallot]:
        return self._memory.ballots()

    # --- files -----------------------------------------------------------------------------
    def _append_to_roll(self, *records: dict[str, str]) -> None:
        lines = (json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n" for r in records)
        with self.roll_path.open("ab") as file:
            file.write("".join(lines).encode("utf-8"))
            _sync(file)

    def _read_back(self) -> None:
        if self.roll_path.exists():
            data = self.roll_path.read_bytes()
            whole = data.rfind(b"\n") + 1
            if whole < len(data):  # a line cut short by a crash: its write never returned, so drop it
                with self.roll_path.open("r+b") as file:
                    file.truncate(whole)
                    _sync(file)
            for line in data[:whole].splitlines():
                record = json.loads(line)
                if "issued" in record:
                    self._memory.issue({record["issued"]: record["member"]})
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


def ballot_line(ballot: StoredBallot) -> bytes:
    """A stored ballot as kept in a box: its canonical JSON."""
    return canonical(ballot).encode("utf-8")


def read_ballot_line(line: bytes) -> StoredBallot:
    return from_data(StoredBallot, json.loads(line))


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
