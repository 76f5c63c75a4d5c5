"""CDF cast vote records in XML: every RCTab XML case read to its ballots, and hostile XML refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rctab_sources import RCTAB, cases, config, expected_first_round, expected_report, first_round, reader_calls

from frombelow import tally
from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import cdf_json, cdf_xml
from frombelow.tally.formats.source import Source

XML_CASES = [c for c in cases("cdf") if all(str(p).endswith(".xml") for p, _ in reader_calls(c))]


def test_the_xml_cases_are_found() -> None:
    if not RCTAB.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(XML_CASES) == 8


@pytest.mark.parametrize("case", XML_CASES)
def test_rctab_xml_case_reads_to_its_ballots_and_first_round(case: str) -> None:
    ((path, options),) = reader_calls(case)
    ballots = tally.formats.read(path, "cdf-xml", **options)
    report = expected_report(case)
    assert report is not None
    # One ballot per CVR holding the contest: RCTab's total, undervotes included.
    assert ballots.total == int(report["summary"]["totalNumBallots"])
    assert first_round(ballots, config(case)["rules"]) == expected_first_round(report)
    # The config's candidates in its order, and undeclared write-ins whenever it labels them (as RCTab counts them).
    names = [c["name"] for c in config(case)["candidates"]]
    assert list(ballots.candidates) == names + ([UNDECLARED_WRITE_IN] if options.get("undeclared_write_in_label") else [])
    assert len(ballots.candidates) == report["summary"]["numCandidates"]


def test_unisyn_ballots_carry_their_precinct() -> None:
    case = "unisyn_xml_cdf_city_mayor"
    if case not in XML_CASES:
        pytest.skip("shared conformance material not present")
    ((path, options),) = reader_calls(case)
    ballots = tally.formats.read(path, "cdf-xml", **options)
    precincts = set(ballots.tags["precinct"].tolist())
    assert "Precinct 1" in precincts and all(p.startswith("Precinct ") for p in precincts)
    assert sum(len(part.ranks) for part in ballots.slices("precinct").values()) == len(ballots.ranks)


def test_unisyn_write_ins_are_undeclared_write_ins() -> None:
    case = "unisyn_xml_cdf_city_council_member"
    if case not in XML_CASES:
        pytest.skip("shared conformance material not present")
    ((path, options),) = reader_calls(case)
    ballots = tally.formats.read(path, "cdf-xml", **options)
    assert ballots.candidates[-1] == UNDECLARED_WRITE_IN
    assert any(ballots.candidates.index(UNDECLARED_WRITE_IN) in set(row.tolist()) for row in ballots.ranks)


# --- a small report, in XML and in JSON


def _xml(records: str, *, prefix: str = "") -> str:
    p = prefix
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{p}CastVoteRecordReport xmlns{":" + p[:-1] if p else ""}="NIST_V0_cast_vote_records.xsd"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{records}
  <{p}Election ObjectId="e">
    <{p}Candidate ObjectId="c-a"><{p}Name>Ann</{p}Name></{p}Candidate>
    <{p}Candidate ObjectId="c-b"><{p}Name>Bob</{p}Name></{p}Candidate>
    <{p}Candidate ObjectId="c-w"/>
    <{p}Contest xsi:type="CandidateContest" ObjectId="k1">
      <{p}ContestSelection ObjectId="cs-a"><{p}CandidateIds>c-a</{p}CandidateIds></{p}ContestSelection>
      <{p}ContestSelection ObjectId="cs-b"><{p}CandidateIds>c-b</{p}CandidateIds></{p}ContestSelection>
      <{p}ContestSelection ObjectId="cs-w"><{p}CandidateIds>c-w</{p}CandidateIds>
        <{p}IsWriteIn>true</{p}IsWriteIn></{p}ContestSelection>
      <{p}Name>Mayor</{p}Name>
      <{p}NumberElected>1</{p}NumberElected>
    </{p}Contest>
  </{p}Election>
  <{p}GpUnit ObjectId="p1"><{p}Name>Ward 1</{p}Name><{p}Type>precinct</{p}Type></{p}GpUnit>
</{p}CastVoteRecordReport>
"""


def _record(marks: list[tuple[str, int]], *, p: str = "", unit: str = "p1", status: str = "") -> str:
    selections = "".join(
        f"<{p}CVRContestSelection><{p}ContestSelectionId>cs-{s}</{p}ContestSelectionId>"
        + (f"<{p}Status>{status}</{p}Status>" if status else "")
        + f"<{p}SelectionPosition><{p}HasIndication>yes</{p}HasIndication><{p}IsAllocable>yes</{p}IsAllocable>"
        f"<{p}NumberVotes>1</{p}NumberVotes><{p}Rank>{rank}</{p}Rank></{p}SelectionPosition>"
        f"</{p}CVRContestSelection>"
        for s, rank in marks
    )
    return (
        f"<{p}CVR><{p}BallotStyleUnitId>{unit}</{p}BallotStyleUnitId><{p}CurrentSnapshotId>s</{p}CurrentSnapshotId>"
        f'<{p}CVRSnapshot ObjectId="s"><{p}CVRContest><{p}ContestId>k1</{p}ContestId>{selections}</{p}CVRContest>'
        f"<{p}Type>original</{p}Type></{p}CVRSnapshot><{p}UniqueId>u</{p}UniqueId></{p}CVR>"
    )


