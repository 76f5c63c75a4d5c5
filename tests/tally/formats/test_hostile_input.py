"""Hostile sizes and shapes: each is refused quickly with a BallotFileError, never a traceback or a memory blow-up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from frombelow import tally
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import blt
from frombelow.tally.formats.source import Source


def refused(path: Path, fmt: str | None = None) -> BallotFileError:
    with pytest.raises(BallotFileError) as caught:
        tally.read(path, fmt)
    assert caught.value.source == str(path)
    return caught.value


def test_blt_line_of_ten_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "long.blt"
    path.write_text("3 1\n1 " + "2 " * 5_000_000 + '0\n0\n"A"\n"B"\n"C"\n')
    error = refused(path)
    assert error.line == 2 and "5000000 rank positions" in error.problem


def test_blt_name_of_ten_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "name.blt"
    path.write_text('2 1\n1 1 0\n0\n"A"\n"' + "x" * 10_000_000 + '"\n')
    error = refused(path)
    assert error.line == 5 and "characters long" in error.problem


def test_blt_one_deep_ballot_among_many_short_ones(tmp_path: Path) -> None:
    path = tmp_path / "deep.blt"
    names = "".join(f'"C{i}"\n' for i in range(500))
    deep = " ".join(map(str, list(range(1, 501)) * 2))  # every candidate twice: 1000 positions, the most allowed
    path.write_text("500 1\n" + "1 1 0\n" * 10_000 + f"1 {deep} 0\n0\n" + names)
    ballots = tally.read(path)
    assert ballots.ranks.shape == (10_001, 1000) and ballots.ranks[-1, 999] == 499


def test_csv_of_a_million_columns(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"Rank {i}" for i in range(1, 1_000_001)) + "\nA,B\n")
    error = refused(path)
    assert error.line == 1 and "columns; the limit is 10000" in error.problem


def test_csv_cell_of_ten_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text('Rank 1,Rank 2\nA,"' + "x" * 10_000_000 + '"\n')
    error = refused(path)
    assert error.line == 2


def test_party_csv_votes_beyond_any_electorate(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("party,votes\nA,999999999999999\nB,999999999999999\n")
    assert "the limit is" in refused(path).problem


def test_blt_weights_summing_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "sum.blt"
    path.write_text("2 1\n" + "1000000000000 1 0\n" * 1001 + '0\n"A"\n"B"\n')
    assert "add up to" in refused(path).problem


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"CVR": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert "nested too deeply" in refused(path).problem


def test_preflib_with_a_billion_claimed_alternatives(tmp_path: Path) -> None:
    path = tmp_path / "big.soi"
    path.write_text("# NUMBER ALTERNATIVES: 1000000000\n# ALTERNATIVE NAME 1: A\n1: 1\n")
    assert refused(path).line == 1


def test_progress_goes_to_a_terminal_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "2 1\n" + "(x) 1 1 2 0\n" * 120_000 + '0\n"A"\n"B"\n'
    path = tmp_path / "p.blt"
    path.write_text(text)
    tally.read(path, progress=True)  # stderr is not a terminal under pytest: silent
    assert capsys.readouterr().err == ""
    blt.read(Source(str(path), text.encode(), progress=True))  # as if it were a terminal
    err = capsys.readouterr().err
    assert err.count("\r") >= 3 and err.endswith("120,000/120,000 (100%)\n")


def test_a_million_ballot_blt_reads_every_ballot(tmp_path: Path) -> None:
    rng = np.random.default_rng(2024)
    candidates, count = 15, 1_000_000
    # 1M lines drawn from 100k random ballots (random length, order and weight): building 1M
    # distinct strings in Python would take longer than the read being measured.
    orders = (np.argsort(rng.random((100_000, candidates)), axis=1) + 1).tolist()
    lengths = rng.integers(1, candidates + 1, 100_000).tolist()
    pool = [
        f"{w} {' '.join(map(str, o[:n]))} 0" for w, o, n in zip(rng.integers(1, 4, 100_000).tolist(), orders, lengths)
    ]
    drawn = rng.integers(0, len(pool), count)
    lines = [pool[i] for i in drawn.tolist()]
    weights = np.array([int(line.split(" ", 1)[0]) for line in pool])[drawn]
    path = tmp_path / "million.blt"
    path.write_text(f"{candidates} 3\n" + "\n".join(lines) + "\n0\n" + "".join(f'"C{i}"\n' for i in range(candidates)))
    ballots = tally.read(path)
    assert ballots.total == int(weights.sum()) and len(ballots.ranks) == count
    first = orders[drawn[0]][: lengths[drawn[0]]]
    assert ballots.ranks[0, : len(first)].tolist() == [p - 1 for p in first]
