"""What the two STV counts share: votes held as whole units, exact sums, and ordering by votes.

Both ``stv`` (WIGM) and ``stv-meek`` hold every vote as a whole number of units of
``10**-decimals`` votes. Those units fit numpy's int64 for ordinary elections; for the
rare huge one (up to the 10¹⁵ voters a ballot file may hold, counted to 9 places) the
sums would wrap silently, so ``unit_dtype`` switches the per-row products and sums to
Python integers (numpy object arrays): slower, but exact for every input.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from frombelow.tally.result import Tie, Votes
from frombelow.tally.tiebreak import TieBreak

# Per-row products and sums of units stay below this in int64 arithmetic (with room to spare).
INT64_UNITS = 2**62


def as_votes(units: int, decimals: int) -> Votes:
    """Units shown as a whole number when whole, else a Decimal with ``decimals`` places."""
    units = int(units)
    if units % 10**decimals == 0:
        return units // 10**decimals
    return Decimal(units).scaleb(-decimals)


def unit_dtype(weights: np.ndarray, scale: int) -> type:
    """int64 if every ``weight × value`` (value ≤ ``scale``) and their sum fit it, else ``object``.

    The largest sum is all the voters at full value; the voters are added as Python
    integers unless a quick bound shows their int64 sum cannot wrap.
    """
    if len(weights) == 0:
        return np.int64
    if int(weights.max()) * len(weights) < INT64_UNITS:
        voters = int(weights.sum())
    else:
        voters = int(weights.astype(object).sum())
    return np.int64 if voters * scale < INT64_UNITS else object


def order_by_votes(
    group: Sequence[int],
    votes: np.ndarray,
    names: Sequence[str],
    tiebreak: TieBreak,
    *,
    round: int,
    purpose: str,
    history: Sequence[dict[str, Votes]],
) -> tuple[list[int], list[Tie]]:
    """``group`` most votes first; equal votes ordered by the tie-break, each tie recorded."""
    order: list[int] = []
    ties: list[Tie] = []
    remaining = sorted(group, key=lambda c: -int(votes[c]))
    while remaining:
        top = [c for c in remaining if votes[c] == votes[remaining[0]]]
        first = top[0]
        if len(top) > 1:
            chosen, tie = tiebreak.choose(
                [names[c] for c in top], lowest=False, round=round, purpose=purpose, history=history
            )
            ties.append(tie)
            first = names.index(chosen)
        order.append(first)
        remaining.remove(first)
    return order, ties


def lowest(
    standing: Sequence[int],
    votes: np.ndarray,
    names: Sequence[str],
    tiebreak: TieBreak,
    *,
    round: int,
    history: Sequence[dict[str, Votes]],
) -> tuple[int, Tie | None]:
    """The standing candidate with fewest votes (ties broken for exclusion), and the tie if any."""
    least = min(int(votes[c]) for c in standing)
    tied = [c for c in standing if votes[c] == least]
    if len(tied) == 1:
        return tied[0], None
    chosen, tie = tiebreak.choose(
        [names[c] for c in tied], lowest=True, round=round, purpose="exclude", history=history
    )
    return names.index(chosen), tie
