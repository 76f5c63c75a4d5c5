"""Ballot file formats: a small plug-in interface, one module per format.

A format module provides::

    NAME: str                      # as given to --format
    SUFFIXES: tuple[str, ...]      # file name endings that suggest it
    def sniff(head: str) -> bool   # does this text (the file's first few KiB) look like it?
    def read(source: Source, **options) -> Ballots | PartyVotes

and is listed in ``READERS`` below. ``read`` raises ``BallotFileError`` naming the file,
the line and the problem for anything malformed. Readers that take options (``csv``:
``overvote_delimiter``; ``cdf-json``: ``contest``) take them as keywords with defaults.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from frombelow.tally.ballots import Ballots, PartyVotes
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.source import HEAD_BYTES, Source

# Order matters for detection: the most specific formats are tried first.
READERS: dict[str, str] = {
    "ess": "frombelow.tally.formats.ess",
    "cdf-json": "frombelow.tally.formats.cdf_json",
    "cdf-xml": "frombelow.tally.formats.cdf_xml",
    "dominion": "frombelow.tally.formats.dominion",
    "hart": "frombelow.tally.formats.hart",
    "preflib": "frombelow.tally.formats.preflib",
    "blt": "frombelow.tally.formats.blt",
    "clear-ballot": "frombelow.tally.formats.clear_ballot",
    "rctab-csv": "frombelow.tally.formats.rctab_csv",
    "party-csv": "frombelow.tally.formats.party_csv",
    "csv": "frombelow.tally.formats.ranked_csv",
}


def reader(name: str) -> ModuleType:
    try:
        return importlib.import_module(READERS[name])
    except KeyError:
        raise BallotFileError(name, None, f"unknown format {name!r}; use one of {', '.join(READERS)}") from None


def detect(source: Source) -> str:
    """The format whose sniffer accepts the file's head; the suffix settles a doubt.

    Several sniffers agreeing: the one the suffix names, else the most specific.
    None agreeing: the one format the suffix names (its reader then says what is wrong),
    else an error asking for ``--format``.
    """
    suffix = Path(source.name).suffix.lower()
    by_suffix = [name for name in READERS if suffix in reader(name).SUFFIXES]
    # NUL bytes are fine in UTF-16 text and in a zip archive (an .xlsx workbook).
    if b"\x00" in source.data[:HEAD_BYTES] and not source.data.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04")):
        source.text()  # raises the encoding error, which says more than "unknown format"
    head = source.head()
    matches = [name for name in READERS if reader(name).sniff(head)]
    for name in matches:
        if name in by_suffix:
            return name
    if matches:
        return matches[0]
    if len(by_suffix) == 1:
        return by_suffix[0]
    if by_suffix:
        raise BallotFileError(
            source.name,
            None,
            f"the content fits no format and the name could be {' or '.join(by_suffix)}; give it with --format",
        )
    raise BallotFileError(
        source.name,
        None,
        "cannot tell the file's format from its content or its name; give it with --format " + "|".join(READERS),
    )


def read(
    path: str | Path, format: str | None = None, *, progress: bool = False, **options: object
) -> Ballots | PartyVotes:
    """Read a ballot file, detecting its format unless one is given; ``options`` go to the reader."""
    if format is not None and Path(path).is_dir() and getattr(reader(format), "FOLDER", False):
        # Folder formats (an export of many files) read the files themselves.
        return reader(format).read(Source.folder(path, progress=progress), **options)
    source = Source.open(path, progress=progress)
    name = format or detect(source)
    try:
        return reader(name).read(source, **options)
    except TypeError as error:
        if "unexpected keyword" not in str(error):
            raise
        given = ", ".join(sorted(options))
        raise BallotFileError(
            source.name, None, f"the {name} format takes no option {given} (it is read as {name})"
        ) from None
