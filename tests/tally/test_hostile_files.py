"""Malformed and hostile ballot files through the real command: exit 2, one line naming the file, nothing written.

The corpus is made here from code (no binaries committed): for every format ``READERS``
lists, a valid sample cut short, re-encoded (latin-1, UTF-16 without its mark), drowned
in binary noise or NUL bytes, claiming more than the size limit, and the hostile shapes
each format invites (an XML bomb, a zip bomb, JSON nested past any parser's depth,
numbers past every limit, negative counts). Hypothesis then mutates the valid samples at
random: each mutant is either counted or refused the same clean way.
"""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frombelow import cli
from frombelow.tally.formats import READERS
from frombelow.tally.formats.source import MAX_BYTES

FOLDERS = ("dominion", "hart")  # read from an export folder: the hostile bytes go in as one of its files


def _cdf_json() -> bytes:
    selections = [{"@id": f"cs-{n}", "CandidateIds": [f"c-{n}"]} for n in "ab"]
    mark = lambda s, r: {"ContestSelectionId": s, "SelectionPosition": [{"Rank": r}]}
    cvrs = [
        {
            "CurrentSnapshotId": "s",
            "CVRSnapshot": [
                {"@id": "s", "Type": "original", "CVRContest": [{"ContestId": "k", "CVRContestSelection": marks}]}
            ],
        }
        for marks in ([mark("cs-a", 1), mark("cs-b", 2)], [mark("cs-b", 1)], [mark("cs-a", 1)])
    ]
    election = {
        "@id": "e",
        "Candidate": [{"@id": "c-a", "Name": "Ann"}, {"@id": "c-b", "Name": "Bob"}],
        "Contest": [{"@id": "k", "Name": "Mayor", "NumberElected": 1, "ContestSelection": selections}],
    }
    return json.dumps({"CVR": cvrs, "Election": [election]}, indent=1).encode()


def _cdf_record(selection: str, rank: int) -> str:
    return (
        "<CVR><CurrentSnapshotId>s</CurrentSnapshotId><CVRSnapshot ObjectId='s'><CVRContest>"
        f"<ContestId>k</ContestId><CVRContestSelection><ContestSelectionId>{selection}</ContestSelectionId>"
        f"<SelectionPosition><HasIndication>yes</HasIndication><NumberVotes>1</NumberVotes><Rank>{rank}</Rank>"
        "</SelectionPosition></CVRContestSelection></CVRContest><Type>original</Type></CVRSnapshot></CVR>\n"
    )


def _cdf_xml() -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<CastVoteRecordReport xmlns='NIST_V0_cast_vote_records.xsd' "
        "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>\n"
        + _cdf_record("cs-a", 1)
        + _cdf_record("cs-b", 1)
        + _cdf_record("cs-a", 1)
        + "<Election ObjectId='e'><Candidate ObjectId='c-a'><Name>Ann</Name></Candidate>"
        "<Candidate ObjectId='c-b'><Name>Bob</Name></Candidate>"
        "<Contest xsi:type='CandidateContest' ObjectId='k'>"
        "<ContestSelection ObjectId='cs-a'><CandidateIds>c-a</CandidateIds></ContestSelection>"
        "<ContestSelection ObjectId='cs-b'><CandidateIds>c-b</CandidateIds></ContestSelection>"
        "<Name>Mayor</Name><NumberElected>1</NumberElected></Contest></Election>\n</CastVoteRecordReport>\n"
    ).encode()


