"""Single transferable vote by the Weighted Inclusive Gregory Method (Scottish rules).

The count follows the Scottish Local Government Elections Order 2007, schedule 1,
rules 45–52:

* the quota is ``floor(valid votes / (seats + 1)) + 1`` (rule 46; ``options.quota``
  offers the other quotas, see ``quota_units``); a candidate whose votes reach it is
  deemed elected (rule 47);
* a surplus is transferred from *all* the elected candidate's papers, each at
  ``surplus × value of the paper when received / candidate's total``, to
  ``options.decimals`` (5) places with the remainder ignored (rule 48);
* several surpluses: the largest first, one per stage; equal surpluses go by the most
  recent preceding stage at which the candidates' votes differed, then by lot (rule 49);
* with no surplus left, the candidate with fewest votes is excluded and their papers
  pass on at the value each carries (rule 50); ties as in rule 49, lowest excluded (51);
* when the continuing candidates are as many as the seats left they are all elected and
  nothing more is transferred (rule 52).

Ties go through ``options.tiebreak``; its default (the most recent earlier stage at
which the tied differed, then a seeded lot) is exactly rules 49(2)–(3) and 51(2).
``batch_elimination`` and ``continue_until_two`` do not apply: the rules exclude one
candidate per stage and stop when the seats are filled.

Every value is held exactly as a whole number of units of ``10**-decimals`` votes.
Papers are the compressed ballot rows: a row's voters always move together, so one
value per row is enough. Papers counted for nobody at the first stage are not valid
votes (``details["invalid ballots"]``) and take no part in the quota.
"""

from __future__ import annotations

import numpy as np

from frombelow.tally.ballots import Ballots
from frombelow.tally.errors import CountError
from frombelow.tally.methods.stv_common import as_votes, lowest, order_by_votes, unit_dtype
from frombelow.tally.options import Options
from frombelow.tally.papers import INACTIVE_CAUSES, Papers, prepare
from frombelow.tally.result import Result, Round, Tie, Transfer, Votes

LOST_TO_ROUNDING = "lost to rounding"


def count(ballots: Ballots, seats: int, options: Options) -> Result:
    count_ = _Count(ballots, seats, options)
    count_.run()
    return count_.result()


