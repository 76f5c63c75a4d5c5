"""What an apportionment decided, how far it is from exact proportion, and its inputs checked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

# The divisor methods give seats one at a time, so the work grows with the house size;
# no assembly comes near this.
MAX_SEATS = 100_000


class ApportionmentError(ValueError):
    """The seats cannot be apportioned as asked: says what is wrong."""


@dataclass(frozen=True)
class Apportionment:
    """Seats per unit (state, district, council, list …) and how they were found.

    ``divisor`` (divisor methods) is a number of people per seat that reproduces the
    seats of every unit not held at its minimum or maximum (None if a tie for the last
    seat leaves no such number); ``quota`` (Hamilton) is the
    population per seat of the units shared by quota. ``gallagher`` and
    ``loosemore_hanby`` are disproportionality indices, in percentage points.
    """

    method: str
    seats: Mapping[str, int]
    populations: Mapping[str, int]
    gallagher: float
    loosemore_hanby: float
    divisor: Fraction | None = None
    quota: Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "seats", MappingProxyType(dict(self.seats)))
        object.__setattr__(self, "populations", MappingProxyType(dict(self.populations)))

    @property
    def house_size(self) -> int:
        return sum(self.seats.values())


def build(
    method: str,
    populations: Mapping[str, int],
    seats: Mapping[str, int],
    *,
    divisor: Fraction | None = None,
    quota: Fraction | None = None,
) -> Apportionment:
    return Apportionment(
        method=method,
        seats=seats,
        populations=populations,
        gallagher=gallagher(populations, seats),
        loosemore_hanby=loosemore_hanby(populations, seats),
        divisor=divisor,
        quota=quota,
    )


def gallagher(populations: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """sqrt(1/2 · Σ (population % − seat %)²), in percentage points."""
    return math.sqrt(float(sum(g * g for g in _share_gaps(populations, seats)) / 2))


def loosemore_hanby(populations: Mapping[str, int], seats: Mapping[str, int]) -> float:
    """1/2 · Σ |population % − seat %|, in percentage points."""
    return float(sum(abs(g) for g in _share_gaps(populations, seats)) / 2)


def _share_gaps(populations: Mapping[str, int], seats: Mapping[str, int]) -> list[Fraction]:
    """Each unit's population share minus its seat share, exact, in percent."""
    people = sum(populations.values())
    house = sum(seats.values())
    return [Fraction(100 * populations[u], people) - Fraction(100 * seats[u], house) for u in populations]


def checked(populations: Mapping[str, int], seats: int, min_seats: int, max_seats: int | None) -> dict[str, int]:
    """The populations as a plain dict, once the request is known to be possible."""
    if not populations:
        raise ApportionmentError("no units to apportion seats among")
    for name, people in populations.items():
        if not isinstance(name, str) or not name:
            raise ApportionmentError(f"unit names must be non-empty text, not {name!r}")
        if isinstance(people, bool) or not isinstance(people, int):
            raise ApportionmentError(f"population of {name!r} must be a whole number, not {people!r}")
        if people < 0:
            raise ApportionmentError(f"population of {name!r} is negative ({people})")
    if sum(populations.values()) == 0:
        raise ApportionmentError("every population is zero: nothing to be proportional to")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ApportionmentError(f"seats must be a whole number of at least 1, not {seats!r}")
    if seats > MAX_SEATS:
        raise ApportionmentError(f"{seats} seats is more than the {MAX_SEATS:,} that can be apportioned")
    if min_seats < 0:
        raise ApportionmentError(f"minimum seats must not be negative, not {min_seats}")
    units = len(populations)
    if min_seats * units > seats:
        raise ApportionmentError(
            f"{units} units with at least {min_seats} seats each need {min_seats * units} seats, not {seats}"
        )
    if max_seats is not None:
        if max_seats < min_seats:
            raise ApportionmentError(f"maximum seats ({max_seats}) is below the minimum ({min_seats})")
        if max_seats * units < seats:
            raise ApportionmentError(
                f"{units} units with at most {max_seats} seats each can fill only {max_seats * units} of {seats} seats"
            )
    return dict(populations)
