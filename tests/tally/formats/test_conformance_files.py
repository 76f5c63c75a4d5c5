"""Real elections read to the right totals: all 279 NSW PrefLib files and a sample of Scottish BLT files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from frombelow import tally

ROOT = Path(__file__).resolve().parents[3].parent / "shared" / "conformance"
NSW = ROOT / "preflib" / "nswla"
SCOTLAND = ROOT / "scotland"
ROW = re.compile(r"^\| (\S+\.soi) \| (.+?) \| (\d+) \| (\d+) \|", re.MULTILINE)


def nsw_table() -> list[tuple[str, str, int, int]]:
    readme = NSW / "README.md"
    if not readme.exists():
        return []
    return [(f, title, int(v), int(c)) for f, title, v, c in ROW.findall(readme.read_text(encoding="utf-8"))]


def scotland_sample() -> list[Path]:
    return sorted(SCOTLAND.glob("*.blt"))[::25] if SCOTLAND.is_dir() else []


def test_nsw_table_is_complete() -> None:
    if not NSW.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(nsw_table()) == 279


@pytest.mark.parametrize(("file", "title", "voters", "candidates"), nsw_table(), ids=lambda v: str(v))
def test_nsw_file_reads_to_its_voters(file: str, title: str, voters: int, candidates: int) -> None:
    ballots = tally.read(NSW / file)
    assert ballots.total == voters
    assert len(ballots.candidates) == candidates
    assert ballots.title == title
    assert ballots.overvotes == ()  # .soi: strict orders, no ties


def independent_blt_totals(path: Path) -> tuple[int, int, int, list[str]]:
    """Candidates, seats, voters and names, read with nothing but str.split."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    candidates, seats = map(int, lines[0].split())
    end = lines.index("0")
    voters = sum(int(line.split()[0]) for line in lines[1:end])
    names = [line.strip().strip('"') for line in lines[end + 1 : end + 1 + candidates]]
    return candidates, seats, voters, names


@pytest.mark.parametrize("path", scotland_sample(), ids=lambda p: p.stem)
def test_scottish_ward_reads_to_its_totals(path: Path) -> None:
    candidates, seats, voters, names = independent_blt_totals(path)
    ballots = tally.read(path)
    assert (len(ballots.candidates), ballots.seats, ballots.total) == (candidates, seats, voters)
    assert list(ballots.candidates) == names
    assert ballots.title  # every ward names itself
    first = path.read_text(encoding="utf-8").splitlines()[1].split()
    assert ballots.ranks[0, : len(first) - 2].tolist() == [int(p) - 1 for p in first[1:-1]]
