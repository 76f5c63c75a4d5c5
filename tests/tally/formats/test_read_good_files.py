"""Well-formed files of every format read to exactly the ballots they hold."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from frombelow import tally
from frombelow.tally.ballots import Ballots, PartyVotes
from frombelow.tally.formats import blt, cdf_json, party_csv, preflib, ranked_csv
from frombelow.tally.formats.source import Source


def rankings(ballots: Ballots) -> list[tuple[list[set[str]], int]]:
    """Each row as its rank positions (sets of names, empty for a skip) with its weight."""
    return [([{ballots.candidates[c] for c in marks} for marks in row], weight) for row, weight in ballots.rankings()]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# --- BLT


def test_blt_plain_file(tmp_path: Path) -> None:
    path = write(tmp_path, "ward.blt", '3 2\n4 1 2 0\n2 3 0\n1 2 3 1 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Ward 7"\n')
    ballots = tally.read(path)
    assert ballots.candidates == ("Ann", "Bob", "Cy")
    assert ballots.seats == 2 and ballots.title == "Ward 7"
    assert rankings(ballots) == [([{"Ann"}, {"Bob"}], 4), ([{"Cy"}], 2), ([{"Bob"}, {"Cy"}, {"Ann"}], 1)]


def test_blt_every_feature(tmp_path: Path) -> None:
    text = (
        "# a comment before the header\n4 1\n-2\n(a1) 3 1 3=4 - 2 0\n\n0 4 0\n2 2 0\n0\n"
        '"Ann" "Bob"\n"Cy"\n\n"Di \\"the\\" best"\n"Title"\n'
    )
    ballots = tally.read(write(tmp_path, "x.blt", text))
    assert ballots.withdrawn == {1}
    assert ballots.candidates[3] == 'Di "the" best'
    assert rankings(ballots) == [
        ([{"Ann"}, {"Cy", 'Di "the" best'}, set(), {"Bob"}], 3),
        ([{'Di "the" best'}], 0),
        ([{"Bob"}], 2),
    ]


def test_blt_crlf_and_bom_read_like_plain(tmp_path: Path) -> None:
    text = '3 1\n4 1 2 0\n2 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"T"\n'
    plain = tally.read(write(tmp_path, "a.blt", text))
    crlf = tally.read(write(tmp_path, "b.blt", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()))
    utf16 = tally.read(write(tmp_path, "c.blt", text.encode("utf-16")))
    for other in (crlf, utf16):
        assert rankings(other) == rankings(plain) and other.candidates == plain.candidates


def test_blt_fast_and_careful_paths_agree(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    lines = []
    for _ in range(500):
        order = rng.permutation(8)[: rng.integers(1, 9)] + 1
        lines.append(f"{rng.integers(1, 5)} {' '.join(map(str, order))} 0")
    names = "".join(f'"C{i}"\n' for i in range(8))
    fast = tally.read(write(tmp_path, "fast.blt", "8 2\n" + "\n".join(lines) + "\n0\n" + names))
    careful = tally.read(write(tmp_path, "slow.blt", "8 2\n(id) " + "\n".join(lines) + "\n0\n" + names))
    assert rankings(fast) == rankings(careful)
    assert fast.total == careful.total


# --- PrefLib


def test_preflib_strict_and_tied_orders(tmp_path: Path) -> None:
    text = (
        "# TITLE: Test\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 9\n# NUMBER UNIQUE ORDERS: 3\n"
        "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cy\n"
        "5: 1,2\n3: {2,3},1\n1: 3\n"
    )
    ballots = tally.read(write(tmp_path, "t.toi", text))
    assert ballots.title == "Test" and ballots.candidates == ("Ann", "Bob", "Cy")
    assert rankings(ballots) == [([{"Ann"}, {"Bob"}], 5), ([{"Bob", "Cy"}, {"Ann"}], 3), ([{"Cy"}], 1)]


# --- ranked CSV


def test_csv_rank_columns_with_id_count_skips_and_overvotes(tmp_path: Path) -> None:
    text = (
        "Ballot ID,Precinct,Rank 1,Rank 2,Rank 3,Count\n"
        "1,P1,Ann,Bob,,2\n"
        "2,P1,Bob,,Cy,1\n"
        "3,P2,Ann|Cy,Bob,undervote,1\n"
        "4,P2,overvote,Cy,skipped,1\n"
    )
    ballots = tally.read(write(tmp_path, "cvr.csv", text))
    assert ballots.candidates == ("Ann", "Bob", "Cy")
    assert rankings(ballots) == [
        ([{"Ann"}, {"Bob"}], 2),
        ([{"Bob"}, set(), {"Cy"}], 1),
        ([{"Ann", "Cy"}, {"Bob"}], 1),
        ([set(), {"Cy"}], 1),  # an "overvote" marker: an overvote of unrecorded candidates
    ]
    assert frozenset() in ballots.overvotes and ballots.ranks[3, 0] <= -16


@pytest.mark.parametrize("header", ["1st choice,2nd choice", "choice_1,choice_2", "1,2", "Preference 1;Preference 2"])
def test_csv_rank_heading_styles(tmp_path: Path, header: str) -> None:
    sep = ";" if ";" in header else ","
    ballots = tally.read(write(tmp_path, "b.csv", f"{header}\nAnn{sep}Bob\nBob{sep}\n"))
    assert rankings(ballots) == [([{"Ann"}, {"Bob"}], 1), ([{"Bob"}], 1)]


def test_csv_overvote_delimiter_is_an_option(tmp_path: Path) -> None:
    source = Source.of("b.csv", "Rank 1,Rank 2\nAnn/Bob,Cy\n")
    ballots = ranked_csv.read(source, overvote_delimiter="/")
    assert rankings(ballots) == [([{"Ann", "Bob"}, {"Cy"}], 1)]
    assert tally.read(write(tmp_path, "b.csv", "Rank 1,Rank 2\nAnn/Bob,Cy\n")).candidates == ("Ann/Bob", "Cy")


def test_csv_candidate_columns(tmp_path: Path) -> None:
    text = "id,Alice,Bob,Carol,weight\nx,1,,2,3\ny,1,1,2,1\nz,,3,1,1\n"
    ballots = tally.read(write(tmp_path, "c.csv", text))
    assert ballots.candidates == ("Alice", "Bob", "Carol")
    assert rankings(ballots) == [
        ([{"Alice"}, {"Carol"}], 3),
        ([{"Alice", "Bob"}, {"Carol"}], 1),
        ([{"Carol"}, set(), {"Bob"}], 1),
    ]


def test_csv_rctab_generic_export(conformance: Path) -> None:
    """RCTab's generic CSV: candidate columns after id/precinct/batch columns; the unnamed-id variant too."""
    for case in (
        "generic_csv_test/generic_csv_test_cvr.csv",
        "csv_missing_header_test/csv_missing_header_test_cvr.csv",
    ):
        ballots = tally.read(conformance / "rctab" / case)
        assert ballots.candidates == ("Lettuce", "Broccoli", "Cucumber", "Cauliflower", "Write-In")
        assert ballots.total == 26
        assert rankings(ballots)[0] == ([{"Cucumber"}, {"Broccoli"}], 1)


