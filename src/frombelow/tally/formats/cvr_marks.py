"""From a vendor's cast vote records to Ballots, as RCTab reads them.

Every vendor reader (CDF, Dominion, Hart) ends the same way: each record is a list of
(rank, candidate) marks, the candidates are named the way the contest's config names
them, and a record becomes one ballot row. ``Roll`` names the candidates; ``Rows`` builds
the rows, the overvote groups and the precinct/batch tags.

With a config's ``candidates`` mapping (every accepted spelling -> the config's name), the
roll is fixed: its names are the config's in config order, a mark no spelling matches is
an error (RCTab refuses such files), and undeclared write-ins come last (always, when
the config gives their label, as RCTab lists them). Without one, the
roll is the file's own candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from frombelow.tally.ballots import EMPTY, UNDECLARED_WRITE_IN, Ballots, overvote_code, pad_rows
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_RANKS
from frombelow.tally.formats.source import Source, excerpt

# A mark of the config's overvote label: an overvote whose members are unknown, read as
# every candidate of the config at once so that every overvote rule treats it as one.
OVERVOTE_MARK = -2


class Roll:
    """The candidates a contest's marks may name, and the index each mark stands for."""

    def __init__(
        self,
        source: Source,
        candidates: Mapping[str, str] | None = None,
        *,
        undeclared_write_in_label: str | None = None,
        overvote_label: str | None = None,
    ) -> None:
        self.source = source
        self.spellings: dict[str, str] | None = None
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        if candidates is not None:
            self.spellings = {str(k): str(v) for k, v in candidates.items()}
            for name in self.spellings.values():
                self.spellings.setdefault(name, name)
            for name in dict.fromkeys(self.spellings.values()):
                if name != UNDECLARED_WRITE_IN:
                    self._add(name)
        self.declared = len(self.names)
        self.undeclared_label = undeclared_write_in_label or None
        self.overvote_label = overvote_label or None
        if self.fixed and self.undeclared_label is not None:
            # RCTab makes undeclared write-ins a candidate whenever the config labels them,
            # marked or not (eliminated first when nobody marked them).
            self.undeclared()

    @property
    def fixed(self) -> bool:
        return self.spellings is not None

    def _add(self, name: str) -> int:
        if name not in self.index:
            if len(name) > MAX_NAME:
                raise self.source.error(None, f"a name is {len(name)} characters long; the limit is {MAX_NAME}")
            if len(self.index) >= MAX_CANDIDATES:
                raise self.source.error(None, f"more than {MAX_CANDIDATES} candidates")
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]

    def undeclared(self) -> int:
        """The undeclared write-ins, added after the declared candidates when first marked."""
        return self._add(UNDECLARED_WRITE_IN)

    def known(self, name: str) -> None:
        """A candidate the file declares: on the roll when it is the file's own."""
        if not self.fixed:
            self._add(name)

    def of(self, mark: str, where: str) -> int:
        """The index a mark names (``OVERVOTE_MARK`` for the overvote label)."""
        if self.overvote_label is not None and mark == self.overvote_label:
            return OVERVOTE_MARK
        if mark == UNDECLARED_WRITE_IN or (self.undeclared_label is not None and mark == self.undeclared_label):
            return self.undeclared()
        if self.spellings is None:
            return self._add(mark)
        name = self.spellings.get(mark)
        if name is None:
            raise self.source.error(
                None, f"{where}: candidate {excerpt(mark)} is not a candidate of the contest's configuration"
            )
        return self.undeclared() if name == UNDECLARED_WRITE_IN else self.index[name]


class Rows:
    """Ballot rows built one record at a time, with their precinct and batch labels."""

    def __init__(self, source: Source, roll: Roll, max_rankings: int | None = None) -> None:
        self.source = source
        self.roll = roll
        self.max_rankings = max_rankings
        self.rows: list[list[int]] = []
        self.groups: dict[frozenset[int], int] = {}
        self.precincts: list[str | None] = []
        self.batches: list[str | None] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(
        self,
        marks: Iterable[tuple[int, int]],
        where: str,
        *,
        precinct: str | None = None,
        batch: str | None = None,
    ) -> None:
        """One ballot from its (rank, candidate index) marks."""
        at: dict[int, set[int]] = {}
        for rank, candidate in marks:
            if not 1 <= rank <= MAX_RANKS:
                raise self.source.error(None, f"{where}: rank {rank} is not between 1 and {MAX_RANKS}")
            if self.max_rankings is not None and rank > self.max_rankings:
                raise self.source.error(
                    None, f"{where}: a mark at rank {rank}, beyond the {self.max_rankings} rankings allowed"
                )
            at.setdefault(rank, set()).add(candidate)
        row = [EMPTY] * max(at, default=0)
        for rank, members in at.items():
            if OVERVOTE_MARK in members:
                everyone = self.roll.declared if self.roll.fixed else len(self.roll.names)
                members = (members - {OVERVOTE_MARK}) | set(range(everyone))
                if len(members) < 2:
                    raise self.source.error(None, f"{where}: an overvote label, but fewer than two candidates")
            if len(members) == 1:
                row[rank - 1] = next(iter(members))
            else:
                row[rank - 1] = overvote_code(self.groups.setdefault(frozenset(members), len(self.groups)))
        self.rows.append(row)
        self.precincts.append(precinct)
        self.batches.append(batch)

    def ballots(self, *, title: str = "", seats: int | None = None) -> Ballots:
        names = self.roll.names
        if not names:
            raise self.source.error(None, "the records name no candidate")
        depth = max(max((len(r) for r in self.rows), default=0), 1)
        if len(self.rows) * depth > MAX_CELLS:
            raise self.source.error(None, f"{len(self.rows)} records of up to {depth} ranks are too many to hold")
        tags = {}
        for tag, labels in (("precinct", self.precincts), ("batch", self.batches)):
            if any(label is not None for label in labels):
                tags[tag] = np.array(["" if label is None else label for label in labels], dtype=object)
        return Ballots(
            tuple(names),
            pad_rows(self.rows, depth),
            np.ones(len(self.rows), dtype=np.int64),
            overvotes=tuple(sorted(self.groups, key=self.groups.__getitem__)),
            seats=seats if seats is not None and 0 < seats <= len(names) else None,
            title=title[:MAX_NAME],
            tags=tags,
        )
