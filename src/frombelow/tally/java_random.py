"""Java's ``java.util.Random``, reproduced from its published algorithm.

RCTab draws its seeded lots with ``java.util.Random``; to redraw them exactly we need
the same generator. The algorithm is the one the Java documentation specifies: a
48-bit linear congruential generator ``seed = (seed * 0x5DEECE66D + 0xB) mod 2**48``
whose ``next(bits)`` returns the top ``bits`` of the new seed as a signed 32-bit int.
``setSeed`` scrambles the given seed with the multiplier first.

Also here, because RCTab's results depend on them: ``Collections.shuffle`` (how
``generatePermutation`` orders candidates), ``String.hashCode`` and the iteration
order of a ``HashSet`` of strings (the order in which RCTab lists candidates still
tied after comparing earlier rounds, and so which one its lot picks).
"""

from __future__ import annotations

from collections.abc import Iterable, MutableSequence
from typing import TypeVar

MULTIPLIER = 0x5DEECE66D
ADDEND = 0xB
MASK = (1 << 48) - 1

T = TypeVar("T")


def _signed32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


class JavaRandom:
    """``new java.util.Random(seed)``: the same numbers, in the same order."""

    def __init__(self, seed: int) -> None:
        self.set_seed(seed)

    def set_seed(self, seed: int) -> None:
        self._seed = (seed ^ MULTIPLIER) & MASK

    def next(self, bits: int) -> int:
        self._seed = (self._seed * MULTIPLIER + ADDEND) & MASK
        return _signed32(self._seed >> (48 - bits))

    def next_int(self, bound: int | None = None) -> int:
        """``nextInt()`` (any int) or ``nextInt(bound)`` (0 <= n < bound)."""
        if bound is None:
            return self.next(32)
        if bound <= 0:
            raise ValueError("bound must be positive")
        if bound & -bound == bound:  # a power of two: the high bits are the better ones
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            value = bits % bound
            # Reject the top, incomplete stretch of 31-bit values so every result is equally likely
            # (Java detects it by the int overflow of bits - value + (bound - 1)).
            if bits - value + (bound - 1) < 1 << 31:
                return value

    def next_double(self) -> float:
        """A double in [0, 1) from 53 random bits, as Java builds it."""
        return ((self.next(26) << 27) + self.next(27)) / float(1 << 53)

    def shuffle(self, items: MutableSequence[T]) -> None:
        """``Collections.shuffle(items, this)``: swap each position from the end with a random earlier one."""
        for i in range(len(items), 1, -1):
            j = self.next_int(i)
            items[i - 1], items[j] = items[j], items[i - 1]


def string_hash(text: str) -> int:
    """Java's ``String.hashCode``: over UTF-16 code units, in signed 32-bit arithmetic."""
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return _signed32(h)


def java_order(text: str) -> bytes:
    """A sort key giving Java's natural string order (``compareTo``: UTF-16 code units)."""
    return text.encode("utf-16-be")


def java_sorted(items: Iterable[str]) -> list[str]:
    """Strings in Java's natural order (UTF-16 code units; differs from Python's only beyond the BMP)."""
    return sorted(items, key=java_order)


def hash_set_order(items: Iterable[str]) -> list[str]:
    """The iteration order of ``new HashSet<>(items)`` in Java 8 and later.

    The table has ``tableSizeFor(max(n / 0.75 + 1, 16))`` buckets; a string goes to
    bucket ``(h ^ (h >>> 16)) & (buckets - 1)`` with ``h`` its hash code; iteration runs
    through the buckets in order, each in insertion order.
    """
    unique = list(dict.fromkeys(items))
    wanted = max(int(len(unique) / 0.75) + 1, 16)
    buckets = 1
    while buckets < wanted:
        buckets <<= 1
    return _by_bucket(unique, buckets)


def hash_map_order(keys: Iterable[str]) -> list[str]:
    """The iteration order of a ``new HashMap<>()`` filled by ``put`` one key at a time.

    The table starts at 16 buckets and doubles whenever it holds more than three
    quarters of its size; a resize keeps each bucket's insertion order, so the order
    is that of the final table (buckets as in ``hash_set_order``).
    """
    unique = list(dict.fromkeys(keys))
    buckets = 16
    while len(unique) > buckets * 3 // 4:
        buckets <<= 1
    return _by_bucket(unique, buckets)


def _by_bucket(unique: list[str], buckets: int) -> list[str]:
    def bucket(name: str) -> int:
        h = string_hash(name) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (buckets - 1)

    return sorted(unique, key=bucket)  # sorted is stable: insertion order within a bucket
