"""Where each ballot sits during a ranked count (IRV, STV).

``prepare`` applies the marking rules that do not depend on the count (overvotes,
skipped ranks, repeated candidates, maximum rankings) once, turning each raw row into
a sequence of candidates that ends with a stop code saying why the ballot leaves the
count. ``Papers`` then keeps, for every row, the rank it has reached and the
candidate it currently counts for, and moves rows on, vectorised with numpy.
"""

from __future__ import annotations

import numpy as np

from frombelow.tally.ballots import EMPTY, OVERVOTE_BASE, RANK_DTYPE, Ballots, overvote_group
from frombelow.tally.options import Options

# Stop codes in prepared rows (a row that reaches one leaves the count for that reason).
END = EMPTY  # no further preference
STOP_OVERVOTE = -2
STOP_SKIPPED = -3
STOP_REPEAT = -4

INACTIVE_CAUSES: dict[int, str] = {
    END: "exhausted",
    STOP_OVERVOTE: "overvotes",
    STOP_SKIPPED: "skipped rankings",
    STOP_REPEAT: "repeated rankings",
}


def prepare(ballots: Ballots, options: Options) -> np.ndarray:
    """Prepared rank rows: candidates (or dynamic overvote codes), then a stop code."""
    ranks = ballots.ranks
    if options.max_rankings is not None:
        ranks = ranks[:, : options.max_rankings]
    if ballots.withdrawn:
        # A withdrawn candidate's marks are passed over as if empty.
        ranks = np.where(np.isin(ranks, list(ballots.withdrawn)), EMPTY, ranks)
    depth = ranks.shape[1]
    out = np.full((len(ranks), depth + 1), END, dtype=RANK_DTYPE)
    if len(ranks) == 0:
        return out
    marked = ranks != EMPTY
    # Rows needing care: an overvote, a gap before a later mark, or a repeated candidate.
    has_overvote = (ranks <= OVERVOTE_BASE).any(axis=1)
    later_mark = np.flip(np.logical_or.accumulate(np.flip(marked, axis=1), axis=1), axis=1)
    has_gap = (~marked[:, :-1] & later_mark[:, 1:]).any(axis=1) if depth > 1 else np.zeros(len(ranks), bool)
    ordered = np.sort(np.where(ranks >= 0, ranks, -1 - np.arange(depth)), axis=1)
    has_repeat = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1) if depth > 1 else has_gap
    careful = has_overvote | has_gap | has_repeat
    simple = ~careful
    out[simple, :depth] = ranks[simple]
    for row in np.flatnonzero(careful):
        out[row, :] = END
        prepared = _prepare_row(ranks[row], ballots, options)
        out[row, : len(prepared)] = prepared
    return out


def _prepare_row(raw: np.ndarray, ballots: Ballots, options: Options) -> list[int]:
    row: list[int] = []
    seen: set[int] = set()
    skipped = 0
    for code in (int(c) for c in raw):
        if code == EMPTY:
            skipped += 1
            continue
        if options.max_skipped_ranks is not None and skipped > options.max_skipped_ranks:
            return row + [STOP_SKIPPED]
        skipped = 0
        if code <= OVERVOTE_BASE:
            if options.overvote == "exhaust":
                return row + [STOP_OVERVOTE]
            if options.overvote == "skip":
                continue
            members = ballots.overvotes[overvote_group(code)] - seen
            if len(members) > 1:
                row.append(code)
            elif members:
                code = next(iter(members))
            else:
                continue
        if code >= 0:
            if code in seen:
                if options.duplicates == "exhaust":
                    return row + [STOP_REPEAT]
                continue
            seen.add(code)
        row.append(code)
    return row


class Papers:
    """The current candidate of every row, and the rank each row has reached."""

    def __init__(self, prepared: np.ndarray, weights: np.ndarray, ballots: Ballots, continuing: np.ndarray) -> None:
        self.ranks = prepared
        self.weights = weights
        self.overvotes = ballots.overvotes
        self.position = np.zeros(len(prepared), dtype=np.int64)
        self.current = prepared[:, 0].copy()
        self.advance(np.arange(len(prepared)), continuing)

    def rows_of(self, candidate: int) -> np.ndarray:
        return np.flatnonzero(self.current == candidate)

    def advance(self, rows: np.ndarray, continuing: np.ndarray) -> np.ndarray:
        """Move ``rows`` on until each counts for a continuing candidate or stops.

        Returns the rows given, whose ``current`` is now their new place.
        """
        todo = rows
        while todo.size:
            codes = self.current[todo]
            move = self._needs_move(codes, continuing)
            self.current[todo] = codes  # overvotes resolved to their one continuing member
            todo = todo[move]
            if todo.size:
                self.position[todo] += 1
                self.current[todo] = self.ranks[todo, self.position[todo]]
        return rows

    def _needs_move(self, codes: np.ndarray, continuing: np.ndarray) -> np.ndarray:
        """Which codes are not a continuing candidate; resolves overvotes in place."""
        move = np.zeros(codes.shape, dtype=bool)
        candidate = codes >= 0
        move[candidate] = ~continuing[codes[candidate]]
        for i in np.flatnonzero(codes <= OVERVOTE_BASE):
            # An overvote counts for its one continuing member, stops if several continue.
            members = [m for m in self.overvotes[overvote_group(int(codes[i]))] if continuing[m]]
            if not members:
                move[i] = True
            else:
                codes[i] = members[0] if len(members) == 1 else STOP_OVERVOTE
        return move


def tally(current: np.ndarray, weights: np.ndarray, candidates: int) -> np.ndarray:
    """Votes per candidate (int64) from each row's current candidate."""
    counted = current >= 0
    return np.bincount(current[counted], weights=weights[counted], minlength=candidates).astype(np.int64)


def inactive(current: np.ndarray, weights: np.ndarray) -> dict[str, int]:
    """Votes no longer counted, by cause."""
    out = {}
    for code, cause in INACTIVE_CAUSES.items():
        amount = int(weights[current == code].sum())
        if amount:
            out[cause] = amount
    return out
