"""Counting exactly as RCTab (the Ranked Choice Voting Tabulator certified in US states) does.

One round loop serves every RCTab winner election mode:

* ``stv-rctab`` (``count``), several seats: RCTab's multiWinnerAllowMultipleWinnersPerRound
  (everyone reaching the threshold is elected in the round) or, with
  ``options.one_winner_per_round``, multiWinnerAllowOnlyOneWinnerPerRound (only the top
  one; ties by the tie-break). A winner's surplus fraction is ``(votes - threshold) / votes``
  truncated to ``options.decimals`` places; each of their ballots passes on
  ``value × fraction`` (truncated) and leaves the rest with them. In the next round the
  winner's total is set back to the threshold and what truncation kept beyond it is
  reported as ``Transfer(winner, None, amount, RESIDUAL_SURPLUS)``. After the last seat is
  filled one more round shows the last surpluses leaving (inactive cause
  "final round surplus"). With one seat this is RCTab's singleWinnerMajority, which
  ``irv`` uses when ``options.rctab`` (or another RCTab-only option) is set.
* ``bottoms-up`` (``bottoms_up``): eliminate until as many candidates remain as seats,
  who are all elected, no surplus transferred; with ``options.bottoms_up_share`` (a
  percentage) instead until every remaining candidate has more than that share of the
  round's votes (bottomsUpUsingPercentageThreshold; the seats are then not fixed), and
  with ``options.cutoff_elimination`` everyone below that share goes in one round
  (RCTab's cutoffElimination; the one case shows "below", i.e. fewer votes than the share).

The threshold is computed from the votes V of the first round (several seats) or of
each round (one seat, bottoms-up share; frozen at round 1 with
``first_round_threshold``, and once the winner is known when continuing until two): ``floor(V / (seats + 1)) + 1`` (``quota`` "droop"),
``V / (seats + 1)`` truncated to ``decimals`` places plus ``10**-decimals``
("droop-decimal"), ``ceil(V / seats)`` ("hare"), or ``V × share`` (bottoms-up share);
never below ``minimum_votes``.

Each round, in RCTab's order: no one is elected while undeclared write-ins
(``UNDECLARED_WRITE_IN``) hold votes; if no one is elected, eliminate the undeclared
write-ins, else everyone under ``minimum_votes``, else a batch (``batch_elimination``:
every candidate whose total together with all below cannot reach the next one up), else
the one with fewest votes (ties: the tie-break, selecting a loser). With one seat,
two candidates left and neither at the threshold, the leader wins (a tie: the tie-break,
selecting a winner). ``continue_until_two`` keeps eliminating after the winner is known
(the winner keeps receiving ballots) until two remain; ``stop_after_round`` stops.

Ballots: every row is an individual ballot (or identical ones, with a weight); each
row's value is held as whole units of ``10**-decimals`` votes. Ballots no longer counted
are reported by cause: "overvotes", "skipped rankings", "repeated rankings",
"exhausted" (no continuing choice left), "blank" (ranks nobody: RCTab's undervotes,
outside its inactive-ballot table) and "final round surplus".

``options.slices`` names ballot tags (e.g. "precinct", "batch") to break the count down
by, as RCTab's tabulation by precinct or batch does: the decisions and the threshold are
the whole count's; each slice's rounds show the votes, inactive ballots and transfers of
its own ballots only (``details["slices"][tag][label]``, a tuple of Rounds; ballots
without a label are in no slice). Winners are in the order
of the rounds that elected them; several in one round are listed by name, as RCTab does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.errors import CountError
from frombelow.tally.java_random import java_order
from frombelow.tally.methods.stv_common import as_votes, unit_dtype
from frombelow.tally.options import Options
from frombelow.tally.papers import INACTIVE_CAUSES, STOP_SURPLUS, Papers, prepare
from frombelow.tally.result import RESIDUAL_SURPLUS, Result, Round, Tie, Transfer, Votes
from frombelow.tally.tiebreak import TieBreak

RCTAB_QUOTAS = ("droop", "droop-decimal", "hare")


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    """``stv-rctab``: RCTab's multi-winner count (one seat: its single-winner count)."""
    return tabulate(ballots, seats, options, mode="stv", method="stv-rctab")


def bottoms_up(ballots: Ballots, seats: int, options: Options) -> Result:
    """``bottoms-up``: eliminate until ``seats`` remain, or (share given) all have that share."""
    if options.bottoms_up_share is not None:
        return tabulate(ballots, 0, options, mode="share", method="bottoms-up")
    return tabulate(ballots, seats, options, mode="bottoms-up", method="bottoms-up")