@functools.cache  # the workbook records when it was saved: one sample, the same bytes every draw
def _ess() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["Cast Vote Record", "Precinct", "Choice 1", "Choice 2"],
        [1, "P1", "Ann", "Bob"],
        [2, "P1", "Bob", ""],
    ):
        sheet.append(row)
    sheet.append([3, "P2", "Ann", "undervote"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clear_ballot() -> bytes:
    fixed = (
        "RowNumber,BoxID,BoxPosition,BallotID,PrecinctID,BallotStyleID,PrecinctStyleName,ScanComputerName,Status,Remade"
    )
    choices = [f"Choice_{i}_1:Mayor:{rank}:Vote For 1:{name}:NON" for i, (rank, name) in enumerate(
        [(1, "Ann"), (1, "Bob"), (2, "Ann"), (2, "Bob")], start=1)]  # fmt: skip
    rows = ["1,B,1,B+1,7,10,P,S,0,0,1,0,0,1", "2,B,2,B+2,7,10,P,S,0,0,0,1,0,0", "3,B,3,B+3,8,10,P,S,0,0,1,0,0,0"]
    return ("\n".join([fixed + "," + ",".join(choices), *rows]) + "\n").encode()


def _hart() -> bytes:
    return (
        b"<?xml version='1.0' encoding='UTF-8'?>\n<Cvr xmlns='http://tempuri.org/CVRDesign.xsd'><Contests><Contest>"
        b"<Id>k</Id><Name>Mayor</Name><Options><Option><Name>Ann</Name><Id>ann</Id><Value>1</Value></Option>"
        b"</Options></Contest></Contests></Cvr>\n"
    )


def _dominion() -> bytes:
    return json.dumps({"Version": "5.10", "ElectionId": "e", "Sessions": []}).encode()


# A valid file of each format, as its reader reads it (checked by the first test below).
SAMPLES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "ess": ("cvr.xlsx", _ess),
    "cdf-json": ("cvr.json", _cdf_json),
    "cdf-xml": ("cvr.xml", _cdf_xml),
    "dominion": ("CvrExport.json", _dominion),
    "hart": ("ballot-1.xml", _hart),
    "preflib": (
        "votes.soi",
        lambda: (
            b"# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n"
            b"# ALTERNATIVE NAME 3: Cy\n5: 1,2\n3: 2,3\n1: 3\n"
        ),
    ),
    "blt": ("ward.blt", lambda: b'3 1\n4 1 2 0\n2 3 0\n1 2 3 1 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Ward 7"\n'),
    "clear-ballot": ("cvr.csv", _clear_ballot),
    "rctab-csv": ("cvr.csv", lambda: b"Response ID,Ann,Bob,Cy\nr1,1,2,\nr2,,1,2\nr3,2,,1\nr4,1,,\n"),
    "party-csv": ("parties.csv", lambda: b"party,votes\nRed,1200\nGreen,800\nBlue,450\n"),
    "csv": ("ballots.csv", lambda: b"Rank 1,Rank 2,Rank 3\nAnn,Bob,Cy\nBob,Cy,\nCy,Ann,Bob\nAnn,,\n"),
}
METHOD = {"party-csv": "dhondt"}  # every other format holds ranked ballots


@functools.cache
def _zip_bomb() -> bytes:
    """An .xlsx of about a MiB whose one sheet inflates into 256 MiB of XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<?xml version='1.0'?><Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            block = b"<row>" + b" " * (1 << 20) + b"</row>"
            for _ in range(256):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _xml_bomb(root: str) -> bytes:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY l0 "lol">{levels}]><{root}>&l9;</{root}>'.encode()


def _hostile(fmt: str) -> dict[str, bytes]:
    """The shapes this format's readers must refuse, beyond the ones every format gets."""
    deep = b"[" * 100_000 + b"]" * 100_000
    huge = b"9" * 4000  # under the 4300 digits Python will read as an int: the reader must bound it itself
    return {
        "ess": {"zip_bomb": _zip_bomb(), "zip_of_nothing": b"PK\x05\x06" + bytes(18)},
        "cdf-json": {
            "deep": b'{"CVR": ' + deep + b"}",
            "huge_rank": _cdf_json().replace(b'"Rank": 2', b'"Rank": ' + huge),
        },
        "cdf-xml": {
            "bomb": _xml_bomb("CastVoteRecordReport"),
            "external": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "deep": b"<a>" * 100_000 + b"</a>" * 100_000,
            "unknown_encoding": _cdf_xml().replace(b"UTF-8", b"TF-8"),
        },
        "dominion": {"deep": b'{"Sessions": ' + deep + b"}", "sessions_not_a_list": b'{"Sessions": 1e999}'},
        "hart": {
            "bomb": _xml_bomb("Cvr"),
            "huge_value": _hart().replace(b"<Value>1", b"<Value>" + b"1" * 5000),
            "unknown_encoding": _hart().replace(b"UTF-8", b"TF-8"),
        },
        "preflib": {
            "huge_count": b"# NUMBER ALTERNATIVES: 2\n" + huge + b": 1,2\n",
            "negative_count": b"# NUMBER ALTERNATIVES: 2\n-5: 1,2\n",
            "alternatives_beyond_limit": b"# NUMBER ALTERNATIVES: " + huge + b"\n1: 1\n",
        },
        "blt": {
            "huge_weight": b"2 1\n" + huge + b' 1 0\n0\n"A"\n"B"\n',
            "negative_weight": b'2 1\n-3 1 2 0\n0\n"A"\n"B"\n',
            "huge_header": huge + b" " + huge + b"\n1 1 0\n0\n",
        },
        "clear-ballot": {"huge_rank": _clear_ballot().replace(b":Mayor:2:", b":Mayor:" + huge + b":")},
        "rctab-csv": {
            "huge_rank": b"Response ID,Ann,Bob\nr1," + huge + b",\n",
            "negative_rank": b"Response ID,Ann\nr1,-1\n",
        },
        "party-csv": {"huge_votes": b"party,votes\nRed," + huge + b"\n", "negative_votes": b"party,votes\nRed,-10\n"},
        "csv": {"huge_count": b"Rank 1,Count\nAnn," + huge + b"\n", "negative_count": b"Rank 1,Count\nAnn,-4\n"},
    }[fmt]


CSV_FAMILY = ("clear-ballot", "rctab-csv", "party-csv", "csv")  # a cut at a line's end leaves a shorter valid file


def corpus(fmt: str) -> dict[str, bytes]:
    """Every malformed variant of the format's sample, by name."""
    valid = SAMPLES[fmt][1]()
    noise = bytes((i * 167 + 13) % 256 for i in range(4096))
    middle = len(valid) // 2
    # Cut inside a quoted cell (CSV), or halfway (every other format breaks its structure there).
    truncated = valid.rstrip(b"\n") + b',"Ann' if fmt in CSV_FAMILY else valid[:middle]
    accented = valid.replace(b"Ann", "\u00c5nn\u00e9".encode()).replace(b"Red", "R\u00f8d".encode())
    variants = {
        "truncated": truncated,
        "first_bytes": valid[:7],
        "latin1": accented.decode("utf-8").encode("latin-1") if fmt != "ess" else valid[:4] + noise,
        "utf16_without_mark": valid.decode("latin-1").encode("utf-16-le"),
        "binary_noise": noise,
        "nul_bytes": valid[:middle] + b"\x00" * 64 + valid[middle + (64 if fmt == "ess" else 0) :],  # zip: over data
        "blank": b" \n\t\n",
    }
    return variants | _hostile(fmt)


CASES = [(fmt, name) for fmt in READERS for name in corpus(fmt)]


def place(tmp_path: Path, fmt: str, data: bytes) -> Path:
    """The file to give the command: the bytes as the file, or inside an export folder for a folder format."""
    name = SAMPLES[fmt][0]
    if fmt not in FOLDERS:
        path = tmp_path / name
        path.write_bytes(data)
        return path
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / name).write_bytes(data)
    if fmt == "dominion":
        (folder / "ContestManifest.json").write_text('{"List": [{"Id": 1, "Description": "Mayor", "VoteFor": 1}]}')
        (folder / "CandidateManifest.json").write_text('{"List": [{"Id": 1, "Description": "Ann", "ContestId": 1}]}')
        (folder / "PrecinctPortionManifest.json").write_text('{"List": [{"Id": 1, "Description": "P1"}]}')
    return folder


