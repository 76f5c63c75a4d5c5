"""ES&S .xlsx cast vote records read as RCTab reads them: every conformance case, and broken files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from rctab_sources import RCTAB, cases, config, expected_first_round, expected_report, first_round, read_case

from frombelow.tally import formats
from frombelow.tally.ballots import EMPTY, UNDECLARED_WRITE_IN
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import ess
from frombelow.tally.formats.source import Source

CASES = cases("ess")
# Round 1 by hand: the overvote rules that need no knowledge of who is continuing.
SIMPLE = [c for c in CASES if config(c)["rules"]["overvoteRule"] != "exhaustIfMultipleContinuing"]


def test_every_ess_case_is_found() -> None:
    if not CASES:
        pytest.skip("shared conformance material not present")
    assert len(CASES) >= 38


@pytest.mark.parametrize("case", CASES)
def test_case_reads_to_rctab_ballot_count(case: str) -> None:
    ballots = read_case(case, "ess")
    report = expected_report(case)
    assert report is not None
    assert ballots.total == len(ballots.ranks) == int(report["summary"]["totalNumBallots"])
    names = [c["name"] for c in config(case)["candidates"]]
    assert list(ballots.candidates[: len(names)]) == names
    # RCTab lists undeclared write-ins, last, whenever the source has a label for them.
    write_ins = (UNDECLARED_WRITE_IN,) if config(case)["cvrFileSources"][0]["undeclaredWriteInLabel"] else ()
    assert ballots.candidates[len(names) :] == write_ins


@pytest.mark.parametrize("case", SIMPLE)
def test_first_marks_give_rctab_first_round(case: str) -> None:
    conf = config(case)
    excluded = {c["name"] for c in conf["candidates"] if c.get("excluded")}
    ballots = read_case(case, "ess")
    assert first_round(ballots, conf["rules"], excluded) == expected_first_round(expected_report(case))  # type: ignore[arg-type]


def test_codes_and_names_give_the_same_ballots() -> None:
    by_name = read_case("2015_portland_mayor", "ess")
    by_code = read_case("2015_portland_mayor_codes", "ess")
    assert by_name.candidates == by_code.candidates
    assert np.array_equal(by_name.ranks, by_code.ranks)


def test_rows_present_but_empty_are_undervotes() -> None:
    # The sheet holds three empty rows (one right after the ballots, two at the sheet's end).
    ballots = read_case("first_round_determines_threshold_test", "ess")
    empty = [row for row in range(len(ballots.ranks)) if not ballots.marks(row)]
    assert len(empty) == 3
    assert int(expected_report("first_round_determines_threshold_test")["summary"]["undervotes"]) == 3  # type: ignore[index]


def test_precincts_and_batches_tag_ballots() -> None:
    missing = read_case("missing_precinct_example", "ess")
    assert list(missing.tags["precinct"]).count(ess.MISSING_PRECINCT) == 1
    assert set(read_case("precinct_example", "ess").tags["precinct"]) >= {"MINNEAPOLIS W-1 P-02"}
    assert set(read_case("batch_example", "ess").tags["batch"]) >= {"MINNEAPOLIS W-1 P-04"}


def test_delimited_cell_is_an_overvote_of_its_names() -> None:
    ballots = read_case("test_set_overvote_delimiter", "ess")
    groups = {frozenset(ballots.candidates[c] for c in group) for group in ballots.overvotes}
    assert groups and all(len(group) > 1 for group in groups)


def test_blank_cells_count_for_undeclared_write_ins_when_asked() -> None:
    ballots = read_case("test_set_treat_blank_as_undeclared_write_in", "ess")
    write_in = ballots.candidates.index(UNDECLARED_WRITE_IN)
    with_blanks = {row for row in range(len(ballots.ranks)) if write_in in ballots.ranks[row]}
    assert len(with_blanks) >= 3
    assert (ballots.ranks[:, -1] != EMPTY).sum() >= len(with_blanks)  # blanks up to max_rankings are write-ins


def sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


HEADER = ["Cast Vote Record", "Precinct", "Choice 1", "Choice 2", "Choice 3", "Count"]


def test_reads_without_a_config(tmp_path: Path) -> None:
    path = sheet(
        tmp_path / "cvr.xlsx", [HEADER, [1, "P1", "Ann", "Bo ", "overvote", 1], [2, "P2", "undervote", "Cy", None, 1]]
    )
    ballots = formats.read(path, overvote_label="overvote", skipped_rank_label="undervote", precinct_column=2)
    assert ballots.candidates == ("Ann", "Bo", "Cy")  # the rank columns are found by their headings
    assert ballots.marks(0)[:2] == [frozenset({0}), frozenset({1})]
    assert len(ballots.marks(0)[2]) == 3  # an overvote of unknown names: every candidate
    assert ballots.marks(1) == [frozenset(), frozenset({2})]
    assert list(ballots.tags["precinct"]) == ["P1", "P2"]


def test_unknown_candidate_names_file_row_and_cell(tmp_path: Path) -> None:
    path = sheet(tmp_path / "cvr.xlsx", [HEADER, [1, "P1", "Ann", "Bo", None, 1], [2, "P1", "Ann", "Zed", None, 1]])
    with pytest.raises(BallotFileError) as caught:
        formats.read(path, "ess", candidates={"Ann": "Ann", "Bo": "Bo"}, first_vote_column=3, max_rankings=3)
    assert caught.value.source == str(path) and caught.value.line == 3
    assert "D3" in caught.value.problem and "'Zed'" in caught.value.problem


def test_missing_ballot_id_is_an_error(tmp_path: Path) -> None:
    path = sheet(tmp_path / "cvr.xlsx", [HEADER, [1, "P1", "Ann"], [None, "P1", "Bo"]])
    with pytest.raises(BallotFileError) as caught:
        formats.read(path, "ess", id_column=1, first_vote_column=3, max_rankings=3)
    assert caught.value.line == 3


def test_blank_inside_a_delimited_cell_is_an_error(tmp_path: Path) -> None:
    path = sheet(tmp_path / "cvr.xlsx", [HEADER, [1, "P1", "Ann| ", "Bo"]])
    with pytest.raises(BallotFileError, match="line 2: cell C2"):
        formats.read(path, "ess", overvote_delimiter="|", first_vote_column=3, max_rankings=3)


def test_columns_beyond_max_rankings_are_not_read(tmp_path: Path) -> None:
    path = sheet(tmp_path / "cvr.xlsx", [HEADER, [1, "P1", "Ann", "Bo", "Cy", 1]])
    ballots = formats.read(path, "ess", first_vote_column=3, max_rankings=2)
    assert ballots.candidates == ("Ann", "Bo")


def test_text_file_given_as_ess_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cvr.xlsx"
    path.write_text("Precinct,Choice 1\nP1,Ann\n")
    with pytest.raises(BallotFileError, match="not an Excel .xlsx workbook") as caught:
        formats.read(path, "ess")
    assert caught.value.source == str(path)


def test_old_xls_is_refused_with_advice() -> None:
    with pytest.raises(BallotFileError, match="save it as .xlsx"):
        ess.read(Source.of("cvr.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)))


def test_truncated_workbook_is_refused(tmp_path: Path) -> None:
    whole = sheet(
        tmp_path / "whole.xlsx", [HEADER, *[[i, "P1", "Ann", "Bo", "Cy", 1] for i in range(500)]]
    ).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(BallotFileError, match="not a readable Excel workbook") as caught:
        formats.read(cut, "ess")
    assert caught.value.source == str(cut)


def test_zip_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cvr.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(BallotFileError, match="not a readable Excel workbook"):
        formats.read(path, "ess")


def test_entity_expansion_in_a_sheet_is_refused(tmp_path: Path) -> None:
    whole = sheet(tmp_path / "whole.xlsx", [HEADER, [1, "P1", "Ann"]])
    bomb = tmp_path / "bomb.xlsx"
    entities = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = entities.encode() + data.replace(b">Ann<", b">&b;<")
            target.writestr(item, data)
    with pytest.raises(BallotFileError, match="not a readable Excel workbook: EntitiesForbidden"):
        formats.read(bomb, "ess")  # openpyxl parses with defusedxml


def test_read_without_a_config_takes_ess_own_labels() -> None:
    from frombelow.tally import count, read

    path = RCTAB / "skip_to_next_test" / "skip_to_next_test_cvr.xlsx"
    if not path.exists():
        pytest.skip("shared conformance material not present")
    ballots = read(path)
    assert set(ballots.candidates) == {"A", "B", "C", "D"}  # "overvote"/"undervote" are not candidates
    assert count(ballots, "irv").winners == ("B",)
