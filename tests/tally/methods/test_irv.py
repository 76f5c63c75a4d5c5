"""IRV by hand-checked examples, one per rule it has."""

import pytest

from frombelow.tally import Ballots, CountError, Options, TieBreak, count


def election(rows: list[tuple[int, list]], names: str = "ABCDE") -> Ballots:
    candidates = tuple(names)
    return Ballots.from_rankings(candidates, [r for _, r in rows], [w for w, _ in rows])


def test_majority_in_first_round_wins_at_once() -> None:
    result = count(election([(6, ["A", "B"]), (4, ["B", "A"])], "AB"), "irv")
    assert result.winners == ("A",)
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == ("A",)


def test_exclusion_transfers_to_next_preferences() -> None:
    # A 8, B 7, C 5 -> C excluded, 4 go to B, 1 exhausted: B 11, A 8.
    ballots = election([(8, ["A"]), (7, ["B"]), (4, ["C", "B"]), (1, ["C"])], "ABC")
    result = count(ballots, "irv")
    assert result.winners == ("B",)
    first, second = result.rounds
    assert dict(first.tally) == {"A": 8, "B": 7, "C": 5}
    assert first.eliminated == ("C",)
    assert {(t.source, t.target, t.amount) for t in first.transfers} == {("C", "B", 4), ("C", None, 1)}
    assert dict(second.tally) == {"A": 8, "B": 11}
    assert second.exhausted == 1
    assert result.ranking == ("B", "A", "C")


def test_majority_is_of_continuing_votes_not_of_all_ballots() -> None:
    # After C goes, A has 8 of 15 continuing votes: a majority though not of all 20 ballots.
    ballots = election([(8, ["A"]), (7, ["B"]), (5, ["C"])], "ABC")
    result = count(ballots, "irv")
    assert result.winners == ("A",)
    assert result.rounds[-1].exhausted == 5


def test_tie_for_exclusion_uses_previous_round() -> None:
    # Round 1: A 5, B 4, C 3, D 3 -> tie C/D in round 1, no earlier round: drawn by lot (seeded).
    # Then round 2 has B and the survivor; a later tie looks back at round 1.
    ballots = election([(5, ["A"]), (4, ["B"]), (3, ["C", "B"]), (3, ["D", "B"])], "ABCD")
    result = count(ballots, "irv")
    assert len(result.ties) == 1
    tie = result.ties[0]
    assert tie.among == ("C", "D") and tie.purpose == "exclude"
    assert "no earlier round" in tie.rule
    again = count(ballots, "irv")
    assert again.ties == result.ties  # reproducible
    assert result.winners == ("B",)


def test_tie_broken_by_most_recent_round_that_differs() -> None:
    # Round 1: A 6, B 5, C 4, D 2. D excluded -> C +1 (5): B and C tie at 5 in round 2;
    # in round 1 C had fewer, so C is excluded.
    ballots = election([(6, ["A"]), (5, ["B", "A"]), (4, ["C", "B"]), (1, ["D", "C"]), (1, ["D"])], "ABCD")
    result = count(ballots, "irv")
    assert result.rounds[1].eliminated == ("C",)
    assert result.ties[0].rule == "previous rounds: fewest votes in round 1"
    assert result.winners == ("B",)


def test_list_tiebreak_excludes_the_one_listed_last() -> None:
    ballots = election([(5, ["A"]), (3, ["B", "A"]), (3, ["C", "A"])], "ABC")
    result = count(ballots, "irv", options=Options(tiebreak=TieBreak("list", order=("C", "B", "A"))))
    assert result.rounds[0].eliminated == ("B",)
    result = count(ballots, "irv", options=Options(tiebreak=TieBreak("list", order=("B", "C", "A"))))
    assert result.rounds[0].eliminated == ("C",)


def test_random_tiebreak_depends_on_the_seed_only() -> None:
    ballots = election([(5, ["A"]), (3, ["B", "A"]), (3, ["C", "A"])], "ABC")
    chosen = {
        seed: count(ballots, "irv", options=Options(tiebreak=TieBreak("random", seed=seed))).ties[0].chosen
        for seed in range(20)
    }
    assert set(chosen.values()) == {"B", "C"}
    assert all(
        count(ballots, "irv", options=Options(tiebreak=TieBreak("random", seed=s))).ties[0].chosen == c
        for s, c in chosen.items()
    )


def test_batch_elimination_drops_all_hopeless_candidates_at_once() -> None:
    # D 1 + C 2 = 3 < B 4: C and D can't overtake B even together.
    ballots = election([(6, ["A"]), (4, ["B"]), (2, ["C", "B"]), (1, ["D", "B"])], "ABCD")
    plain = count(ballots, "irv")
    batch = count(ballots, "irv", options=Options(batch_elimination=True))
    assert plain.rounds[0].eliminated == ("D",)
    assert set(batch.rounds[0].eliminated) == {"C", "D"}
    assert plain.winners == batch.winners == ("B",)


