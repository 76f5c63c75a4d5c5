"""Divisor (highest averages) methods: seats one at a time to the highest priority.

A unit with population ``p`` holding ``s`` seats claims its next seat with priority
``p / d(s)``:

* Jefferson (D'Hondt): ``d(s) = s + 1``, rounds quotas down;
* Webster (Sainte-Laguë): ``d(s) = s + 1/2``, rounds to the nearest;
* Huntington–Hill (the US House since 1941): ``d(s) = sqrt(s · (s + 1))``, the geometric mean;
* Adams: ``d(s) = s``, rounds quotas up.

Priorities are compared exactly as ``p² / d(s)²``, a ``Fraction`` for every method, so
Huntington–Hill's square roots are never taken. Where ``d(s) = 0`` (the first seat under
Huntington–Hill and Adams) the priority is infinite: every unit with people gets a seat
before any gets a second. A unit with no people has priority 0.

Every unit starts with ``min_seats``; a unit at ``max_seats`` takes no more. Equal
priorities go to the larger population, then to the name first in alphabetical order.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from fractions import Fraction

from frombelow.apportion.apportionment import Apportionment, ApportionmentError, build, checked

# d(s)² for each method, as an exact fraction.
SquaredDivisor = Callable[[int], Fraction]

RULES: dict[str, SquaredDivisor] = {
    "jefferson": lambda s: Fraction((s + 1) ** 2),
    "webster": lambda s: Fraction((2 * s + 1) ** 2, 4),
    "huntington-hill": lambda s: Fraction(s * (s + 1)),
    "adams": lambda s: Fraction(s * s),
}


def jefferson(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    return divisor_method("jefferson", populations, seats, min_seats=min_seats, max_seats=max_seats)


def dhondt(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    """Jefferson's method under its European name."""
    return divisor_method("jefferson", populations, seats, min_seats=min_seats, max_seats=max_seats, name="dhondt")


def webster(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    return divisor_method("webster", populations, seats, min_seats=min_seats, max_seats=max_seats)


def sainte_lague(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    """Webster's method under its European name."""
    return divisor_method("webster", populations, seats, min_seats=min_seats, max_seats=max_seats, name="sainte-lague")


def huntington_hill(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    return divisor_method("huntington-hill", populations, seats, min_seats=min_seats, max_seats=max_seats)


def adams(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    return divisor_method("adams", populations, seats, min_seats=min_seats, max_seats=max_seats)


# A priority as a key that sorts highest first: infinite before finite, then the larger
# squared priority, then the larger population, then the name.
Key = tuple[int, Fraction, int, str]


def divisor_method(
    rule: str,
    populations: Mapping[str, int],
    seats: int,
    *,
    min_seats: int = 0,
    max_seats: int | None = None,
    name: str | None = None,
) -> Apportionment:
    if rule not in RULES:
        raise ApportionmentError(f"unknown divisor rule {rule!r}; use one of {', '.join(RULES)}")
    people = checked(populations, seats, min_seats, max_seats)
    squared = RULES[rule]
    held = {unit: min_seats for unit in people}

    def key(unit: str) -> Key:
        p, d2 = people[unit], squared(held[unit])
        if p == 0:
            return (1, Fraction(0), 0, unit)
        if d2 == 0:
            return (0, Fraction(0), -p, unit)
        return (1, -Fraction(p * p) / d2, -p, unit)

    queue = [(key(u), u) for u in people if max_seats is None or held[u] < max_seats]
    heapq.heapify(queue)
    last: Key | None = None
    for _ in range(seats - min_seats * len(people)):
        last, unit = heapq.heappop(queue)
        held[unit] += 1
        if max_seats is None or held[unit] < max_seats:
            heapq.heappush(queue, (key(unit), unit))
    following = queue[0][0] if queue else None
    return build(name or rule, people, held, divisor=_divisor(last, following))


def _divisor(last: Key | None, following: Key | None) -> Fraction | None:
    """A number of people per seat strictly between the next priority and the last one given.

    Dividing by it and rounding by the method's rule reproduces the seats of every unit
    not held at a bound. Priorities are held squared, so a rational ``x`` is found with
    ``next² < x² < last²``. None when there is none: a tie for the last seat (``next``
    equals ``last``), no seat given by a finite priority, or one waiting with an infinite one.
    """
    if last is None or last[0] == 0 or (following is not None and following[0] == 0):
        return None
    top = -last[1]
    bottom = Fraction(0) if following is None else -following[1]
    if bottom >= top:
        return None
    high, low = _exact_root(top), _exact_root(bottom)
    if high is not None and low is not None:
        return (high + low) / 2
    guess = Fraction(0)
    for digits in range(60):
        scale = 10**digits
        guess = Fraction(math.isqrt(top.numerator * scale * scale // top.denominator), scale)
        if guess * guess == top:
            guess -= Fraction(1, scale)
        if guess * guess > bottom:
            return guess
    return guess


def _exact_root(square: Fraction) -> Fraction | None:
    num, den = math.isqrt(square.numerator), math.isqrt(square.denominator)
    return Fraction(num, den) if num * num == square.numerator and den * den == square.denominator else None