def arguments(path: Path, fmt: str, output: Path) -> list[str]:
    contest = ["--contest", "k"] if fmt == "hart" else []
    return ["tally", str(path), "--format", fmt, "--method", METHOD.get(fmt, "irv"), *contest, "-o", str(output)]


def refused_cleanly(path: Path, fmt: str, output: Path, code: int, err: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, f"{fmt}: exit {code}, not 2\n{err[-2000:]}"
    assert len(lines) == 1 and lines[0].startswith("frombelow: error: "), f"{fmt}: not one line:\n{err[-2000:]}"
    assert path.name in lines[0], f"{fmt}: the error names no file: {lines[0]}"
    assert len(lines[0]) < 600, f"{fmt}: a runaway message of {len(lines[0])} characters"
    assert not output.exists(), f"{fmt}: refused, yet {output.name} was written"


@pytest.mark.parametrize("fmt", READERS)
def test_each_sample_is_a_valid_file_of_its_format(fmt: str, tmp_path: Path, capsys) -> None:
    """The mutations below start from files the readers count (else the corpus would prove little)."""
    path, output = place(tmp_path, fmt, SAMPLES[fmt][1]()), tmp_path / "result.json"
    if fmt == "dominion":  # an export with no sessions holds no ballot: its valid sample is the refusal's opposite
        assert cli.main(arguments(path, fmt, output)) == 2
        assert "no cast vote record holds contest" in capsys.readouterr().err
        return
    assert cli.main(arguments(path, fmt, output)) == 0, capsys.readouterr().err
    assert json.loads(output.read_text())["winners"]


@pytest.mark.parametrize(("fmt", "name"), CASES, ids=[f"{fmt}-{name}" for fmt, name in CASES])
def test_hostile_file_exits_2_with_one_line_and_writes_nothing(fmt: str, name: str, tmp_path: Path, capsys) -> None:
    path, output = place(tmp_path, fmt, corpus(fmt)[name]), tmp_path / "result.json"
    code = cli.main(arguments(path, fmt, output))
    refused_cleanly(path, fmt, output, code, capsys.readouterr().err)


@pytest.mark.parametrize("fmt", [f for f in READERS if f not in FOLDERS])
def test_a_file_past_the_size_limit_is_refused_unread(fmt: str, tmp_path: Path, capsys) -> None:
    """A sparse file claiming more than MAX_BYTES: refused by its size, before a byte is read."""
    path, output = tmp_path / SAMPLES[fmt][0], tmp_path / "result.json"
    with path.open("wb") as sparse:
        sparse.truncate(MAX_BYTES + 1)
    code = cli.main(arguments(path, fmt, output))
    err = capsys.readouterr().err
    refused_cleanly(path, fmt, output, code, err)
    assert f"the limit is {MAX_BYTES}" in err


def test_the_installed_command_refuses_in_its_own_process(tmp_path: Path) -> None:
    """The same through `frombelow` as a user runs it: no traceback reaches the terminal."""
    for fmt, name in (("cdf-xml", "bomb"), ("ess", "zip_bomb"), ("cdf-json", "deep"), ("blt", "binary_noise")):
        case = tmp_path / f"{fmt}-{name}"
        case.mkdir()
        path, output = place(case, fmt, corpus(fmt)[name]), case / "result.json"
        done = subprocess.run(
            [sys.executable, "-m", "frombelow.cli", *arguments(path, fmt, output)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        refused_cleanly(path, fmt, output, done.returncode, done.stderr)


def _mutated(data: bytes, draw: st.DrawFn) -> bytes:
    """One random edit of a valid file: bytes flipped, spans cut, copied or filled with digits."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        edit = draw(st.sampled_from(["flip", "cut", "repeat", "digits", "insert"]))
        span = draw(st.integers(1, 64))
        if edit == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif edit == "cut":
            del data[at : at + span]
        elif edit == "repeat":
            data[at:at] = data[at : at + span] * draw(st.integers(2, 50))
        elif edit == "digits":
            data[at:at] = draw(st.sampled_from([b"-1", b"0", b"99999999999999999999999", b"1e999", b"NaN"]))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=span))
    return bytes(data)


@pytest.mark.parametrize("fmt", READERS)
@settings(
    max_examples=int(os.environ.get("FROMBELOW_FUZZ_FILES", "25")),
    deadline=None,
    database=None,
    derandomize="FROMBELOW_FUZZ_FILES" not in os.environ,  # CI's examples are the same every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_valid_file_is_counted_or_refused_cleanly(fmt: str, data: st.DataObject, tmp_path_factory, capsys):
    tmp_path = tmp_path_factory.mktemp(fmt)
    mutant = data.draw(st.composite(lambda draw: _mutated(SAMPLES[fmt][1](), draw))(), label="mutant")
    path, output = place(tmp_path, fmt, mutant), tmp_path / "result.json"
    code = cli.main(arguments(path, fmt, output))
    err = capsys.readouterr().err
    if code == 0:
        assert "winners" in json.loads(output.read_text())
    else:
        refused_cleanly(path, fmt, output, code, err)
