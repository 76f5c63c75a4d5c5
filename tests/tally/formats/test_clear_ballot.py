"""Clear Ballot CSV cast vote records read as RCTab reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rctab_sources import RCTAB, cases, config, expected_first_round, expected_report, first_round, read_case

from frombelow.tally import formats
from frombelow.tally.errors import BallotFileError

CASES = cases("clearBallot")
FIXED = "RowNumber,BoxID,BoxPosition,BallotID,PrecinctID,BallotStyleID,PrecinctStyleName,ScanComputerName,Status,Remade"


def test_every_clear_ballot_case_is_found() -> None:
    if not CASES:
        pytest.skip("shared conformance material not present")
    assert CASES == ["clear_ballot_kansas_primary", "clear_ballot_with_inline_comma"]


@pytest.mark.parametrize("case", CASES)
def test_case_reads_to_rctab_ballot_count_and_first_round(case: str) -> None:
    ballots = read_case(case, "clear-ballot")
    report = expected_report(case)
    assert report is not None
    assert ballots.total == len(ballots.ranks) == int(report["summary"]["totalNumBallots"])
    assert ballots.title == config(case)["cvrFileSources"][0]["contestId"]
    assert first_round(ballots, config(case)["rules"], set()) == expected_first_round(report)


def test_contest_name_with_a_comma_is_found_and_detected() -> None:
    path = RCTAB / "clear_ballot_with_inline_comma" / "clear_ballot_with_inline_comma_cvr.csv"
    ballots = formats.read(path)  # the header says it is Clear Ballot; its only contest is read
    assert ballots.title == "City of Portland, Auditor"
    assert ballots.candidates == ("Simone test Rede", "Write-in-28", "Lisa Simpson")
    assert len(set(ballots.tags["precinct"])) > 10


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cvr.csv"
    path.write_text(text)
    return path


HEADER = FIXED + ",C1:Mayor:1:V:Ann:P,C2:Mayor:1:V:Bo:P,C3:Mayor:2:V:Ann:P,C4:Mayor:2:V:Bo:P,C5:Mayor:1:V:Write-in:P"


def test_marks_by_rank_with_overvotes_and_write_ins(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,B,1,B+1,7,1,P,S,0,0,1,1,0,0,0\n2,B,2,B+2,8,1,P,S,0,0,0,0,0,1,1\n")
    ballots = formats.read(path, "clear-ballot", undeclared_write_in_label="Write-in")
    assert ballots.candidates == ("Ann", "Bo", "Undeclared Write-ins")
    assert ballots.marks(0) == [frozenset({0, 1})]
    assert ballots.marks(1) == [frozenset({2}), frozenset({1})]
    assert list(ballots.tags["precinct"]) == ["7", "8"]


def test_choice_of_unknown_candidate_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,B,1,B+1,7,1,P,S,0,0,1,0,0,0,0\n")
    with pytest.raises(BallotFileError) as caught:
        formats.read(path, "clear-ballot", candidates={"Ann": "Ann", "Bo": "Bo"})
    assert caught.value.source == str(path) and caught.value.line == 1 and "'Write-in'" in caught.value.problem


def test_rank_beyond_max_rankings_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,B,1,B+1,7,1,P,S,0,0,1,0,0,0,0\n")
    with pytest.raises(BallotFileError, match="line 1: column 13 is for rank 2; the contest allows ranks 1 to 1"):
        formats.read(path, "clear-ballot", max_rankings=1)


def test_unknown_contest_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,B,1,B+1,7,1,P,S,0,0,1,0,0,0,0\n")
    with pytest.raises(BallotFileError, match="no contest 'Council' in the file; it holds 'Mayor'"):
        formats.read(path, "clear-ballot", contest="Council")
