"""Divisor methods: the 1790 census, hand-checked cases, and properties checked against
an independent definition (divide by the reported divisor and round)."""

from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.apportion import ApportionmentError, adams, apportion, dhondt, huntington_hill, jefferson, webster

# 1790 census, apportionment population (Balinski & Young, "Fair Representation", table A.1).
US_1790 = {
    "Connecticut": 236841,
    "Delaware": 55540,
    "Georgia": 70835,
    "Kentucky": 68705,
    "Maryland": 278514,
    "Massachusetts": 475327,
    "New Hampshire": 141822,
    "New Jersey": 179570,
    "New York": 331589,
    "North Carolina": 353523,
    "Pennsylvania": 432879,
    "Rhode Island": 68446,
    "South Carolina": 206236,
    "Vermont": 85533,
    "Virginia": 630560,
}

# The House of 1793: Jefferson's method, divisor 33,000, 105 seats.
HOUSE_1793 = {
    "Connecticut": 7,
    "Delaware": 1,
    "Georgia": 2,
    "Kentucky": 2,
    "Maryland": 8,
    "Massachusetts": 14,
    "New Hampshire": 4,
    "New Jersey": 5,
    "New York": 10,
    "North Carolina": 10,
    "Pennsylvania": 13,
    "Rhode Island": 2,
    "South Carolina": 6,
    "Vermont": 2,
    "Virginia": 19,
}


def rounded(method: str, share: Fraction) -> int:
    """Seats for a quotient ``population / divisor`` by each method's rounding rule."""
    if method == "jefferson":
        return floor(share)
    if method == "adams":
        return ceil(share)
    if method == "webster":
        return floor(share + Fraction(1, 2))
    # Huntington–Hill: round up past the geometric mean sqrt(n(n+1)), compared squared.
    n = floor(share)
    return n + 1 if share * share > n * (n + 1) else n


def test_jefferson_1790_gives_the_house_of_1793() -> None:
    result = jefferson(US_1790, 105)
    assert dict(result.seats) == HOUSE_1793
    assert {s: floor(Fraction(p, 33000)) for s, p in US_1790.items()} == HOUSE_1793
    assert result.method == "jefferson"


def test_dhondt_is_jefferson_by_another_name() -> None:
    assert dict(dhondt(US_1790, 105).seats) == HOUSE_1793
    assert dhondt(US_1790, 105).method == "dhondt"


def test_webster_1790_moves_virginias_nineteenth_seat_to_delaware() -> None:
    seats = dict(webster(US_1790, 105).seats)
    assert seats == HOUSE_1793 | {"Virginia": 18, "Delaware": 2}


@pytest.mark.parametrize("method", ["jefferson", "webster", "huntington-hill", "adams"])
def test_1790_seats_come_from_the_reported_divisor(method: str) -> None:
    result = apportion(US_1790, 105, method)
    assert result.house_size == 105
    assert result.divisor is not None
    assert {s: rounded(method, Fraction(p) / result.divisor) for s, p in US_1790.items()} == dict(result.seats)


def test_huntington_hill_and_adams_favour_small_states_in_1790() -> None:
    hh, ad, jf = (dict(apportion(US_1790, 105, m).seats) for m in ("huntington-hill", "adams", "jefferson"))
    assert hh["Vermont"] == ad["Vermont"] == 3 > jf["Vermont"]
    assert hh["Virginia"] == ad["Virginia"] == 18 < jf["Virginia"]


def test_huntington_hill_rounds_at_the_geometric_mean() -> None:
    # Quotas 1.43 and 8.57. Webster rounds at the arithmetic mean: 1 and 9. For the last
    # seat Huntington–Hill weighs A's second seat, 143/sqrt(1·2) = 101.12, against B's
    # ninth, 857/sqrt(8·9) = 101.00: A wins it.
    populations = {"A": 143, "B": 857}
    assert dict(webster(populations, 10).seats) == {"A": 1, "B": 9}
    assert dict(huntington_hill(populations, 10).seats) == {"A": 2, "B": 8}


def test_every_unit_with_people_gets_a_first_seat_under_adams_and_huntington_hill() -> None:
    populations = {"Big": 1_000_000, "Tiny": 1, "Empty": 0}
    for method in (adams, huntington_hill):
        assert dict(method(populations, 3).seats) == {"Big": 2, "Tiny": 1, "Empty": 0}
    assert dict(jefferson(populations, 3).seats) == {"Big": 3, "Tiny": 0, "Empty": 0}


def test_infinite_priorities_compete_by_population_then_name() -> None:
    # Fewer seats than units: the first seats (infinite priority) go to the largest.
    populations = {"B": 10, "A": 10, "C": 30}
    assert dict(adams(populations, 2).seats) == {"B": 0, "A": 1, "C": 1}
    assert adams(populations, 2).divisor is None


