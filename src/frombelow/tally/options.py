"""The options a count runs under: one frozen value, shared by every method.

Methods read only the options that concern them; the defaults are the common rules
of public elections and are documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from frombelow.tally.errors import CountError
from frombelow.tally.tiebreak import TieBreak

OvervoteRule = Literal["exhaust", "skip", "exhaust-if-multiple-continuing"]
DuplicateRule = Literal["skip", "exhaust"]
Quota = Literal["droop", "hare", "droop-exact", "hare-exact"]

OVERVOTE_RULES = ("exhaust", "skip", "exhaust-if-multiple-continuing")
DUPLICATE_RULES = ("skip", "exhaust")
QUOTAS = ("droop", "hare", "droop-exact", "hare-exact")


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
    # STV (WIGM): decimal places of transfer values, the rest discarded
    decimals: int = 5

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
        if not 0 <= self.decimals <= 12:
            raise CountError("decimals must be between 0 and 12")
