"""Breaking ties by a published, reproducible rule.

Rules (``--tiebreak``):

* ``previous-rounds`` (the default): among the tied, look at the round before, then the
  one before that, back to the first; the first round in which they differ decides
  (fewest votes loses, most votes wins). If they were equal in every round, fall back
  to ``random`` with the configured seed (0 unless given).
* ``random``: a lot drawn with Python's ``random.Random`` seeded by the string
  ``"{seed}:{round}:{purpose}:{names of the tied, sorted, comma-joined}"`` and
  ``choice`` over the sorted names. Anyone with Python can redraw it.
* ``list``: a priority order given by the organisers, first is strongest: a tie for
  exclusion removes the tied candidate listed last; a tie for election (or for
  the order of transfers) favours the one listed first.

``direction="forward"`` makes ``previous-rounds`` look from the first round onwards
instead (some rules, e.g. ERS97, prescribe that).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from frombelow.tally.errors import CountError
from frombelow.tally.result import Tie, Votes

Mode = Literal["previous-rounds", "random", "list"]
MODES: tuple[str, ...] = ("previous-rounds", "random", "list")


@dataclass(frozen=True)
class TieBreak:
    mode: Mode = "previous-rounds"
    seed: int = 0
    order: tuple[str, ...] = ()
    direction: Literal["backward", "forward"] = "backward"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise CountError(f"unknown tie-break rule {self.mode!r}; use one of {', '.join(MODES)}")
        if self.mode == "list" and not self.order:
            raise CountError("tie-break 'list' needs the order of candidates (e.g. --tiebreak list A,B,C)")

    def describe(self) -> str:
        if self.mode == "list":
            return "list: " + ",".join(self.order)
        if self.mode == "random":
            return f"random (seed {self.seed})"
        first = "earliest" if self.direction == "forward" else "most recent"
        return f"previous rounds ({first} round where they differ first), then random (seed {self.seed})"

    def check_candidates(self, candidates: Sequence[str]) -> None:
        """A list naming someone not standing is a mistake, not a preference."""
        unknown = [name for name in self.order if name not in candidates]
        if unknown:
            raise CountError(f"tie-break list names unknown candidate(s): {', '.join(unknown)}")

    def choose(
        self,
        tied: Sequence[str],
        *,
        lowest: bool,
        round: int,
        purpose: str,
        history: Sequence[dict[str, Votes]] = (),
    ) -> tuple[str, Tie]:
        """Pick one of ``tied``: the one to lose (``lowest``) or to win.

        ``history`` holds the tallies of earlier rounds, first round first.
        """
        names = sorted(set(tied))
        if len(names) < 2:
            raise CountError("a tie needs at least two candidates")
        if self.mode == "list":
            unlisted = [n for n in names if n not in self.order]
            if unlisted:
                raise CountError(f"tie between {', '.join(names)}: the tie-break list does not rank {unlisted[0]}")
            ranked = sorted(names, key=self.order.index)
            chosen = ranked[-1] if lowest else ranked[0]
            return chosen, Tie(round, purpose, tuple(names), chosen, self.describe())
        if self.mode == "previous-rounds":
            remaining = names
            rounds = range(len(history)) if self.direction == "forward" else range(len(history) - 1, -1, -1)
            for r in rounds:
                tally = history[r]
                values = {n: tally.get(n, 0) for n in remaining}
                target = min(values.values()) if lowest else max(values.values())
                remaining = [n for n in remaining if values[n] == target]
                if len(remaining) == 1:
                    rule = f"previous rounds: {'fewest' if lowest else 'most'} votes in round {r + 1}"
                    return remaining[0], Tie(round, purpose, tuple(names), remaining[0], rule)
            chosen = self._draw(remaining, round, purpose)
            before = "equal in every earlier round" if history else "no earlier round"
            rule = f"{before}; random (seed {self.seed})"
            return chosen, Tie(round, purpose, tuple(names), chosen, rule)
        chosen = self._draw(names, round, purpose)
        return chosen, Tie(round, purpose, tuple(names), chosen, self.describe())

    def _draw(self, names: Sequence[str], round: int, purpose: str) -> str:
        ordered = sorted(names)
        rng = random.Random(f"{self.seed}:{round}:{purpose}:{','.join(ordered)}")
        return rng.choice(ordered)
