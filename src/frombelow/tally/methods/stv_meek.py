"""Single transferable vote by Meek's method, as the New Zealand rules count it.

Meek's method (Hill, Wichmann & Woodall, "Algorithm 123", Computer Journal 1987) gives
every candidate a *keep value*: 1 for a hopeful candidate, 0 for an excluded one, and
for an elected one the share of each vote reaching them that they keep. Every ballot
is counted afresh at each iteration: its first candidate keeps ``keep × 1``, the rest
goes on to the next, which keeps its share of what is left, and so on; what reaches
the end of the ballot is non-transferable. The quota follows the votes still counted.
Keep values of the elected are lowered until their surpluses are (almost) nothing, so
an elected candidate's surplus also flows through the candidates elected after them.

Arithmetic and order follow the New Zealand Local Electoral Regulations 2001,
schedule 1A, all in whole units of 10⁻⁹ votes, so the count is exact and reproducible:

* quota = (valid votes − non-transferable) / (seats + 1), truncated to 9 places, + 10⁻⁹;
* a ballot's share to a candidate is ``remaining × keep``, rounded *up* to 9 places,
  and what it passes on is the remaining value less that share;
* a candidate whose votes reach the quota is elected at once; each elected candidate's
  new keep value is ``keep × quota`` rounded up, then divided by their votes and rounded
  up, both to 9 places (never above 1);
* when the total surplus is below ``SURPLUS_LIMIT`` (or the keep values no longer
  change at this precision), the hopeful candidate with fewest votes is excluded;
  ties go to the earliest stage at which the tied candidates differed (the New
  Zealand "ahead at first difference" rule), then by lot;
* when the elected and hopeful candidates are as many as the seats, all are elected.

A round is reported whenever something is decided (and for the first count), with
the tally of the iteration that decided it; the note says how many iterations it took.
Ballot-marking options (overvotes, skipped ranks, repeats, maximum rankings) apply as
in every ranked method; an overvote counts for its one member still in the count
(hopeful or elected), as in IRV and WIGM. ``quota`` and ``decimals`` are fixed by the
rules, so asking for others is an error rather than silently ignored: any quota other
than the default ``droop`` is refused (Meek's quota is the Droop quota of the votes
still counted, recomputed every iteration), and so is any ``decimals`` other than the
default (5, the WIGM setting) or 9, the places Meek counts to.

Large elections count exactly: the per-row sums switch to Python integers when int64
could wrap (see ``stv_common.unit_dtype``).
"""

from __future__ import annotations

import numpy as np

from frombelow.tally.ballots import EMPTY, OVERVOTE_BASE, Ballots, overvote_group
from frombelow.tally.errors import CountError
from frombelow.tally.methods.stv_common import as_votes, lowest, order_by_votes, unit_dtype
from frombelow.tally.options import Options
from frombelow.tally.papers import END, INACTIVE_CAUSES, STOP_OVERVOTE, prepare
from frombelow.tally.result import Result, Round, Tie, Votes
from frombelow.tally.tiebreak import TieBreak

DECIMALS = 9
UNIT = 10**DECIMALS
SURPLUS_LIMIT = UNIT // 10_000  # 0.0001 votes
MAX_ITERATIONS = 10_000  # per stage; the keep values converge long before


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    _check_options(options)
    meek = _Meek(ballots, seats, _nz_tiebreak(options.tiebreak))
    meek.run(options)
    return meek.result()


def _check_options(options: Options) -> None:
    """Refuse, rather than ignore, a quota or precision the rules do not allow."""
    if options.quota != Options().quota:
        raise CountError(
            f"stv-meek does not take quota {options.quota!r}: Meek's quota is part of the method "
            "(the Droop quota of the votes still counted, recomputed every iteration); other quotas apply to stv"
        )
    if options.decimals not in (Options().decimals, DECIMALS):
        raise CountError(
            f"stv-meek does not take decimals={options.decimals}: the New Zealand rules count Meek to "
            f"{DECIMALS} decimal places; other precisions apply to stv"
        )