def test_ties_go_to_the_larger_population_then_the_name() -> None:
    assert dict(jefferson({"B": 100, "A": 100}, 1).seats) == {"B": 0, "A": 1}
    # 200/2 = 100/1: equal priorities for the third seat; the larger population wins it.
    assert dict(jefferson({"Small": 100, "Large": 200}, 3).seats) == {"Small": 1, "Large": 2}


def test_minimum_seats_first_then_by_priority() -> None:
    result = huntington_hill(US_1790, 105, min_seats=3)
    assert all(n >= 3 for n in result.seats.values())
    assert result.house_size == 105
    assert result.seats["Delaware"] == 3


def test_maximum_seats_caps_the_largest() -> None:
    result = webster(US_1790, 105, max_seats=12)
    assert max(result.seats.values()) == 12
    assert result.seats["Virginia"] == result.seats["Massachusetts"] == result.seats["Pennsylvania"] == 12
    assert result.house_size == 105


@pytest.mark.parametrize(
    ("populations", "seats", "bounds", "message"),
    [
        ({}, 5, {}, "no units"),
        ({"A": -1, "B": 5}, 5, {}, "negative"),
        ({"A": 0, "B": 0}, 5, {}, "zero"),
        ({"A": 1, "B": 2}, 0, {}, "at least 1"),
        ({"A": 1, "B": 2}, 3, {"min_seats": 2}, "need 4 seats"),
        ({"A": 1, "B": 2}, 5, {"max_seats": 2}, "only 4 of 5"),
        ({"A": 1, "B": 2}, 2, {"min_seats": 1, "max_seats": 0}, "below the minimum"),
        ({"A": 1.5}, 3, {}, "whole number"),
    ],
)
def test_impossible_requests_say_why(populations: dict, seats: int, bounds: dict, message: str) -> None:
    for method in ("jefferson", "huntington-hill", "hamilton"):
        with pytest.raises(ApportionmentError, match=message):
            apportion(populations, seats, method, **bounds)


def test_unknown_method_lists_the_known_ones() -> None:
    with pytest.raises(ApportionmentError, match="huntington-hill"):
        apportion(US_1790, 105, "lottery")


populations = st.dictionaries(
    st.sampled_from("ABCDEFGHIJ"), st.integers(min_value=1, max_value=10**7), min_size=1, max_size=8
)
DIVISOR_METHODS = ["jefferson", "webster", "huntington-hill", "adams"]


@settings(max_examples=150, deadline=None)
@given(populations, st.integers(min_value=1, max_value=60), st.sampled_from(DIVISOR_METHODS))
def test_divisor_reproduces_the_seats(populations: dict[str, int], seats: int, method: str) -> None:
    result = apportion(populations, seats, method)
    assert result.house_size == seats
    if result.divisor is not None:
        assert {u: rounded(method, Fraction(p) / result.divisor) for u, p in populations.items()} == dict(result.seats)


@settings(max_examples=100, deadline=None)
@given(populations, st.integers(min_value=1, max_value=50), st.sampled_from(DIVISOR_METHODS))
def test_divisor_methods_are_house_monotone(populations: dict[str, int], seats: int, method: str) -> None:
    smaller = apportion(populations, seats, method).seats
    larger = apportion(populations, seats + 1, method).seats
    assert all(larger[u] >= smaller[u] for u in populations)


@settings(max_examples=100, deadline=None)
@given(populations, st.integers(min_value=1, max_value=60))
def test_jefferson_keeps_lower_quota_and_adams_upper_quota(populations: dict[str, int], seats: int) -> None:
    total = sum(populations.values())
    quota = {u: Fraction(p * seats, total) for u, p in populations.items()}
    assert all(n >= floor(quota[u]) for u, n in jefferson(populations, seats).seats.items())
    assert all(n <= ceil(quota[u]) for u, n in adams(populations, seats).seats.items())


@settings(max_examples=100, deadline=None)
@given(
    populations,
    st.integers(min_value=1, max_value=60),
    st.sampled_from(DIVISOR_METHODS + ["hamilton"]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=12),
)
def test_bounds_are_kept(populations: dict[str, int], seats: int, method: str, low: int, extra: int) -> None:
    high = low + extra
    units = len(populations)
    if not units * low <= seats <= units * high:
        with pytest.raises(ApportionmentError):
            apportion(populations, seats, method, min_seats=low, max_seats=high)
        return
    result = apportion(populations, seats, method, min_seats=low, max_seats=high)
    assert result.house_size == seats
    assert all(low <= n <= high for n in result.seats.values())
