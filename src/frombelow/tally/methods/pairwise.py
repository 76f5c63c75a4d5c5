"""Where each ballot places each candidate, and the pairwise (head-to-head) matrix.

Rank-order methods that look at a whole ballot at once (Borda, Schulze, ranked pairs,
approval) read a ballot the same way:

* a candidate's *place* on a ballot is the first rank position that marks them (a
  candidate marked twice keeps their better mark);
* candidates marked together at one position (an overvote group) are ranked equally;
* unmarked candidates share a place after every marked one;
* skipped ranks change nothing: only the order of the marks matters;
* ``max_rankings`` cuts each ballot after that many positions, and withdrawn
  candidates are left out as if unmarked.

The other marking options (``overvote``, ``max_skipped_ranks``, ``duplicates``) are
rules of sequential transfers (IRV, STV) and are not applied here.

Everything is vectorised over ballot rows, so a million distinct rows cost a few
passes of numpy; the only Python loops are over rank positions, overvote groups and
candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from frombelow.tally.ballots import EMPTY, OVERVOTE_BASE, Ballots
from frombelow.tally.options import Options

PLACE_DTYPE = np.int32
# Rows compared at once: bounds the temporary (rows x candidates) boolean arrays.
CHUNK_ROWS = 1 << 18
EXACT_FLOAT_SUMS = 2**53


@dataclass(frozen=True, eq=False)
class Places:
    """For each ballot row, the place of each standing candidate (smaller is better).

    ``unranked`` is the place of a candidate the row does not mark.
    """

    candidates: tuple[str, ...]  # the standing candidates, in ballot-file order
    places: np.ndarray  # (rows, len(candidates)) of PLACE_DTYPE
    weights: np.ndarray  # int64 voters per row
    unranked: int
    # Rows that mark each candidate at most once and hold no overvote (nearly all): their
    # marks, as indices into ``candidates`` (EMPTY elsewhere), let pairs be counted faster.
    plain: np.ndarray  # bool per row
    marks: np.ndarray  # (rows, depth) of PLACE_DTYPE


def places(ballots: Ballots, options: Options) -> Places:
    """Each row's place for each standing candidate (rows compressed first)."""
    ballots = ballots.compress()
    ranks = ballots.ranks
    if options.max_rankings is not None:
        ranks = ranks[:, : options.max_rankings]
    depth = ranks.shape[1]
    n = len(ballots.candidates)
    out = np.full((len(ranks), n), depth, dtype=PLACE_DTYPE)
    rows = np.arange(len(ranks))
    # From the last position back to the first, so a candidate's first mark wins.
    for col in range(depth - 1, -1, -1):
        codes = ranks[:, col]
        marked = codes >= 0
        out[rows[marked], codes[marked]] = col
    # Overvote groups are rare: mark each member at the group's position unless marked earlier.
    over_rows, over_cols = np.nonzero(ranks <= OVERVOTE_BASE)
    if over_rows.size:
        groups = OVERVOTE_BASE - ranks[over_rows, over_cols]
        for group in np.unique(groups):
            at = groups == group
            for member in ballots.overvotes[group]:
                np.minimum.at(out, (over_rows[at], member), over_cols[at].astype(PLACE_DTYPE))
    standing = [c for c in range(n) if c not in ballots.withdrawn]
    marked = ranks >= 0
    plain = ~(ranks <= OVERVOTE_BASE).any(axis=1) & (marked.sum(axis=1) == (out < depth).sum(axis=1))
    renumber = np.full(n + 1, EMPTY, dtype=PLACE_DTYPE)  # the last entry maps EMPTY to itself
    renumber[standing] = np.arange(len(standing), dtype=PLACE_DTYPE)
    return Places(
        candidates=tuple(ballots.candidates[c] for c in standing),
        places=np.ascontiguousarray(out[:, standing]),
        weights=ballots.weights,
        unranked=depth,
        plain=plain,
        marks=np.where(marked, renumber[np.where(marked, ranks, n)], EMPTY).astype(PLACE_DTYPE),
    )