def _nz_tiebreak(chosen: TieBreak) -> TieBreak:
    """The New Zealand rule looks from the first stage on; used unless another rule was set."""
    if chosen == TieBreak():
        return TieBreak(direction="forward")
    return chosen


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class _Meek:
    def __init__(self, ballots: Ballots, seats: int, tiebreak: TieBreak) -> None:
        self.names = ballots.candidates
        self.n = len(self.names)
        self.seats = seats
        self.tiebreak = tiebreak
        self.ballots = ballots
        # Python integers in place of int64 where weights × values could wrap (huge elections).
        exact = unit_dtype(ballots.weights, UNIT)
        self.weights = ballots.weights if exact is np.int64 else ballots.weights.astype(object)
        self.exact = exact
        self.keep = np.full(self.n, UNIT, dtype=np.int64)
        self.hopeful = np.ones(self.n, dtype=bool)
        for c in ballots.withdrawn:
            self.hopeful[c] = False
            self.keep[c] = 0
        if self.hopeful.sum() < seats:
            raise CountError(f"{seats} seats but only {int(self.hopeful.sum())} candidates stand")
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.rounds: list[Round] = []
        self.ties: list[Tie] = []
        self.history: list[dict[str, Votes]] = []
        self.iterations = 0
        self.final_votes = np.zeros(self.n, dtype=exact)

    # --- counting every ballot once with the current keep values ------------------

    def _sequences(self, options: Options) -> None:
        """Each row as candidate codes: an index, ``n`` (pass over) or ``n + 1`` (stop)."""
        prepared = prepare(self.ballots, options)
        self.raw = prepared
        self.stop_cause = np.full(len(prepared), END, dtype=np.int32)
        self._resolve()

    def _resolve(self) -> None:
        """Codes for this stage: overvotes count for their one standing (hopeful or elected) member."""
        raw = self.raw
        n = self.n
        seq = np.where(raw >= 0, raw, n).astype(np.int32)
        stops = (raw < 0) & (raw != EMPTY) & (raw > OVERVOTE_BASE)
        seq[stops] = n + 1
        first_stop = np.where(stops.any(axis=1), np.argmax(stops, axis=1), -1)
        rows = np.flatnonzero(first_stop >= 0)
        self.stop_cause[:] = END
        self.stop_cause[rows] = raw[rows, first_stop[rows]]
        if (raw <= OVERVOTE_BASE).any():
            # Not the withdrawn nor the excluded: as in IRV and WIGM, only candidates in the count.
            standing = set(self.elected) | set(self._hopefuls())
            for row, col in zip(*np.nonzero(raw <= OVERVOTE_BASE)):
                if seq[row, :col].max(initial=-1) == n + 1:
                    continue  # already stopped before this rank
                members = self.ballots.overvotes[overvote_group(int(raw[row, col]))] & standing
                if len(members) == 1:
                    seq[row, col] = next(iter(members))
                elif members:
                    seq[row, col:] = n + 1
                    self.stop_cause[row] = STOP_OVERVOTE
        self.seq = seq

    def _count(self) -> tuple[np.ndarray, dict[str, int]]:
        """Votes per candidate and non-transferable value by cause, in units."""
        n = self.n
        keep = np.concatenate([self.keep, [0, 0]])
        votes = np.zeros(n + 2, dtype=self.exact)
        remaining = np.full(len(self.seq), UNIT, dtype=np.int64)
        active = np.arange(len(self.seq))
        for col in range(self.seq.shape[1]):
            codes = self.seq[active, col]
            # remaining and keep are at most UNIT each, so their product fits int64.
            share = -(-(remaining[active] * keep[codes]) // UNIT)  # rounded up (clause 10)
            np.add.at(votes, codes, share * self.weights[active])
            remaining[active] -= share
            active = active[(remaining[active] > 0) & (codes != n + 1)]
            if not active.size:
                break
        left = remaining * self.weights
        lost = {}
        for code, cause in INACTIVE_CAUSES.items():
            amount = int(left[self.stop_cause == code].sum())
            if amount:
                lost[cause] = amount
        return votes[:n], lost

    # --- stages -------------------------------------------------------------------

    def run(self, options: Options) -> None:
        self._sequences(options)
        votes, lost = self._count()
        self.valid = int(votes.sum()) // UNIT
        if self.valid == 0:
            raise CountError("no ballot counts for any candidate: nothing to count")
        # Ballots that count for nobody at the first count are not valid votes.
        self.invalid = {cause: amount // UNIT for cause, amount in lost.items()}
        self.invalid_units = sum(lost.values())
        since = 1
        while True:
            self.iterations += 1
            quota = self._quota(lost)
            tally = self._tally(votes)
            newly = self._elect([c for c in self._hopefuls() if votes[c] >= quota], votes)
            vacancies = self.seats - len(self.elected)
            if vacancies == 0:
                self._round(tally, quota, lost, newly, [], since, "all seats are filled")
                return
            if len(self._hopefuls()) == vacancies:
                rest = self._elect(self._hopefuls(), votes)
                self._round(tally, quota, lost, newly + rest, [], since, "the hopeful candidates fill the last seats")
                return
            surplus = sum(max(int(votes[c]) - quota, 0) for c in self.elected)
            stable = surplus >= SURPLUS_LIMIT and not self._update_keep_values(votes, quota)
            if surplus < SURPLUS_LIMIT or stable:
                out = self._lowest(votes)
                self.hopeful[out] = False
                self.keep[out] = 0
                self.excluded.append(out)
                why = "keep values stable at 9 places" if stable else "total surplus below 0.0001"
                note = f"{why}: {self.names[out]} excluded"
                rest: list[int] = []
                if len(self._hopefuls()) == self.seats - len(self.elected):
                    rest = self._elect(self._hopefuls(), votes)
                    note += "; the hopeful candidates fill the last seats"
                self._round(tally, quota, lost, newly + rest, [out], since, note)
                if rest:
                    return
                since = self.iterations + 1
                if (self.raw <= OVERVOTE_BASE).any():
                    self._resolve()
            elif newly:
                self._round(tally, quota, lost, newly, [], since, "keep values recomputed")
                since = self.iterations + 1
            if self.iterations > MAX_ITERATIONS * (len(self.rounds) + 1):
                raise CountError("Meek's keep values did not converge")
            votes, lost = self._count()
            self.final_votes = votes

    def _elect(self, group: list[int], votes: np.ndarray) -> list[int]:
        """Elect ``group``, most votes first (equal votes ordered by the tie-break)."""
        order = self._order(group, votes, "order of election")
        for c in order:
            self.hopeful[c] = False
            self.elected.append(c)
        return order

    def _quota(self, lost: dict[str, int]) -> int:
        active = self.valid * UNIT - (sum(lost.values()) - self.invalid_units)
        return active // (self.seats + 1) + 1

    def _hopefuls(self) -> list[int]:
        return [int(c) for c in np.flatnonzero(self.hopeful)]

    def _update_keep_values(self, votes: np.ndarray, quota: int) -> bool:
        changed = False
        for c in self.elected:
            if votes[c] <= 0:
                continue
            kept = _ceil_div(int(self.keep[c]) * quota, UNIT)
            new = min(_ceil_div(kept * UNIT, int(votes[c])), UNIT)
            if new != self.keep[c]:
                self.keep[c] = new
                changed = True
        return changed

    def _order(self, group: list[int], votes: np.ndarray, purpose: str) -> list[int]:
        order, ties = order_by_votes(
            group, votes, self.names, self.tiebreak, round=len(self.rounds) + 1, purpose=purpose, history=self.history
        )
        self.ties.extend(ties)
        return order

    def _lowest(self, votes: np.ndarray) -> int:
        out, tie = lowest(
            self._hopefuls(), votes, self.names, self.tiebreak, round=len(self.rounds) + 1, history=self.history
        )
        if tie:
            self.ties.append(tie)
        return out

    # --- reporting ------------------------------------------------------------------

    def _tally(self, votes: np.ndarray) -> dict[str, Votes]:
        shown = self.hopeful.copy()
        shown[self.elected] = True
        return {self.names[c]: as_votes(votes[c], DECIMALS) for c in np.flatnonzero(shown)}

    def _round(
        self,
        tally: dict[str, Votes],
        quota: int,
        lost: dict[str, int],
        elected: list[int],
        eliminated: list[int],
        since: int,
        note: str,
    ) -> None:
        counted = {cause: amount - self.invalid.get(cause, 0) * UNIT for cause, amount in lost.items()}
        counted = {cause: amount for cause, amount in counted.items() if amount}
        iterations = self.iterations - since + 1
        keeps = ", ".join(
            f"{self.names[c]} {as_votes(self.keep[c], DECIMALS)}" for c in self.elected if self.keep[c] < UNIT
        )
        text = f"iteration {self.iterations}" + (f" ({iterations} since the last round)" if iterations > 1 else "")
        if elected:
            text += f"; {', '.join(self.names[c] for c in elected)} elected"
        text += f"; {note}"
        if keeps:
            text += f"; keep values: {keeps}"
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tally=tally,
                quota=as_votes(quota, DECIMALS),
                elected=tuple(self.names[c] for c in elected),
                eliminated=tuple(self.names[c] for c in eliminated),
                exhausted=as_votes(sum(counted.values()), DECIMALS),
                inactive={cause: as_votes(amount, DECIMALS) for cause, amount in counted.items()},
                note=text,
            )
        )
        self.history.append(tally)

    def result(self) -> Result:
        others = sorted(self._hopefuls(), key=lambda c: -int(self.final_votes[c]))
        ranking = [self.names[c] for c in self.elected + others + self.excluded[::-1]]
        return Result(
            method="stv-meek",
            seats=self.seats,
            candidates=self.names,
            winners=tuple(self.names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            ranking=tuple(ranking),
            ties=tuple(self.ties),
            tiebreak=self.tiebreak.describe(),
            details={
                "valid votes": self.valid,
                "invalid ballots": sum(self.invalid.values()),
                "iterations": self.iterations,
                "keep values": {self.names[c]: as_votes(self.keep[c], DECIMALS) for c in self.elected},
            },
        )
