"""Hamilton's method: the 1790 census, the Alabama paradox, the quota property."""

from fractions import Fraction
from math import ceil, floor

from hypothesis import given, settings
from hypothesis import strategies as st
from test_divisor import HOUSE_1793, US_1790

from frombelow.apportion import hamilton


def test_1790_hamilton_gives_virginia_18_and_delaware_2() -> None:
    # Balinski & Young: Hamilton's method (Washington's first veto, for 120 seats) with
    # 105 seats differs from Jefferson's only in Virginia and Delaware.
    result = hamilton(US_1790, 105)
    assert dict(result.seats) == HOUSE_1793 | {"Virginia": 18, "Delaware": 2}
    assert result.quota == Fraction(sum(US_1790.values()), 105)


def test_whole_quotas_then_largest_remainders() -> None:
    # Quotas 4.4, 3.3, 2.3 -> 4, 3, 2 and one seat left for the largest remainder (A).
    assert dict(hamilton({"A": 44, "B": 33, "C": 23}, 10).seats) == {"A": 5, "B": 3, "C": 2}


def test_alabama_paradox() -> None:
    # Quotas at 10 seats: 4.29, 4.29, 1.43 -> C takes the last seat.
    # At 11 seats: 4.71, 4.71, 1.57 -> A and B take the two left: C loses a seat.
    populations = {"A": 6_000, "B": 6_000, "C": 2_000}
    assert dict(hamilton(populations, 10).seats) == {"A": 4, "B": 4, "C": 2}
    assert dict(hamilton(populations, 11).seats) == {"A": 5, "B": 5, "C": 1}


def test_equal_remainders_go_to_the_larger_population_then_the_name() -> None:
    assert dict(hamilton({"B": 1, "A": 1}, 1).seats) == {"B": 0, "A": 1}
    # Quotas 0.5 and 1.5: remainders 1/2 each, and C is larger.
    assert dict(hamilton({"A": 1, "C": 3}, 2).seats) == {"A": 0, "C": 2}


def test_bounds_recompute_the_quota_of_the_others() -> None:
    # Quotas 9.9, 0.05, 0.05; max 2 caps A, then B and C share 3 seats: 2 and 1 by name.
    result = hamilton({"A": 198, "B": 1, "C": 1}, 10 // 2, min_seats=1, max_seats=2)
    assert dict(result.seats) == {"A": 2, "B": 2, "C": 1}
    raised = hamilton({"A": 980, "B": 10, "C": 10}, 10, min_seats=1)
    assert dict(raised.seats) == {"A": 8, "B": 1, "C": 1}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=80),
)
def test_quota_property(populations: dict[str, int], seats: int) -> None:
    total = sum(populations.values())
    if total == 0:
        return
    result = hamilton(populations, seats)
    assert result.house_size == seats
    for unit, n in result.seats.items():
        quota = Fraction(populations[unit] * seats, total)
        assert floor(quota) <= n <= ceil(quota)
