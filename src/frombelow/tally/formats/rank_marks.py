"""Cast vote records as marks at ranks, gathered into ``Ballots`` rows: shared by the vendor readers.

A vendor reader finds, for each ballot, which names are marked at which rank; this
module resolves the names to candidates (through the spellings a contest config
accepts: names, codes, aliases), turns each rank position into one code (a candidate,
an overvote group, or EMPTY), and builds one uncompressed row per ballot with its tags.

Two marks have no candidate behind them: an undeclared write-in (counted for
``UNDECLARED_WRITE_IN``, listed after every declared candidate, and listed whenever the
file has a label for them, marked or not) and an overvote whose
members the record does not say (``ALL_MARKED``: read as every declared candidate marked
at once, so every overvote rule sees an overvote).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from frombelow.tally.ballots import EMPTY, UNDECLARED_WRITE_IN, Ballots, overvote_code, pad_rows
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_RANKS
from frombelow.tally.formats.source import Source, excerpt

# Stand-ins while reading: their final indices are known only once every name is.
WRITE_IN = MAX_CANDIDATES + 1
ALL_MARKED = MAX_CANDIDATES + 2


class BallotRows:
    """Ballots read so far, with the candidates their marks resolve to."""

    def __init__(
        self, source: Source, spellings: Mapping[str, str] | None, tags: Sequence[str] = (), *, write_ins: bool = False
    ) -> None:
        self.source = source
        self.spellings = spellings
        # With a config, the candidates are its names in its order (every one, marked or not).
        self.names: list[str] = (
            list(dict.fromkeys(v for v in spellings.values() if v != UNDECLARED_WRITE_IN))
            if spellings is not None
            else []
        )
        self.index = {name: i for i, name in enumerate(self.names)}
        self.groups: dict[frozenset[int], int] = {}
        self.rows: list[list[int]] = []
        self.tags: dict[str, list[str]] = {tag: [] for tag in tags}
        self.width = 0
        # A file with a label for undeclared write-ins lists them as a candidate, marked or not (as RCTab does).
        self.write_ins = write_ins

    def candidate(self, spelling: str, line: int | None, where: str) -> int:
        """The code of the candidate a mark names; a name the config does not know is an error."""
        if self.spellings is None:
            name = spelling
        else:
            name = self.spellings.get(spelling)  # type: ignore[assignment]
            if name is None:
                raise self.source.error(
                    line,
                    f"{where} names {excerpt(spelling)}, who is not a candidate of the contest (nor an alias or code of one)",
                )
        if name == UNDECLARED_WRITE_IN:
            return self.write_in()
        code = self.index.get(name)
        if code is None:
            if len(name) > MAX_NAME:
                raise self.source.error(
                    line, f"{where} holds a name of {len(name)} characters; the limit is {MAX_NAME}"
                )
            if len(self.names) >= MAX_CANDIDATES:
                raise self.source.error(line, f"more than {MAX_CANDIDATES} different candidates")
            code = self.index[name] = len(self.names)
            self.names.append(name)
        return code

    def write_in(self) -> int:
        self.write_ins = True
        return WRITE_IN

    def position(self, codes: Iterable[int]) -> int:
        """One rank position's code: EMPTY, a candidate, or an overvote group of those marked."""
        members = frozenset(codes)
        if not members:
            return EMPTY
        if len(members) == 1 and ALL_MARKED not in members:
            return next(iter(members))
        if ALL_MARKED in members:
            members = frozenset((ALL_MARKED,))
        return overvote_code(self.groups.setdefault(members, len(self.groups)))

    def add(self, row: list[int], line: int | None, **tags: str) -> None:
        """One ballot: its rank positions' codes (trailing EMPTYs may be left off) and its tags."""
        if len(row) > MAX_RANKS:
            raise self.source.error(line, f"ballot has {len(row)} rank positions; the limit is {MAX_RANKS}")
        self.width = max(self.width, len(row))
        if (len(self.rows) + 1) * max(self.width, 1) > MAX_CELLS:
            raise self.source.error(line, "too many ballots and ranks to hold in memory")
        self.rows.append(row)
        for tag, labels in self.tags.items():
            labels.append(tags[tag])

    def add_marks(self, marks: Iterable[tuple[int, int]], line: int | None, **tags: str) -> None:
        """One ballot from (rank, code) marks in any order; ranks count from 1, a rank nobody marks is skipped."""
        at: dict[int, list[int]] = {}
        for rank, code in marks:
            if not 1 <= rank <= MAX_RANKS:
                raise self.source.error(line, f"rank {rank} is out of range (1 to {MAX_RANKS})")
            at.setdefault(rank, []).append(code)
        row = [EMPTY] * max(at, default=0)
        for rank, codes in at.items():
            row[rank - 1] = self.position(codes)
        self.add(row, line, **tags)

    def ballots(self, title: str = "") -> Ballots:
        names = list(self.names)
        declared = range(len(names))
        if self.write_ins:
            names.append(UNDECLARED_WRITE_IN)
        ranks = pad_rows(self.rows, self.width)
        if self.write_ins:
            ranks[ranks == WRITE_IN] = len(names) - 1
        overvotes = []
        for members in sorted(self.groups, key=self.groups.__getitem__):
            if ALL_MARKED in members:
                overvotes.append(frozenset(declared))
            else:
                overvotes.append(frozenset(len(names) - 1 if m == WRITE_IN else m for m in members))
        return Ballots(
            tuple(names),
            ranks,
            np.ones(len(self.rows), dtype=np.int64),
            overvotes=tuple(overvotes),
            title=title,
            tags={tag: np.array(labels, dtype=object) for tag, labels in self.tags.items()},
        )