def test_continue_until_two_reports_the_final_pair() -> None:
    ballots = election([(7, ["A"]), (2, ["B"]), (1, ["C", "B"])], "ABC")
    assert len(count(ballots, "irv").rounds) == 1
    result = count(ballots, "irv", options=Options(continue_until_two=True))
    assert len(result.rounds) == 2 and set(result.rounds[-1].tally) == {"A", "B"}
    assert result.winners == ("A",)


def test_overvote_rules() -> None:
    ballots = election([(3, ["A"]), (3, ["B"]), (2, ["C"]), (2, [{"A", "B"}, "C"]), (1, ["C", {"A", "B"}])], "ABC")
    # exhaust: the overvoted ballots count for no one.
    exhaust = count(ballots, "irv")
    assert dict(exhaust.rounds[0].tally) == {"A": 3, "B": 3, "C": 3}
    assert exhaust.rounds[0].inactive == {"overvotes": 2}
    # skip: the overvoted rank is passed over, so those 2 count for C.
    skip = count(ballots, "irv", options=Options(overvote="skip"))
    assert dict(skip.rounds[0].tally) == {"A": 3, "B": 3, "C": 5}
    # exhaust-if-multiple-continuing: A and B both continue, so the 2 stop; after one of
    # A, B is excluded the ballot C>{A,B} counts for the other.
    dynamic = count(ballots, "irv", options=Options(overvote="exhaust-if-multiple-continuing"))
    assert dict(dynamic.rounds[0].tally) == {"A": 3, "B": 3, "C": 3}
    assert dynamic.rounds[0].inactive == {"overvotes": 2}


def test_skipped_ranks() -> None:
    ballots = election([(5, ["A"]), (4, ["B"]), (2, ["C", None, "B"]), (1, ["C", None, None, "B"])], "ABC")
    assert count(ballots, "irv").winners == ("B",)  # gaps passed over
    strict = count(ballots, "irv", options=Options(max_skipped_ranks=1))
    assert strict.rounds[-1].inactive == {"skipped rankings": 1}
    assert strict.winners == ("B",)
    none_allowed = count(ballots, "irv", options=Options(max_skipped_ranks=0))
    assert none_allowed.rounds[-1].inactive == {"skipped rankings": 3}
    assert none_allowed.winners == ("A",)


def test_duplicate_rankings() -> None:
    ballots = election([(4, ["A"]), (3, ["B"]), (2, ["C", "C", "B"])], "ABC")
    assert count(ballots, "irv").winners == ("B",)
    exhaust = count(ballots, "irv", options=Options(duplicates="exhaust"))
    assert exhaust.rounds[-1].inactive == {"repeated rankings": 2}
    assert exhaust.winners == ("A",)


def test_maximum_rankings_ignores_later_ranks() -> None:
    ballots = election([(4, ["A"]), (3, ["B"]), (2, ["C", "D", "B"]), (1, ["D"])], "ABCD")
    assert count(ballots, "irv").winners == ("B",)
    assert count(ballots, "irv", options=Options(max_rankings=2)).winners == ("A",)


def test_withdrawn_candidates_are_passed_over() -> None:
    ballots = election([(4, ["A"]), (3, ["B"]), (2, ["C", "B"])], "ABC").replace(withdrawn=frozenset({2}))
    result = count(ballots, "irv")
    assert "C" not in result.rounds[0].tally
    assert result.winners == ("B",)


def test_irv_refuses_several_seats_and_empty_elections() -> None:
    ballots = election([(1, ["A"])], "AB")
    with pytest.raises(CountError, match="IRV elects one"):
        count(ballots, "irv", seats=2)
    with pytest.raises(CountError, match="empty election"):
        count(election([(0, ["A"])], "AB"), "irv")


def test_unknown_candidate_on_a_ballot_is_an_error() -> None:
    with pytest.raises(CountError, match="unknown candidate 'Z'"):
        election([(1, ["Z"])], "AB")


def test_a_withdrawn_candidates_mark_is_not_a_skipped_rank() -> None:
    ballots = election([(3, ["A", "B"]), (2, ["C"]), (1, ["B"])], "ABC").replace(withdrawn=frozenset({0}))
    strict = count(ballots, "irv", options=Options(max_skipped_ranks=0))
    assert dict(strict.rounds[0].tally) == {"B": 4, "C": 2}
    assert strict.winners == ("B",)


def test_batch_elimination_still_leaves_two_when_continuing_until_two() -> None:
    ballots = election([(10, ["A"]), (3, ["B"]), (2, ["C"])], "ABC")
    result = count(ballots, "irv", options=Options(batch_elimination=True, continue_until_two=True))
    assert result.rounds[0].eliminated == ("C",)
    assert set(result.rounds[-1].tally) == {"A", "B"}


def test_ballots_for_no_standing_candidate_cannot_be_counted() -> None:
    ballots = election([(3, ["A"])], "AB").replace(withdrawn=frozenset({0}))
    with pytest.raises(CountError, match="no ballot counts"):
        count(ballots, "irv")
