"""Ranked pairs: Wikipedia's Tennessee example, a cycle, pair ties, and pref_voting."""

from hypothesis import given, settings
from pref_voting.voting_methods import ranked_pairs
from ranked_profiles import NAMES, as_ballots, as_pref_voting, complete_profiles

from frombelow.tally import Ballots, Options, TieBreak, count


def test_tennessee_capital() -> None:
    # 42 Memphis, 26 Nashville, 15 Chattanooga, 17 Knoxville (per 100 voters).
    rows = [(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")]
    ballots = Ballots.from_rankings(tuple("MNCK"), [list(r) for _, r in rows], [w for w, _ in rows])
    result = count(ballots, "ranked-pairs")
    assert result.winners == ("N",)
    assert result.ranking == ("N", "C", "K", "M")
    assert result.details["locked"][0] == ("C", "K")  # 83 to 17, the strongest majority
    assert result.details["skipped"] == ()


def test_the_weakest_majority_in_a_cycle_is_skipped() -> None:
    # A>B 7:4, B>C 9:2, C>A 6:5: lock B>C, then A>B; C>A would close the cycle.
    ballots = Ballots.from_rankings(("A", "B", "C"), [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]], [5, 4, 2])
    result = count(ballots, "ranked-pairs")
    assert result.details["locked"] == (("B", "C"), ("A", "B"))
    assert result.details["skipped"] == (("C", "A"),)
    assert result.ranking == ("A", "B", "C")
    assert result.ties == ()


def test_equal_losing_votes_break_equal_winning_votes() -> None:
    # A>B 4:2 and C>A 4:3 hold the same winning votes; fewer losing votes (A>B) goes first.
    rows = [
        (2, ["A", "B", "C"]),
        (1, ["A", "C", "B"]),
        (1, ["C", "A"]),
        (1, ["B", "C", "A"]),
        (1, ["C", "B"]),
        (1, ["C"]),
    ]
    ballots = Ballots.from_rankings(("A", "B", "C"), [r for _, r in rows], [w for w, _ in rows])
    result = count(ballots, "ranked-pairs")
    pairwise = result.details["pairwise"]
    assert (pairwise["A"]["B"], pairwise["B"]["A"]) == (4, 2)
    assert (pairwise["C"]["A"], pairwise["A"]["C"]) == (4, 3)
    locked = result.details["locked"]
    assert locked.index(("A", "B")) < locked.index(("C", "A"))


def test_pairs_of_equal_strength_in_a_cycle_use_the_tie_break_order() -> None:
    # A perfect three-way cycle, every majority 2:1: the order of pairs decides.
    ballots = Ballots.from_rankings(("A", "B", "C"), [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]])
    options = Options(tiebreak=TieBreak(mode="list", order=("B", "C", "A")))
    result = count(ballots, "ranked-pairs", options=options)
    # Tie-breaking ranking B, C, A: B>C goes first, then C>A; A>B would close the cycle.
    assert result.details["locked"] == (("B", "C"), ("C", "A"))
    assert result.winners == ("B",)
    assert [t.purpose for t in result.ties] == ["pair order", "pair order"]


def test_pairs_of_equal_strength_without_a_cycle_need_no_tie_break() -> None:
    ballots = Ballots.from_rankings(("A", "B", "C"), [["A", "B", "C"], ["A", "C", "B"]])
    result = count(ballots, "ranked-pairs")
    assert result.winners == ("A",)
    assert result.ties == ()


@settings(max_examples=150, deadline=None)
@given(complete_profiles())
def test_agrees_with_pref_voting(profile) -> None:
    n, orders, counts = profile
    # With complete ballots winning votes order pairs as margins do.
    expected = ranked_pairs(as_pref_voting(orders, counts), algorithm="from_stacks")
    if len(expected) != 1:
        return
    assert count(as_ballots(n, orders, counts), "ranked-pairs").winners == (NAMES[expected[0]],)


@settings(max_examples=100, deadline=None)
@given(complete_profiles())
def test_a_condorcet_winner_wins_and_tops_the_ranking(profile) -> None:
    n, orders, counts = profile
    result = count(as_ballots(n, orders, counts), "ranked-pairs", seats=2)
    pairwise = result.details["pairwise"]
    condorcet = [a for a in pairwise if all(pairwise[a][b] > pairwise[b][a] for b in pairwise[a])]
    if condorcet:
        assert result.ranking[0] == result.winners[0] == condorcet[0]
