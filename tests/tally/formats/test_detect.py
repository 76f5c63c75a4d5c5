"""Format detection: by content first, the file name settles a doubt, --format forces."""

from __future__ import annotations

from pathlib import Path

import pytest

from frombelow import tally
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import detect
from frombelow.tally.formats.source import Source

SAMPLES = {
    "blt": '3 1\n4 1 2 0\n0\n"A"\n"B"\n"C"\n',
    "preflib": "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,2\n",
    "csv": "Rank 1,Rank 2\nA,B\n",
    "party-csv": "party,votes\nA,10\nB,5\n",
    "cdf-json": '{"CVR": [], "Election": []}',
}


@pytest.mark.parametrize("fmt", SAMPLES)
@pytest.mark.parametrize("name", ["ballots", "ballots.txt", "ballots.dat"])
def test_content_decides_whatever_the_name(fmt: str, name: str) -> None:
    assert detect(Source.of(name, SAMPLES[fmt])) == fmt


def test_candidate_column_csv_is_ranked_not_party_votes() -> None:
    assert detect(Source.of("x.csv", "Alice,Bob\n1,2\n2,1\n")) == "csv"


def test_party_votes_are_not_taken_for_a_ranked_csv_with_a_numeric_heading() -> None:
    # "12" alone would pass for a rank heading; a header must be all rank headings to be one.
    assert detect(Source.of("x.csv", "Alice,12\nBob,5\n")) == "party-csv"
    assert detect(Source.of("x.csv", "id,1,2,count\n7,Alice,Bob,3\n")) == "csv"


def test_unrecognised_content_falls_back_on_the_suffix_so_its_reader_explains() -> None:
    assert detect(Source.of("broken.blt", "three candidates\n")) == "blt"
    assert detect(Source.of("broken.soi", "nonsense\n")) == "preflib"


def test_a_suffix_shared_by_several_formats_does_not_guess() -> None:
    with pytest.raises(BallotFileError, match="could be party-csv or csv; give it with --format"):
        detect(Source.of("ballots.csv", "Alice,Bob\nBob,Carol\n"))


def test_unknown_file_is_a_clear_error() -> None:
    with pytest.raises(BallotFileError, match="cannot tell the file's format.*--format"):
        detect(Source.of("mystery.dat", "hello world\n"))


def test_binary_file_is_reported_as_such_not_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "image.dat"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BallotFileError, match="NUL bytes"):
        tally.read(path)


def test_format_forces(tmp_path: Path) -> None:
    path = tmp_path / "votes.txt"
    path.write_text("Rank 1,Rank 2\nA,B\n")
    assert tally.read(path, "csv").candidates == ("A", "B")
    with pytest.raises(BallotFileError, match=r"votes.txt, line 1: expected 'candidates seats'"):
        tally.read(path, "blt")


def test_unknown_format_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.blt"
    path.write_text(SAMPLES["blt"])
    with pytest.raises(BallotFileError, match="unknown format 'xml'"):
        tally.read(path, "xml")


def test_an_option_the_reader_does_not_take_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.blt"
    path.write_text(SAMPLES["blt"])
    with pytest.raises(BallotFileError, match="takes no option"):
        tally.read(path, contest="Mayor")


@pytest.mark.parametrize("problem", ["missing", "directory"])
def test_unreadable_paths(tmp_path: Path, problem: str) -> None:
    path = tmp_path / "nothing.blt" if problem == "missing" else tmp_path
    with pytest.raises(BallotFileError) as caught:
        tally.read(path)
    assert caught.value.source == str(path) and caught.value.line is None
