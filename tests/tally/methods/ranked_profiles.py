"""Random ranked profiles for the method tests, and the same profile as pref_voting sees it."""

from __future__ import annotations

from hypothesis import strategies as st
from pref_voting.profiles import Profile

from frombelow.tally import Ballots

NAMES = ("A", "B", "C", "D", "E", "F")


@st.composite
def complete_profiles(draw: st.DrawFn, max_candidates: int = 5) -> tuple[int, list[tuple[int, ...]], list[int]]:
    """(candidates, distinct complete rankings as indices, how many voters cast each)."""
    n = draw(st.integers(3, max_candidates))
    orders = draw(st.lists(st.permutations(range(n)).map(tuple), min_size=1, max_size=12, unique=True))
    counts = draw(st.lists(st.integers(1, 9), min_size=len(orders), max_size=len(orders)))
    return n, orders, counts


def as_ballots(n: int, orders: list[tuple[int, ...]], counts: list[int]) -> Ballots:
    return Ballots.from_rankings(NAMES[:n], [[NAMES[c] for c in o] for o in orders], counts)


def as_pref_voting(orders: list[tuple[int, ...]], counts: list[int]) -> Profile:
    return Profile([list(o) for o in orders], rcounts=counts)
