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
# EMPTY in a prepared row is a rank with nothing to count: the row moves past it.
END = -5  # no further preference
STOP_OVERVOTE = -2
STOP_SKIPPED = -3
STOP_REPEAT = -4
STOP_BLANK = -6  # the ballot marks nothing at all (RCTab's undervote)
STOP_SURPLUS = -7  # RCTab: a surplus with every seat filled, nobody left to pass it to

INACTIVE_CAUSES: dict[int, str] = {
    END: "exhausted",
    STOP_OVERVOTE: "overvotes",
    STOP_SKIPPED: "skipped rankings",
    STOP_REPEAT: "repeated rankings",
    STOP_BLANK: "blank",
    STOP_SURPLUS: "final round surplus",
}


def prepare(ballots: Ballots, options: Options) -> np.ndarray:
    """Prepared rank rows: candidates, EMPTY, dynamic overvote codes or a stop code.

    A row that runs out of ranks without a stop code is exhausted (END). Only rows
    that a rule can affect are rewritten, so the usual ballot costs nothing here.
    """
    ranks = ballots.ranks
    if options.max_rankings is not None:
        ranks = ranks[:, : max(options.max_rankings, 1)]
        if options.max_rankings == 0:
            ranks = np.full_like(ranks, EMPTY)
    depth = ranks.shape[1]
    careful = np.zeros(len(ranks), dtype=bool)
    if ballots.overvotes:
        careful |= (ranks <= OVERVOTE_BASE).any(axis=1)
    if options.max_skipped_ranks is not None:
        marked = ranks != EMPTY
        later_mark = np.flip(np.logical_or.accumulate(np.flip(marked, axis=1), axis=1), axis=1)
        careful |= ~marked[:, 0] & later_mark[:, 0]
        if depth > 1:
            careful |= (~marked[:, :-1] & later_mark[:, 1:]).any(axis=1)
    if options.duplicates == "exhaust" and depth > 1:
        # Only rows with a repeated candidate; a repeat is harmless under "skip", since a
        # candidate once passed never continues again.
        ordered = np.sort(np.where(ranks >= 0, ranks, -1 - np.arange(depth)), axis=1)
        careful |= (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    blank = ~(ballots.ranks != EMPTY).any(axis=1)  # judged on the raw row: a withdrawn mark is a mark
    careful |= blank
    rows = np.flatnonzero(careful)
    plain = ranks
    if ballots.withdrawn:
        # A withdrawn candidate's mark is passed over; it is still a mark, not a skipped rank,
        # so the careful rows below read it from the raw row.
        plain = np.where(np.isin(ranks, list(ballots.withdrawn)), EMPTY, ranks)
    if rows.size == 0:
        return plain
    # One more column: a full row may end with a stop code.
    out = np.full((len(ranks), depth + 1), EMPTY, dtype=RANK_DTYPE)
    out[:, :depth] = plain
    for row in rows:
        prepared = [STOP_BLANK] if blank[row] else _prepare_row(ranks[row], ballots, options)
        out[row, :] = EMPTY
        out[row, : len(prepared)] = prepared
    return out


def _prepare_row(raw: np.ndarray, ballots: Ballots, options: Options) -> list[int]:
    row: list[int] = []
    seen: set[int] = set()
    strict = options.duplicates == "exhaust"
    skipped = 0
    for code in (int(c) for c in raw):
        if code == EMPTY:
            skipped += 1
            continue
        if options.max_skipped_ranks is not None and skipped > options.max_skipped_ranks:
            return row + [STOP_SKIPPED]
        skipped = 0
        group = code <= OVERVOTE_BASE
        marked = ballots.overvotes[overvote_group(code)] if group else frozenset((code,))
        if strict:
            # As RCTab: a repeat is looked for before anything else at the rank, among every
            # candidate marked so far (overvoted or withdrawn ones too).
            if marked & seen:
                return row + [STOP_REPEAT]
            earlier = seen.copy() if group else seen
            seen |= marked
        else:
            earlier = seen
        if code in ballots.withdrawn:
            continue
        if group:
            if options.overvote == "exhaust":
                return row + [STOP_OVERVOTE]
            if options.overvote == "skip":
                continue
            members = marked - earlier - ballots.withdrawn
            if len(members) > 1:
                row.append(code)
            elif members:
                code = next(iter(members))
            else:
                continue
        if code >= 0 and not strict:
            if code in seen:
                continue
            seen.add(code)
        row.append(code)
    return row


class Papers:
    """The current candidate of every row, and the rank each row has reached."""

    def __init__(self, prepared: np.ndarray, weights: np.ndarray, ballots: Ballots, continuing: np.ndarray) -> None:
        self.ranks = prepared
        self.flat = prepared.ravel()  # rank (row, position) is flat[row * depth + position]
        self.weights = weights
        self.overvotes = ballots.overvotes
        depth = prepared.shape[1]
        # Ranks up to the last mark; a row that moves beyond them is exhausted.
        position = np.arange(1, depth + 1, dtype=np.int8 if depth < 127 else np.int32)
        self.length = ((prepared != EMPTY) * position).max(axis=1, initial=0).astype(np.int32)
        self.position = np.zeros(len(prepared), dtype=np.int32)
        self.current = np.where(self.length > 0, prepared[:, 0], END).astype(RANK_DTYPE)
        first = self.current.copy()
        start = np.flatnonzero(self._needs_move(first, continuing))
        if self.overvotes:
            self.current = first
        self.advance(start, continuing)

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
            if self.overvotes:
                self.current[todo] = codes  # overvotes resolved to their one continuing member
            todo = todo[move]
            if todo.size:
                position = self.position[todo] + 1
                self.position[todo] = position
                inside = position < self.length[todo]
                codes = np.full(len(todo), END, dtype=RANK_DTYPE)
                within = todo[inside]
                codes[inside] = self.flat.take(within.astype(np.int64) * self.ranks.shape[1] + position[inside])
                self.current[todo] = codes
        return rows

    def _needs_move(self, codes: np.ndarray, continuing: np.ndarray) -> np.ndarray:
        """Which codes are not a continuing candidate; resolves overvotes in place."""
        move = ~continuing[np.maximum(codes, 0)]
        move &= codes >= 0
        move |= codes == EMPTY
        for i in np.flatnonzero(codes <= OVERVOTE_BASE) if self.overvotes else ():
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
    if (weights == 1).all():  # one voter per row: an unweighted count is exact and much faster
        return np.bincount(current[counted], minlength=candidates).astype(np.int64)
    return np.bincount(current[counted], weights=weights[counted], minlength=candidates).astype(np.int64)


def inactive(current: np.ndarray, weights: np.ndarray) -> dict[str, int]:
    """Votes no longer counted, by cause."""
    out = {}
    for code, cause in INACTIVE_CAUSES.items():
        amount = int(weights[current == code].sum())
        if amount:
            out[cause] = amount
    return out
