"""RCTab's rules in the engine, checked against RCTab's own expected reports.

The ballots are RCTab's CDF exports of its regression cases (read in place); the
expected numbers are copied from the cases' ``*_expected_detailed_report.json``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from frombelow.tally import Ballots, CountError, Options, TieBreak, count, read
from frombelow.tally.ballots import UNDECLARED_WRITE_IN, overvote_code
from frombelow.tally.result import RESIDUAL_SURPLUS

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "rctab"


def case_ballots(case: str) -> Ballots:
    path = CASES / case / f"{case}_expected_cdf_cvr.json"
    if not path.exists():
        pytest.skip(f"RCTab case {case} not available")
    return read(str(path), "cdf-json")


def by_source(transfers, source: str) -> dict:
    out = {}
    for t in transfers:
        if t.source == source:
            key = t.target or ("residual surplus" if t.cause == RESIDUAL_SURPLUS else "exhausted")
            out[key] = out.get(key, 0) + t.amount
    return out


def test_multi_winner_whole_threshold_matches_rctab() -> None:
    ballots = case_ballots("test_set_multi_winner_whole_threshold")
    options = Options(
        tiebreak=TieBreak("list", order=ballots.candidates), overvote="skip", max_skipped_ranks=1, decimals=4
    )
    result = count(ballots, "stv-rctab", 3, options)
    assert result.winners == ("Candidate C Name", "Candidate A Name", "Candidate B Name")
    first, second, fifth, last = result.rounds[0], result.rounds[1], result.rounds[4], result.rounds[5]
    assert first.quota == 8 and first.elected == ("Candidate C Name",)
    assert by_source(first.transfers, "Candidate C Name") == {
        "Candidate D Name": Decimal("0.1111"),
        "Candidate E Name": Decimal("0.7777"),
        "Candidate F Name": Decimal("0.1111"),
        "residual surplus": Decimal("0.0001"),
    }
    assert second.tally["Candidate C Name"] == 8 and second.tally["Candidate E Name"] == Decimal("4.7777")
    assert fifth.tally["Candidate A Name"] == Decimal("10.3333")
    assert fifth.inactive["skipped rankings"] == Decimal("2.2222")
    assert by_source(fifth.transfers, "Candidate B Name") == {
        "exhausted": Decimal("1.2219"),
        "residual surplus": Decimal("0.0003"),
    }
    assert last.tally == {"Candidate A Name": 8, "Candidate B Name": 8, "Candidate C Name": 8}
    assert last.inactive["final round surplus"] == Decimal("3.5549")


def test_fractional_threshold_is_truncated_plus_one_unit() -> None:
    ballots = case_ballots("test_set_multi_winner_fractional_threshold")
    options = Options(
        tiebreak=TieBreak("list", order=ballots.candidates),
        overvote="skip",
        max_skipped_ranks=1,
        decimals=4,
        quota="droop-decimal",
    )
    result = count(ballots, "stv-rctab", 3, options)
    assert result.rounds[0].quota == Decimal("7.2501")  # 29 active / 4, truncated, + 0.0001
    assert result.winners == ("Candidate C Name", "Candidate A Name", "Candidate B Name")
    assert by_source(result.rounds[3].transfers, "Candidate E Name") == {
        "Candidate A Name": Decimal("3.2811"),
        "Candidate B Name": Decimal(3),
        "exhausted": Decimal("0.3748"),
    }


@pytest.mark.parametrize(
    ("case", "options", "inactive_last"),
    [
        ("test_set_1_exhaust_at_overvote", Options(overvote="exhaust", max_skipped_ranks=4), {"overvotes": 2}),
        ("test_set_3_skipped_choice_exhaust", Options(overvote="skip", max_skipped_ranks=0), {"skipped rankings": 3}),
        ("test_set_6_duplicate_exhaust", Options(overvote="skip", max_skipped_ranks=4, duplicates="exhaust"), None),
    ],
)
def test_single_winner_cases_match_rctab(case: str, options: Options, inactive_last: dict | None) -> None:
    ballots = case_ballots(case)
    from dataclasses import replace

    options = replace(options, rctab=True, tiebreak=TieBreak("java-random", seed=0), decimals=1)
    result = count(ballots, "irv", 1, options)
    assert result.winners == ("Candidate B Name",)
    assert result.rounds[-1].elected == ("Candidate B Name",)
    if inactive_last is not None:
        counted = {k: v for k, v in result.rounds[-1].inactive.items() if k != "exhausted" or v}
        for cause, amount in inactive_last.items():
            assert counted[cause] == amount


def test_overvote_rule_case_one_thresholds() -> None:
    ballots = case_ballots("test_set_1_exhaust_at_overvote")
    options = Options(overvote="exhaust", max_skipped_ranks=4, rctab=True)
    result = count(ballots, "irv", 1, options)
    assert [r.quota for r in result.rounds] == [8, 8, 7]
    assert result.rounds[2].tally == {"Candidate A Name": 5, "Candidate B Name": 8}
    assert by_source(result.rounds[1].transfers, "Candidate C Name") == {"Candidate B Name": 2, "exhausted": 1}


def small(rows: list[list[str]], candidates: tuple[str, ...]) -> Ballots:
    return Ballots.from_rankings(candidates, rows)


def test_undeclared_write_ins_are_dropped_first_and_never_win() -> None:
    names = ("A", "B", UNDECLARED_WRITE_IN)
    ballots = small([[UNDECLARED_WRITE_IN]] * 5 + [["A"]] * 3 + [["B"]] * 2 + [[UNDECLARED_WRITE_IN, "B"]] * 2, names)
    result = count(ballots, "irv", 1, Options(rctab=True))
    assert result.rounds[0].eliminated == (UNDECLARED_WRITE_IN,)
    assert result.rounds[0].elected == ()
    assert result.winners == ("B",)


def test_minimum_votes_eliminate_everyone_below_at_once() -> None:
    ballots = small([["A"]] * 6 + [["B"]] * 5 + [["C", "B"]] * 2 + [["D", "A"]], ("A", "B", "C", "D"))
    result = count(ballots, "irv", 1, Options(minimum_votes=Fraction(3)))
    assert set(result.rounds[0].eliminated) == {"C", "D"}
    assert result.rounds[1].tally == {"A": 7, "B": 7}
    with pytest.raises(CountError, match="minimum vote threshold"):
        count(ballots, "irv", 1, Options(minimum_votes=Fraction(100)))


def test_stop_after_round_leaves_the_seat_open() -> None:
    ballots = small([["A"]] * 3 + [["B"]] * 2 + [["C", "B"]] * 2, ("A", "B", "C"))
    result = count(ballots, "irv", 1, Options(stop_after_round=1))
    assert len(result.rounds) == 1 and result.winners == ()


def test_final_tie_of_two_picks_a_winner_by_the_tie_break() -> None:
    ballots = small([["A"]] * 2 + [["B"]] * 2, ("A", "B"))
    result = count(ballots, "irv", 1, Options(rctab=True, tiebreak=TieBreak("list", order=("B", "A"))))
    assert len(result.rounds) == 1 and result.winners == ("B",)
    assert result.ties[0].purpose == "elect"


def test_bottoms_up_eliminates_until_the_seats_remain() -> None:
    ballots = small([["A"]] * 5 + [["B"]] * 4 + [["C", "A"]] * 3 + [["D", "B"]] * 1, ("A", "B", "C", "D"))
    result = count(ballots, "bottoms-up", 2, Options())
    assert result.winners == ("A", "B")
    assert [r.eliminated for r in result.rounds[:-1]] == [("D",), ("C",)]


def test_bottoms_up_share_elects_all_above_it() -> None:
    ballots = small([["A"]] * 5 + [["B"]] * 4 + [["C", "A"]] * 1, ("A", "B", "C"))
    result = count(ballots, "bottoms-up", 1, Options(bottoms_up_share=Fraction(20)))
    assert result.rounds[0].quota == 2
    assert result.rounds[0].eliminated == ("C",)
    assert set(result.winners) == {"A", "B"}


def test_sequential_irv_reports_every_pass() -> None:
    ballots = small([["A", "B"]] * 5 + [["B", "C"]] * 4 + [["C", "B"]] * 3, ("A", "B", "C"))
    result = count(ballots, "sequential-irv", 2, Options(rctab=True))
    passes = result.details["passes"]
    # Pass 1: C (3) out, B reaches 7 of 12. Pass 2 without B: C has 4 + 3 against A's 5.
    assert [p.winners for p in passes] == [("B",), ("C",)]
    assert result.winners == ("B", "C")
    assert passes[1].rounds[0].tally == {"A": 5, "C": 7}


def test_blank_ballots_are_their_own_cause() -> None:
    ballots = Ballots(("A", "B"), np.array([[0, 1], [-1, -1], [1, -1]]), np.array([3, 2, 1]))
    result = count(ballots, "irv", 1, Options())
    assert result.rounds[0].inactive == {"blank": 2}


def test_a_repeat_is_found_before_an_overvote_and_among_overvoted_candidates() -> None:
    # RCTab checks a rank for a repeat first, counting candidates of an overvote as marked.
    ballots = Ballots(
        ("A", "B", "C"),
        np.array([[overvote_code(0), 0, 2], [0, overvote_code(0), -1], [1, -1, -1], [1, -1, -1], [2, -1, -1]]),
        np.array([1, 1, 1, 1, 2]),
        overvotes=(frozenset({0, 1}),),
    )
    skip = count(ballots, "irv", 1, Options(overvote="skip", duplicates="exhaust", rctab=True))
    assert skip.rounds[0].inactive == {"repeated rankings": 1}
    exhaust = count(ballots, "irv", 1, Options(overvote="exhaust", duplicates="exhaust", rctab=True))
    assert exhaust.rounds[0].inactive == {"overvotes": 1}
    # The second ballot counts for A, then repeats A inside the overvote when A is out.
    assert exhaust.rounds[0].eliminated == ("A",)
    assert exhaust.rounds[1].inactive == {"overvotes": 1, "repeated rankings": 1}


def assert_full_ranking(result, ballots: Ballots) -> None:
    assert sorted(result.ranking) == sorted(ballots.candidates)
    assert result.ranking[: len(result.winners)] == result.winners


def test_stopping_early_ranks_those_eliminated_in_the_last_round_once() -> None:
    # Batch elimination in round 1 removes C and D together; the count then stops.
    ballots = small([["A"]] * 5 + [["B"]] * 4 + [["C", "B"]] * 2 + [["D", "A"]], ("A", "B", "C", "D"))
    result = count(ballots, "irv", 1, Options(rctab=True, batch_elimination=True, stop_after_round=1))
    assert set(result.rounds[-1].eliminated) == {"C", "D"}
    assert result.winners == ()
    assert result.ranking[:2] == ("A", "B")
    assert set(result.ranking[2:]) == {"C", "D"}
    assert len(result.ranking) == 4


def test_continuing_until_two_ranks_everyone_once() -> None:
    ballots = small([["A"]] * 7 + [["B"]] * 4 + [["C", "B"]] * 2 + [["D", "A"]], ("A", "B", "C", "D"))
    result = count(ballots, "irv", 1, Options(rctab=True, continue_until_two=True))
    assert result.winners == ("A",)
    assert_full_ranking(result, ballots)
    assert result.ranking == ("A", "B", "C", "D")


def test_multi_seat_stopping_early_and_excluded_candidates_are_ranked_once() -> None:
    ballots = Ballots.from_rankings(
        ("A", "B", "C", "D", "E"),
        [["A", "B"]] * 6 + [["B"]] * 3 + [["C", "B"]] * 2 + [["D", "C"]] + [["E", "A"]] * 2,
    )
    withdrawn = Ballots(ballots.candidates, ballots.ranks, ballots.weights, withdrawn=frozenset({4}))
    for stop in (1, 2, None):
        result = count(withdrawn, "stv-rctab", 2, Options(rctab=True, stop_after_round=stop))
        assert_full_ranking(result, withdrawn)
        assert result.ranking[-1] == "E"
