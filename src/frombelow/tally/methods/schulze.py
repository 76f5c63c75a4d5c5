"""The Schulze (beatpath) method.

From the pairwise matrix ``d`` (``pairwise.places``: ranked above unranked, equal marks
no preference), a direct link ``i -> j`` has strength ``d[i, j]`` (winning votes) when
``d[i, j] > d[j, i]``, else none. The strength of a path is its weakest link, and
``p[i, j]`` is the strongest path from ``i`` to ``j`` (Floyd–Warshall, on int64).
``i`` beats ``j`` when ``p[i, j] > p[j, i]``; this relation is transitive.

The ranking peels off tiers: first the candidates no one beats, then those no one left
beats, and so on. Several seats go to the top of that ranking; a tier that straddles
the last seat is split by the tie-break rule.

The one round's tally is each candidate's number of head-to-head (pairwise) wins;
``details`` holds the pairwise matrix and the strongest paths as ``{a: {b: n}}``.
"""

from __future__ import annotations

import numpy as np

from frombelow.tally.ballots import Ballots
from frombelow.tally.methods.pairwise import as_mapping, matrix, pairwise_wins, places, tiers
from frombelow.tally.methods.plurality import elect_in_order
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    marks = places(ballots, options)
    names = marks.candidates
    d = matrix(marks)
    paths = strongest_paths(d)
    winners, ranking, ties = elect_in_order(tiers(paths > paths.T, names), seats, options)
    wins = pairwise_wins(d)
    tally = {name: int(wins[i]) for i, name in enumerate(names)}
    return Result(
        method="schulze",
        seats=seats,
        candidates=ballots.candidates,
        winners=winners,
        rounds=(Round(1, tally, elected=winners, note="tally: number of head-to-head wins"),),
        ranking=ranking,
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
        details={"pairwise": as_mapping(names, d), "strongest paths": as_mapping(names, paths)},
    )


def strongest_paths(d: np.ndarray) -> np.ndarray:
    """``p[i, j]``: the strength (winning votes) of the strongest path from ``i`` to ``j``."""
    p = np.where(d > d.T, d, 0).astype(np.int64)
    for k in range(len(p)):
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
    np.fill_diagonal(p, 0)
    return p
