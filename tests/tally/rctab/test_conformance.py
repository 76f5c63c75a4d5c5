"""Every RCTab regression case: the count reproduces RCTab's detailed report round for round.

Compared: the winners in order; per round the tally, threshold, inactive ballots by cause,
who was elected or eliminated and every transfer — as exact decimals, for every pass
of a sequential count and every precinct or batch report RCTab wrote. Cases that must
fail end with a clear error.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from frombelow.tally import TallyError, rctab
from frombelow.tally.rctab import slice_file_name
from frombelow.tally.rctab.report import detailed

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "rctab"
MUST_FAIL = {
    "max_ranking_enforcement": r"allows 3 rankings",
    "tabulate_by_precinct_without_precincts": "carry no precinct",
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


@pytest.mark.parametrize("case", cases())
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
    for tag, label, result, part, path in slice_reports(case, tabulation, ".json"):
        assert comparable(detailed(contest, result, part)) == comparable(json.loads(path.read_text())), label


def slice_reports(case: str, tabulation: rctab.Tabulation, suffix: str) -> list[tuple[str, str, Any, Any, Path]]:
    """Each slice report RCTab wrote for the case (tag, label, our slice result, its ballots,
    the expected file); asserts that every one of them names a slice of our count."""
    found = []
    for tag, results in tabulation.slices.items():
        folder = CASES / case / f"Tabulate by {tag.capitalize()}"
        for label, result in results.items():
            path = folder / f"{case}_expected_{slice_file_name(label)}_{tag}_detailed_report{suffix}"
            if path.exists():
                found.append((tag, label, result, tabulation.ballots.slices(tag)[label], path))
        written = len(list(folder.glob(f"*{suffix}")))
        assert sum(1 for f in found if f[0] == tag) == written, f"every {tag} report RCTab wrote is compared"
    return found


def test_every_case_is_collected() -> None:
    if not CASES.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(cases()) == 71
