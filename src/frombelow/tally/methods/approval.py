"""Approval voting: every candidate marked anywhere on a ballot gets one approval.

Ballots are read as in ``pairwise.places``: a candidate marked twice is approved once,
every member of an overvote group is approved, withdrawn candidates are left out and
``max_rankings`` cuts the ballot first. The ``seats`` candidates with most approvals
win; a tie that decides a seat is broken by the tie-break rule.
"""

from __future__ import annotations

from frombelow.tally.ballots import Ballots
from frombelow.tally.methods.pairwise import places
from frombelow.tally.methods.plurality import elect_in_order, tiers_by_score
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    marks = places(ballots, options)
    approved = marks.places < marks.unranked
    tally = {name: int(marks.weights @ approved[:, i]) for i, name in enumerate(marks.candidates)}
    blank = int(marks.weights[~approved.any(axis=1)].sum())
    winners, ranking, ties = elect_in_order(tiers_by_score(tally), seats, options)
    return Result(
        method="approval",
        seats=seats,
        candidates=ballots.candidates,
        winners=winners,
        rounds=(Round(1, tally, elected=winners, exhausted=blank, inactive={"blank": blank} if blank else {}),),
        ranking=ranking,
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
        details={"approvals": tally},
    )
