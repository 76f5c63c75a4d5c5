"""Meek STV (New Zealand rules) on small elections worked by hand, and on real wards."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from frombelow.tally import Ballots, CountError, Options, TieBreak, count, read

SCOTLAND = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "scotland"


def election(rows: list[tuple[int, list]], names: str) -> Ballots:
    return Ballots.from_rankings(tuple(names), [r for _, r in rows], [w for w, _ in rows])


def conserved(result) -> bool:
    valid = result.details["valid votes"]
    return all(
        sum(Fraction(str(v)) for v in r.tally.values()) + Fraction(str(r.exhausted)) == valid for r in result.rounds
    )


def test_first_iterations_by_hand() -> None:
    # 3 seats, 50 votes. Iteration 1: A 20, B 12, C 8, D 10.
    #   quota = 50 / 4 = 12.5, + 0.000000001 = 12.500000001. A is elected.
    #   A's keep value: 1 × 12.500000001 = 12.500000001, / 20 = 0.62500000005 -> rounded up 0.625000001.
    # Iteration 2: each A>B>C paper: A keeps 0.625000001, B gets the 0.374999999 left.
    #   A 20 × 0.625000001 = 12.50000002; B 12 + 20 × 0.374999999 = 19.49999998 >= quota: elected.
    ballots = election([(20, ["A", "B", "C"]), (12, ["B", "C"]), (8, ["C"]), (10, ["D"])], "ABCD")
    result = count(ballots, "stv-meek", seats=3)
    first, second = result.rounds[:2]
    assert first.quota == Decimal("12.500000001")
    assert dict(first.tally) == {"A": 20, "B": 12, "C": 8, "D": 10}
    assert first.elected == ("A",)
    assert "A 0.625000001" in first.note
    assert second.tally["A"] == Decimal("12.500000020")
    assert second.tally["B"] == Decimal("19.499999980")
    assert second.elected == ("B",)
    # B's surplus (and A's, through B) reaches C: C passes D and takes the last seat.
    assert result.winners == ("A", "B", "C")
    assert conserved(result)


def test_keep_values_bring_the_elected_down_to_the_quota() -> None:
    # 2 seats, 50 votes: A (20) is elected; A's surplus flows to C until A holds the quota;
    # only then is E, the lowest, excluded.
    ballots = election([(20, ["A", "C"]), (8, ["B"]), (9, ["D"]), (7, ["E"]), (6, ["C"])], "ABCDE")
    result = count(ballots, "stv-meek", seats=2)
    exclusion = next(r for r in result.rounds if r.eliminated)
    assert exclusion.eliminated == ("E",)
    assert 0 <= exclusion.tally["A"] - exclusion.quota < Decimal("0.0001")
    assert "total surplus below 0.0001" in exclusion.note
    assert conserved(result)


def test_exhausted_votes_lower_the_quota() -> None:
    # 2 seats, 30 votes: first quota 10.000000001. C (5) goes; its papers exhaust, so the
    # quota falls to 25 / 3 = 8.333333333 + 0.000000001 and B (9) is elected.
    ballots = election([(16, ["A"]), (9, ["B"]), (5, ["C"])], "ABC")
    result = count(ballots, "stv-meek", seats=2)
    assert result.rounds[0].quota == Decimal("10.000000001")
    assert result.winners[0] == "A"
    assert set(result.winners) == {"A", "B"}
    assert conserved(result)


def tie_election() -> Ballots:
    # 1 seat, 18 votes, quota 9.000000001.
    # Round 1: A 2, B 5, C 5, D 6. A excluded: A>C gives C 2.
    # Round 2: B 5, C 7, D 6. B excluded: B>D>C gives D 3, B>C gives C 2.
    # Round 3: C 9, D 9, neither reaches the quota: a tie for exclusion. C was behind D
    #   in round 1 (5 < 6) but ahead in round 2 (7 > 6).
    return election(
        [(3, ["B", "D", "C"]), (6, ["D", "C"]), (5, ["C", "D", "A"]), (2, ["A", "C"]), (2, ["B", "C"])], "ABCD"
    )


def test_nz_rule_breaks_ties_at_the_first_difference_by_default() -> None:
    # The New Zealand rule looks from round 1: C had fewer votes there and is excluded.
    result = count(tie_election(), "stv-meek", seats=1)
    assert result.tiebreak.startswith("previous rounds (earliest")
    [tie] = result.ties
    assert (tie.round, tie.purpose, tie.among, tie.chosen) == (3, "exclude", ("C", "D"), "C")
    assert tie.rule == "previous rounds: fewest votes in round 1"
    assert result.rounds[2].eliminated == ("C",)
    assert result.winners == ("D",)
    assert conserved(result)


def test_a_backward_tie_break_looks_at_the_latest_difference() -> None:
    # Looking back from round 3 instead, D had fewer votes in round 2 and goes: C wins.
    options = Options(tiebreak=TieBreak(direction="backward", seed=1))
    result = count(tie_election(), "stv-meek", seats=1, options=options)
    [tie] = result.ties
    assert (tie.chosen, tie.rule) == ("D", "previous rounds: fewest votes in round 2")
    assert result.winners == ("C",)


def test_an_explicit_tie_break_is_kept() -> None:
    options = Options(tiebreak=TieBreak(mode="random", seed=5))
    result = count(tie_election(), "stv-meek", seats=1, options=options)
    assert result.tiebreak == "random (seed 5)"
    assert result.ties[0].rule == "random (seed 5)"


def test_billions_of_voters_count_exactly() -> None:
    # 2 seats, 23 billion votes: at 9 places each row's value × voters passes 2⁶³, which
    # once wrapped to negative tallies and elected C.
    ballots = election([(10**10, ["A", "B"]), (10**10 - 5, ["B"]), (3 * 10**9, ["C", "A"])], "ABC")
    result = count(ballots, "stv-meek", seats=2)
    assert dict(result.rounds[0].tally) == {"A": 10**10, "B": 10**10 - 5, "C": 3 * 10**9}
    assert result.winners == ("A", "B")
    assert conserved(result)


def test_a_quadrillion_voters_count_as_a_small_election_scaled_up() -> None:
    # The hand-counted election of test_first_iterations_by_hand with every row × 10¹³
    # (5 × 10¹⁴ voters): the same iterations, every tally exact and non-negative.
    rows = [(20, ["A", "B", "C"]), (12, ["B", "C"]), (8, ["C"]), (10, ["D"])]
    big = count(election([(w * 10**13, r) for w, r in rows], "ABCD"), "stv-meek", seats=3)
    assert dict(big.rounds[0].tally) == {"A": 20 * 10**13, "B": 12 * 10**13, "C": 8 * 10**13, "D": 10 * 10**13}
    assert big.rounds[0].quota == Decimal("125000000000000.000000001")
    assert big.winners == ("A", "B", "C")
    assert all(v >= 0 for r in big.rounds for v in r.tally.values())
    assert conserved(big)


def test_an_overvote_counts_for_its_one_member_still_standing_not_the_withdrawn() -> None:
    # 1 seat, A withdrawn, overvotes read "exhaust if several continuing".
    # Round 1: B 5, C 2, D 4, E 6 (the D>{A,B,C} papers count for D). C excluded.
    # Round 2: B 5, D 4, E 6. D excluded: of {A, B, C} only B still stands (A withdrawn,
    #   C excluded), so the 4 papers count for B, as in IRV and WIGM: B 9, E 6.
    ballots = election([(4, ["D", {"A", "B", "C"}]), (5, ["B"]), (2, ["C"]), (6, ["E"])], "ABCDE").replace(
        withdrawn=frozenset({0})
    )
    options = Options(overvote="exhaust-if-multiple-continuing")
    result = count(ballots, "stv-meek", seats=1, options=options)
    assert dict(result.rounds[2].tally) == {"B": 9, "E": 6}
    assert result.winners == ("B",)
    assert count(ballots, "irv", options=options).winners == ("B",)
    assert count(ballots, "stv", seats=1, options=options).winners == ("B",)


@pytest.mark.parametrize("quota", ["hare", "droop-exact", "hare-exact"])
def test_another_quota_is_refused_not_ignored(quota: str) -> None:
    ballots = election([(3, ["A"]), (2, ["B"])], "AB")
    with pytest.raises(CountError, match=f"stv-meek does not take quota '{quota}'.*Droop quota"):
        count(ballots, "stv-meek", seats=1, options=Options(quota=quota))


def test_decimals_other_than_the_rules_nine_places_are_refused() -> None:
    ballots = election([(3, ["A"]), (2, ["B"])], "AB")
    with pytest.raises(CountError, match="stv-meek does not take decimals=3.*9 decimal places"):
        count(ballots, "stv-meek", seats=1, options=Options(decimals=3))
    # The default (a WIGM setting) and the rules' own 9 places are accepted.
    assert count(ballots, "stv-meek", seats=1, options=Options(decimals=9)).winners == ("A",)
    assert count(ballots, "stv-meek", seats=1).winners == ("A",)


SAMPLES = sorted(SCOTLAND.glob("*_2022_ward2.blt"))[:6] if SCOTLAND.is_dir() else []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_one_seat_meek_elects_the_irv_winner(path: Path) -> None:
    ballots = read(path)
    assert count(ballots, "stv-meek", seats=1).winners == count(ballots, "irv", seats=1).winners


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_real_wards_fill_every_seat_and_conserve_votes(path: Path) -> None:
    ballots = read(path)
    result = count(ballots, "stv-meek")
    assert len(result.winners) == ballots.seats
    assert conserved(result)