# --- party CSV


@pytest.mark.parametrize(
    "text",
    [
        "party,votes\nLabour,12034\nGreens,4410\n",
        "Labour,12034\nGreens,4410\n",
        "name;count\nLabour;12034\nGreens;4410\n",
        'Party,Votes\nLabour,"12,034"\n"Greens",4410\n',
    ],
)
def test_party_csv(tmp_path: Path, text: str) -> None:
    votes = tally.read(write(tmp_path, "parties.csv", text))
    assert isinstance(votes, PartyVotes)
    assert votes.parties == ("Labour", "Greens") and votes.votes == (12034, 4410)


def test_party_csv_keeps_commas_in_quoted_names(tmp_path: Path) -> None:
    votes = tally.read(write(tmp_path, "p.csv", 'party,votes\n"Greens, The",5\nLabour,7\n'))
    assert votes.parties == ("Greens, The", "Labour")


# --- CDF JSON


def _report(cvrs: list[dict], contests: list[dict] | None = None) -> str:
    selections = [{"@id": f"cs-{n}", "CandidateIds": [f"c-{n}"]} for n in "abc"]
    contests = contests or [{"@id": "k1", "Name": "Mayor", "NumberElected": 1, "ContestSelection": selections}]
    candidates = [{"@id": f"c-{n}", "Name": name} for n, name in zip("abc", ["Ann", "Bob", "Cy"])]
    return json.dumps({"CVR": cvrs, "Election": [{"@id": "e", "Candidate": candidates, "Contest": contests}]})


def _cvr(marks: list[tuple[str, int]], contest: str = "k1", **position: str) -> dict:
    return {
        "CurrentSnapshotId": "s",
        "CVRSnapshot": [
            {
                "@id": "s",
                "Type": "original",
                "CVRContest": [
                    {
                        "ContestId": contest,
                        "CVRContestSelection": [
                            {"ContestSelectionId": f"cs-{sel}", "SelectionPosition": [{"Rank": rank, **position}]}
                            for sel, rank in marks
                        ],
                    }
                ],
            }
        ],
    }


