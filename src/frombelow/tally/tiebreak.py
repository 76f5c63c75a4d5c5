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

RCTab's modes, reproduced exactly (see ``java_random``):

* ``list`` with the config's candidate order is RCTab's ``useCandidateOrder``
  (``usePermutationInConfig``);
* ``previous-rounds-then-list``: RCTab's ``previousRoundCountsThenUseCandidateOrder``;
* ``java-random``: RCTab's ``random``: the tied names in Java's string order, one
  ``nextDouble()`` of a ``java.util.Random(seed)`` shared by every tie of the count, the
  one at ``floor(draw × number tied)`` chosen;
* ``previous-rounds-then-java-random``: RCTab's ``previousRoundCountsThenRandom``: the
  most recent earlier round first (as ``previous-rounds``); those still tied are drawn
  as ``java-random`` does, in the order RCTab holds them (a Java ``HashSet``'s);
* ``java-permutation``: RCTab's ``generatePermutation``: ``order`` (the config's
  candidates) sorted, shuffled once with ``Collections.shuffle`` and a
  ``java.util.Random(seed)``, then used as ``list``;
* ``ask``: RCTab's ``stopCountingAndAsk``: the count stops at the first tie with an error
  naming the round, what the tie decides and the tied; the administrator draws lots and
  counts again with the drawn order as ``list``;
* ``previous-rounds-then-ask``: RCTab's ``previousRoundCountsThenAsk``: earlier rounds
  first (as ``previous-rounds-then-list``); only a tie they leave stops the count, and
  the count is run again as ``previous-rounds-then-list`` with the drawn order.

A count that may break several ties calls ``for_count()`` first: the Java modes draw
from one generator per count, as RCTab does.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from frombelow.tally.errors import CountError
from frombelow.tally.java_random import JavaRandom, hash_set_order, java_sorted
from frombelow.tally.result import Tie, Votes

Mode = Literal[
    "previous-rounds",
    "random",
    "list",
    "previous-rounds-then-list",
    "java-random",
    "previous-rounds-then-java-random",
    "java-permutation",
    "ask",
    "previous-rounds-then-ask",
]
MODES: tuple[str, ...] = get_args(Mode)
NEEDS_ORDER = ("list", "previous-rounds-then-list", "java-permutation")
# What a tie decides, in words, for the administrator asked to break it.
PURPOSES = {
    "exclude": "who is excluded",
    "elect": "who is elected",
    "seat": "who gets the seat",
    "pair order": "the order in which the pairs are locked in",
    "surplus order": "whose surplus is transferred first",
    "order of election": "the order in which they are elected",
}
# RCTab accepts seeds in this range (ContestConfig).
JAVA_SEEDS = (-140737488355328, 140737488355327)


