"""An RCTab config's ``rules`` as the engine's method, seats and options.

Each RCTab field maps onto an option every user of the engine has (see
``tally/options.py``); a value RCTab would refuse is refused here, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frombelow.tally.errors import BallotFileError
from frombelow.tally.options import Options
from frombelow.tally.rctab.config import Contest
from frombelow.tally.tiebreak import TieBreak

OVERVOTE_RULES = {
    "exhaustImmediately": "exhaust",
    "alwaysSkipToNextRank": "skip",
    "exhaustIfMultipleContinuing": "exhaust-if-multiple-continuing",
}


@dataclass(frozen=True)
class CountPlan:
    method: str
    seats: int
    options: Options

    @property
    def max_rankings(self) -> int | None:
        return self.options.max_rankings


def count_options(contest: Contest) -> CountPlan:
    rules = _Rules(contest)
    mode = rules.text("winnerElectionMode")
    seats = rules.whole("numberOfWinners", default=1)
    method = "irv" if mode == "singleWinnerMajority" else None
    if method is None:
        raise rules.error("winnerElectionMode", f"{mode!r} is not supported yet")
    options = Options(
        tiebreak=_tiebreak(rules, contest),
        overvote=rules.choice("overvoteRule", OVERVOTE_RULES),  # type: ignore[arg-type]
        max_skipped_ranks=rules.limit("maxSkippedRanksAllowed"),
        duplicates="exhaust" if rules.flag("exhaustOnDuplicateCandidate") else "skip",
        max_rankings=rules.limit("maxRankingsAllowed"),
        batch_elimination=rules.flag("batchElimination"),
        continue_until_two=rules.flag("continueUntilTwoCandidatesRemain"),
        decimals=rules.whole("decimalPlacesForVoteArithmetic", default=4),
    )
    return CountPlan(method, seats, options)


def _tiebreak(rules: _Rules, contest: Contest) -> TieBreak:
    mode = rules.text("tiebreakMode")
    order = tuple(c.name for c in contest.candidates if not c.excluded)
    if mode in ("useCandidateOrder", "usePermutationInConfig", "stopCountingAndAsk"):
        return TieBreak("list", order=order)
    if mode in ("random", "previousRoundCountsThenRandom", "generatePermutation"):
        return TieBreak("random", seed=rules.whole("randomSeed", default=0))
    if mode == "previousRoundCountsThenUseCandidateOrder":
        return TieBreak("list", order=order)
    raise rules.error("tiebreakMode", f"unknown mode {mode!r}")


class _Rules:
    """Typed access to ``rules``, with errors that name the field."""

    def __init__(self, contest: Contest) -> None:
        self.contest = contest
        self.raw: dict[str, Any] = dict(contest.rules)

    def error(self, name: str, problem: str) -> BallotFileError:
        return BallotFileError(str(self.contest.path), None, f"rules.{name}: {problem}")

    def text(self, name: str) -> str:
        value = self.raw.get(name)
        if not isinstance(value, str) or not value:
            raise self.error(name, "missing")
        return value

    def flag(self, name: str) -> bool:
        value = self.raw.get(name, False)
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, not {value!r}")
        return value

    def whole(self, name: str, *, default: int) -> int:
        value = self.raw.get(name, "")
        if value in ("", None):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.error(name, f"must be a whole number, not {value!r}") from None
        if number < 0:
            raise self.error(name, f"must not be negative, not {number}")
        return number

    def limit(self, name: str) -> int | None:
        """A whole number, or None for RCTab's "unlimited" / "max"."""
        value = self.raw.get(name, "")
        if value in ("unlimited", "max", "", None):
            return None
        return self.whole(name, default=0)

    def choice(self, name: str, choices: dict[str, str]) -> str:
        value = self.text(name)
        if value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(choices)}")
        return choices[value]
