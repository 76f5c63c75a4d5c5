"""Hart InterCivic Verity cast vote records: a folder holding one XML file per ballot sheet.

Each file is a ``Cvr`` with its ``Contests``; a contest's ``Options`` are the candidates
marked, each with a ``Value`` read left to right, one digit per rank: ``0100`` is a mark
at rank 2, ``0101`` marks at ranks 2 and 4. Read as RCTab reads it:

* every ``*.xml`` file of the folder except ``*.sig.xml`` signatures, in name order;
* a file is a ballot in the contest (``contest``: the contest ``Id``, or its ``Name``)
  when it holds that contest, marked or not;
* a candidate is named by its option ``Id`` (a config lists these codes as aliases); the
  ``undeclared_write_in_label`` code is an undeclared write-in; one code carrying two
  names in different files is an error;
* the precinct label is ``PrecinctSplit/Name``; the batch label is ``BatchNumber``.

XML is parsed with defusedxml, as for CDF XML.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from frombelow.tally.ballots import Ballots
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.cdf_xml import local, parse
from frombelow.tally.formats.cvr_marks import BallotRows
from frombelow.tally.formats.limits import MAX_RANKS
from frombelow.tally.formats.source import Source, excerpt

NAME = "hart"
SUFFIXES: tuple[str, ...] = ()
FOLDER = True  # read from a folder, not a file


def sniff(head: str) -> bool:
    return False  # a folder: named by the config (provider "hart"), never detected from a file


def read(
    source: Source,
    *,
    contest: str | None = None,
    candidates: Mapping[str, str] | None = None,
    undeclared_write_in_label: str | None = None,
    overvote_label: str | None = None,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    """The ballots of one contest of the Hart folder ``source.name``."""
    folder = Path(source.name)
    if not folder.is_dir():
        raise source.error(None, "a Hart export is a folder of per-ballot XML files, not a file")
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name.lower().endswith("xml") and not p.name.lower().endswith(".sig.xml")
    )
    if not files:
        raise source.error(None, "the folder holds no XML cast vote records")
    if contest is None:
        raise source.error(None, "name the contest to count (its Id or Name); a Hart record holds several")
    rows = BallotRows(
        source,
        candidates,
        undeclared_write_in_label=undeclared_write_in_label,
        overvote_label=overvote_label,
        max_rankings=max_rankings,
    )
    names: dict[str, str] = {}  # option Id -> the name it first came with
    title = ""
    for path in files:
        record = Source.open(path)
        root = parse(record)
        if local(root.tag) != "Cvr":
            raise record.error(None, f"the root element is {local(root.tag)!r}, not a Hart Cvr")
        for held in _children(root, "Contests", "Contest"):
            if contest not in (_text(held, "Id"), _text(held, "Name")):
                continue
            title = title or _text(held, "Name") or contest
            where = f"{path.name}: contest {excerpt(title, 40)}"
            marks = []
            for option in _children(held, "Options", "Option"):
                code, name = _text(option, "Id"), _text(option, "Name")
                if not code:
                    raise record.error(None, f"{where}: an Option has no Id")
                if code != rows.write_in_label:
                    first = names.setdefault(code, name)
                    if first != name:
                        raise record.error(
                            None, f"{where}: candidate code {code} is named {first!r} elsewhere but {name!r} here"
                        )
                index = rows.candidate(code if rows.fixed or not name else name, where)
                value = _text(option, "Value")
                if len(value) > MAX_RANKS or value.strip("01"):
                    raise record.error(
                        None, f"{where}: option {code} Value {excerpt(value, 20)} is not a row of 0s and 1s"
                    )
                marks.extend((rank, index) for rank, digit in enumerate(value, 1) if digit == "1")
            rows.add(
                marks,
                where,
                precinct=_text(root, "PrecinctSplit", "Name") or None,
                batch=_text(root, "BatchNumber") or None,
            )
    if not len(rows):
        raise BallotFileError(str(folder), None, f"no cast vote record holds contest {contest!r}")
    return rows.ballots(title=title)


def _children(element: Element, wrapper: str, name: str) -> list[Element]:
    """The ``name`` elements inside ``element``'s ``wrapper`` child, namespaces aside."""
    out = []
    for outer in element:
        if local(outer.tag) == wrapper:
            out.extend(child for child in outer if local(child.tag) == name)
    return out


def _text(element: Element, *path: str) -> str:
    """The text at a path of child names (namespaces aside); empty when absent."""
    for name in path:
        found = next((child for child in element if local(child.tag) == name), None)
        if found is None:
            return ""
        element = found
    return (element.text or "").strip()
