"""Apportionment: sharing a whole number of seats among units in proportion to population.

    >>> from frombelow import apportion
    >>> apportion.apportion({"North": 5_000, "South": 3_000, "Isles": 1_000}, 10, "webster").seats
    mappingproxy({'North': 6, 'South': 3, 'Isles': 1})

Methods: ``hamilton`` (largest remainders), and the divisor methods ``jefferson`` (also
``dhondt``), ``webster`` (also ``sainte-lague``), ``huntington-hill`` and ``adams``. All
decisions use exact arithmetic. ``METHODS`` maps each name to its function; at most
``MAX_SEATS`` (100,000) seats are apportioned, since the divisor methods give them one
at a time. Pure Python: nothing here depends on the rest of frombelow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from frombelow.apportion.apportionment import (
    MAX_SEATS,
    Apportionment,
    ApportionmentError,
    gallagher,
    loosemore_hanby,
)
from frombelow.apportion.divisor import adams, dhondt, huntington_hill, jefferson, sainte_lague, webster
from frombelow.apportion.hamilton import hamilton
from frombelow.apportion.populations import read_populations

__all__ = [
    "MAX_SEATS",
    "METHODS",
    "Apportionment",
    "ApportionmentError",
    "adams",
    "apportion",
    "dhondt",
    "gallagher",
    "hamilton",
    "huntington_hill",
    "jefferson",
    "loosemore_hanby",
    "read_populations",
    "sainte_lague",
    "webster",
]

Method = Callable[..., Apportionment]

METHODS: dict[str, Method] = {
    "hamilton": hamilton,
    "jefferson": jefferson,
    "dhondt": dhondt,
    "webster": webster,
    "sainte-lague": sainte_lague,
    "huntington-hill": huntington_hill,
    "adams": adams,
}


def apportion(
    populations: Mapping[str, int],
    seats: int,
    method: str,
    *,
    min_seats: int = 0,
    max_seats: int | None = None,
) -> Apportionment:
    """Apportion ``seats`` among ``populations`` by the method named ``method``."""
    try:
        chosen = METHODS[method]
    except KeyError:
        raise ApportionmentError(f"unknown apportionment method {method!r}; use one of {', '.join(METHODS)}") from None
    return chosen(populations, seats, min_seats=min_seats, max_seats=max_seats)
