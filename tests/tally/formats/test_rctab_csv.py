"""RCTab's generic CSV (candidate columns, rank cells) read as RCTab reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rctab_sources import RCTAB, cases, config, expected_first_round, expected_report, first_round, read_case

from frombelow.tally import formats
from frombelow.tally.ballots import UNDECLARED_WRITE_IN
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import rctab_csv

CASES = [case for case in cases("genericCsv") if case != "max_ranking_enforcement"]


def test_every_generic_csv_case_is_found() -> None:
    if not CASES:
        pytest.skip("shared conformance material not present")
    assert set(cases("genericCsv")) == {"generic_csv_test", "csv_missing_header_test", "max_ranking_enforcement"}


@pytest.mark.parametrize("case", CASES)
def test_case_reads_to_rctab_ballot_count_and_first_round(case: str) -> None:
    ballots = read_case(case, "rctab-csv")
    report = expected_report(case)
    assert report is not None
    assert ballots.total == len(ballots.ranks) == int(report["summary"]["totalNumBallots"])
    assert ballots.candidates[-1] == UNDECLARED_WRITE_IN  # the "Write-In" column
    assert first_round(ballots, config(case)["rules"], set()) == expected_first_round(report)


def test_precinct_and_batch_tags_with_rctab_labels_for_blanks() -> None:
    ballots = read_case("generic_csv_test", "rctab-csv")
    assert sorted(set(ballots.tags["precinct"])) == ["no precinct id", "p1", "p2"]
    assert sorted(set(ballots.tags["batch"])) == ["b1", "b2", "no batch id"]
    # RCTab's slice reports: one per precinct, named by the label.
    slices = sorted(p.name for p in (RCTAB / "generic_csv_test" / "Tabulate by Precinct").iterdir())
    assert [f"generic_csv_test_expected_{label.replace(' ', '_')}_precinct_detailed_report.csv"
            for label in sorted(set(ballots.tags["precinct"]))] == slices  # fmt: skip


def test_ranking_more_than_allowed_is_refused_naming_file_row_and_column() -> None:
    conf = config("max_ranking_enforcement")
    path = RCTAB / "max_ranking_enforcement" / "max_ranking_enforcement_cvr.csv"
    with pytest.raises(BallotFileError) as caught:
        read_case("max_ranking_enforcement", "rctab-csv")
    assert caught.value.source == str(path)
    assert caught.value.line == 2
    assert "'Candidate D' 4" in caught.value.problem and "allows 3" in caught.value.problem
    assert conf["rules"]["maxRankingsAllowed"] == "3"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cvr.csv"
    path.write_text(text)
    return path


def test_overvotes_skips_and_empty_ballots(tmp_path: Path) -> None:
    path = write(tmp_path, "id,Ann,Bo,Cy\n1,1,1,2\n2,,3,1\n3,,,\n\n")
    ballots = formats.read(path, "rctab-csv")
    assert ballots.candidates == ("Ann", "Bo", "Cy")
    assert ballots.marks(0) == [frozenset({0, 1}), frozenset({2})]
    assert ballots.marks(1) == [frozenset({2}), frozenset(), frozenset({1})]
    assert ballots.marks(2) == [] and ballots.total == 3  # a row of empty cells is a ballot; an empty line is not


def test_headings_resolve_through_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, "id,A1,Bo\n1,2,1\n")
    ballots = formats.read(path, "rctab-csv", candidates={"Ann": "Ann", "A1": "Ann", "Bo": "Bo", "Cy": "Cy"})
    assert ballots.candidates == ("Ann", "Bo", "Cy")
    assert ballots.marks(0) == [frozenset({1}), frozenset({0})]


def test_ranked_column_of_unknown_candidate_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "id,Ann,Zed\n1,1,\n2,1,2\n")
    with pytest.raises(BallotFileError) as caught:
        formats.read(path, "rctab-csv", candidates={"Ann": "Ann"})
    assert caught.value.line == 3 and "'Zed'" in caught.value.problem


def test_rank_zero_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BallotFileError, match="line 2: rank 0"):
        formats.read(write(tmp_path, "id,Ann,Bo\n1,0,1\n"), "rctab-csv")


def test_never_detected_by_content() -> None:
    assert not rctab_csv.sniff("id,Ann,Bo\n1,1,2\n")
