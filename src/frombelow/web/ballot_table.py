"""A secret poll's roll and box on the database: ``ballotbox.stores.BoxStore`` over two tables.

The recording runs commands in batches, one transaction and one commit for all the
commands waiting at that moment (``recording.py``). ``Boxes`` reads each poll's roll and
empty slots once, keeps each command's writes in memory, and writes what the batch kept
in a few statements just before the commit: a ballot costs no statement of its own. A
command the rules refuse leaves nothing: its writes are ``discard``-ed.

Every write happens under the ledger head's row lock, which every recording transaction
takes first, so no other process issues a token or fills a slot while a batch runs. What
they did between two batches, the boxes learn from the ``ballot cast`` entries they
appended (their voters hold tokens; a slot believed empty may not be, which the write
checks). The tables' unique constraints (one token per member, one row per token and per
slot) still stand behind that. The receipt is handed back only after the commit: the
ballot is then durable. A batch's ballots share one transaction id, so the database's row
metadata tells even less about who cast which.
"""

from __future__ import annotations

import secrets
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import connection

from frombelow.ballotbox.stores import Holder, StoredBallot, ballot_line, read_ballot_line
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import Event
from frombelow.federation.voting import BallotCast
from frombelow.web.models import BoxSlot, BoxToken

_SYSTEM = secrets.SystemRandom()  # where a ballot lies must not be guessable


class Boxes:
    """The ballot boxes batches of commands open, one store per poll. The recording keeps them
    from one batch to the next and tells them what other processes recorded meanwhile (every
    write to a box goes with a ``ballot cast`` entry), so a box's roll and empty slots are read
    once, not per batch."""

    def __init__(self) -> None:
        self._stores: dict[str, DatabaseBoxStore] = {}

    def store(self, poll: str) -> DatabaseBoxStore:
        if poll not in self._stores:
            self._stores[poll] = DatabaseBoxStore(poll)
        return self._stores[poll]

    def saw(self, events: list[Event]) -> None:
        """Events other processes recorded since the last batch: their ballots are in the boxes too."""
        for event in events:
            if isinstance(event, BallotCast) and event.poll in self._stores:
                self._stores[event.poll].cast_elsewhere(event.actor)

    def keep(self) -> None:
        """The command that just ran was accepted: its writes go to the tables at ``flush``."""
        for store in self._stores.values():
            store.keep()

    def discard(self) -> None:
        """The command that just ran was refused: forget its writes."""
        for store in self._stores.values():
            store.discard()

    def flush(self) -> None:
        for store in self._stores.values():
            store.flush()


@dataclass
class _Writes:
    tokens: dict[str, str] = field(default_factory=dict)  # new tokens: digest -> member
    claims: set[str] = field(default_factory=set)  # digests of tokens used
    fills: dict[int, StoredBallot] = field(default_factory=dict)  # slot -> ballot
    slots: int | None = None  # the box's slots, when it has none in the table yet


