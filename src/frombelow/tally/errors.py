"""Errors a person can act on: each names what is wrong and where."""

from __future__ import annotations


class TallyError(Exception):
    """Base class: the count cannot go ahead as asked."""


class BallotFileError(TallyError):
    """A ballot file is malformed: names the file, the line and the problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class CountError(TallyError):
    """The election as given cannot be counted (no candidates, impossible seats, …)."""
