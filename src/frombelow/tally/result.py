"""A count's result: frozen values with every round explained."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

Votes = int | Fraction | Decimal


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


RESIDUAL_SURPLUS = "residual surplus"


@dataclass(frozen=True)
class Transfer:
    """Votes moved from one candidate to another.

    ``target`` None means they left the count; ``cause`` then says how: ``"exhausted"``
    (no further preference, or a marking rule stopped the ballot) or
    ``RESIDUAL_SURPLUS`` (fractions of a surplus lost to truncation).
    """

    source: str
    target: str | None
    amount: Votes
    cause: str = "exhausted"


@dataclass(frozen=True)
class Tie:
    """A tie the count had to break, and how."""

    round: int
    purpose: str  # "exclude", "elect", "surplus order", "rank", "seat", …
    among: tuple[str, ...]
    chosen: str
    rule: str  # e.g. "previous rounds: fewest votes in round 2", "random (seed 7)"


@dataclass(frozen=True)
class Round:
    """One round (stage) of a count.

    ``tally`` is each counted candidate's votes at this round. ``elected`` and
    ``eliminated`` are decided at this round, and ``transfers`` move their votes on;
    the next round's tally shows where they arrived. ``exhausted`` is the total of votes
    no longer counted for anyone at this round, with ``inactive`` breaking it down by cause.
    """

    number: int
    tally: Mapping[str, Votes]
    quota: Votes | None = None
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    exhausted: Votes = 0
    inactive: Mapping[str, Votes] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tally", _frozen_mapping(self.tally))
        object.__setattr__(self, "inactive", _frozen_mapping(self.inactive))
        object.__setattr__(self, "elected", tuple(self.elected))
        object.__setattr__(self, "eliminated", tuple(self.eliminated))
        object.__setattr__(self, "transfers", tuple(self.transfers))


@dataclass(frozen=True)
class Result:
    """What a count decided and how.

    ``winners`` are in the order elected; ``ranking`` is a full order of candidates
    where the method gives one (otherwise empty).
    """

    method: str
    seats: int
    candidates: tuple[str, ...]
    winners: tuple[str, ...]
    rounds: tuple[Round, ...] = ()
    ranking: tuple[str, ...] = ()
    ties: tuple[Tie, ...] = ()
    tiebreak: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("candidates", "winners", "rounds", "ranking", "ties"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "details", _frozen_mapping(self.details))
