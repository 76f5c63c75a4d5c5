"""The Borda count.

With ``n`` standing candidates a ballot gives ``n-1`` points to its first preference,
``n-2`` to the second, … and 0 to the last. Equivalently, a candidate scores one point
for every candidate the ballot places below them: that is how points are computed here,
from the pairwise matrix (``pairwise.places`` says how a ballot is read).

Conventions, stated because Borda variants differ on them:

* truncated ballots: the candidates a ballot leaves unranked get 0 points, and the
  ranked ones keep their full points (``n-1`` for first, …), the usual rule for
  incomplete ballots;
* equal ranks (an overvote group) share the average of the points of the positions
  they span, so points can be halves: scores are exact ``Fraction``s.

The ``seats`` candidates with most points win; a tie that decides a seat is broken by
the tie-break rule.
"""

from __future__ import annotations

from fractions import Fraction

from frombelow.tally.ballots import Ballots
from frombelow.tally.methods.pairwise import equal_marks, matrix, places
from frombelow.tally.methods.plurality import elect_in_order, tiers_by_score
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round, Votes


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    marks = places(ballots, options)
    above = matrix(marks).sum(axis=1)
    shared = equal_marks(marks).sum(axis=1)
    # A point per candidate placed below, half a point per candidate marked equal.
    tally: dict[str, Votes] = {
        name: _exact(Fraction(2 * int(above[i]) + int(shared[i]), 2)) for i, name in enumerate(marks.candidates)
    }
    winners, ranking, ties = elect_in_order(tiers_by_score(tally), seats, options)
    return Result(
        method="borda",
        seats=seats,
        candidates=ballots.candidates,
        winners=winners,
        rounds=(Round(1, tally, elected=winners),),
        ranking=ranking,
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
        details={"points": tally, "truncated ballots": "unranked candidates get 0 points"},
    )


def _exact(points: Fraction) -> Votes:
    """Whole points as ``int`` so reports show 12, not 12/1."""
    return int(points) if points.denominator == 1 else points
