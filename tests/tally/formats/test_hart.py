"""Hart folders of per-ballot XML: every RCTab case read to its ballots, and broken records refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from rctab_sources import (
    RCTAB,
    cases,
    config,
    expected_first_round,
    expected_report,
    first_round,
    read_case,
    reader_calls,
)

from frombelow import tally
from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.errors import BallotFileError

HART_CASES = cases("hart")


def test_the_hart_cases_are_found() -> None:
    if not RCTAB.is_dir():
        pytest.skip("shared conformance material not present")
    assert HART_CASES == ["hart_cedar_park_school_board", "hart_travis_county_officers"]


@pytest.mark.parametrize("case", HART_CASES)
def test_rctab_hart_case_reads_to_its_ballots_and_first_round(case: str) -> None:
    ballots = read_case(case, "hart")
    report = expected_report(case)
    assert report is not None
    # Every record holding the contest is a ballot, the 2 blank ones (RCTab's undervotes) too.
    assert ballots.total == int(report["summary"]["totalNumBallots"])
    assert first_round(ballots, config(case)["rules"]) == expected_first_round(report)
    # The config's candidates in its order, and undeclared write-ins whenever it labels them (as RCTab counts them).
    ((_, options),) = reader_calls(case)
    names = [c["name"] for c in config(case)["candidates"]]
    assert list(ballots.candidates) == names + ([UNDECLARED_WRITE_IN] if options.get("undeclared_write_in_label") else [])
    assert len(ballots.candidates) == report["summary"]["numCandidates"]
    assert "10-1" in ballots.tags["precinct"].tolist() and "1" in ballots.tags["batch"].tolist()


# --- a small folder built here


def record(contest: str, options: list[tuple[str, str, str]], *, precinct: str = "P-1", batch: str = "7") -> str:
    """A Hart CVR; ``options`` are (id, name, value) with one digit per rank."""
    body = "".join(
        f"<Option>{f'<Name>{name}</Name>' if name else ''}<Id>{code}</Id><Value>{value}</Value></Option>"
        for code, name, value in options
    )
    return (
        '\ufeff<?xml version="1.0" encoding="utf-8"?><Cvr xmlns="http://tempuri.org/CVRDesign.xsd">'
        f"<Contests><Contest><Name>Board</Name><Id>{contest}</Id><Options>{body}</Options></Contest></Contests>"
        f"<PrecinctSplit><Name>{precinct}</Name><Id>x</Id></PrecinctSplit><BatchNumber>{batch}</BatchNumber>"
        "<CvrGuid>g</CvrGuid></Cvr>"
    )


def folder_of(tmp_path: Path, records: dict[str, str]) -> Path:
    folder = tmp_path / "hart"
    folder.mkdir()
    for name, text in records.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


CONFIG = {"Ann": "Ann", "id-a": "Ann", "Bob": "Bob", "id-b": "Bob", "Cy": "Cy", "id-c": "Cy"}


def rows(ballots: Ballots) -> list[list[set[str]]]:
    return [[{ballots.candidates[c] for c in marks} for marks in row] for row, _ in ballots.rankings()]


def test_values_read_one_digit_per_rank(tmp_path: Path) -> None:
    folder = folder_of(
        tmp_path,
        {
            "1.xml": record("k", [("id-a", "Ann", "100"), ("id-b", "Bob", "001")]),
            "2.xml": record("k", [("id-a", "Ann", "100"), ("id-c", "Cy", "110"), ("id-w", "", "001")]),
            "3.xml": record("k", [], precinct="P-2"),  # holds the contest, marks nothing: a blank ballot
            "4.xml": record("other", [("id-a", "Ann", "1")]),  # not a ballot in this contest
            "1.xml.sig.xml": "not a record",  # a signature: passed over
            "notes.txt": "not a record",
        },
    )
    ballots = tally.formats.read(folder, "hart", contest="k", candidates=CONFIG, undeclared_write_in_label="id-w")
    assert ballots.candidates == ("Ann", "Bob", "Cy", UNDECLARED_WRITE_IN)
    assert rows(ballots) == [[{"Ann"}, set(), {"Bob"}], [{"Ann", "Cy"}, {"Cy"}, {UNDECLARED_WRITE_IN}], []]
    assert ballots.tags["precinct"].tolist() == ["P-1", "P-1", "P-2"]
    assert ballots.tags["batch"].tolist() == ["7", "7", "7"]
    assert ballots.title == "Board"


def test_without_a_config_the_option_names_name_the_candidates(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"1.xml": record("k", [("id-b", "Bob", "01"), ("id-a", "Ann", "10")])})
    ballots = tally.formats.read(folder, "hart", contest="Board")
    assert ballots.candidates == ("Bob", "Ann") and rows(ballots) == [[{"Ann"}, {"Bob"}]]


# --- broken records: each a BallotFileError naming the file


def _refused(folder: Path, **options: object) -> BallotFileError:
    with pytest.raises(BallotFileError) as caught:
        tally.formats.read(folder, "hart", **{"contest": "k", "candidates": CONFIG, **options})
    return caught.value


def test_a_candidate_the_config_does_not_know_names_the_file(tmp_path: Path) -> None:
    folder = folder_of(
        tmp_path, {"1.xml": record("k", [("id-a", "Ann", "1")]), "2.xml": record("k", [("id-z", "Zed", "1")])}
    )
    error = _refused(folder)
    assert "2.xml: contest 'Board'" in error.problem and "'id-z'" in error.problem


def test_one_code_with_two_names_is_refused(tmp_path: Path) -> None:
    folder = folder_of(
        tmp_path, {"1.xml": record("k", [("id-a", "Ann", "1")]), "2.xml": record("k", [("id-a", "Anne", "1")])}
    )
    error = _refused(folder)
    assert error.source == str(folder / "2.xml") and "'Ann'" in error.problem and "'Anne'" in error.problem


def test_broken_xml_names_the_file(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"1.xml": record("k", [("id-a", "Ann", "1")]), "2.xml": "<Cvr><Contests>"})
    error = _refused(folder)
    assert error.source == str(folder / "2.xml") and "not well-formed XML" in error.problem


def test_an_xml_bomb_is_refused(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE Cvr [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Cvr>&b;</Cvr>'
    folder = folder_of(tmp_path, {"1.xml": bomb})
    error = _refused(folder)
    assert error.source == str(folder / "1.xml") and "DTD" in error.problem


def test_a_value_that_is_not_ranks_is_refused(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"1.xml": record("k", [("id-a", "Ann", "1x0")])})
    error = _refused(folder)
    assert error.source == str(folder / "1.xml") and "'1x0'" in error.problem


def test_a_rank_beyond_the_rankings_allowed(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"1.xml": record("k", [("id-a", "Ann", "0001")])})
    assert "rank 4" in _refused(folder, max_rankings=3).problem


def test_no_record_of_the_contest(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"1.xml": record("k", [("id-a", "Ann", "1")])})
    assert "no cast vote record holds contest 'j'" in _refused(folder, contest="j").problem


def test_a_folder_without_records(tmp_path: Path) -> None:
    assert "no XML cast vote records" in _refused(folder_of(tmp_path, {"a.txt": "x"})).problem
