"""The one rule for every share of a whole: petitions, recall, splits and merges, the veto."""

from fractions import Fraction

import pytest

from frombelow.federation.petitions import MAJORITY, needed, reached


@pytest.mark.parametrize(
    ("share", "total", "more_than", "fewest"),
    [
        (Fraction(1, 4), 10, False, 3),  # rounded up: 2.5 needs 3
        (Fraction(1, 4), 8, False, 2),  # exactly the share
        (Fraction(1, 10), 0, False, 1),  # never fewer than one
        (Fraction(0), 7, False, 1),
        (Fraction(1, 2), 4, False, 2),  # half is reached by half
        (MAJORITY, 4, True, 3),  # more than half of 4
        (MAJORITY, 5, True, 3),  # more than half of 5
        (MAJORITY, 0, True, 1),
        (Fraction(1), 3, False, 3),
    ],
)
def test_needed_is_the_share_rounded_up_and_at_least_one(
    share: Fraction, total: int, more_than: bool, fewest: int
) -> None:
    assert needed(share, total, more_than=more_than) == fewest
    assert reached(fewest, share, total, more_than=more_than)
    assert not reached(fewest - 1, share, total, more_than=more_than)