def test_cdf_json_overvotes_skips_and_duplicates(tmp_path: Path) -> None:
    cvrs = [
        _cvr([("a", 1), ("b", 2)]),
        _cvr([("a", 1), ("b", 1), ("c", 3)]),  # two at rank 1: overvote; rank 2 skipped
        _cvr([("c", 2), ("c", 1)]),  # Cy at two ranks: kept at both
        _cvr([("a", 1)], contest="other"),  # not a ballot in this contest
        _cvr([("b", 1)], HasIndication="no"),  # no mark: a blank ballot
    ]
    ballots = tally.read(write(tmp_path, "cvr.json", _report(cvrs)))
    assert ballots.candidates == ("Ann", "Bob", "Cy") and ballots.title == "Mayor" and ballots.seats == 1
    assert rankings(ballots) == [
        ([{"Ann"}, {"Bob"}], 1),
        ([{"Ann", "Bob"}, set(), {"Cy"}], 1),
        ([{"Cy"}, {"Cy"}], 1),
        ([], 1),
    ]


def test_cdf_json_first_ranked_contest_or_the_one_asked_for(tmp_path: Path) -> None:
    selections = [{"@id": f"cs-{n}", "CandidateIds": [f"c-{n}"]} for n in "abc"]
    contests = [
        {"@id": "k0", "Name": "Question", "ContestSelection": selections[:2]},
        {"@id": "k1", "Name": "Mayor", "ContestSelection": selections},
        {"@id": "k2", "Name": "Council", "ContestSelection": selections},
    ]
    cvrs = [_cvr([("a", 1), ("c", 2)]), _cvr([("b", 1)], contest="k2")]
    path = write(tmp_path, "cvr.json", _report(cvrs, contests))
    assert tally.read(path).title == "Mayor"
    council = tally.read(path, contest="Council")
    assert council.title == "Council" and rankings(council) == [([{"Bob"}], 1)]
    assert cdf_json.read(Source.open(path), contest="k1").total == 1


def test_cdf_json_uses_the_marks_not_a_tabulators_trace(tmp_path: Path) -> None:
    record = _cvr([("a", 1), ("b", 2)])
    trace = json.loads(json.dumps(record["CVRSnapshot"][0]))
    trace.update({"@id": "s-round-1", "Type": "interpreted"})
    for selection in trace["CVRContest"][0]["CVRContestSelection"]:
        selection["SelectionPosition"][0]["IsAllocable"] = "no"
    record["CVRSnapshot"].append(trace)
    record["CurrentSnapshotId"] = "s-round-1"
    ballots = tally.read(write(tmp_path, "cvr.json", _report([record])))
    assert rankings(ballots) == [([{"Ann"}, {"Bob"}], 1)]


CDF_CASES = [
    "test_set_0_skipped_first_choice",
    "test_set_1_exhaust_at_overvote",
    "test_set_2_overvote_skip_to_next",
    "test_set_3_skipped_choice_exhaust",
    "test_set_6_duplicate_exhaust",
    "test_set_multi_winner_whole_threshold",
]


@pytest.mark.parametrize("case", CDF_CASES)
def test_cdf_json_rctab_cvrs_match_rctabs_own_export(conformance: Path, case: str) -> None:
    """The CVRs as given and RCTab's normalised CDF export of them are the same ballots."""
    folder = conformance / "rctab" / case
    given = tally.read(folder / f"{case}_cvr.json")
    exported = tally.read(folder / f"{case}_expected_cdf_cvr.json")
    assert given.candidates == exported.candidates
    assert rankings(given) == rankings(exported)
    config = json.loads((folder / f"{case}_config.json").read_text())
    assert set(given.candidates) == {c["name"] for c in config["candidates"]}


def test_cdf_json_rctab_overvote_and_skip(conformance: Path) -> None:
    ballots = tally.read(
        conformance / "rctab/test_set_2_overvote_skip_to_next/test_set_2_overvote_skip_to_next_cvr.json"
    )
    a, b, c, d = ("Candidate A Name", "Candidate B Name", "Candidate C Name", "Candidate D Name")
    assert rankings(ballots)[0] == ([{a, b}, set(), {c}, {d}], 1)
    assert ballots.total == 15


# --- the plug-in interface


@pytest.mark.parametrize("module", [blt, preflib, ranked_csv, party_csv, cdf_json])
def test_every_reader_is_registered_with_its_interface(module: object) -> None:
    assert tally.formats.READERS[module.NAME] == module.__name__
    assert all(s.startswith(".") for s in module.SUFFIXES)
    assert callable(module.sniff) and callable(module.read)
