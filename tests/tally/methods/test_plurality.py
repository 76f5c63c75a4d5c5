"""Plurality: first marks, void and blank ballots, several seats, ties, pref_voting."""

import numpy as np
from hypothesis import given, settings
from pref_voting.voting_methods import plurality
from ranked_profiles import NAMES, as_ballots, as_pref_voting, complete_profiles

from frombelow.tally import Ballots, Options, TieBreak, count


def test_first_marked_rank_counts_and_overvotes_are_void() -> None:
    rows = [
        (5, ["A", "B"]),
        (3, [None, "B"]),  # skipped leading rank: B counts
        (2, [{"A", "C"}, "B"]),  # overvote at the first marked rank: void
        (1, []),  # blank
        (4, ["C"]),
    ]
    result = count(Ballots.from_rankings(("A", "B", "C"), [r for _, r in rows], [w for w, _ in rows]), "plurality")
    assert result.winners == ("A",)
    (round_,) = result.rounds
    assert dict(round_.tally) == {"A": 5, "B": 3, "C": 4}
    assert dict(round_.inactive) == {"overvotes": 2, "blank": 1}
    assert round_.exhausted == 3
    assert result.ranking == ("A", "C", "B")


def test_withdrawn_marks_pass_to_the_next_and_shrink_overvotes() -> None:
    rows = [(2, ["A", "B"]), (3, [{"A", "C"}]), (2, ["C"]), (1, ["B"])]
    ballots = Ballots.from_rankings(("A", "B", "C"), [r for _, r in rows], [w for w, _ in rows], withdrawn={0})
    result = count(ballots, "plurality")
    assert dict(result.rounds[0].tally) == {"B": 3, "C": 5}
    assert result.winners == ("C",)


def test_several_seats_are_the_top_n() -> None:
    ballots = Ballots.from_rankings(tuple("ABCD"), [["A"], ["B"], ["C"], ["D"]], [7, 5, 6, 1])
    assert count(ballots, "plurality", seats=2).winners == ("A", "C")


def test_a_tie_for_the_last_seat_goes_to_the_tie_break() -> None:
    ballots = Ballots.from_rankings(tuple("ABC"), [["A"], ["B"], ["C"]], [7, 5, 5])
    options = Options(tiebreak=TieBreak(mode="list", order=("C", "B", "A")))
    result = count(ballots, "plurality", seats=2, options=options)
    assert result.winners == ("A", "C")
    (tie,) = result.ties
    assert (tie.among, tie.chosen, tie.purpose) == (("B", "C"), "C", "elect")


def test_max_rankings_cuts_before_reading() -> None:
    ballots = Ballots.from_rankings(tuple("AB"), [[None, None, "A"], ["B"]], [3, 1])
    assert dict(count(ballots, "plurality", options=Options(max_rankings=2)).rounds[0].tally) == {"A": 0, "B": 1}


def test_a_million_ballots_all_count() -> None:
    rng = np.random.default_rng(7)
    ranks = np.argsort(rng.random((1_000_000, 6)), axis=1).astype(np.int32)
    ballots = Ballots(tuple("ABCDEF"), ranks, np.ones(len(ranks), np.int64))
    result = count(ballots, "plurality")
    assert sum(result.rounds[0].tally.values()) == 1_000_000


@settings(max_examples=150, deadline=None)
@given(complete_profiles())
def test_agrees_with_pref_voting(profile) -> None:
    n, orders, counts = profile
    reference = as_pref_voting(orders, counts)
    ours = count(as_ballots(n, orders, counts), "plurality")
    assert dict(ours.rounds[0].tally) == {NAMES[c]: s for c, s in reference.plurality_scores().items()}
    expected = plurality(reference)
    if len(expected) == 1:
        assert ours.winners == (NAMES[expected[0]],)
