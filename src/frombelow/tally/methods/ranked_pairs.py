"""Tideman's ranked pairs.

From the pairwise matrix ``d`` (``pairwise.places``), every majority ``a`` over ``b``
(``d[a, b] > d[b, a]``) is a pair. Pairs are taken strongest first: more winning votes
``d[a, b]`` first, then fewer losing votes ``d[b, a]``. Each pair is locked in unless
it would close a cycle with the pairs already locked. Exactly tied pairs lock nothing.

Pairs of equal strength: if locking all of them together closes no cycle, their order
cannot matter and they are all locked. Otherwise they are ordered by a tie-breaking
ranking of the candidates (Zavist and Tideman, 1989): the pair whose winner stands
higher goes first; with the same winner, the pair whose loser stands lower goes first.
That ranking is drawn with the tie-break rule, one place at a time from the top
(purpose "pair order"), and each draw is recorded in ``Result.ties``.

The ranking follows the locked graph: first the candidates no locked pair defeats, then
those defeated only by candidates already placed, and so on. Several seats go to the
top of it; a tier that straddles the last seat is split by the tie-break rule.

The one round's tally is each candidate's number of head-to-head wins; ``details``
holds the pairwise matrix and the pairs locked and skipped, in order.
"""

from __future__ import annotations

from itertools import groupby

import numpy as np

from frombelow.tally.ballots import Ballots
from frombelow.tally.methods.pairwise import as_mapping, matrix, pairwise_wins, places, tiers
from frombelow.tally.methods.plurality import elect_in_order
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round, Tie

Pair = tuple[int, int]  # (winner, loser)


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    marks = places(ballots, options)
    names = marks.candidates
    d = matrix(marks)
    locked, taken, skipped, ties = lock_pairs(d, names, options)
    winners, ranking, seat_ties = elect_in_order(tiers(locked, names), seats, options)
    wins = pairwise_wins(d)
    tally = {name: int(wins[i]) for i, name in enumerate(names)}
    return Result(
        method="ranked-pairs",
        seats=seats,
        candidates=ballots.candidates,
        winners=winners,
        rounds=(Round(1, tally, elected=winners, note="tally: number of head-to-head wins"),),
        ranking=ranking,
        ties=(*ties, *seat_ties),
        tiebreak=options.tiebreak.describe(),
        details={
            "pairwise": as_mapping(names, d),
            "locked": tuple((names[a], names[b]) for a, b in taken),
            "skipped": tuple((names[a], names[b]) for a, b in skipped),
        },
    )


def lock_pairs(
    d: np.ndarray, names: tuple[str, ...], options: Options
) -> tuple[np.ndarray, list[Pair], list[Pair], list[Tie]]:
    """The locked graph (``locked[a, b]``: a over b), the pairs locked and skipped in order, the ties."""
    n = len(d)
    majorities = [(a, b) for a in range(n) for b in range(n) if d[a, b] > d[b, a]]

    def strength(pair: Pair) -> tuple[int, int]:
        return (-int(d[pair]), int(d[pair[::-1]]))  # more winning votes, then fewer losing

    locked = np.zeros((n, n), dtype=bool)
    taken: list[Pair] = []
    skipped: list[Pair] = []
    ties: list[Tie] = []
    order: list[int] | None = None
    for _, same in groupby(sorted(majorities, key=strength), key=strength):
        group = list(same)
        # A pair already contradicted by locked pairs is skipped whatever the order.
        skipped.extend(pair for pair in group if _reaches(locked, pair[1], pair[0]))
        group = [pair for pair in group if pair not in skipped]
        if len(group) > 1 and not _acyclic(locked, group):
            if order is None:
                order, ties = _tie_breaking_ranking(names, options)
            rank = order.index
            group.sort(key=lambda pair: (rank(pair[0]), -rank(pair[1])))
        for a, b in group:
            if _reaches(locked, b, a):
                skipped.append((a, b))
            else:
                locked[a, b] = True
                taken.append((a, b))
    return locked, taken, skipped, ties


def _acyclic(locked: np.ndarray, pairs: list[Pair]) -> bool:
    trial = locked.copy()
    for a, b in pairs:
        trial[a, b] = True
    return not any(_reaches(trial, b, a) for a, b in pairs)


def _reaches(graph: np.ndarray, start: int, goal: int) -> bool:
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in np.flatnonzero(graph[node]):
            if int(nxt) not in seen:
                seen.add(int(nxt))
                todo.append(int(nxt))
    return False


def _tie_breaking_ranking(names: tuple[str, ...], options: Options) -> tuple[list[int], list[Tie]]:
    left = list(names)
    order: list[int] = []
    ties: list[Tie] = []
    while len(left) > 1:
        chosen, tie = options.tiebreak.choose(left, lowest=False, round=1, purpose="pair order")
        ties.append(tie)
        left.remove(chosen)
        order.append(names.index(chosen))
    order.extend(names.index(c) for c in left)
    return order, ties
