"""The options a count runs under: one frozen value, shared by every method.

Methods read only the options that concern them; the defaults are the common rules
of public elections and are documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, get_args

from frombelow.tally.errors import CountError
from frombelow.tally.tiebreak import TieBreak

OvervoteRule = Literal["exhaust", "skip", "exhaust-if-multiple-continuing"]
DuplicateRule = Literal["skip", "exhaust"]
Quota = Literal["droop", "hare", "droop-exact", "hare-exact", "droop-decimal"]

OVERVOTE_RULES: tuple[str, ...] = get_args(OvervoteRule)
DUPLICATE_RULES: tuple[str, ...] = get_args(DuplicateRule)
QUOTAS: tuple[str, ...] = get_args(Quota)
MAX_DECIMALS = 20  # RCTab allows up to 20 decimal places for vote arithmetic


@dataclass(frozen=True)
class Options:
    tiebreak: TieBreak = field(default_factory=TieBreak)
    # How a ballot's marks are read (ranked methods)
    overvote: OvervoteRule = "exhaust"
    max_skipped_ranks: int | None = None  # None: any number of skipped ranks is passed over
    duplicates: DuplicateRule = "skip"
    max_rankings: int | None = None  # ranks beyond this are ignored
    # How rounds proceed (IRV/STV)
    batch_elimination: bool = False
    continue_until_two: bool = False
    quota: Quota = "droop"
    # Party list: parties under this share of the valid votes (a percentage) win no seat
    threshold: Fraction = Fraction(0)
    # STV (WIGM, stv-rctab): decimal places of transfer values, the rest discarded
    decimals: int = 5
    # RCTab's rules (irv follows them all when ``rctab`` is set; stv-rctab, bottoms-up and
    # sequential-irv always do). ``quota`` "droop-decimal" is RCTab's nonIntegerWinningThreshold:
    # votes / (seats + 1) truncated to ``decimals`` places plus 10**-decimals.
    rctab: bool = False  # RCTab's round structure: thresholds shown, a final tie picks the winner
    first_round_threshold: bool = False  # doesFirstRoundDetermineThreshold (one seat)
    minimum_votes: Fraction = Fraction(0)  # minimumVoteThreshold: fewer are eliminated at once
    stop_after_round: int | None = None  # stopTabulationEarlyAfterRound
    one_winner_per_round: bool = False  # multiWinnerAllowOnlyOneWinnerPerRound (stv-rctab)
    # bottomsUpUsingPercentageThreshold (bottoms-up): eliminate until everyone left has more
    # than this percentage of the votes of the round
    bottoms_up_share: Fraction | None = None
    cutoff_elimination: bool = False  # with bottoms_up_share: all below the share go in one round
    # Ballot tags (e.g. "precinct", "batch") to break an RCTab count down by, as its
    # tabulation by precinct or batch does (Result.details["slices"])
    slices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.overvote not in OVERVOTE_RULES:
            raise CountError(f"unknown overvote rule {self.overvote!r}; use one of {', '.join(OVERVOTE_RULES)}")
        if self.duplicates not in DUPLICATE_RULES:
            raise CountError(f"unknown duplicate rule {self.duplicates!r}; use one of {', '.join(DUPLICATE_RULES)}")
        if self.quota not in QUOTAS:
            raise CountError(f"unknown quota {self.quota!r}; use one of {', '.join(QUOTAS)}")
        for name in ("max_skipped_ranks", "max_rankings"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise CountError(f"{name.replace('_', ' ')} must not be negative")
        threshold = Fraction(self.threshold)
        if not 0 <= threshold <= 100:
            raise CountError(f"threshold must be a percentage between 0 and 100, not {self.threshold}")
        object.__setattr__(self, "threshold", threshold)
        if not 0 <= self.decimals <= MAX_DECIMALS:
            raise CountError(f"decimals must be between 0 and {MAX_DECIMALS}")
        minimum = Fraction(self.minimum_votes)
        if minimum < 0:
            raise CountError("the minimum vote threshold must not be negative")
        object.__setattr__(self, "minimum_votes", minimum)
        object.__setattr__(self, "slices", tuple(self.slices))
        if self.stop_after_round is not None and self.stop_after_round < 1:
            raise CountError("stop after round must be at least 1")
        if self.bottoms_up_share is not None:
            share = Fraction(self.bottoms_up_share)
            if not 0 < share <= 100:
                raise CountError(f"the bottoms-up share must be a percentage above 0 and at most 100, not {share}")
            object.__setattr__(self, "bottoms_up_share", share)