@dataclass
class _Step:
    """What one round decided, filled in as the count goes."""

    tally: dict[int, int]
    threshold: Fraction
    elected: list[int]
    eliminated: list[int]
    inactive: dict[str, int]
    transfers: list[Transfer]
    # tag -> (labels × slots) units, and each label's transfers
    slices: dict[str, np.ndarray] = field(default_factory=dict)
    slice_transfers: dict[str, dict[int, list[Transfer]]] = field(default_factory=dict)


def tabulate(ballots: Ballots, seats: int, options: Options, *, mode: str, method: str) -> Result:
    if options.quota not in RCTAB_QUOTAS:
        raise CountError(f"{method} takes quota {', '.join(RCTAB_QUOTAS)}, not {options.quota!r}")
    if mode in ("stv", "bottoms-up") and seats < 1:
        raise CountError(f"{method} needs at least one seat")
    if options.quota == "hare" and seats < 1:
        raise CountError("the hare quota needs a number of seats")
    tally = _Tabulation(ballots, seats, options, mode)
    tally.run()
    return tally.result(method)


class _Tabulation:
    def __init__(self, ballots: Ballots, seats: int, options: Options, mode: str) -> None:
        self.names = ballots.candidates
        self.n = len(self.names)
        self.seats = seats
        self.options = options
        self.mode = mode
        self.tiebreak: TieBreak = options.tiebreak.for_count()
        self.scale = 10**options.decimals
        self.uwi = self.names.index(UNDECLARED_WRITE_IN) if UNDECLARED_WRITE_IN in self.names else None
        self.excluded = set(ballots.withdrawn)
        if len(self.excluded) == self.n:
            raise CountError("every candidate is excluded: nothing to count")
        self.num_candidates = self.n - len(self.excluded)  # RCTab's getNumCandidates
        self.num_declared = self.n - (self.uwi is not None)  # RCTab's getNumDeclaredCandidates
        self.uses_surpluses = mode == "stv" and seats > 1
        self.winners: dict[int, int] = {}  # candidate -> round elected, in order of election
        self.eliminated: dict[int, int] = {}
        self.exact = unit_dtype(ballots.weights, self.scale) is np.int64
        self.weights = ballots.weights if self.exact else ballots.weights.astype(object)
        self.value = np.full(len(self.weights), self.scale, dtype=np.int64 if self.exact else object)
        self.allocated: dict[int, int] = {}  # what each winner kept of their ballots, in units
        self.winner_total: dict[int, int] = {}
        self.slices: dict[str, tuple[list[str], np.ndarray]] = {}
        for tag in options.slices:
            if tag not in ballots.tags:
                raise CountError(f"a count by {tag} needs ballots labelled with their {tag}, and these carry none")
            labels = ballots.tags[tag]
            present = sorted({str(x) for x in labels.tolist() if x not in (None, "")})
            index = {label: i for i, label in enumerate(present)}
            codes = np.array([index.get(str(x), -1) if x not in (None, "") else -1 for x in labels.tolist()])
            self.slices[tag] = (present, codes)
        self.slice_allocated: dict[str, dict[int, np.ndarray]] = {tag: {} for tag in self.slices}
        self.slice_winner_total: dict[str, dict[int, np.ndarray]] = {tag: {} for tag in self.slices}
        self.papers = Papers(prepare(ballots, options), ballots.weights, ballots, self._counting())
        self.steps: list[_Step] = []
        self.ties: list[Tie] = []
        self.history: list[dict[str, int]] = []  # tallies in units, for the tie-break
        self.threshold = Fraction(0)

    # --- candidate status --------------------------------------------------------

    def _counting(self) -> np.ndarray:
        """Who a ballot may count for: continuing, and winners too when continuing until two."""
        mask = np.ones(self.n, dtype=bool)
        for c in self.excluded | set(self.eliminated):
            mask[c] = False
        if not self.options.continue_until_two:
            for c in self.winners:
                mask[c] = False
        return mask

    # --- the rounds ----------------------------------------------------------------

    def run(self) -> None:
        while True:
            number = len(self.steps) + 1
            step = self._count_round(number)
            self.steps.append(step)
            active = sum(step.tally.values())
            if self.seats > 1:
                recompute = number == 1
            else:
                # Frozen by first_round_threshold, and (RCTab) once the winner is known.
                recompute = number == 1 or not (self.options.first_round_threshold or self.winners)
            if recompute:
                self.threshold = self._threshold(active)
            step.threshold = self.threshold
            winners = self._identify_winners(number, step.tally)
            if winners:
                for c in winners:
                    self.winners[c] = number
                step.elected = winners
                if self.uses_surpluses:
                    for c in winners:
                        self._keep_quota(c, step.tally[c])
            elif self._must_eliminate():
                out = self._eliminate(number, step.tally)
                for c in out:
                    self.eliminated[c] = number
                step.eliminated = out
            if self.seats > 1:
                self._update_winner_tallies(number, step)
            self.history.append({self.names[c]: v for c, v in step.tally.items()})
            if not self._keep_going(number):
                return

    def _count_round(self, number: int) -> _Step:
        """RCTab's computeTalliesForRound: move every ballot whose candidate no longer counts."""
        counting = self._counting()
        transfers: list[Transfer] = []
        if number > 1:
            current = self.papers.current
            moving = np.flatnonzero((current >= 0) & ~counting[np.maximum(current, 0)])
            if moving.size:
                sources = current[moving].copy()
                if self.uses_surpluses and len(self.winners) == self.seats:
                    self.papers.current[moving] = STOP_SURPLUS
                else:
                    self.papers.advance(moving, counting)
                targets = self.papers.current[moving]
                transfers = self._transfers(sources, targets, moving)
                for tag, (labels, codes) in self.slices.items():
                    mine = codes[moving]
                    by_label = self.steps[-1].slice_transfers.setdefault(tag, {})
                    for i in np.unique(mine[mine >= 0]).tolist():
                        part = mine == i
                        by_label[i] = self._transfers(sources[part], targets[part], moving[part])
            self.steps[-1].transfers = transfers + self.steps[-1].transfers
        current = self.papers.current
        amounts = self.weights * self.value
        tally = {int(c): 0 for c in np.flatnonzero(counting)}
        inactive: dict[str, int] = {}
        slots = np.where(current >= 0, current, self.n - current)
        sums = np.zeros(self.n + 1 - min(INACTIVE_CAUSES), dtype=amounts.dtype)
        np.add.at(sums, slots, amounts)
        for c in tally:
            tally[c] = int(sums[c])
        for code, cause in INACTIVE_CAUSES.items():
            if sums[self.n - code]:
                inactive[cause] = int(sums[self.n - code])
        step = _Step(tally, Fraction(0), [], [], inactive, [])
        for tag, (labels, codes) in self.slices.items():
            inside = codes >= 0
            by_label = np.zeros((len(labels), len(sums)), dtype=amounts.dtype)
            np.add.at(by_label, (codes[inside], slots[inside]), amounts[inside])
            step.slices[tag] = by_label
        return step

    def _transfers(self, sources: np.ndarray, targets: np.ndarray, rows: np.ndarray) -> list[Transfer]:
        moved: dict[tuple[int, int], int] = {}
        amounts = self.weights[rows] * self.value[rows]
        for s, t, a in zip(sources.tolist(), targets.tolist(), amounts.tolist(), strict=True):
            key = (s, t if t >= 0 else -1)
            moved[key] = moved.get(key, 0) + int(a)
        out = []
        for (s, t), units in sorted(moved.items()):
            if units:
                target = self.names[t] if t >= 0 else None
                out.append(Transfer(self.names[s], target, self._votes(units)))
        return out

    def _threshold(self, active_units: int) -> Fraction:
        active = Fraction(active_units, self.scale)
        options = self.options
        if self.mode == "share":
            share = options.bottoms_up_share / 100
            # RCTab truncates the share to the decimal places first.
            share = Fraction(int(share * self.scale), self.scale)
            threshold = active * share
        else:
            divisor = self.seats if options.quota == "hare" else self.seats + 1
            places = 10**options.decimals if options.quota == "droop-decimal" else 1
            if options.quota == "hare":
                threshold = Fraction(-(-(active * places) // divisor), places)
            else:
                threshold = Fraction((active * places) // divisor + 1, places)
        if options.minimum_votes > 0 and options.minimum_votes > threshold:
            threshold = options.minimum_votes
        return threshold

    def _units(self, votes: Fraction) -> Fraction:
        return votes * self.scale

    def _identify_winners(self, number: int, tally: dict[int, int]) -> list[int]:
        if self.uwi is not None and tally.get(self.uwi, 0) != 0:
            return []  # nobody wins while undeclared write-ins hold votes
        threshold = self._units(self.threshold)
        selected: list[int] = []
        if self.mode == "share":
            if all(v > threshold for v in tally.values()):
                selected = list(tally)
            return self._order(selected)
        unfilled = self.seats - len(self.winners)
        if unfilled > 0:
            if len(tally) <= unfilled:
                selected = list(tally)
            elif self.options.first_round_threshold and len(tally) - 1 == self.seats:
                top = max(tally.values())
                selected = [c for c, v in tally.items() if v == top]
            elif self.mode != "bottoms-up":
                selected = [c for c, v in tally.items() if v >= threshold and c != self.uwi]
        several = len(selected) > 1 and (self.options.one_winner_per_round or self.options.first_round_threshold)
        final_pair = (
            self.seats == 1
            and not selected
            and len(tally) == 2
            and unfilled == 1
            and all(v >= self._units(self.options.minimum_votes) for v in tally.values())
        )
        if several or final_pair:
            top = max(tally.values())
            selected = [c for c, v in tally.items() if v == top]
            if len(selected) > 1:
                chosen, tie = self.tiebreak.choose(
                    [self.names[c] for c in selected], lowest=False, round=number, purpose="elect", history=self.history
                )
                self.ties.append(tie)
                selected = [self.names.index(chosen)]
        return self._order(selected)

    def _order(self, selected: list[int]) -> list[int]:
        """Several elected in one round: RCTab's reports list them by name."""
        return sorted(selected, key=lambda c: java_order(self.names[c]))

    def _must_eliminate(self) -> bool:
        return (
            len(self.winners) < self.seats
            or (self.options.continue_until_two and len(self.eliminated) < self.num_candidates - 2)
            or self.mode == "share"
        )

    def _eliminate(self, number: int, tally: dict[int, int]) -> list[int]:
        if self.uwi is not None and tally.get(self.uwi, 0) > 0:
            return [self.uwi]
        minimum = self._units(self.options.minimum_votes)
        if minimum > 0:
            below = [c for c, v in sorted(tally.items(), key=lambda cv: cv[1]) if v < minimum]
            if len(below) == self.num_declared:
                raise CountError("every declared candidate is below the minimum vote threshold: the count cannot go on")
            if below:
                return below
        if self.mode == "share" and self.options.cutoff_elimination:
            threshold = self._units(self.threshold)
            below = [c for c, v in sorted(tally.items(), key=lambda cv: cv[1]) if v < threshold]
            if 0 < len(below) < len(tally):
                return below
        if self.options.batch_elimination:
            batch = self._batch(tally)
            if len(batch) > 1:
                return batch
        least = min(tally.values())
        tied = [c for c, v in tally.items() if v == least]
        if len(tied) == 1:
            return tied
        chosen, tie = self.tiebreak.choose(
            [self.names[c] for c in tied], lowest=True, round=number, purpose="exclude", history=self.history
        )
        self.ties.append(tie)
        return [self.names.index(chosen)]

    def _batch(self, tally: dict[int, int]) -> list[int]:
        """RCTab's runBatchElimination over the tallies from lowest up."""
        groups: dict[int, list[int]] = {}
        for c, v in tally.items():
            groups.setdefault(v, []).append(c)
        running = 0
        seen: list[int] = []
        eliminations: list[int] = []
        previous: list[int] = []
        for votes in sorted(groups):
            grown = list(eliminations)
            if running < votes:
                grown += [c for c in seen if c not in eliminations]
            running += votes * len(groups[votes])
            seen += groups[votes]
            if len(grown) > len(eliminations):
                previous, eliminations = eliminations, grown
        if self.options.continue_until_two and len(eliminations) + len(self.eliminated) == self.num_candidates - 1:
            eliminations = previous
        return eliminations

    def _keep_quota(self, winner: int, votes: int) -> None:
        """Reduce the value of the winner's ballots to their surplus share (RCTab's truncations)."""
        threshold = self._units(self.threshold)
        if threshold.denominator != 1:
            raise CountError("the threshold has more decimal places than the vote arithmetic")
        extra = votes - int(threshold)
        fraction = extra * self.scale // votes if extra > 0 else 0
        rows = self.papers.rows_of(winner)
        old = self.value[rows]
        new = old * fraction // self.scale
        self.value[rows] = new
        kept = self.weights[rows] * (old - new)
        self.allocated[winner] = int(kept.sum())
        for tag, (labels, codes) in self.slices.items():
            mine = codes[rows]
            per_label = np.zeros(len(labels), dtype=kept.dtype)
            np.add.at(per_label, mine[mine >= 0], kept[mine >= 0])
            self.slice_allocated[tag][winner] = per_label

    def _update_winner_tallies(self, number: int, step: _Step) -> None:
        """Winners of earlier rounds: what they kept, set back to the threshold (residual surplus)."""
        threshold = int(self._units(self.threshold))
        for c, won in self.winners.items():
            if won == number:
                continue
            if won == number - 1:
                kept = self.allocated.get(c, 0)
                residual = kept - threshold
                if residual > 0:
                    kept = threshold
                    previous = self.steps[number - 2]
                    previous.transfers.append(Transfer(self.names[c], None, self._votes(residual), RESIDUAL_SURPLUS))
                self.winner_total[c] = kept
                for tag in self.slices:
                    # A slice shows what its own ballots left with the winner (no residual there).
                    self.slice_winner_total[tag][c] = self.slice_allocated[tag].get(c)
            step.tally[c] = self.winner_total[c]
            for tag in self.slices:
                kept_here = self.slice_winner_total[tag].get(c)
                if kept_here is not None:
                    step.slices[tag][:, c] = kept_here

    def _keep_going(self, number: int) -> bool:
        options = self.options
        if options.stop_after_round is not None and number >= options.stop_after_round:
            return False
        if len(self.winners) == self.num_declared and self.seats > self.num_candidates:
            return False  # more seats than candidates: everyone is elected
        if options.continue_until_two:
            return (
                len(self.eliminated) + len(self.winners) + 1 < self.num_candidates or number in self.eliminated.values()
            )
        if self.mode == "share":
            return not self.winners
        return len(self.winners) < self.seats or (self.uses_surpluses and number in self.winners.values())

    # --- the result ------------------------------------------------------------------

    def _votes(self, units: int) -> Votes:
        return as_votes(units, self.options.decimals)

    def _threshold_votes(self, threshold: Fraction) -> Votes:
        if threshold.denominator == 1:
            return int(threshold)
        return Decimal(threshold.numerator) / Decimal(threshold.denominator)

    def _slice_rounds(self, tag: str, rounds: list[Round]) -> dict[str, tuple[Round, ...]]:
        """Each label's rounds: the whole count's decisions and threshold, its own ballots' votes."""
        labels, _ = self.slices[tag]
        out: dict[str, tuple[Round, ...]] = {}
        for i, label in enumerate(labels):
            mine = []
            for whole, step in zip(rounds, self.steps, strict=True):
                sums = step.slices[tag][i]
                inactive = {
                    cause: self._votes(int(sums[self.n - code]))
                    for code, cause in INACTIVE_CAUSES.items()
                    if sums[self.n - code]
                }
                mine.append(
                    Round(
                        number=whole.number,
                        tally={self.names[c]: self._votes(int(sums[c])) for c in sorted(step.tally)},
                        quota=whole.quota,
                        elected=whole.elected,
                        eliminated=whole.eliminated,
                        transfers=tuple(step.slice_transfers.get(tag, {}).get(i, ())),
                        exhausted=sum(inactive.values()),
                        inactive=inactive,
                    )
                )
            out[label] = tuple(mine)
        return out

    def _ranked_after_winners(self) -> list[int]:
        """Everyone not elected, once each: still standing by last tally, then out latest first, then excluded.

        The last round's tally still holds those eliminated in it, so they are ranked by when they went out.
        """
        last = self.steps[-1].tally if self.steps else {}
        gone = set(self.winners) | set(self.eliminated) | self.excluded
        standing = [c for c in range(self.n) if c not in gone]
        standing.sort(key=lambda c: -last.get(c, 0))
        out_order = sorted(self.eliminated, key=lambda c: -self.eliminated[c])
        return standing + out_order + sorted(self.excluded)

    def result(self, method: str) -> Result:
        rounds = []
        for number, step in enumerate(self.steps, 1):
            tally = {self.names[c]: self._votes(v) for c, v in sorted(step.tally.items())}
            rounds.append(
                Round(
                    number=number,
                    tally=tally,
                    quota=self._threshold_votes(step.threshold),
                    elected=tuple(self.names[c] for c in step.elected),
                    eliminated=tuple(self.names[c] for c in step.eliminated),
                    transfers=tuple(step.transfers),
                    exhausted=self._votes(sum(step.inactive.values())),
                    inactive={cause: self._votes(v) for cause, v in step.inactive.items()},
                )
            )
        winners = tuple(self.names[c] for c in self.winners)
        slices = {tag: self._slice_rounds(tag, rounds) for tag in self.slices}
        ranking = winners + tuple(self.names[c] for c in self._ranked_after_winners())
        return Result(
            method=method,
            seats=self.seats,
            candidates=self.names,
            winners=winners,
            rounds=tuple(rounds),
            ranking=ranking,
            ties=tuple(self.ties),
            tiebreak=self.tiebreak.describe(),
            details={
                "threshold rule": self.options.quota if self.mode != "share" else "bottoms-up share",
                "decimals": self.options.decimals,
                "blank ballots": self._votes(self.steps[0].inactive.get("blank", 0)) if self.steps else 0,
                **({"slices": slices} if slices else {}),
            },
        )
