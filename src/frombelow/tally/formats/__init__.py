"""Ballot file formats: a small plug-in interface, one module per format.

A format module provides::

    NAME: str                      # as given to --format
    SUFFIXES: tuple[str, ...]      # file name endings that suggest it
    def sniff(head: str) -> bool   # does this text (the file's first few KiB) look like it?
    def read(source: Source) -> Ballots | PartyVotes

and is listed in ``READERS`` below. ``read`` raises ``BallotFileError`` naming the
file, the line and the problem for anything malformed.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from frombelow.tally.ballots import Ballots, PartyVotes
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.source import Source

# Order matters for detection: the most specific formats are tried first.
READERS: dict[str, str] = {
    "blt": "frombelow.tally.formats.blt",
    "preflib": "frombelow.tally.formats.preflib",
}


def reader(name: str) -> ModuleType:
    try:
        return importlib.import_module(READERS[name])
    except KeyError:
        raise BallotFileError(name, None, f"unknown format {name!r}; use one of {', '.join(READERS)}") from None


def detect(source: Source) -> str:
    """The format whose sniffer accepts the file's head; suffixes break a doubt."""
    head = source.head()
    matches = [name for name in READERS if reader(name).sniff(head)]
    if not matches:
        raise BallotFileError(source.name, 1, "cannot tell the file's format; give it with --format " + "|".join(READERS))
    suffix = Path(source.name).suffix.lower()
    for name in matches:
        if suffix in reader(name).SUFFIXES:
            return name
    return matches[0]


def read(path: str | Path, format: str | None = None, *, progress: bool = False) -> Ballots | PartyVotes:
    """Read a ballot file, detecting its format unless one is given."""
    source = Source.open(path, progress=progress)
    name = format or detect(source)
    return reader(name).read(source)