class DatabaseBoxStore:
    """One poll's roll and box within a batch (made by ``Boxes.store``)."""

    def __init__(self, poll: str) -> None:
        self.poll = poll
        self._kept = _Writes()
        self._staged = _Writes()  # the running command's
        self._read = False
        self._members: set[str] = set()  # who holds a token, as the table says
        self._empty: list[int] = []  # empty slots, ascending, as the table says less what was kept
        self._rows: dict[int, int] = {}  # slot -> row id, for the update
        self._slotted = False  # the table has the box's slots
        self._elsewhere = 0  # ballots other processes put in slots that ``_empty`` still holds

    # --- the roll --------------------------------------------------------------------------
    def issue(self, tokens: Mapping[str, str]) -> None:
        self._load()
        for member in tokens.values():
            if self.holds_token(member):
                raise NotAllowed("a voting token for this vote was issued to that member already")
        self._staged.tokens.update(tokens)

    def holder(self, token: str) -> Holder | None:
        member = self._staged.tokens.get(token) or self._kept.tokens.get(token)
        voted = False
        if member is None:
            row = BoxToken.objects.filter(poll=self.poll, token=token).values_list("member", "voted").first()
            if row is None:
                return None
            member, voted = row
        return Holder(member, voted or token in self._kept.claims or token in self._staged.claims)

    def holds_token(self, member: str) -> bool:
        self._load()
        return member in self._members or member in self._kept.tokens.values() or member in self._staged.tokens.values()

    def claim(self, token: str) -> bool:
        holder = self.holder(token)
        if holder is None or holder.voted:
            return False
        self._staged.claims.add(token)
        return True

    def release(self, token: str) -> None:
        self._staged.claims.discard(token)

    # --- the box ---------------------------------------------------------------------------
    def make_slots(self, count: int, largest: StoredBallot) -> None:
        self._load()
        if not self._slotted and self._kept.slots is None:
            # All at once, when the box is set up, so a row's id or place says nothing of when its ballot came.
            self._staged.slots = count

    def vacancies(self) -> int:
        return len(self._vacant())

    def vacancy(self, n: int) -> int:
        return self._vacant()[n]

    def find(self, revote: str) -> int | None:
        if not revote:
            return None
        for writes in (self._staged, self._kept):
            for slot, ballot in writes.fills.items():
                if ballot.revote == revote:
                    return slot
        slot = BoxSlot.objects.filter(poll=self.poll, revote=revote).values_list("slot", flat=True).first()
        replaced = slot in self._staged.fills or slot in self._kept.fills
        return None if slot is None or replaced else slot

    def put(self, slot: int, ballot: StoredBallot) -> None:
        self._load()
        made = self._staged.slots if self._staged.slots is not None else self._kept.slots
        if made is not None:
            exists = 0 <= slot < made
        elif slot in self._rows:
            exists = True
        else:  # a filled slot: a revote replaces its ballot
            row = BoxSlot.objects.filter(poll=self.poll, slot=slot).values_list("id", flat=True).first()
            exists = row is not None
            if exists:
                self._rows[slot] = row
        if not exists:
            raise IndexError(f"the box has no slot {slot}")
        self._staged.fills[slot] = ballot

    def ballots(self) -> list[StoredBallot]:
        filled = BoxSlot.objects.filter(poll=self.poll, ballot__isnull=False).values_list("slot", "ballot")
        held = {slot: read_ballot_line(line.encode("utf-8")) for slot, line in filled}
        held |= self._kept.fills | self._staged.fills
        return [held[slot] for slot in sorted(held)]

    # --- the batch -------------------------------------------------------------------------
    def cast_elsewhere(self, member: str) -> None:
        """Another process recorded ``member``'s ballot: they hold a token, and one of the slots
        ``_empty`` holds is filled (which, only the table knows: read it again once many are)."""
        self._members.add(member)
        self._elsewhere += 1
        if self._elsewhere > max(8, len(self._empty) // 20):
            self._read = False

    def keep(self) -> None:
        staged, kept = self._staged, self._kept
        if staged.slots is not None:
            kept.slots = staged.slots
            self._empty = list(range(staged.slots))
        kept.tokens |= staged.tokens
        kept.claims |= staged.claims
        kept.fills |= staged.fills
        for slot in staged.fills:
            at = bisect_left(self._empty, slot)
            if at < len(self._empty) and self._empty[at] == slot:
                del self._empty[at]
        self._staged = _Writes()

    def discard(self) -> None:
        self._staged = _Writes()

    def flush(self) -> None:
        """Write what the batch kept: new slots, new tokens, used tokens, ballots."""
        kept = self._kept
        fills = {slot: (ballot_line(b).decode("utf-8"), b.revote) for slot, b in kept.fills.items()}
        if kept.slots is not None:
            BoxSlot.objects.bulk_create(
                BoxSlot(poll=self.poll, slot=n, ballot=fills.get(n, (None, ""))[0], revote=fills.get(n, (None, ""))[1])
                for n in range(kept.slots)
            )
        elif fills:  # one statement, sent once for all rows (the ORM's bulk_update builds a CASE per row)
            if self._elsewhere:
                fills = self._elsewhere_moved(fills)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {connection.ops.quote_name(BoxSlot._meta.db_table)} SET ballot = %s, revote = %s WHERE id = %s",
                    [(line, revote, self._rows[slot]) for slot, (line, revote) in fills.items()],
                )
        if kept.tokens:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(BoxToken._meta.db_table)}"
                    " (poll, token, member, voted) VALUES (%s, %s, %s, %s)",
                    [(self.poll, digest, member, digest in kept.claims) for digest, member in kept.tokens.items()],
                )
        self._members |= set(kept.tokens.values())
        if kept.slots is not None:
            self._read = False  # the new slots' row ids: read with the box's next use
        used = kept.claims - kept.tokens.keys()
        if used and BoxToken.objects.filter(poll=self.poll, token__in=used, voted=False).update(voted=True) != len(
            used
        ):
            raise RuntimeError("a voting token was used by another writer: the ledger head's lock was not held")
        self._kept = _Writes()

    def _elsewhere_moved(self, fills: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
        """``fills`` with each ballot whose slot another process filled meanwhile moved to a
        slot drawn at random among those still empty (the head row's lock holds: none fills now)."""
        filled = set(
            BoxSlot.objects.filter(id__in=[self._rows[slot] for slot in fills], ballot__isnull=False).values_list(
                "slot", flat=True
            )
        )
        if not filled:
            return fills
        self._read = False
        self._load()
        free = [slot for slot in self._empty if slot not in fills]
        moved = dict(fills)
        for slot in filled:
            moved[free.pop(_SYSTEM.randrange(len(free)))] = moved.pop(slot)
        self._empty = [slot for slot in self._empty if slot not in moved]
        return moved

    def _load(self) -> None:
        """The roll's members and the box's empty slots, read again only when stale."""
        if self._read:
            return
        self._read, self._elsewhere = True, 0
        self._members = set(BoxToken.objects.filter(poll=self.poll).values_list("member", flat=True))
        empty = BoxSlot.objects.filter(poll=self.poll, ballot__isnull=True).order_by("slot").values_list("slot", "id")
        self._rows = dict(empty)
        self._empty = list(self._rows)
        self._slotted = bool(self._empty) or BoxSlot.objects.filter(poll=self.poll).exists()

    def _vacant(self) -> list[int]:
        self._load()
        if self._staged.slots is not None:
            return [slot for slot in range(self._staged.slots) if slot not in self._staged.fills]
        staged = self._staged.fills
        return [slot for slot in self._empty if slot not in staged] if staged else self._empty
