"""Hamilton's method (largest remainders, Hare quota; Vinton's method, Hare–Niemeyer).

Each unit's exact quota is ``population · seats / total``. Each gets its quota rounded
down, and the seats left go one each to the largest remainders (fractional parts).
Equal remainders go to the larger population, then to the name first in alphabetical
order.

With ``min_seats`` / ``max_seats`` the quotas are first held within the bounds: every
quota is ``population · t`` clamped to ``[min_seats, max_seats]``, with the one scale
``t`` that makes the clamped quotas add up to the seats (the sum grows steadily with
``t``, so it is found exactly, segment by segment). Without bounds ``t = seats / total``
and this is plain Hamilton.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from frombelow.apportion.apportionment import Apportionment, build, checked


def hamilton(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    people = checked(populations, seats, min_seats, max_seats)
    scale = _scale(people, seats, min_seats, max_seats)
    quotas = {u: _clamp(p * scale, min_seats, max_seats) for u, p in people.items()}
    held = {u: int(q) for u, q in quotas.items()}  # quotas are >= 0: int() rounds down
    left = seats - sum(held.values())
    # Fewer seats are left than quotas with a fractional part (their fractions add up to
    # ``left``), and a unit with a fraction is below its maximum.
    by_remainder = sorted(people, key=lambda u: (-(quotas[u] - held[u]), -people[u], u))
    for unit in by_remainder[:left]:
        held[unit] += 1
    return build("hamilton", people, held, quota=1 / scale if scale else None)


def _clamp(value: Fraction, low: int, high: int | None) -> Fraction:
    value = max(value, Fraction(low))
    return min(value, Fraction(high)) if high is not None else value


def _scale(people: dict[str, int], seats: int, low: int, high: int | None) -> Fraction:
    """The ``t`` at which the clamped quotas ``clamp(p · t)`` add up to ``seats``."""

    def total(t: Fraction) -> Fraction:
        return sum((_clamp(p * t, low, high) for p in people.values()), Fraction(0))

    # Where a unit's clamped quota starts or stops growing.
    breaks = {Fraction(0)}
    for p in people.values():
        if p:
            breaks.add(Fraction(low, p))
            if high is not None:
                breaks.add(Fraction(high, p))
    points = sorted(breaks)
    if high is None:
        points.append(points[-1] + Fraction(seats, sum(people.values())) + 1)  # past the last bend
    start = points[0]
    for end in points[1:]:
        if total(end) >= seats:
            # Linear between two breaks: solve for t.
            at_start, at_end = total(start), total(end)
            if at_end == at_start:
                return start
            return start + (end - start) * (seats - at_start) / (at_end - at_start)
        start = end
    return start
