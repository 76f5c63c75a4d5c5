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
from frombelow.tally.rctab.config import Contest, blank, whole_number
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

# RCTab's limits (ContestConfig.java)
MAX_INT = 2**31 - 1  # Java's Integer.MAX_VALUE
RANDOM_SEEDS = (-140737488355328, 140737488355327)
MULTI_WINNER = ("multiWinnerAllowMultipleWinnersPerRound", "multiWinnerAllowOnlyOneWinnerPerRound")

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
    seats = _check_seats_and_mode(rules, mode)
    # RCTab checks these ranges whatever the mode
    share = rules.whole("multiSeatBottomsUpPercentageThreshold", 1, 100, default=0)
    rules.whole("randomSeed", *RANDOM_SEEDS, default=0)
    if mode == "bottomsUpUsingPercentageThreshold":
        extra = {
            **extra,
            "bottoms_up_share": Fraction(share),
            "cutoff_elimination": rules.flag("cutoffElimination"),
        }
        seats = max(seats, 1)  # the share, not the seats, decides how many are elected
    if rules.flag("hareQuota"):
        quota = "hare"
    elif rules.flag("nonIntegerWinningThreshold"):
        quota = "droop-decimal"
    else:
        quota = "droop"
    stop = rules.whole("stopTabulationEarlyAfterRound", 1, MAX_INT, default=0)
    options = Options(
        tiebreak=_tiebreak(rules, contest),
        overvote=rules.choice("overvoteRule", OVERVOTE_RULES),  # type: ignore[arg-type]
        max_skipped_ranks=rules.limit("maxSkippedRanksAllowed", "unlimited", least=0),
        duplicates="exhaust" if rules.flag("exhaustOnDuplicateCandidate") else "skip",
        # "max": as many rankings as declared candidates (undeclared write-ins among them
        # when a source labels them), as RCTab reads it
        max_rankings=rules.limit("maxRankingsAllowed", "max", least=1, unlimited=_declared(contest)),
        batch_elimination=rules.flag("batchElimination"),
        continue_until_two=rules.flag("continueUntilTwoCandidatesRemain"),
        decimals=rules.whole("decimalPlacesForVoteArithmetic", 1, 20),
        quota=quota,  # type: ignore[arg-type]
        first_round_threshold=rules.flag("doesFirstRoundDetermineThreshold"),
        minimum_votes=Fraction(rules.whole("minimumVoteThreshold", 0, 1_000_000, default=0)),
        stop_after_round=stop or None,
        rctab=True,  # RCTab's round structure in every mode
        **extra,
    )
    return CountPlan(method, seats, options)


def _check_seats_and_mode(rules: _Rules, mode: str) -> int:
    """The seats, after RCTab's checks of how they fit the winner election mode and the rules."""
    seats = rules.whole("numberOfWinners", 0, MAX_INT)
    percentage = mode == "bottomsUpUsingPercentageThreshold"
    if seats > 0 and percentage:
        raise rules.error("numberOfWinners", f"must be 0 when winnerElectionMode is {mode}")
    if seats > 1 and mode != "multiPassIrv":
        for name in ("continueUntilTwoCandidatesRemain", "batchElimination"):
            if rules.flag(name):
                raise rules.error(
                    name, "cannot be true in a multi-seat contest unless winnerElectionMode is multiPassIrv"
                )
    if seats == 1 and mode != "singleWinnerMajority":
        raise rules.error("winnerElectionMode", f"cannot be {mode} in a single-seat contest (numberOfWinners 1)")
    if seats == 0:
        if not percentage:
            raise rules.error(
                "numberOfWinners", "can be 0 only when winnerElectionMode is bottomsUpUsingPercentageThreshold"
            )
        if blank(rules.raw.get("multiSeatBottomsUpPercentageThreshold")):
            raise rules.error("multiSeatBottomsUpPercentageThreshold", "missing: numberOfWinners 0 needs a percentage")
    if percentage and rules.flag("batchElimination"):
        raise rules.error("batchElimination", f"cannot be true when winnerElectionMode is {mode}")
    if mode not in MULTI_WINNER:
        for name in ("nonIntegerWinningThreshold", "hareQuota"):
            if rules.flag(name):
                raise rules.error(name, f"cannot be true when winnerElectionMode is {mode}")
    if rules.flag("nonIntegerWinningThreshold") and rules.flag("hareQuota"):
        raise rules.error("hareQuota", "nonIntegerWinningThreshold and hareQuota cannot both be true")
    return seats


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
    if mode in ("stopCountingAndAsk", "previousRoundCountsThenAsk"):
        # RCTab asks the operator at a tie: here the count stops there, naming the tie, and the
        # administrator counts again with the order drawn by lot (--tiebreak list "A,B,C").
        return TieBreak("ask" if mode == "stopCountingAndAsk" else "previous-rounds-then-ask")
    java = {
        "random": "java-random",
        "previousRoundCountsThenRandom": "previous-rounds-then-java-random",
        "generatePermutation": "java-permutation",
    }
    if mode in java:
        if rules.raw.get("randomSeed", "") in ("", None):
            raise rules.error("randomSeed", f"tiebreakMode {mode} needs a randomSeed")
        seed = rules.whole("randomSeed", *RANDOM_SEEDS)
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

    def whole(self, name: str, low: int, high: int, *, default: int | None = None) -> int:
        """A whole number from ``low`` to ``high`` as RCTab reads one; required without a default."""
        value = self.raw.get(name)
        if blank(value):
            if default is None:
                raise self.error(name, f"missing: a whole number from {low} to {high} is required")
            return default
        number = whole_number(value)
        if number is None or not low <= number <= high:
            raise self.error(name, f"must be a whole number from {low} to {high}, not {value!r}")
        return number

    def limit(self, name: str, word: str, *, least: int, unlimited: int | None = None) -> int | None:
        """A whole number of at least ``least``, or ``unlimited`` for RCTab's word ("unlimited", "max")."""
        value = self.raw.get(name)
        if isinstance(value, str) and value.lower() == word:
            return unlimited
        if blank(value):
            raise self.error(name, f"missing: {word!r} or a whole number from {least} is required")
        number = whole_number(value)
        if number is None or not least <= number <= MAX_INT:
            raise self.error(name, f"must be {word!r} or a whole number from {least} to {MAX_INT}, not {value!r}")
        return number

    def choice(self, name: str, choices: dict[str, str]) -> str:
        value = self.text(name)
        if value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(choices)}")
        return choices[value]
