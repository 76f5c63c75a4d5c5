"""Party list: textbook examples for each method, the legal threshold, seat ties, and
agreement with the apportionment library (D'Hondt = Jefferson, Sainte-Laguë = Webster,
Hare = Hamilton)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow import apportion
from frombelow.tally import CountError, Options, PartyVotes, TieBreak, count
from frombelow.tally.methods.party_list import dhondt, droop, hare, sainte_lague

# The example of the D'Hondt and Sainte-Laguë articles (Wikipedia): 230,000 votes, 8 seats.
FOUR = PartyVotes(("A", "B", "C", "D"), (100_000, 80_000, 30_000, 20_000))
# The example of the largest remainder article (Wikipedia): 100,000 votes, 10 seats.
SIX = PartyVotes(("White", "Red", "Blue", "Green", "Yellow", "Pink"), (47_000, 16_000, 15_800, 12_000, 6_100, 3_100))


def test_dhondt_textbook_example_seat_by_seat() -> None:
    result = dhondt(FOUR, 8, Options())
    assert dict(result.details["seats"]) == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.winners == ("A", "B", "A", "B", "A", "C", "B", "A")
    assert len(result.rounds) == 8
    # The sixth seat: A 100000/4 = 25000, B 80000/3, C 30000, D 20000 -> C.
    sixth = result.rounds[5]
    assert dict(sixth.tally) == {"A": 25_000, "B": Fraction(80_000, 3), "C": 30_000, "D": 20_000}
    assert sixth.elected == ("C",)


def test_sainte_lague_textbook_example() -> None:
    result = sainte_lague(FOUR, 8, Options())
    assert dict(result.details["seats"]) == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert result.rounds[0].tally["C"] == 30_000
    assert result.rounds[1].tally["A"] == Fraction(100_000, 3)


def test_hare_textbook_example() -> None:
    result = hare(SIX, 10, Options())
    assert dict(result.details["seats"]) == {"White": 5, "Red": 2, "Blue": 1, "Green": 1, "Yellow": 1, "Pink": 0}
    assert result.details["quota"] == 10_000
    # Whole quotas first (White 4, Red, Blue, Green), then remainders 7000, 6100, 6000.
    assert result.winners == ("White",) * 4 + ("Red", "Blue", "Green") + ("White", "Yellow", "Red")
    (round_,) = result.rounds
    assert round_.quota == 10_000


def test_droop_textbook_example() -> None:
    result = droop(SIX, 10, Options())
    assert result.details["quota"] == 9_091  # floor(100000 / 11) + 1
    assert dict(result.details["seats"]) == {"White": 5, "Red": 2, "Blue": 2, "Green": 1, "Yellow": 0, "Pink": 0}


def test_threshold_excludes_parties_below_it_before_allocation() -> None:
    options = Options(threshold=Fraction(5))
    result = hare(SIX, 10, options)
    assert result.details["below threshold"] == ("Pink",)
    assert result.details["seats"]["Pink"] == 0
    # Quota over the 96,900 qualifying votes: 9,690.
    assert result.details["quota"] == 9_690
    assert sum(result.details["seats"].values()) == 10
    # Exactly at the threshold qualifies: 6,100 of 100,000 is 6.1 %.
    assert count(SIX, "dhondt", 10, Options(threshold=Fraction(61, 10))).details["below threshold"] == ("Pink",)
    at = count(PartyVotes(("A", "B"), (95, 5)), "dhondt", 20, Options(threshold=Fraction(5)))
    assert at.details["below threshold"] == () and at.details["seats"]["B"] == 1


def test_no_party_over_the_threshold_is_an_error() -> None:
    with pytest.raises(CountError, match="threshold"):
        count(PartyVotes(("A", "B", "C"), (1, 1, 1)), "dhondt", 3, Options(threshold=Fraction(50)))


def test_a_tie_for_a_seat_is_broken_by_the_rule_and_recorded() -> None:
    votes = PartyVotes(("A", "B"), (100, 100))
    result = count(votes, "dhondt", 1, Options(tiebreak=TieBreak(mode="list", order=("B", "A"))))
    assert result.winners == ("B",)
    (tie,) = result.ties
    assert (tie.among, tie.chosen, tie.purpose) == (("A", "B"), "B", "seat")


def test_previous_rounds_favours_the_party_with_the_higher_earlier_quotient() -> None:
    # Seat 2: A 200/2 = 100 ties B 100/1; at seat 1 A's quotient was 200, B's 100: A wins.
    result = count(PartyVotes(("A", "B"), (200, 100)), "dhondt", 3)
    assert result.winners == ("A", "A", "B")
    (tie,) = result.ties
    assert tie.round == 2 and tie.chosen == "A" and "previous rounds" in tie.rule


populations = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=7).filter(lambda v: sum(v) > 0)


@settings(max_examples=150, deadline=None)
@given(populations, st.integers(min_value=1, max_value=40))
def test_party_list_agrees_with_apportionment(votes: list[int], seats: int) -> None:
    parties = tuple(f"P{i}" for i in range(len(votes)))
    pv = PartyVotes(parties, tuple(votes))
    units = dict(zip(parties, votes))
    for method, same in (("dhondt", "jefferson"), ("sainte-lague", "webster"), ("hare", "hamilton")):
        result = count(pv, method, seats)
        if result.ties:
            continue  # the two break ties by different rules
        assert dict(result.details["seats"]) == dict(apportion.apportion(units, seats, same).seats)
        assert len(result.winners) == seats


def test_ranked_ballots_count_as_first_preferences_of_standing_candidates() -> None:
    from frombelow.tally import Ballots

    ballots = Ballots.from_rankings(
        ("A", "B", "C"), [["A", "B"], ["C"], ["B"], [{"B", "C"}]], [30, 20, 10, 5], withdrawn=frozenset({0})
    )
    result = count(ballots, "sainte-lague", seats=3)
    assert dict(result.details["votes"]) == {"B": 40, "C": 20}  # A withdrawn; the overvote is void
    assert "A" not in result.winners