def quota_units(valid: int, seats: int, quota: str, scale: int) -> int:
    """The quota in units of ``1/scale`` votes.

    ``droop``: floor(valid / (seats + 1)) + 1, reached with at least that many votes.
    ``droop-decimal``: valid / (seats + 1) rounded down to the units, plus one unit.
    ``droop-exact``: valid / (seats + 1) rounded down to the units; reached only by
    *more* than that (see ``reaches``). ``hare``: valid / seats rounded up to whole
    votes; ``hare-exact``: valid / seats rounded up to the units.
    """
    if quota == "droop":
        return (valid // (seats + 1) + 1) * scale
    if quota == "droop-exact":
        return valid * scale // (seats + 1)
    if quota == "hare":
        return -(-valid // seats) * scale
    if quota == "hare-exact":
        return -(-valid * scale // seats)
    if quota == "droop-decimal":  # RCTab's non-integer threshold: one unit above the exact share
        return valid * scale // (seats + 1) + 1
    raise CountError(f"unknown quota {quota!r}")


def reaches(votes: int, quota: int, rule: str) -> bool:
    """Whether ``votes`` (units) reach the quota: ``droop-exact`` needs more than it."""
    return votes > quota if rule == "droop-exact" else votes >= quota


class _Count:
    """The state of one count, stage by stage."""

    def __init__(self, ballots: Ballots, seats: int, options: Options) -> None:
        self.names = ballots.candidates
        self.seats = seats
        self.options = options
        self.tiebreak = options.tiebreak.for_count()
        self.decimals = options.decimals
        self.scale = 10**options.decimals
        n = len(self.names)
        self.continuing = np.ones(n, dtype=bool)
        self.continuing[list(ballots.withdrawn)] = False
        if self.continuing.sum() < seats:
            raise CountError(f"{seats} seats but only {int(self.continuing.sum())} candidates stand")
        # Python integers in place of int64 where weights × values could wrap (huge elections).
        exact = unit_dtype(ballots.weights, self.scale)
        self.weights = ballots.weights if exact is np.int64 else ballots.weights.astype(object)
        self.papers = Papers(prepare(ballots, options), ballots.weights, ballots, self.continuing)
        counted = self.papers.current >= 0
        self.valid = int(self.weights[counted].sum())
        if self.valid == 0:
            raise CountError("no ballot counts for any candidate: nothing to count")
        self.invalid = {
            cause: int(self.weights[self.papers.current == code].sum())
            for code, cause in INACTIVE_CAUSES.items()
            if (self.papers.current == code).any()
        }
        self.value = np.full(len(self.weights), self.scale, dtype=np.int64)  # each row's value per paper
        self.votes = _sums(np.where(counted, self.papers.current, -1), self.weights * self.value, n)[:n]
        self.quota = quota_units(self.valid, seats, options.quota, self.scale)
        self.lost: dict[str, int] = {}  # non-transferable value by cause, and rounding
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.surplus_done: set[int] = set()
        self.rounds: list[Round] = []
        self.ties: list[Tie] = []
        self.history: list[dict[str, Votes]] = []
        self._lost_before: dict[str, int] = {}

    # --- the stages -------------------------------------------------------------

    def run(self) -> None:
        while True:
            number = len(self.rounds) + 1
            tally = self._tally()
            newly = self._elect_reaching_quota(number, tally)
            vacancies = self.seats - len(self.elected)
            if vacancies == 0:
                self._add_round(tally, elected=newly, note=self._elected_note(newly, "all seats are filled"))
                return
            if self.continuing.sum() == vacancies:  # rule 52
                rest = self._elect_the_rest(number)
                self._add_round(
                    tally, elected=newly + rest, note=self._elected_note(newly + rest, "the rest fill the last seats")
                )
                return
            pending = [c for c in self.elected if c not in self.surplus_done and self.votes[c] > self.quota]
            if pending:
                # Rule 49: largest surplus first. Equal surpluses: an earlier-elected candidate
                # had more votes at the last stage they differed, and a same-stage tie was
                # broken by the rule 49 order when they were elected.
                source = max(pending, key=lambda c: (int(self.votes[c]), -self.elected.index(c)))
                transfers, note = self._transfer_surplus(source)
                self._add_round(tally, elected=newly, transfers=transfers, note=self._elected_note(newly, note))
            else:
                out = self._lowest(number)
                self.continuing[out] = False
                self.excluded.append(out)
                if self.continuing.sum() == vacancies:  # rule 52: no further transfer
                    rest = self._elect_the_rest(number)
                    note = f"{self.names[out]} excluded; the rest fill the last seats, no transfer is made"
                    self._add_round(tally, elected=newly + rest, eliminated=[out], note=self._elected_note(newly, note))
                    return
                transfers = self._transfer_excluded(out)
                note = f"{self.names[out]} excluded, papers transferred at their current values"
                self._add_round(
                    tally, elected=newly, eliminated=[out], transfers=transfers, note=self._elected_note(newly, note)
                )
            self.history.append(tally)

    def _elect_reaching_quota(self, number: int, tally: dict[str, Votes]) -> list[int]:
        reached = [
            c for c in np.flatnonzero(self.continuing) if reaches(int(self.votes[c]), self.quota, self.options.quota)
        ]
        order = self._order_by_votes([int(c) for c in reached], number, "surplus order")
        for c in order:
            self.continuing[c] = False
            self.elected.append(c)
        return order

    def _elect_the_rest(self, number: int) -> list[int]:
        order = self._order_by_votes([int(c) for c in np.flatnonzero(self.continuing)], number, "order of election")
        for c in order:
            self.continuing[c] = False
            self.elected.append(c)
        return order

    def _order_by_votes(self, group: list[int], number: int, purpose: str) -> list[int]:
        """Most votes first; equal votes ordered by the tie-break (rule 49(2)–(3))."""
        order, ties = order_by_votes(
            group, self.votes, self.names, self.tiebreak, round=number, purpose=purpose, history=self.history
        )
        self.ties.extend(ties)
        return order

    def _lowest(self, number: int) -> int:
        standing = [int(c) for c in np.flatnonzero(self.continuing)]
        out, tie = lowest(standing, self.votes, self.names, self.tiebreak, round=number, history=self.history)
        if tie:
            self.ties.append(tie)
        return out

    # --- moving papers ----------------------------------------------------------

    def _transfer_surplus(self, source: int) -> tuple[list[Transfer], str]:
        total = int(self.votes[source])
        surplus = total - self.quota
        rows = self.papers.rows_of(source)
        # Rule 48(3): each paper's new value is surplus × its value / total, truncated.
        # Python ints for the few distinct values, so the product cannot overflow.
        received, where = np.unique(self.value[rows], return_inverse=True)
        new_values = np.array([surplus * int(v) // total for v in received], dtype=np.int64)
        self.value[rows] = new_values[where.ravel()]
        moved = self._move(source, rows)
        lost = surplus - sum(moved.values())
        if lost:
            self.lost[LOST_TO_ROUNDING] = self.lost.get(LOST_TO_ROUNDING, 0) + lost
        self.votes[source] = self.quota
        self.surplus_done.add(source)
        values = ", ".join(str(as_votes(v, self.decimals)) for v in new_values)
        note = f"surplus of {self.names[source]} ({as_votes(surplus, self.decimals)}) transferred"
        note += f" at transfer value {values}" if len(new_values) == 1 else f" at transfer values {values}"
        return self._transfers(source, moved), note

    def _transfer_excluded(self, source: int) -> list[Transfer]:
        moved = self._move(source, self.papers.rows_of(source))
        self.votes[source] = 0
        return self._transfers(source, moved)

    def _move(self, source: int, rows: np.ndarray) -> dict[int, int]:
        """Pass ``rows`` to their next continuing preference at their current value.

        Returns units moved per target: candidate index, or a (negative) stop code.
        """
        self.papers.advance(rows, self.continuing)
        n = len(self.names)
        targets = self.papers.current[rows]
        sums = _sums(targets, self.weights[rows] * self.value[rows], n)
        self.votes += sums[:n]
        moved = {int(c): int(sums[c]) for c in np.flatnonzero(sums[:n])}
        for code, cause in INACTIVE_CAUSES.items():
            amount = int(sums[n - code])
            if amount:
                moved[code] = amount
                self.lost[cause] = self.lost.get(cause, 0) + amount
        return moved

    def _transfers(self, source: int, moved: dict[int, int]) -> list[Transfer]:
        to_candidates = [
            Transfer(self.names[source], self.names[t], as_votes(u, self.decimals))
            for t, u in sorted(moved.items())
            if t >= 0
        ]
        left = sum(u for t, u in moved.items() if t < 0)
        if left:
            to_candidates.append(Transfer(self.names[source], None, as_votes(left, self.decimals)))
        return to_candidates

    # --- reporting ----------------------------------------------------------------

    def _tally(self) -> dict[str, Votes]:
        counted = self.continuing.copy()
        counted[self.elected] = True
        return {self.names[c]: as_votes(self.votes[c], self.decimals) for c in np.flatnonzero(counted)}

    def _elected_note(self, newly: list[int], then: str) -> str:
        if not newly:
            return then
        return f"{', '.join(self.names[c] for c in newly)} elected; {then}"

    def _add_round(
        self,
        tally: dict[str, Votes],
        *,
        elected: list[int],
        eliminated: list[int] = (),  # type: ignore[assignment]
        transfers: list[Transfer] = (),  # type: ignore[assignment]
        note: str = "",
    ) -> None:
        # What left the count up to this round; transfers made at this round show from the next.
        lost = dict(self._lost_before)
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tally=tally,
                quota=as_votes(self.quota, self.decimals),
                elected=tuple(self.names[c] for c in elected),
                eliminated=tuple(self.names[c] for c in eliminated),
                transfers=tuple(transfers),
                exhausted=as_votes(sum(lost.values()), self.decimals),
                inactive={cause: as_votes(u, self.decimals) for cause, u in lost.items() if u},
                note=note,
            )
        )
        self._lost_before = dict(self.lost)

    def result(self) -> Result:
        others = sorted((c for c in range(len(self.names)) if self.continuing[c]), key=lambda c: -int(self.votes[c]))
        ranking = [self.names[c] for c in self.elected + others + self.excluded[::-1]]
        return Result(
            method="stv",
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
                "quota": as_votes(self.quota, self.decimals),
                "quota rule": self.options.quota,
                "decimals": self.decimals,
            },
        )


def _sums(keys: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
    """Exact sums of ``amounts`` per key (in their dtype): candidates at 0..n-1, stop code k at n - k."""
    slots = np.where(keys >= 0, keys, n - keys)
    out = np.zeros(n + 1 - min(INACTIVE_CAUSES), dtype=amounts.dtype)
    np.add.at(out, slots, amounts)
    return out
