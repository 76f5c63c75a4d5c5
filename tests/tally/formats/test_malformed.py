"""The malformed corpus: every broken file is refused with a BallotFileError naming the file, the line and the problem.

``malformed/<format>/expected.txt`` lists, per file, the line the error must name (``-``
when the problem is not on one line) and a fragment of its message. Each file is read
forced to its folder's format and also with detection, which must fail the same way
or at least with a BallotFileError (never a traceback).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from frombelow import tally
from frombelow.tally.errors import BallotFileError

CORPUS = Path(__file__).parent / "malformed"


def cases() -> list[tuple[str, str, int | None, str]]:
    out = []
    for expected in sorted(CORPUS.glob("*/expected.txt")):
        for row in expected.read_text(encoding="utf-8").splitlines():
            if row.strip() and not row.startswith("#"):
                name, line, fragment = (part.strip() for part in row.split("|", 2))
                out.append((expected.parent.name, name, None if line == "-" else int(line), fragment))
    return out


def test_every_corpus_file_has_an_expectation() -> None:
    listed = {(fmt, name) for fmt, name, _, _ in cases()}
    present = {(p.parent.name, p.name) for p in CORPUS.glob("*/*") if p.name != "expected.txt"}
    assert present == listed
    assert {fmt for fmt, _ in listed} == set(tally.formats.READERS)


@pytest.mark.parametrize(("fmt", "name", "line", "fragment"), cases(), ids=lambda v: str(v))
def test_refused_with_file_line_and_problem(fmt: str, name: str, line: int | None, fragment: str) -> None:
    path = CORPUS / fmt / name
    with pytest.raises(BallotFileError) as caught:
        tally.read(path, fmt)
    error = caught.value
    assert error.source == str(path)
    assert error.line == line, str(error)
    assert fragment in error.problem
    assert str(error).startswith(f"{path}, line {line}: " if line is not None else f"{path}: ")
    assert "Traceback" not in str(error) and "\n" not in str(error) and len(str(error)) < 400  # one line for the CLI


@pytest.mark.parametrize(("fmt", "name", "line", "fragment"), cases(), ids=lambda v: str(v))
def test_refused_when_detected_too(fmt: str, name: str, line: int | None, fragment: str) -> None:
    with pytest.raises(BallotFileError):
        tally.read(CORPUS / fmt / name)
