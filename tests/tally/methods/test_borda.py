"""Borda: points by hand, truncated ballots, equal ranks, pref_voting's scores."""

from fractions import Fraction

from hypothesis import given, settings
from pref_voting.voting_methods import borda
from ranked_profiles import NAMES, as_ballots, as_pref_voting, complete_profiles

from frombelow.tally import Ballots, count


def test_points_by_hand() -> None:
    # Wikipedia's Tennessee example: 42 M>N>C>K, 26 N>C>K>M, 15 C>K>N>M, 17 K>C>N>M.
    rows = [(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")]
    ballots = Ballots.from_rankings(tuple("MNCK"), [list(r) for _, r in rows], [w for w, _ in rows])
    result = count(ballots, "borda")
    assert dict(result.rounds[0].tally) == {"M": 126, "N": 194, "C": 173, "K": 107}
    assert result.winners == ("N",)
    assert result.ranking == ("N", "C", "M", "K")


def test_truncated_ballots_give_the_unranked_nothing() -> None:
    # Four candidates: a ballot naming only A gives A 3 points and nobody else any.
    ballots = Ballots.from_rankings(tuple("ABCD"), [["A"], ["B", "C"]])
    assert dict(count(ballots, "borda").rounds[0].tally) == {"A": 3, "B": 3, "C": 2, "D": 0}


def test_equal_ranks_share_the_average() -> None:
    # B and C share second and third place on a 3-candidate ballot: (1 + 0) / 2 each.
    ballots = Ballots.from_rankings(tuple("ABC"), [["A", {"B", "C"}]])
    tally = dict(count(ballots, "borda").rounds[0].tally)
    assert tally == {"A": 2, "B": Fraction(1, 2), "C": Fraction(1, 2)}


@settings(max_examples=80, deadline=None)
@given(complete_profiles())
def test_agrees_with_pref_voting(profile) -> None:
    n, orders, counts = profile
    reference = as_pref_voting(orders, counts)
    ours = count(as_ballots(n, orders, counts), "borda")
    assert dict(ours.rounds[0].tally) == {NAMES[c]: s for c, s in reference.borda_scores().items()}
    expected = borda(reference)
    if len(expected) == 1:
        assert ours.winners == (NAMES[expected[0]],)
