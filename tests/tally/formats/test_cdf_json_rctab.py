"""CDF JSON read as an RCTab config describes it: every JSON case, aliases, write-ins, labels."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rctab_sources import RCTAB, cases, config, expected_first_round, expected_report, first_round, reader_calls

from frombelow import tally
from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import cdf_json
from frombelow.tally.formats.source import Source

JSON_CASES = [c for c in cases("cdf") if all(str(p).endswith(".json") for p, _ in reader_calls(c))]


def read_case(case: str) -> list[Ballots]:
    """One Ballots per CVR file, as the config loader reads them before combining."""
    return [tally.formats.read(path, "cdf-json", **options) for path, options in reader_calls(case)]


def test_the_json_cases_are_found() -> None:
    if not RCTAB.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(JSON_CASES) == 12 and "aliases_cdf_json" in JSON_CASES


@pytest.mark.parametrize("case", JSON_CASES)
def test_rctab_json_case_reads_to_its_ballots_and_first_round(case: str) -> None:
    parts = read_case(case)
    report = expected_report(case)
    assert report is not None
    assert sum(p.total for p in parts) == int(report["summary"]["totalNumBallots"])
    first: dict[str, Decimal] = {}
    for part in parts:
        for name, votes in first_round(part, config(case)["rules"]).items():
            first[name] = first.get(name, 0) + votes
    assert first == expected_first_round(report)
    names = tuple(c["name"] for c in config(case)["candidates"])
    assert all(p.candidates == names for p in parts)  # no case labels undeclared write-ins
    assert len(names) == report["summary"]["numCandidates"]


def test_aliases_name_each_files_candidates_as_the_config_does() -> None:
    """Two files spell the candidates differently; the config's aliases make them the same four."""
    if "aliases_cdf_json" not in JSON_CASES:
        pytest.skip("shared conformance material not present")
    one, two = read_case("aliases_cdf_json")
    assert (
        one.candidates
        == two.candidates
        == (
            "Unused Display Name Candidate A",
            "Candidate B Name File 1",
            "Candidate C Name File 1",
            "Candidate D Name File 1",
        )
    )
    assert one.title == "aliases file 1" and two.title == "aliases file 2"


# --- a small report built here


def _report(cvrs: list[dict[str, Any]], *, write_in: bool = True) -> str:
    selections = [{"@id": f"cs-{n}", "CandidateIds": [f"c-{n}"]} for n in "ab"]
    if write_in:
        selections.append({"@id": "cs-w", "CandidateIds": ["c-w"], "IsWriteIn": "true"})
    candidates = [{"@id": "c-a", "Name": "Ann A."}, {"@id": "c-b", "Name": "Bob"}, {"@id": "c-o", "Name": "OVER"}]
    selections.append({"@id": "cs-o", "CandidateIds": ["c-o"]})
    contests = [{"@id": "k1", "Name": "Mayor", "ContestSelection": selections}]
    election = {"@id": "e", "Candidate": [*candidates, {"@id": "c-w"}], "Contest": contests}
    units = [{"@id": "p1", "Name": "Ward 1"}]
    return json.dumps({"CVR": cvrs, "Election": [election], "GpUnit": units})


def _cvr(selections: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    snapshot = {"@id": "s", "Type": "original", "CVRContest": [{"ContestId": "k1", "CVRContestSelection": selections}]}
    return {"CurrentSnapshotId": "s", "CVRSnapshot": [snapshot], "BallotPrePrintedId": "b", **more}


def _at(selection: str, rank: int, **position: Any) -> dict[str, Any]:
    return {"ContestSelectionId": f"cs-{selection}", "SelectionPosition": [{"Rank": rank, **position}]}


CONFIG = {"Ann": "Ann", "Ann A.": "Ann", "Bob": "Bob", "Cy": "Cy"}


def rows(ballots: Ballots) -> list[list[set[str]]]:
    return [[{ballots.candidates[c] for c in marks} for marks in row] for row, _ in ballots.rankings()]


def read(text: str, **options: Any) -> Ballots:
    return cdf_json.read(Source.of("cvr.json", text), **{"contest": "Mayor", "candidates": CONFIG, **options})


def test_rctab_reading_of_marks() -> None:
    ballots = read(
        _report(
            [
                _cvr([_at("a", 1), _at("w", 2)], BallotStyleUnitId="p1", BatchId="9"),  # a write-in selection
                _cvr([_at("b", 1, CVRWriteIn={"Text": "Bobby"})]),  # a written-in name at a position
                _cvr([{"ContestSelectionId": "cs-b", "Rank": 2}]),  # the rank on the selection itself
                _cvr([{**_at("a", 1), "Status": "needs-adjudication"}, _at("b", 2)]),  # awaiting adjudication
            ]
        )
    )
    assert ballots.candidates == ("Ann", "Bob", "Cy", UNDECLARED_WRITE_IN)
    assert rows(ballots) == [
        [{"Ann"}, {UNDECLARED_WRITE_IN}],
        [{UNDECLARED_WRITE_IN}],
        [set(), {"Bob"}],
        [set(), {"Bob"}],
    ]
    assert ballots.tags["precinct"].tolist() == ["Ward 1", "", "", ""]
    assert ballots.tags["batch"].tolist() == ["9", "", "", ""]


def test_the_overvote_label_is_an_overvote_of_every_candidate() -> None:
    ballots = read(_report([_cvr([_at("o", 1), _at("b", 2)])]), overvote_label="OVER")
    assert rows(ballots) == [[{"Ann", "Bob", "Cy"}, {"Bob"}]]


def test_a_name_the_config_does_not_know_names_the_record() -> None:
    text = _report([_cvr([_at("a", 1)]), _cvr([_at("o", 1)], BallotPrePrintedId="ballot-7")])
    with pytest.raises(BallotFileError) as caught:
        read(text)
    assert caught.value.source == "cvr.json"
    assert "CVR[1] ('ballot-7')" in caught.value.problem and "'OVER'" in caught.value.problem


def test_a_rank_beyond_the_rankings_allowed_names_the_record() -> None:
    with pytest.raises(BallotFileError, match=r"CVR\[0\].*rank 3, beyond the 2 rankings allowed"):
        read(_report([_cvr([_at("a", 1), _at("b", 3)])]), max_rankings=2)


def test_the_contest_is_found_by_name_as_rctab_names_it(tmp_path: Path) -> None:
    path = tmp_path / "cvr.json"
    path.write_text(_report([_cvr([_at("b", 1)])]))
    assert tally.formats.read(path, "cdf-json", contest="k1").total == 1
    with pytest.raises(BallotFileError, match="no contest 'Governor'"):
        tally.formats.read(path, "cdf-json", contest="Governor")
