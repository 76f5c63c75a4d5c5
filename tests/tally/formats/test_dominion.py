"""Dominion export folders: every RCTab case read to its ballots, and broken exports refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
from frombelow.tally.errors import BallotFileError, CountError

DOMINION_CASES = cases("dominion")


def test_the_dominion_cases_are_found() -> None:
    if not RCTAB.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(DOMINION_CASES) == 6


@pytest.mark.parametrize("case", [c for c in DOMINION_CASES if expected_report(c)])
def test_rctab_dominion_case_reads_to_its_ballots_and_first_round(case: str) -> None:
    ballots = read_case(case, "dominion")
    report = expected_report(case)
    assert report is not None
    assert ballots.total == int(report["summary"]["totalNumBallots"])
    assert first_round(ballots, config(case)["rules"]) == expected_first_round(report)
    # The config's candidates in its order, and undeclared write-ins whenever it labels them (as RCTab counts them).
    ((_, options),) = reader_calls(case)
    names = [c["name"] for c in config(case)["candidates"]]
    assert list(ballots.candidates) == names + ([UNDECLARED_WRITE_IN] if options["undeclared_write_in_label"] else [])
    assert len(ballots.candidates) == report["summary"]["numCandidates"]
    assert len(set(ballots.tags["batch"].tolist())) >= 1


def test_alaska_2024_leaves_out_partial_count_ballots() -> None:
    """Ballots marked "InvalidContest" for the contest (voters outside its district) are no ballots in it:
    the export holds 197 records of the contest, RCTab counts 124."""
    if "2024_alaska_dominion" not in DOMINION_CASES:
        pytest.skip("shared conformance material not present")
    assert read_case("2024_alaska_dominion", "dominion").total == 124


def test_multi_file_export_reads_every_part() -> None:
    """CvrExport_1, _2, _3 and _6: the gap does not stop the reading (25 ballots, one in part 6)."""
    if "dominion_multi_file" not in DOMINION_CASES:
        pytest.skip("shared conformance material not present")
    assert read_case("dominion_multi_file", "dominion").total == 25


def test_an_export_without_precincts_cannot_be_sliced_by_precinct() -> None:
    """The case RCTab aborts: precinct tabulation asked for, but no PrecinctManifest, so no precincts."""
    if "tabulate_by_precinct_without_precincts" not in DOMINION_CASES:
        pytest.skip("shared conformance material not present")
    ballots = read_case("tabulate_by_precinct_without_precincts", "dominion")
    assert ballots.total == 1000 and "precinct" not in ballots.tags
    with pytest.raises(CountError, match="precinct"):
        ballots.slices("precinct")


# --- a small export built here


def _mark(candidate: int, rank: int, *, ambiguous: bool = False) -> dict[str, Any]:
    return {"CandidateId": candidate, "Rank": rank, "IsAmbiguous": ambiguous, "IsVote": not ambiguous}


def _session(
    record: int,
    marks: list[dict[str, Any]],
    *,
    contest: int = 1,
    modified: list[dict[str, Any]] | None = None,
    **more: Any,
) -> dict[str, Any]:
    original = {
        "PrecinctPortionId": 10,
        "BallotTypeId": 1,
        "IsCurrent": modified is None,
        "Cards": [{"Id": record, "Contests": [{"Id": contest, "OutstackConditionIds": [], "Marks": marks}]}],
        **more,
    }
    session: dict[str, Any] = {"TabulatorId": 5, "BatchId": 3, "RecordId": record, "Original": original}
    if modified is not None:
        session["Modified"] = {
            **original,
            "IsCurrent": True,
            "Cards": [{"Contests": [{"Id": contest, "Marks": modified}]}],
        }
    return session


def export(tmp_path: Path, sessions: list[dict[str, Any]], *, precincts: bool = True, parts: int = 1) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()

    def manifest(name: str, entries: list[dict[str, Any]]) -> None:
        (folder / name).write_text(json.dumps({"Version": "5", "List": entries}))

    manifest("ContestManifest.json", [{"Id": 1, "Description": "Mayor", "VoteFor": 1, "NumOfRanks": 3}])
    manifest(
        "CandidateManifest.json",
        [
            {"Id": 21, "Description": "Ann", "ContestId": 1},
            {"Id": 22, "Description": "Bob", "ContestId": 1},
            {"Id": 29, "Description": "Write-in", "ContestId": 1},
            {"Id": 40, "Description": "Dog catcher", "ContestId": 2},
        ],
    )
    manifest("PrecinctPortionManifest.json", [{"Id": 10, "Description": "Ward 1 - Absentee"}])
    if precincts:
        manifest("PrecinctManifest.json", [{"Id": 7, "Description": "Ward 1"}])
    if parts == 1:
        (folder / "CvrExport.json").write_text(json.dumps({"Version": "5", "Sessions": sessions}))
    else:
        for n in range(parts):
            (folder / f"CvrExport_{n + 1}.json").write_text(json.dumps({"Sessions": sessions[n::parts]}))
    return folder


CONFIG = {"Ann": "Ann", "21": "Ann", "Bob": "Bob", "22": "Bob"}


def rows(ballots: Ballots) -> list[list[set[str]]]:
    return [[{ballots.candidates[c] for c in marks} for marks in row] for row, _ in ballots.rankings()]


def test_sessions_read_as_rctab_reads_them(tmp_path: Path) -> None:
    folder = export(
        tmp_path,
        [
            _session(1, [_mark(21, 1), _mark(22, 2)], PrecinctId=7),
            _session(2, [_mark(21, 1), _mark(22, 1), _mark(29, 3)]),  # overvote at 1, write-in at 3
            _session(3, [_mark(22, 1, ambiguous=True), _mark(21, 2)]),  # the ambiguous mark is no mark
            _session(4, [_mark(21, 1)], modified=[_mark(22, 1)]),  # adjudicated: the Modified marks count
            _session(5, [_mark(40, 1)], contest=2),  # another contest: no ballot in this one
        ],
    )
    ballots = tally.formats.read(folder, "dominion", contest="1", candidates=CONFIG, undeclared_write_in_label="29")
    assert ballots.candidates == ("Ann", "Bob", UNDECLARED_WRITE_IN)
    assert rows(ballots) == [
        [{"Ann"}, {"Bob"}],
        [{"Ann", "Bob"}, set(), {UNDECLARED_WRITE_IN}],
        [set(), {"Ann"}],
        [{"Bob"}],
    ]
    assert ballots.tags["precinct"].tolist() == ["Ward 1", "", "", ""]
    assert ballots.tags["batch"].tolist() == ["3"] * 4
    assert ballots.title == "Mayor" and ballots.seats == 1


def test_without_a_config_the_manifest_names_the_candidates(tmp_path: Path) -> None:
    folder = export(tmp_path, [_session(1, [_mark(22, 1), _mark(29, 2)])])
    ballots = tally.formats.read(folder, "dominion")  # the export's one contest
    assert ballots.candidates == ("Ann", "Bob", "Write-in")
    assert rows(ballots) == [[{"Bob"}, {"Write-in"}]]


def test_numbered_parts_are_read_in_order(tmp_path: Path) -> None:
    sessions = [_session(n, [_mark(21 + n % 2, 1)]) for n in range(6)]
    folder = export(tmp_path, sessions, parts=3)
    assert tally.formats.read(folder, "dominion", contest="Mayor", candidates=CONFIG).total == 6


# --- broken exports: each a BallotFileError naming the file and the record


def _refused(folder: Path, **options: Any) -> BallotFileError:
    with pytest.raises(BallotFileError) as caught:
        tally.formats.read(folder, "dominion", **{"contest": "1", "candidates": CONFIG, **options})
    return caught.value


def test_a_missing_manifest_is_named(tmp_path: Path) -> None:
    folder = export(tmp_path, [_session(1, [_mark(21, 1)])])
    (folder / "CandidateManifest.json").unlink()
    error = _refused(folder)
    assert error.source == str(folder / "CandidateManifest.json") and "no CandidateManifest.json" in error.problem


def test_a_folder_without_records_is_refused(tmp_path: Path) -> None:
    folder = export(tmp_path, [])
    (folder / "CvrExport.json").unlink()
    assert "no CvrExport.json" in _refused(folder).problem


def test_a_candidate_the_config_does_not_know_names_the_record(tmp_path: Path) -> None:
    folder = export(tmp_path, [_session(1, [_mark(21, 1)]), _session(2, [_mark(29, 1)])])
    error = _refused(folder)  # 29 is a write-in, but the config gives no undeclared write-in label
    assert error.source == str(folder)
    assert "CvrExport.json: session 1 (tabulator 5, batch 3, record 2)" in error.problem and "'29'" in error.problem


def test_a_candidate_of_another_contest_is_refused(tmp_path: Path) -> None:
    error = _refused(export(tmp_path, [_session(1, [_mark(40, 1)])]))
    assert error.source.endswith("CvrExport.json") and "record 1" in error.problem
    assert "40 does not stand in contest 1" in error.problem


def test_an_unknown_precinct_is_refused(tmp_path: Path) -> None:
    error = _refused(export(tmp_path, [_session(1, [_mark(21, 1)], PrecinctId=8)]))
    assert "PrecinctId 8" in error.problem and "record 1" in error.problem


def test_a_precinct_without_a_precinct_manifest_is_refused(tmp_path: Path) -> None:
    error = _refused(export(tmp_path, [_session(1, [_mark(21, 1)], PrecinctId=7)], precincts=False))
    assert "PrecinctId 7" in error.problem


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    folder = export(tmp_path, [_session(1, [_mark(21, 1)])])
    (folder / "CvrExport.json").write_text('{"Sessions": [\n{"TabulatorId": 5,,}]}')
    error = _refused(folder)
    assert error.source == str(folder / "CvrExport.json") and error.line == 2 and "not valid JSON" in error.problem


def test_a_rank_beyond_the_rankings_allowed(tmp_path: Path) -> None:
    error = _refused(export(tmp_path, [_session(1, [_mark(21, 1), _mark(22, 4)])]), max_rankings=3)
    assert "rank 4" in error.problem and "record 1" in error.problem


def test_an_unknown_contest_is_named(tmp_path: Path) -> None:
    error = _refused(export(tmp_path, [_session(1, [_mark(21, 1)])]), contest="Governor")
    assert error.source.endswith("ContestManifest.json") and "'Governor'" in error.problem


def test_a_folder_needs_its_format_named(tmp_path: Path) -> None:
    folder = export(tmp_path, [_session(1, [_mark(21, 1)])])
    with pytest.raises(BallotFileError, match="is a directory"):
        tally.formats.read(folder)
    with pytest.raises(BallotFileError, match="is a folder"):
        tally.formats.read(folder / "CvrExport.json", "dominion")


def _outstack(session: dict[str, Any], *conditions: int) -> dict[str, Any]:
    session["Original"]["Cards"][0]["Contests"][0]["OutstackConditionIds"] = list(conditions)
    return session


def _invalid_contest_export(tmp_path: Path, manifest: list[dict[str, Any]] | None) -> Path:
    sessions = [
        _session(1, [_mark(21, 1)]),
        _outstack(_session(2, [_mark(22, 1)]), 7),
        _outstack(_session(3, [_mark(22, 1)]), 8, 13),
    ]
    folder = export(tmp_path, sessions)
    if manifest is not None:
        (folder / "OutstackConditionManifest.json").write_text(json.dumps({"Version": "5", "List": manifest}))
    return folder


def test_without_an_outstack_manifest_condition_7_is_an_invalid_contest_as_in_rctab(tmp_path: Path) -> None:
    folder = _invalid_contest_export(tmp_path, None)
    ballots = tally.formats.read(folder, "dominion", contest="1", candidates=CONFIG)
    assert rows(ballots) == [[{"Ann"}], [{"Bob"}]]  # record 2 (condition 7) left out


def test_the_outstack_manifest_names_the_invalid_contest_condition(tmp_path: Path) -> None:
    manifest = [{"Id": 7, "Description": "SkippedRanking"}, {"Id": 8, "Description": "InvalidContest"}]
    folder = _invalid_contest_export(tmp_path, manifest)
    ballots = tally.formats.read(folder, "dominion", contest="1", candidates=CONFIG)
    assert rows(ballots) == [[{"Ann"}], [{"Bob"}]]  # record 3 (condition 8) left out, record 2 counted
    assert ballots.total == 2


def test_an_outstack_manifest_naming_no_invalid_contest_filters_nothing(tmp_path: Path) -> None:
    manifest = [{"Id": 7, "Description": "SkippedRanking"}, {"Id": 13, "Description": "UnvotedRcvContest"}]
    folder = _invalid_contest_export(tmp_path, manifest)
    ballots = tally.formats.read(folder, "dominion", contest="1", candidates=CONFIG)
    assert ballots.total == 3
