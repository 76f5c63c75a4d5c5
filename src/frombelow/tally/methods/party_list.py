"""Party-list proportional representation: seats shared among parties by their votes.

* ``dhondt``: highest averages, divisors 1, 2, 3, … (a party's quotient is
  ``votes / (seats won + 1)``);
* ``sainte_lague``: highest averages, divisors 1, 3, 5, … (``votes / (2 * seats won + 1)``);
* ``hare``: largest remainder with the Hare quota ``votes / seats`` (exact fraction);
* ``droop``: largest remainder with the Droop quota ``floor(votes / (seats + 1)) + 1``.

A legal threshold (``options.threshold``, a percentage of all valid votes, every party
counted) excludes the parties below it before any seat is shared; a party exactly at
the threshold qualifies. Parties with no votes win nothing. The largest-remainder quotas
are taken over the votes of the qualifying parties.

``Result.winners`` lists the seats in the order they were allocated, as party names: a
party appears once for each seat it wins. For highest averages that is the order of the
quotients; for largest remainder, the seats won by whole quotas (party by party, in the
order the parties are given), then the seats won by remainders, largest first.
``details["seats"]`` gives ``{party: seats}`` for every party.

Rounds: highest averages has one round per seat, whose tally is the parties' quotients
when that seat is given; largest remainder has one round, whose tally is the votes.
All arithmetic is exact (``Fraction``). A tie for a seat is broken by the tie-break rule
(for highest averages, ``previous-rounds`` looks at the quotients of earlier seats).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np

from frombelow.tally.ballots import Ballots, PartyVotes
from frombelow.tally.errors import CountError
from frombelow.tally.methods.plurality import first_marks
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round, Tie, Votes


def dhondt(party_votes: PartyVotes, seats: int, options: Options) -> Result:
    return _highest_averages("dhondt", party_votes, seats, options, lambda won: won + 1, "1, 2, 3, …")


def sainte_lague(party_votes: PartyVotes, seats: int, options: Options) -> Result:
    return _highest_averages("sainte-lague", party_votes, seats, options, lambda won: 2 * won + 1, "1, 3, 5, …")


def hare(party_votes: PartyVotes, seats: int, options: Options) -> Result:
    return _largest_remainder("hare", party_votes, seats, options, lambda votes: Fraction(votes, seats))


def droop(party_votes: PartyVotes, seats: int, options: Options) -> Result:
    return _largest_remainder("droop", party_votes, seats, options, lambda votes: Fraction(votes // (seats + 1) + 1))


def first_preferences(ballots: Ballots, options: Options) -> PartyVotes:
    """Ranked ballots as party votes: each counts for its first marked candidate standing
    (an overvoted first mark is void, as in plurality)."""
    first = first_marks(ballots, options)
    counted = first >= 0
    votes = np.bincount(first[counted], weights=ballots.weights[counted], minlength=len(ballots.candidates))
    standing = [c for c in range(len(ballots.candidates)) if c not in ballots.withdrawn]
    return PartyVotes(
        tuple(ballots.candidates[c] for c in standing), tuple(int(votes[c]) for c in standing), title=ballots.title
    )


def qualifying(party_votes: PartyVotes, options: Options) -> tuple[dict[str, int], list[str]]:
    """Votes of the parties that may win seats, and the parties the threshold excludes."""
    if len(party_votes.votes) != len(party_votes.parties):
        raise CountError(f"{len(party_votes.parties)} parties but {len(party_votes.votes)} vote totals")
    if any(v < 0 for v in party_votes.votes):
        raise CountError("a party cannot have a negative number of votes")
    if len(set(party_votes.parties)) != len(party_votes.parties):
        raise CountError("a party is named twice")
    total = sum(party_votes.votes)
    if total == 0:
        raise CountError("empty election: no votes to share seats by")
    below = [p for p, v in zip(party_votes.parties, party_votes.votes) if 100 * v < options.threshold * total]
    votes = {p: v for p, v in zip(party_votes.parties, party_votes.votes) if v > 0 and p not in below}
    if not votes:
        raise CountError(f"no party reaches the threshold of {options.threshold}% of the votes")
    return votes, below


def _highest_averages(
    method: str,
    party_votes: PartyVotes,
    seats: int,
    options: Options,
    divisor: Callable[[int], int],
    divisors: str,
) -> Result:
    votes, below = qualifying(party_votes, options)
    won = {party: 0 for party in votes}
    rounds: list[Round] = []
    ties: list[Tie] = []
    history: list[dict[str, Votes]] = []
    winners: list[str] = []
    for number in range(1, seats + 1):
        quotients = {party: _exact(Fraction(v, divisor(won[party]))) for party, v in votes.items()}
        best = max(quotients.values())
        tied = [party for party, q in quotients.items() if q == best]
        chosen = tied[0]
        if len(tied) > 1:
            chosen, tie = options.tiebreak.choose(tied, lowest=False, round=number, purpose="seat", history=history)
            ties.append(tie)
        won[chosen] += 1
        winners.append(chosen)
        rounds.append(Round(number, quotients, elected=(chosen,), note=f"seat {number}: {chosen}, quotient {best}"))
        history.append(quotients)
    extra = {"divisors": divisors, "quotients": history[-1] if history else {}}
    return _result(method, party_votes, seats, options, winners, rounds, ties, below, extra)


def _largest_remainder(
    method: str,
    party_votes: PartyVotes,
    seats: int,
    options: Options,
    quota_of: Callable[[int], Fraction],
) -> Result:
    votes, below = qualifying(party_votes, options)
    quota = quota_of(sum(votes.values()))
    whole = {party: int(v // quota) for party, v in votes.items()}
    remainders = {party: _exact(v - whole[party] * quota) for party, v in votes.items()}
    winners = [party for party, n in whole.items() for _ in range(n)]
    if len(winners) > seats:  # cannot happen with Hare or Droop; a guard for the arithmetic
        raise CountError(f"{len(winners)} whole quotas for {seats} seats")
    ties: list[Tie] = []
    while len(winners) < seats:
        # Each pass gives at most one remainder seat per party, largest remainder first.
        pool = dict(remainders)
        while pool and len(winners) < seats:
            best = max(pool.values())
            tied = [party for party, r in pool.items() if r == best]
            left = seats - len(winners)
            if len(tied) <= left:
                chosen_ones = tied
            else:
                chosen_ones = []
                while len(chosen_ones) < left:
                    chosen, tie = options.tiebreak.choose(tied, lowest=False, round=1, purpose="seat")
                    ties.append(tie)
                    tied.remove(chosen)
                    chosen_ones.append(chosen)
            for party in chosen_ones:
                winners.append(party)
                del pool[party]
    elected = tuple(dict.fromkeys(winners))
    tally: dict[str, Votes] = dict(votes)
    rounds = [
        Round(1, tally, quota=_exact(quota), elected=elected, note="seats by whole quotas, then largest remainders")
    ]
    extra = {
        "quota": _exact(quota),
        "quotas": {party: _exact(Fraction(v) / quota) for party, v in votes.items()},
        "whole quotas": whole,
        "remainders": remainders,
    }
    return _result(method, party_votes, seats, options, winners, rounds, ties, below, extra)


def _result(
    method: str,
    party_votes: PartyVotes,
    seats: int,
    options: Options,
    winners: list[str],
    rounds: list[Round],
    ties: list[Tie],
    below: list[str],
    extra: dict[str, object],
) -> Result:
    won = {party: winners.count(party) for party in party_votes.parties}
    return Result(
        method=method,
        seats=seats,
        candidates=party_votes.parties,
        winners=tuple(winners),
        rounds=tuple(rounds),
        ties=tuple(ties),
        tiebreak=options.tiebreak.describe(),
        details={
            "seats": won,
            "votes": dict(zip(party_votes.parties, party_votes.votes)),
            "threshold": options.threshold,
            "below threshold": tuple(below),
            **extra,
        },
    )


def _exact(value: Fraction) -> Votes:
    """Whole numbers as ``int`` so reports show 1200, not 1200/1."""
    return int(value) if value.denominator == 1 else value
