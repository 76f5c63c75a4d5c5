"""Bounds a ballot file must keep, so a hostile or broken file fails with a message, not by exhausting memory.

Each bound is far beyond any real election: the largest public elections have a few
hundred candidates, rank at most a few hundred positions and count voters in the
hundreds of millions.
"""

from __future__ import annotations

MAX_CANDIDATES = 10_000
MAX_SEATS = 10_000
MAX_WEIGHT = 10**12  # voters behind one ballot line
MAX_TOTAL = 10**15  # voters in the whole file; keeps int64 sums exact
MAX_RANKS = 1_000  # rank positions on one ballot
MAX_CELLS = 1 << 30  # ballots x rank positions held in memory (4 GiB of int32)
MAX_NAME = 1_000  # characters in a candidate's or party's name
MAX_COLUMNS = 10_000  # columns in a CSV file


def max_positions(candidates: int) -> int:
    """Rank positions one ballot may hold: repeats and skips allowed, runaway lines not."""
    return min(MAX_RANKS, 2 * candidates + 8)
