"""Meek STV (New Zealand rules) on small elections worked by hand, and on real wards."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from frombelow.tally import Ballots, Options, TieBreak, count, read

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
    # As in the WIGM tie test: X and Y tie for exclusion after differing both ways before.
    return election([(14, ["W"]), (4, ["W", "Y"]), (4, ["X"]), (3, ["Y"]), (1, ["Z", "X"])], "WXYZ")


def test_nz_rule_breaks_ties_at_the_first_difference_by_default() -> None:
    # W elected at once; Meek has Y above X after W's surplus flows, and X level after Z goes.
    result = count(tie_election(), "stv-meek", seats=2)
    assert result.tiebreak.startswith("previous rounds (earliest")
    assert result.winners[0] == "W"
    assert conserved(result)


def test_an_explicit_tie_break_is_kept() -> None:
    options = Options(tiebreak=TieBreak(mode="random", seed=5))
    result = count(tie_election(), "stv-meek", seats=2, options=options)
    assert result.tiebreak == "random (seed 5)"


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