def matrix(ballot_places: Places) -> np.ndarray:
    """``m[i, j]``: voters who place candidate ``i`` above candidate ``j`` (int64)."""
    bp = ballot_places
    n = len(bp.candidates)
    plain = bp.plain if int(bp.weights.sum()) < EXACT_FLOAT_SUMS else np.zeros(len(bp.weights), bool)
    out = _by_marks(bp.marks[plain], bp.weights[plain], n)
    careful = ~plain
    if careful.any():
        out += _by_places(bp.places[careful], bp.weights[careful])
    return out


def _by_marks(marks: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Pairs from rows of distinct marks: count each pair of marked positions, then a
    marked candidate beats every unmarked one, so ``m[i, j] = marked[i] - over[j, i]``.

    Sums run in float64 (numpy's weighted ``bincount``), exact while below 2**53 voters.
    """
    w = weights.astype(np.float64)
    marked = np.zeros(n)
    over = np.zeros(n * n)
    for a in range(marks.shape[1]):
        first = marks[:, a]
        has_first = first >= 0
        marked += np.bincount(first[has_first], weights=w[has_first], minlength=n)
        later = marks[has_first, a + 1 :]
        if later.size:
            # Every later mark on the same row is a candidate ``first`` is placed above.
            both = later >= 0
            pairs = (first[has_first, None] * n + later)[both]
            voters = np.broadcast_to(w[has_first, None], later.shape)[both]
            over += np.bincount(pairs, weights=voters, minlength=n * n)
    above = np.rint(over).astype(np.int64).reshape(n, n)
    out = np.rint(marked).astype(np.int64)[:, None] - above.T
    np.fill_diagonal(out, 0)
    return out


def _by_places(p: np.ndarray, w: np.ndarray) -> np.ndarray:
    n = p.shape[1]
    out = np.zeros((n, n), dtype=np.int64)
    for start in range(0, len(p), CHUNK_ROWS):
        chunk, weights = p[start : start + CHUNK_ROWS], w[start : start + CHUNK_ROWS]
        for i in range(n):
            out[i] += weights @ (chunk[:, i : i + 1] < chunk)
    return out


def equal_marks(ballot_places: Places) -> np.ndarray:
    """``e[i, j]``: voters who mark both ``i`` and ``j`` at the same place (``i != j``)."""
    careful = ~ballot_places.plain  # plain rows mark no two candidates equal
    p, w = ballot_places.places[careful], ballot_places.weights[careful]
    n = p.shape[1]
    out = np.zeros((n, n), dtype=np.int64)
    for start in range(0, len(p), CHUNK_ROWS):
        chunk, weights = p[start : start + CHUNK_ROWS], w[start : start + CHUNK_ROWS]
        for i in range(n):
            column = chunk[:, i : i + 1]
            out[i] += weights @ ((column == chunk) & (column < ballot_places.unranked))
    np.fill_diagonal(out, 0)
    return out


def as_mapping(names: tuple[str, ...], m: np.ndarray) -> dict[str, dict[str, int]]:
    """The matrix as ``{a: {b: n}}`` for ``details`` (the diagonal left out)."""
    return {a: {b: int(m[i, j]) for j, b in enumerate(names) if j != i} for i, a in enumerate(names)}


def pairwise_wins(m: np.ndarray) -> np.ndarray:
    """How many opponents each candidate beats head to head (strict majority)."""
    return (m > m.T).sum(axis=1)


def tiers(beats: np.ndarray, names: tuple[str, ...]) -> list[list[str]]:
    """Candidates in tiers, best first: each tier is those beaten by no one not yet placed.

    ``beats[i, j]`` says ``i`` beats ``j``; it must have no cycle. Tiers keep ``names`` order.
    """
    left = list(range(len(names)))
    out: list[list[str]] = []
    while left:
        top = [c for c in left if not beats[left, c].any()]
        out.append([names[c] for c in top])
        left = [c for c in left if c not in top]
    return out
