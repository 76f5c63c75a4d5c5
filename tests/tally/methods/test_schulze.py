"""Schulze: Wikipedia's 45-voter example, ties, Condorcet consistency, and pref_voting's beat path."""

from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.voting_methods import beat_path
from ranked_profiles import NAMES, as_ballots, as_pref_voting, complete_profiles

from frombelow.tally import Ballots, Options, TieBreak, count
from frombelow.tally.methods.pairwise import matrix, places

WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def wikipedia() -> Ballots:
    return Ballots.from_rankings(tuple("ABCDE"), [list(r) for _, r in WIKIPEDIA], [w for w, _ in WIKIPEDIA])


def test_wikipedia_example_pairwise_paths_and_ranking() -> None:
    result = count(wikipedia(), "schulze")
    assert result.winners == ("E",)
    assert result.ranking == ("E", "A", "C", "B", "D")
    pairwise = result.details["pairwise"]
    assert pairwise["A"] == {"B": 20, "C": 26, "D": 30, "E": 22}
    assert pairwise["D"] == {"A": 15, "B": 12, "C": 28, "E": 14}
    paths = result.details["strongest paths"]
    assert paths["A"] == {"B": 28, "C": 28, "D": 30, "E": 24}
    assert paths["E"] == {"A": 25, "B": 28, "C": 28, "D": 31}
    assert paths["C"] == {"A": 25, "B": 29, "D": 29, "E": 24}
    (round_,) = result.rounds
    assert round_.elected == ("E",)
    assert dict(round_.tally) == {"A": 2, "B": 2, "C": 2, "D": 1, "E": 3}  # head-to-head wins


def test_several_seats_take_the_top_of_the_ranking() -> None:
    assert count(wikipedia(), "schulze", seats=3).winners == ("E", "A", "C")


def test_unranked_come_after_ranked_and_equal_marks_are_no_preference() -> None:
    ballots = Ballots.from_rankings(("A", "B", "C"), [["A"], [{"B", "C"}], ["C", "B", "A"]], [2, 5, 1])
    m = matrix(places(ballots, Options()))
    # A over B and C on 2 ballots; B and C over A on 5 + 1; C over B only on the last.
    assert m.tolist() == [[0, 2, 2], [6, 0, 0], [6, 1, 0]]


def test_a_perfect_tie_is_broken_by_the_tie_break_rule_and_recorded() -> None:
    ballots = Ballots.from_rankings(("A", "B"), [["A", "B"], ["B", "A"]])
    result = count(ballots, "schulze", options=Options(tiebreak=TieBreak(mode="list", order=("B", "A"))))
    assert result.winners == ("B",)
    (tie,) = result.ties
    assert tie.among == ("A", "B") and tie.chosen == "B" and tie.purpose == "elect"


def test_withdrawn_candidates_are_left_out() -> None:
    ballots = wikipedia().replace(withdrawn=frozenset({4}))
    result = count(ballots, "schulze")
    assert "E" not in result.ranking and "E" not in result.details["pairwise"]
    assert result.winners == (result.ranking[0],)


@settings(max_examples=150, deadline=None)
@given(complete_profiles())
def test_agrees_with_pref_voting_beat_path(profile) -> None:
    n, orders, counts = profile
    expected = beat_path(as_pref_voting(orders, counts))
    if len(expected) != 1:
        return
    assert count(as_ballots(n, orders, counts), "schulze").winners == (NAMES[expected[0]],)


@settings(max_examples=100, deadline=None)
@given(complete_profiles())
def test_a_condorcet_winner_wins(profile) -> None:
    n, orders, counts = profile
    result = count(as_ballots(n, orders, counts), "schulze")
    pairwise = result.details["pairwise"]
    condorcet = [a for a in pairwise if all(pairwise[a][b] > pairwise[b][a] for b in pairwise[a])]
    if condorcet:
        assert result.winners == tuple(condorcet)


@settings(max_examples=60, deadline=None)
@given(complete_profiles(), st.randoms(use_true_random=False))
def test_anonymous_and_neutral(profile, rnd) -> None:
    """Shuffling the voters changes nothing; renaming the candidates renames the outcome."""
    n, orders, counts = profile
    rows = [o for o, c in zip(orders, counts) for _ in range(c)]
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    renamed = list(NAMES[:n])
    rnd.shuffle(renamed)
    rename = dict(zip(NAMES[:n], renamed))
    for method in ("schulze", "ranked-pairs", "borda", "plurality"):
        result = count(as_ballots(n, rows, [1] * len(rows)), method)
        if result.ties:
            continue
        assert count(as_ballots(n, shuffled, [1] * len(shuffled)), method).winners == result.winners
        names = tuple(rename[c] for c in NAMES[:n])
        relabelled = Ballots.from_rankings(names, [[rename[NAMES[c]] for c in o] for o in rows])
        assert count(relabelled, method).winners == tuple(rename[w] for w in result.winners)
