"""An RCTab config's ``rules`` as the engine's method, seats and options.

Each RCTab field maps onto an option every user of the engine has (see
``tally/options.py``); a value RCTab would refuse is refused here, naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from frombelow.tally.errors import BallotFileError
from frombelow.tally.options import Options
from frombelow.tally.rctab.config import Contest
from frombelow.tally.tiebreak import TieBreak

# RCTab's winnerElectionMode -> (method, extra options)
WINNER_MODES: dict[str, tuple[str, dict[str, Any]]] = {
    "singleWinnerMajority": ("irv", {}),
    "multiWinnerAllowMultipleWinnersPerRound": ("stv-rctab", {}),
    "multiWinnerAllowOnlyOneWinnerPerRound": ("stv-rctab", {"one_winner_per_round": True}),
    "bottomsUp": ("bottoms-up", {}),
    "bottomsUpUsingPercentageThreshold": ("bottoms-up", {}),
    "multiPassIrv": ("sequential-irv", {}),
}

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
    if mode not in WINNER_MODES:
        raise rules.error("winnerElectionMode", f"{mode!r} is not one of {', '.join(WINNER_MODES)}")
    method, extra = WINNER_MODES[mode]
    seats = rules.whole("numberOfWinners", default=1)
    if mode == "bottomsUpUsingPercentageThreshold":
        extra = {
            **extra,
            "bottoms_up_share": rules.fraction("multiSeatBottomsUpPercentageThreshold"),
            "cutoff_elimination": rules.flag("cutoffElimination"),
        }
        seats = max(seats, 1)  # the share, not the seats, decides how many are elected
    elif seats < 1:
        raise rules.error("numberOfWinners", "must be at least 1")
    if rules.flag("hareQuota"):
        quota = "hare"
    elif rules.flag("nonIntegerWinningThreshold"):
        quota = "droop-decimal"
    else:
        quota = "droop"
    stop = rules.whole("stopTabulationEarlyAfterRound", default=0)
    options = Options(
        tiebreak=_tiebreak(rules, contest),
        overvote=rules.choice("overvoteRule", OVERVOTE_RULES),  # type: ignore[arg-type]
        max_skipped_ranks=rules.limit("maxSkippedRanksAllowed"),
        duplicates="exhaust" if rules.flag("exhaustOnDuplicateCandidate") else "skip",
        # "max": as many rankings as declared candidates (undeclared write-ins among them
        # when a source labels them), as RCTab reads it
        max_rankings=rules.limit("maxRankingsAllowed", unlimited=_declared(contest)),
        batch_elimination=rules.flag("batchElimination"),
        continue_until_two=rules.flag("continueUntilTwoCandidatesRemain"),
        decimals=rules.whole("decimalPlacesForVoteArithmetic", default=4),
        quota=quota,  # type: ignore[arg-type]
        first_round_threshold=rules.flag("doesFirstRoundDetermineThreshold"),
        minimum_votes=rules.fraction("minimumVoteThreshold", default=0),
        stop_after_round=stop or None,
        rctab=True,  # RCTab's round structure in every mode
        **extra,
    )
    return CountPlan(method, seats, options)


def _declared(contest: Contest) -> int:
    labelled = any("undeclared_write_in_label" in source.options for source in contest.sources)
    return len(contest.candidates) + labelled


def _tiebreak(rules: _Rules, contest: Contest) -> TieBreak:
    mode = rules.text("tiebreakMode")
    order = tuple(c.name for c in contest.candidates)  # all of them: RCTab shuffles the full list
    if mode in ("useCandidateOrder", "usePermutationInConfig"):
        return TieBreak("list", order=order)
    if mode == "previousRoundCountsThenUseCandidateOrder":
        return TieBreak("previous-rounds-then-list", order=order)
    if mode == "stopCountingAndAsk":
        # RCTab asks the operator; no one is here to ask, so the config's order decides and
        # the tie is recorded in the result like any other.
        return TieBreak("list", order=order)
    java = {
        "random": "java-random",
        "previousRoundCountsThenRandom": "previous-rounds-then-java-random",
        "generatePermutation": "java-permutation",
    }
    if mode in java:
        if rules.raw.get("randomSeed", "") in ("", None):
            raise rules.error("randomSeed", f"tiebreakMode {mode} needs a randomSeed")
        seed = rules.whole("randomSeed", default=0, signed=True)
        return TieBreak(java[mode], seed=seed, order=order)  # type: ignore[arg-type]
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

    def whole(self, name: str, *, default: int, signed: bool = False) -> int:
        value = self.raw.get(name, "")
        if value in ("", None):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.error(name, f"must be a whole number, not {value!r}") from None
        if number < 0 and not signed:
            raise self.error(name, f"must not be negative, not {number}")
        return number

    def fraction(self, name: str, *, default: int | None = None) -> Fraction:
        value = self.raw.get(name, "")
        if value in ("", None):
            if default is None:
                raise self.error(name, "missing")
            return Fraction(default)
        try:
            number = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            raise self.error(name, f"must be a number, not {value!r}") from None
        if number < 0:
            raise self.error(name, f"must not be negative, not {value}")
        return number

    def limit(self, name: str, *, unlimited: int | None = None) -> int | None:
        """A whole number, or ``unlimited`` for RCTab's "unlimited" / "max"."""
        value = self.raw.get(name, "")
        if value in ("unlimited", "max", "", None):
            return unlimited
        return self.whole(name, default=0)

    def choice(self, name: str, choices: dict[str, str]) -> str:
        value = self.text(name)
        if value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(choices)}")
        return choices[value]
