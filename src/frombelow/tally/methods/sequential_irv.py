"""Sequential (multi-pass) IRV: one IRV count per seat, each winner left out of the next.

RCTab's multiPassIrv: pass k counts all the ballots again by IRV with the winners of
passes 1..k-1 excluded (as withdrawn candidates), and elects one. Every pass starts
afresh, its tie-break too (RCTab seeds a new ``java.util.Random`` per pass).
``Result.details["passes"]`` holds the Result of each pass; ``rounds`` are the last
pass's.
"""

from __future__ import annotations

from dataclasses import replace

from frombelow.tally.ballots import Ballots
from frombelow.tally.errors import CountError
from frombelow.tally.methods import irv
from frombelow.tally.options import Options
from frombelow.tally.result import Result


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    standing = len(ballots.candidates) - len(ballots.withdrawn)
    if seats > standing:
        raise CountError(f"{seats} seats but only {standing} candidates stand")
    passes: list[Result] = []
    winners: list[str] = []
    for _ in range(seats):
        left_out = ballots.withdrawn | {ballots.candidates.index(w) for w in winners}
        result = irv.count(replace(ballots, withdrawn=frozenset(left_out)), 1, options)
        passes.append(result)
        if not result.winners:  # stopped early (stop_after_round): no further pass
            break
        winners.append(result.winners[0])
    last = passes[-1]
    return Result(
        method="sequential-irv",
        seats=seats,
        candidates=ballots.candidates,
        winners=tuple(winners),
        rounds=last.rounds,
        ranking=(*winners, *(c for c in last.ranking if c not in winners)),
        ties=tuple(t for p in passes for t in p.ties),
        tiebreak=last.tiebreak,
        details={"passes": passes},
    )
