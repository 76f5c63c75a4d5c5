"""Plurality (first past the post; with several seats, block-free "top N" of first choices).

Each ballot counts once, for the candidate at its first marked rank: skipped leading
ranks are passed over, withdrawn candidates count as unmarked and ``max_rankings``
cuts the ballot first. A ballot whose first marked rank holds several candidates (an
overvote) is void; one with no mark is blank. The ``seats`` candidates with most votes
win; a tie that decides a seat is broken by the tie-break rule.

This module also holds ``elect_in_order``, the "highest standing win" step shared by
every method here that ends in a ranking (approval, Borda, Schulze, ranked pairs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from frombelow.tally.ballots import EMPTY, OVERVOTE_BASE, RANK_DTYPE, Ballots
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round, Tie, Votes


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    names = ballots.candidates
    first = first_marks(ballots, options)
    counted = first >= 0
    votes = np.bincount(first[counted], weights=ballots.weights[counted], minlength=len(names)).astype(np.int64)
    standing = [c for c in range(len(names)) if c not in ballots.withdrawn]
    tally = {names[c]: int(votes[c]) for c in standing}
    inactive = {
        cause: int(ballots.weights[first == code].sum())
        for cause, code in (("blank", EMPTY), ("overvotes", OVERVOTE_BASE))
    }
    inactive = {cause: amount for cause, amount in inactive.items() if amount}
    winners, ranking, ties = elect_in_order(tiers_by_score(tally), seats, options)
    return Result(
        method="plurality",
        seats=seats,
        candidates=names,
        winners=winners,
        rounds=(Round(1, tally, elected=winners, exhausted=sum(inactive.values()), inactive=inactive),),
        ranking=ranking,
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
        details={"votes": tally},
    )


def first_marks(ballots: Ballots, options: Options) -> np.ndarray:
    """Per row: the candidate of its first marked rank, ``OVERVOTE_BASE`` if that rank is
    an overvote, or ``EMPTY`` if the row marks nobody standing."""
    ranks = ballots.ranks
    if options.max_rankings is not None:
        ranks = ranks[:, : options.max_rankings]
    if ballots.withdrawn:
        ranks = np.where(np.isin(ranks, list(ballots.withdrawn)), EMPTY, ranks)
    over = ranks <= OVERVOTE_BASE
    if over.any():
        # An overvote group with withdrawn members is read as what is left of it.
        resolved = np.array([_resolve(members - ballots.withdrawn) for members in ballots.overvotes], RANK_DTYPE)
        ranks = ranks.copy()
        ranks[over] = resolved[OVERVOTE_BASE - ranks[over]]
    first = np.full(len(ranks), EMPTY, dtype=RANK_DTYPE)
    for col in range(ranks.shape[1] - 1, -1, -1):
        column = ranks[:, col]
        first = np.where(column != EMPTY, column, first)
    return first


def _resolve(members: frozenset[int]) -> int:
    if len(members) == 1:
        return next(iter(members))
    return OVERVOTE_BASE if members else EMPTY


def tiers_by_score(scores: Mapping[str, Votes]) -> list[list[str]]:
    """Candidates grouped by equal score, highest first; each group keeps the given order."""
    groups: dict[Votes, list[str]] = {}
    for name, score in scores.items():
        groups.setdefault(score, []).append(name)
    return [groups[score] for score in sorted(groups, reverse=True)]


def elect_in_order(
    tiers: Sequence[Sequence[str]],
    seats: int,
    options: Options,
    *,
    round: int = 1,
    history: Sequence[dict[str, Votes]] = (),
) -> tuple[tuple[str, ...], tuple[str, ...], list[Tie]]:
    """Winners, full ranking and the ties broken, from tiers of equal standing.

    Tiers come best first. A tier that does not fit in the seats left is split by the
    tie-break rule, one seat at a time (each draw a recorded ``Tie``); equal standing
    that decides no seat stays in the order given (ballot-file order), unbroken.
    """
    winners: list[str] = []
    ranking: list[str] = []
    ties: list[Tie] = []
    for tier in tiers:
        left = seats - len(winners)
        if 0 < left < len(tier):
            pool = list(tier)
            while len(winners) < seats:
                chosen, tie = options.tiebreak.choose(pool, lowest=False, round=round, purpose="elect", history=history)
                ties.append(tie)
                pool.remove(chosen)
                winners.append(chosen)
                ranking.append(chosen)
            ranking.extend(pool)
        else:
            if left > 0:
                winners.extend(tier)
            ranking.extend(tier)
    return tuple(winners), tuple(ranking), ties
