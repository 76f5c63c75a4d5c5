"""Instant-runoff voting (the alternative vote): one winner by successive exclusion.

Each round counts every active ballot for its highest-ranked continuing candidate. A
candidate with more than half of the votes counted that round wins. Otherwise the
candidate with fewest votes is excluded (ties: the tie-break rule) and each of their
ballots passes to its next continuing preference; a ballot with none left is exhausted.
With ``batch_elimination`` every candidate in the largest group of lowest candidates
whose combined votes are below the next candidate's is excluded at once (it cannot
change the outcome). With ``continue_until_two`` rounds go on until two remain even
after a majority, so the final head-to-head is reported. Each round's ``quota`` is the
majority, ``floor(active / 2) + 1``.

With ``options.rctab`` the count is RCTab's singleWinnerMajority exactly (see
``stv_rctab``): its round structure (the winner is named in the round of their majority
even when continuing until two; with two left and no majority the leader wins, a tie
going to the tie-break as a choice of winner), undeclared write-ins, and the options only
RCTab has (``first_round_threshold``, ``minimum_votes``, ``stop_after_round``,
``slices``), which also switch it on.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.errors import CountError
from frombelow.tally.options import Options
from frombelow.tally.papers import Papers, inactive, prepare, tally
from frombelow.tally.result import Result, Round, Tie, Transfer


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    if seats != 1:
        raise CountError(f"IRV elects one candidate, not {seats}; use stv for several seats")
    if _rctab(ballots, options):
        from frombelow.tally.methods.stv_rctab import tabulate

        return tabulate(ballots, 1, options, mode="stv", method="irv")
    options = replace(options, tiebreak=options.tiebreak.for_count())
    names = ballots.candidates
    n = len(names)
    continuing = np.ones(n, dtype=bool)
    continuing[list(ballots.withdrawn)] = False
    if not continuing.any():
        raise CountError("no candidates to count")
    papers = Papers(prepare(ballots, options), ballots.weights, ballots, continuing)
    votes = tally(papers.current, ballots.weights, n)
    causes = inactive(papers.current, ballots.weights)

    rounds: list[Round] = []
    ties: list[Tie] = []
    history: list[dict[str, int]] = []
    excluded_order: list[str] = []
    winner: str | None = None
    while True:
        number = len(rounds) + 1
        standing = np.flatnonzero(continuing)
        round_tally = {names[c]: int(votes[c]) for c in standing}
        active = sum(round_tally.values())
        if not active:
            raise CountError("no ballot counts for any standing candidate: nothing to count")
        leader_votes = max(round_tally.values())
        majority = 2 * leader_votes > active
        if len(standing) == 1 or (majority and not (options.continue_until_two and len(standing) > 2)):
            # A majority (or the last one standing) is always a single leader.
            winner = next(names[c] for c in standing if votes[c] == leader_votes)
            rounds.append(_round(number, round_tally, causes, elected=(winner,)))
            break
        out = _to_exclude(standing, votes, names, options, number, history, ties)
        for c in out:
            continuing[c] = False
        moved = np.concatenate([papers.rows_of(c) for c in out])
        sources = papers.current[moved].copy()
        papers.advance(moved, continuing)
        arrived, weights = papers.current[moved], ballots.weights[moved]
        transfers = _transfers(out, sources, arrived, weights, names)
        counted = arrived >= 0
        votes = votes + np.bincount(arrived[counted], weights=weights[counted], minlength=n).astype(np.int64)
        votes[out] = 0
        rounds.append(_round(number, round_tally, causes, eliminated=tuple(names[c] for c in out), transfers=transfers))
        causes = _add_inactive(causes, arrived, weights)
        history.append(round_tally)
        excluded_order.extend(names[c] for c in out)

    final = rounds[-1].tally
    others = sorted((c for c in final if c != winner), key=lambda c: -final[c])
    ranking = (winner, *others, *reversed(excluded_order))
    return Result(
        method="irv",
        seats=1,
        candidates=names,
        winners=(winner,),
        rounds=tuple(rounds),
        ranking=ranking,
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
    )


def _rctab(ballots: Ballots, options: Options) -> bool:
    return (
        options.rctab
        or options.first_round_threshold
        or options.minimum_votes > 0
        or options.stop_after_round is not None
        or UNDECLARED_WRITE_IN in ballots.candidates
        or options.quota != "droop"
        or bool(options.slices)
    )


def _to_exclude(
    standing: np.ndarray,
    votes: np.ndarray,
    names: tuple[str, ...],
    options: Options,
    number: int,
    history: list[dict[str, int]],
    ties: list[Tie],
) -> list[int]:
    ordered = sorted(standing, key=lambda c: int(votes[c]))
    if options.batch_elimination:
        # The largest lowest group whose total is below the next candidate's votes.
        batch: list[int] = []
        running = 0
        # Continuing until two remain keeps at least two standing.
        limit = len(ordered) - 2 if options.continue_until_two else len(ordered) - 1
        for i, c in enumerate(ordered[:limit]):
            running += int(votes[c])
            if running < int(votes[ordered[i + 1]]):
                batch = ordered[: i + 1]
        if len(batch) > 1:
            return list(batch)
    lowest = int(votes[ordered[0]])
    tied = [names[c] for c in ordered if int(votes[c]) == lowest]
    if len(tied) == 1:
        return [ordered[0]]
    chosen, tie = options.tiebreak.choose(tied, lowest=True, round=number, purpose="exclude", history=history)
    ties.append(tie)
    return [names.index(chosen)]


def _transfers(
    out: list[int], sources: np.ndarray, targets: np.ndarray, weights: np.ndarray, names: tuple[str, ...]
) -> list[Transfer]:
    """Votes moved from each excluded candidate to each target (None: left the count)."""
    transfers = []
    n = len(names)
    for s in out:
        mine = sources == s if len(out) > 1 else slice(None)
        arrived = targets[mine]
        # Inactive rows (negative codes) all land in bin n.
        amounts = np.bincount(np.where(arrived >= 0, arrived, n), weights=weights[mine], minlength=n + 1)
        transfers += [Transfer(names[s], names[t], int(amounts[t])) for t in np.flatnonzero(amounts[:n])]
        if amounts[n]:
            transfers.append(Transfer(names[s], None, int(amounts[n])))
    return transfers


def _add_inactive(causes: dict[str, int], codes: np.ndarray, weights: np.ndarray) -> dict[str, int]:
    out = dict(causes)
    for cause, amount in inactive(codes, weights).items():
        out[cause] = out.get(cause, 0) + amount
    return out


def _round(
    number: int,
    round_tally: dict[str, int],
    causes: dict[str, int],
    *,
    elected: tuple[str, ...] = (),
    eliminated: tuple[str, ...] = (),
    transfers: list[Transfer] | tuple[Transfer, ...] = (),
) -> Round:
    return Round(
        number=number,
        tally=round_tally,
        elected=elected,
        eliminated=eliminated,
        transfers=tuple(transfers),
        quota=sum(round_tally.values()) // 2 + 1,
        exhausted=sum(causes.values()),
        inactive=causes,
    )
