"""Cast vote records as marks at ranks, gathered into ``Ballots`` rows: shared by the vendor readers.

Every vendor reader (ES&S, RCTab's CSV, Clear Ballot, CDF, Dominion, Hart) finds, for
each ballot, which candidates are marked at which rank. ``BallotRows`` resolves each
mark's spelling to a candidate (``candidate``), turns a ballot's (rank, candidate) marks
into one uncompressed row (several candidates at one rank are an overvote) with its
precinct and batch labels (``add``), and hands the rows over as ``Ballots``.

With a config's ``candidates`` mapping (every accepted spelling -> the config's name: names,
codes, aliases), the candidates are the config's names in config order, marked or not, and
a mark no spelling matches is an error (RCTab refuses such files). Without one, they are
the file's own, in the order the file declares (``declare``) or first marks them.

Two marks have no declared candidate behind them, so each is a stand-in code while
reading (its meaning is known only once every name is):

* ``WRITE_IN``, an undeclared write-in (a mark of the ``undeclared_write_in_label``, or one
  the reader knows is one): counted for ``UNDECLARED_WRITE_IN``, listed after every declared
  candidate, whenever the label is given (as RCTab lists them, marked or not) or one is marked;
* ``OVERVOTE``, a mark of the ``overvote_label``: an overvote whose members the record does
  not say, read as every declared candidate marked at that rank, so that every overvote
  rule treats it as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from frombelow.tally.ballots import (
    EMPTY,
    OVERVOTE_BASE,
    UNDECLARED_WRITE_IN,
    Ballots,
    overvote_code,
    overvote_group,
    pad_rows,
)
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_RANKS
from frombelow.tally.formats.source import Source, excerpt

# Stand-ins while reading, beyond any candidate's index: resolved in ``ballots``.
WRITE_IN = MAX_CANDIDATES + 1
OVERVOTE = MAX_CANDIDATES + 2


class BallotRows:
    """Ballots read so far, one row each, with the candidates their marks name."""

    def __init__(
        self,
        source: Source,
        candidates: Mapping[str, str] | None = None,
        *,
        undeclared_write_in_label: str | None = None,
        overvote_label: str | None = None,
        max_rankings: int | None = None,
    ) -> None:
        self.source = source
        self.write_in_label = undeclared_write_in_label or None
        self.overvote_label = overvote_label or None
        self.max_rankings = max_rankings
        self.spellings: dict[str, str] | None = None
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        if candidates is not None:
            self.spellings = {str(k): str(v) for k, v in candidates.items()}
            for name in list(self.spellings.values()):
                self.spellings.setdefault(name, name)
            for name in dict.fromkeys(self.spellings.values()):
                if name != UNDECLARED_WRITE_IN:
                    self._add(name, "", None)
        self.rows: list[list[int]] = []
        self.width = 0
        self.groups: dict[frozenset[int], int] = {}  # the candidates (or stand-ins) marked at one rank -> group
        self.precincts: list[str | None] = []
        self.batches: list[str | None] = []

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def fixed(self) -> bool:
        """Whether a config fixes the candidates (else they are the file's own)."""
        return self.spellings is not None

    def declare(self, name: str) -> None:
        """A candidate the file lists: one of the candidates, unless a config fixes them."""
        if self.spellings is None and name != UNDECLARED_WRITE_IN and name not in self.index:
            self._add(name, "", None)

    def candidate(self, mark: str, where: str = "", line: int | None = None) -> int:
        """The code a mark stands for: a candidate's index, ``WRITE_IN`` or ``OVERVOTE``."""
        if mark == self.overvote_label:
            return OVERVOTE
        if mark in (UNDECLARED_WRITE_IN, self.write_in_label):
            return WRITE_IN
        if self.spellings is None:
            name = mark
        else:
            found = self.spellings.get(mark)
            if found is None:
                raise self._error(
                    line, where, f"{excerpt(mark)} is not a candidate of the contest (nor an alias or code of one)"
                )
            if found == UNDECLARED_WRITE_IN:
                return WRITE_IN
            name = found
        code = self.index.get(name)
        return code if code is not None else self._add(name, where, line)

    def add(
        self,
        marks: Iterable[tuple[int, int]],
        where: str = "",
        line: int | None = None,
        *,
        precinct: str | None = None,
        batch: str | None = None,
    ) -> None:
        """One ballot from its (rank, code) marks in any order; ranks count from 1, a rank nobody marks is skipped."""
        at: dict[int, set[int]] = {}
        for rank, code in marks:
            if not 1 <= rank <= MAX_RANKS:
                shown = rank if abs(rank) < 10**20 else excerpt(str(rank), 20)  # a cell of a thousand digits
                raise self._error(line, where, f"rank {shown} is not between 1 and {MAX_RANKS}")
            if self.max_rankings is not None and rank > self.max_rankings:
                raise self._error(
                    line, where, f"a mark at rank {rank}, beyond the {self.max_rankings} rankings allowed"
                )
            at.setdefault(rank, set()).add(code)
        row = [EMPTY] * max(at, default=0)
        for rank, members in at.items():
            if len(members) == 1 and OVERVOTE not in members:
                row[rank - 1] = next(iter(members))
                continue
            if OVERVOTE in members:
                members = {OVERVOTE} | (members & {WRITE_IN})  # the declared candidates are in it already
            row[rank - 1] = overvote_code(self.groups.setdefault(frozenset(members), len(self.groups)))
        self.width = max(self.width, len(row))
        if (len(self.rows) + 1) * max(self.width, 1) > MAX_CELLS:
            raise self._error(line, where, "too many ballots and ranks to hold in memory")
        self.rows.append(row)
        self.precincts.append(precinct)
        self.batches.append(batch)

    def ballots(self, *, title: str = "", seats: int | None = None) -> Ballots:
        ranks = pad_rows(self.rows, self.width)
        names = list(self.names)
        written_in = self.write_in_label is not None or bool(
            (ranks == WRITE_IN).any() or any(WRITE_IN in members for members in self.groups)
        )
        if written_in:
            names.append(UNDECLARED_WRITE_IN)
            ranks[ranks == WRITE_IN] = len(names) - 1
        if not names:
            raise self.source.error(None, "the records name no candidate")
        # Each group's stand-ins resolved; two groups may then be the same candidates: one code for both.
        everyone = frozenset(range(len(self.names)))
        overvotes: dict[frozenset[int], int] = {}
        codes = []
        for members in self.groups:  # in group order
            resolved = frozenset(len(names) - 1 if m == WRITE_IN else m for m in members if m != OVERVOTE)
            if OVERVOTE in members:
                resolved |= everyone
                if len(resolved) < 2:
                    raise self.source.error(None, "an overvote label, but fewer than two candidates")
            codes.append(overvote_code(overvotes.setdefault(resolved, len(overvotes))))
        grouped = ranks <= OVERVOTE_BASE
        if grouped.any():
            ranks[grouped] = np.array(codes, dtype=ranks.dtype)[overvote_group(ranks[grouped])]
        tags = {}
        for tag, labels in (("precinct", self.precincts), ("batch", self.batches)):
            if any(label is not None for label in labels):
                tags[tag] = np.array(["" if label is None else label for label in labels], dtype=object)
        return Ballots(
            tuple(names),
            ranks,
            np.ones(len(self.rows), dtype=np.int64),
            overvotes=tuple(overvotes),
            seats=seats if seats is not None and 0 < seats <= len(names) else None,
            title=title[:MAX_NAME],
            tags=tags,
        )

    def _add(self, name: str, where: str, line: int | None) -> int:
        if len(name) > MAX_NAME:
            raise self._error(line, where, f"a name is {len(name)} characters long; the limit is {MAX_NAME}")
        if len(self.names) >= MAX_CANDIDATES:
            raise self._error(line, where, f"more than {MAX_CANDIDATES} candidates")
        self.index[name] = len(self.names)
        self.names.append(name)
        return self.index[name]

    def _error(self, line: int | None, where: str, problem: str) -> BallotFileError:
        return self.source.error(line, f"{where}: {problem}" if where else problem)
