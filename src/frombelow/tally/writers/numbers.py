"""Vote numbers for output: whole numbers stay numbers, the rest exact decimal strings."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

# A fraction whose decimal expansion does not end (1/3) is shown to this many places.
PLACES = 9


def number(value: object) -> int | str | float | object:
    """JSON-ready form of a vote number; anything else passes through."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return value.numerator
        return decimal_string(value)
    return value


def decimal_string(value: Fraction) -> str:
    """Exact when the expansion ends, else rounded half-even to PLACES."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        places = 0
        while (value * 10**places).denominator != 1:
            places += 1
        return format(Decimal(value.numerator) / Decimal(value.denominator), f".{places}f")
    scaled = round(value * 10**PLACES)
    return format(Decimal(scaled).scaleb(-PLACES), f".{PLACES}f")
