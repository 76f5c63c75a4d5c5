"""Hamilton's method (largest remainders, Hare quota; Vinton's method, Hare–Niemeyer).

Each unit's exact quota is ``population · seats / total``. Each gets its quota rounded
down, and the seats left go one each to the largest remainders (fractional parts).
Equal remainders go to the larger population, then to the name first in alphabetical
order.

With ``min_seats`` / ``max_seats``: a unit whose quota is below the minimum gets the
minimum, one above the maximum gets the maximum, and the quotas of the others are
worked out again over the seats and people left, until no quota breaks a bound (caps
are applied before floors, since capping only raises the others' quotas).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from frombelow.apportion.apportionment import Apportionment, ApportionmentError, build, checked


def hamilton(
    populations: Mapping[str, int], seats: int, *, min_seats: int = 0, max_seats: int | None = None
) -> Apportionment:
    people = checked(populations, seats, min_seats, max_seats)
    fixed: dict[str, int] = {}
    while True:
        free = [u for u in people if u not in fixed]
        house = seats - sum(fixed.values())
        total = sum(people[u] for u in free)
        quotas = {u: Fraction(people[u] * house, total) if total else Fraction(0) for u in free}
        # Caps first: capping frees seats for the others, which can only raise their quotas.
        bound = {u: max_seats for u in free if max_seats is not None and quotas[u] > max_seats}
        bound = bound or {u: min_seats for u in free if quotas[u] < min_seats}
        if not bound:
            break
        fixed |= bound
    held = {u: int(quotas[u]) for u in free} | fixed
    ceiling = max_seats if max_seats is not None else house
    while sum(held.values()) < seats:
        # One pass: a seat each to the largest remainders, among units below the maximum.
        waiting = sorted(
            (u for u in free if held[u] < ceiling),
            key=lambda u: (-(quotas[u] - int(quotas[u])), -people[u], u),
        )
        if not waiting:
            raise ApportionmentError(f"cannot fill {seats} seats within the minimum and maximum")
        for unit in waiting[: seats - sum(held.values())]:
            held[unit] += 1
    quota = Fraction(total, house) if total and house else None
    return build("hamilton", people, {u: held[u] for u in people}, quota=quota)