SPELLINGS = {"Ann": "Ann", "Bob": "Bob", "Cy": "Cy"}


def rows(ballots: Ballots) -> list[list[set[str]]]:
    return [[{ballots.candidates[c] for c in marks} for marks in row] for row, _ in ballots.rankings()]


@pytest.mark.parametrize("prefix", ["", "cdf:"])
def test_xml_reads_marks_overvotes_write_ins_and_precincts(tmp_path: Path, prefix: str) -> None:
    records = "".join(
        [
            _record([("a", 1), ("b", 2)], p=prefix),
            _record([("a", 1), ("b", 1), ("w", 3)], p=prefix),
            _record([("b", 1)], p=prefix, status="needs-adjudication"),  # not counted
        ]
    )
    path = tmp_path / "report.xml"
    path.write_text(_xml(records, prefix=prefix))
    ballots = tally.read(path, contest="Mayor", candidates=SPELLINGS)  # detected as cdf-xml
    assert ballots.candidates == ("Ann", "Bob", "Cy", UNDECLARED_WRITE_IN)
    assert rows(ballots) == [[{"Ann"}, {"Bob"}], [{"Ann", "Bob"}, set(), {UNDECLARED_WRITE_IN}], []]
    assert ballots.tags["precinct"].tolist() == ["Ward 1"] * 3
    assert ballots.title == "Mayor" and ballots.seats == 1


def test_xml_and_json_renderings_read_alike(tmp_path: Path) -> None:
    xml = Source.of("r.xml", _xml(_record([("b", 1), ("a", 3)])))
    report = cdf_xml.as_dict(cdf_xml.parse(xml))
    from_json = cdf_json.read(Source.of("r.json", json.dumps(report)), candidates=SPELLINGS)
    from_xml = cdf_xml.read(xml, candidates=SPELLINGS)
    assert rows(from_json) == rows(from_xml) == [[{"Bob"}, set(), {"Ann"}]]


# --- malformed and hostile XML: each a BallotFileError naming the file


def _refused(tmp_path: Path, text: str, **options: object) -> BallotFileError:
    path = tmp_path / "cvr.xml"
    path.write_text(text)
    with pytest.raises(BallotFileError) as caught:
        tally.formats.read(path, "cdf-xml", **options)
    assert caught.value.source == str(path)
    return caught.value


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    error = _refused(tmp_path, _xml(_record([("a", 1)])).replace("</CVR>", "</CVRR>", 1))
    assert error.line == 4 and "not well-formed XML" in error.problem


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
        )
        + "]>\n<CastVoteRecordReport><CVR>&lol9;</CVR></CastVoteRecordReport>"
    )
    assert "DTD" in _refused(tmp_path, bomb).problem


def test_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        "<CastVoteRecordReport><CVR>&secret;</CVR></CastVoteRecordReport>"
    )
    assert "DTD" in _refused(tmp_path, xxe).problem


def test_a_candidate_the_config_does_not_know_names_the_record(tmp_path: Path) -> None:
    error = _refused(tmp_path, _xml(_record([("a", 1), ("b", 2)])), candidates={"Ann": "Ann"})
    assert "CVR[0] ('u')" in error.problem and "'Bob'" in error.problem


def test_a_selection_the_contest_lacks_names_the_record(tmp_path: Path) -> None:
    error = _refused(tmp_path, _xml(_record([("a", 1)]) + _record([("z", 1)])))
    assert "CVR[1] ('u')" in error.problem and "'cs-z'" in error.problem


def test_an_unknown_precinct_names_the_record(tmp_path: Path) -> None:
    error = _refused(tmp_path, _xml(_record([("a", 1)], unit="p9")))
    assert "CVR[0]" in error.problem and "GpUnit" in error.problem


def test_a_rank_beyond_the_rankings_allowed(tmp_path: Path) -> None:
    error = _refused(tmp_path, _xml(_record([("a", 1), ("b", 5)])), max_rankings=4)
    assert "rank 5" in error.problem and "CVR[0]" in error.problem


def test_other_xml_is_not_a_report(tmp_path: Path) -> None:
    assert "not a CastVoteRecordReport" in _refused(tmp_path, "<Cvr><Contests/></Cvr>").problem


def test_nesting_too_deep_is_refused(tmp_path: Path) -> None:
    deep = "<CastVoteRecordReport>" + "<a>" * 50_000 + "</a>" * 50_000 + "</CastVoteRecordReport>"
    assert "nested too deeply" in _refused(tmp_path, deep).problem