@dataclass(frozen=True)
class TieBreak:
    mode: Mode = "previous-rounds"
    seed: int = 0
    order: tuple[str, ...] = ()
    direction: Literal["backward", "forward"] = "backward"
    # One java.util.Random per count (java modes); set by for_count, not part of the rule.
    _java: JavaRandom | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise CountError(f"unknown tie-break rule {self.mode!r}; use one of {', '.join(MODES)}")
        if self.mode in NEEDS_ORDER and not self.order:
            raise CountError(f"tie-break {self.mode!r} needs the order of candidates (e.g. --tiebreak list A,B,C)")
        object.__setattr__(self, "order", tuple(self.order))
        java = self.mode.startswith("java") or self.mode.endswith("java-random")
        if java and not JAVA_SEEDS[0] <= self.seed <= JAVA_SEEDS[1]:
            raise CountError(f"a Java random seed must be between {JAVA_SEEDS[0]} and {JAVA_SEEDS[1]}")

    def for_count(self) -> TieBreak:
        """This rule with fresh state for one count (the Java modes' generator, RCTab's permutation)."""
        if self.mode in ("java-random", "previous-rounds-then-java-random"):
            return dataclasses.replace(self, _java=JavaRandom(self.seed))
        return self

    def permutation(self) -> tuple[str, ...]:
        """The priority order ``list`` uses; ``java-permutation`` draws it as RCTab's generatePermutation."""
        if self.mode != "java-permutation":
            return self.order
        shuffled = java_sorted(self.order)
        JavaRandom(self.seed).shuffle(shuffled)
        return tuple(shuffled)

    def describe(self) -> str:
        if self.mode == "list":
            return "list: " + ",".join(self.order)
        if self.mode == "random":
            return f"random (seed {self.seed})"
        if self.mode == "previous-rounds-then-list":
            return "previous rounds (most recent round where they differ first), then list: " + ",".join(self.order)
        if self.mode == "java-random":
            return f"random, java.util.Random (seed {self.seed})"
        if self.mode == "previous-rounds-then-java-random":
            return (
                f"previous rounds (most recent round where they differ first), then java.util.Random (seed {self.seed})"
            )
        if self.mode == "ask":
            return "ask the administrator (the count stops at a tie)"
        if self.mode == "previous-rounds-then-ask":
            return "previous rounds (most recent round where they differ first), then ask the administrator"
        if self.mode == "java-permutation":
            return f"list: {','.join(self.permutation())} (order shuffled by java.util.Random, seed {self.seed})"
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
        if self.mode in ("list", "java-permutation"):
            chosen = self._from_list(names, lowest)
            return chosen, Tie(round, purpose, tuple(names), chosen, self.describe())
        if self.mode == "java-random":
            chosen = self._java_draw(java_sorted(names))
            return chosen, Tie(round, purpose, tuple(names), chosen, self.describe())
        if self.mode == "ask":
            raise CountError(self._question(names, lowest, round, purpose, earlier=False))
        if self.mode in ("previous-rounds-then-list", "previous-rounds-then-java-random", "previous-rounds-then-ask"):
            return self._rctab_previous_rounds(names, lowest, round, purpose, history)
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

    def _from_list(self, names: Sequence[str], lowest: bool) -> str:
        """Exclusion takes the tied one listed last; election the one listed first."""
        order = self.permutation()
        unlisted = [n for n in names if n not in order]
        if unlisted:
            raise CountError(f"tie between {', '.join(names)}: the tie-break list does not rank {unlisted[0]}")
        ranked = sorted(names, key=order.index)
        return ranked[-1] if lowest else ranked[0]

    def _java_draw(self, ordered: Sequence[str]) -> str:
        generator = self._java if self._java is not None else JavaRandom(self.seed)
        # RCTab: (int) Math.floor(nextDouble() * size); the product of doubles, as Java computes it.
        return ordered[int(generator.next_double() * float(len(ordered)))]

    def _rctab_previous_rounds(
        self, names: list[str], lowest: bool, round: int, purpose: str, history: Sequence[dict[str, Votes]]
    ) -> tuple[str, Tie]:
        """RCTab's previous-round comparison: back from the round before, then the fallback."""
        contention = java_sorted(names)
        for r in range(len(history) - 1, -1, -1):
            tally = history[r]
            # RCTab regroups the still-tied through a HashSet: its iteration order is theirs.
            ordered = hash_set_order(contention)
            values = {n: tally.get(n, 0) for n in ordered}
            target = min(values.values()) if lowest else max(values.values())
            contention = [n for n in ordered if values[n] == target]
            if len(contention) == 1:
                rule = f"previous rounds: {'fewest' if lowest else 'most'} votes in round {r + 1}"
                return contention[0], Tie(round, purpose, tuple(names), contention[0], rule)
        before = "equal in every earlier round" if history else "no earlier round"
        if self.mode == "previous-rounds-then-ask":
            raise CountError(self._question(java_sorted(contention), lowest, round, purpose, earlier=bool(history)))
        if self.mode == "previous-rounds-then-list":
            chosen = self._from_list(contention, lowest)
            rule = f"{before}; list: {','.join(self.order)}"
        else:
            chosen = self._java_draw(contention)
            rule = f"{before}; java.util.Random (seed {self.seed})"
        return chosen, Tie(round, purpose, tuple(names), chosen, rule)

    def _question(self, names: Sequence[str], lowest: bool, round: int, purpose: str, *, earlier: bool) -> str:
        """What the administrator must decide, and how to give the answer to a new count."""
        stake = PURPOSES.get(purpose, f"the {purpose}")
        tied = ", ".join(names[:-1]) + " and " + names[-1]
        equal = " They had equal votes in every earlier round too." if earlier else ""
        rule = "previous-rounds-then-list" if self.mode == "previous-rounds-then-ask" else "list"
        listed = "the one listed last is excluded" if lowest else "the one listed first is chosen"
        return (
            f"Round {round}: {tied} are tied, and the tie decides {stake}.{equal} "
            f"The tie-break rule ({self.mode}) leaves this to the election administrator: draw lots among "
            f"them and count again with the drawn order, strongest first, e.g. "
            f'--tiebreak {rule} "{",".join(names)}" ({listed}; list every candidate if more ties may follow).'
        )

    def _draw(self, names: Sequence[str], round: int, purpose: str) -> str:
        ordered = sorted(names)
        rng = random.Random(f"{self.seed}:{round}:{purpose}:{','.join(ordered)}")
        return rng.choice(ordered)
