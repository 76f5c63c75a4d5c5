"""Ranked ballots as CSV: one ballot per row, in either of the two common layouts.

Rank columns (the header names ranks, the cells name candidates)::

    Ballot ID,Rank 1,Rank 2,Rank 3,Count
    17,Alice,Bob,,2                 an empty cell is a skipped rank
    18,Bob,Alice|Carol,Carol,1      "|" joins the names of an overvote
    19,overvote,Carol,,1            so does the marker "overvote"; "undervote"/"skipped" leave the rank empty

Rank headings read like ``Rank 1``, ``rank_2``, ``Choice 3``, ``1st choice``, ``Preference 4``
or a bare ``1``. The candidates are the names found in the cells, in order of first
appearance.

Candidate columns (the header names candidates, the cells hold rank numbers)::

    Alice,Bob,Carol
    1,,2                            Alice first, Carol second; an empty cell or 0 is unranked
    1,1,2                           two candidates at one rank are an overvote

The candidates are the header's, in its order.

In both layouts these columns are recognised by their heading and never taken for a
candidate or a rank: a ballot id (``id``, ``ballot id``, ``cvr``, ``response id``, or a
column with an empty heading), a count of identical ballots (``count``, ``weight``,
``votes``; default 1), and metadata that is ignored (``precinct``, ``batch``, ``ballot
style``, ``tabulator``, ``ward``, ``district``). Any other heading in the rank-column
layout is an error rather than a guess. Separators may be commas, semicolons or tabs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from frombelow.tally.ballots import EMPTY, Ballots, overvote_code, pad_rows
from frombelow.tally.formats import table
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_RANKS, MAX_TOTAL, MAX_WEIGHT
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "csv"
SUFFIXES = (".csv", ".tsv", ".txt")
OVERVOTE_DELIMITER = "|"

ID_HEADINGS = {"", "id", "ballot", "ballot id", "ballotid", "ballot number", "cvr", "cvr id", "cvr number",
               "record", "record id", "response id", "voter", "voter id", "#"}  # fmt: skip
WEIGHT_HEADINGS = {"count", "weight", "votes", "ballots", "number", "frequency"}
METADATA_HEADINGS = {"precinct", "precinct id", "precinct name", "batch", "batch id", "ballot style", "style",
                     "tabulator", "tabulator id", "ward", "district", "polling place", "contest"}  # fmt: skip
SKIPPED_MARKERS = {"undervote", "skipped", "skip", "blank"}
OVERVOTE_MARKERS = {"overvote"}

_RANK_HEADING = re.compile(
    r"(?:rank|choice|preference|pref)\s*[_#.\-]?\s*(\d+)\b.*"
    r"|(\d+)\s*(?:st|nd|rd|th)?[\s_\-]*(?:rank|choice|preference|pref)\b.*"
    r"|(\d+)"
)


@dataclass(frozen=True)
class _Columns:
    """What each column of the header holds."""

    ranks: dict[int, int]  # column -> rank position (0-based), rank-column layout
    candidates: dict[int, str]  # column -> candidate name, candidate-column layout
    weight: int | None


def sniff(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip()]
    if not lines or lines[0].lstrip().startswith(("{", "[", "#", "<")):
        return False
    header = _split(lines[0])
    if "\n" not in head and len(header) > 1:
        header.pop()  # a header longer than the head is cut mid-cell
    known = ID_HEADINGS | WEIGHT_HEADINGS | METADATA_HEADINGS
    keep = [i for i, cell in enumerate(header) if _heading(cell) not in known]
    if keep and all(_rank_of(header[i]) is not None for i in keep):
        return True
    if len(header) < 2 or len(lines) < 2:
        return False
    cells = _split(lines[1])
    return bool(keep) and all(i >= len(cells) or re.fullmatch(r"\d{0,4}", cells[i]) for i in keep)


def _split(line: str) -> list[str]:
    sep = table.separator(line)
    return [cell.strip().strip('"').strip() for cell in line.split(sep)]


def _heading(cell: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", cell.strip().lower()).strip()


def _rank_of(cell: str) -> int | None:
    m = _RANK_HEADING.fullmatch(_heading(cell))
    if not m:
        return None
    return int(next(g for g in m.groups() if g is not None)[:9])


def read(source: Source, *, overvote_delimiter: str = OVERVOTE_DELIMITER) -> Ballots:
    text = source.text()
    sep = table.separator(table.first_line(text))
    rows = table.rows(source, text, sep)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise source.error(None, "empty file: expected a header row") from None
    columns = _columns(source, header_line, header)
    names: dict[str, int] = {name: i for i, name in enumerate(columns.candidates.values())}
    groups: dict[frozenset[int], int] = {}
    ranked: list[list[int]] = []
    weights: list[int] = []
    cut_short = not text.rstrip(" \t").endswith(("\n", "\r"))
    last_line = text.count("\n") + 1
    for number, cells in rows:
        if number % PROGRESS_EVERY == 0:
            source.report(number, last_line, "lines")
        if len(cells) > len(header):
            raise source.error(number, f"row has {len(cells)} cells but the header has {len(header)} columns")
        if len(cells) < len(header) and cut_short and number >= last_line:
            raise source.error(number, "the last row is incomplete: is the file cut short?")
        cells += [""] * (len(header) - len(cells))
        if columns.ranks:
            row = _rank_row(source, number, cells, columns, names, groups, overvote_delimiter)
        else:
            row = _candidate_row(source, number, cells, columns, groups)
        ranked.append(row)
        weights.append(_weight(source, number, cells, columns))
    if not ranked:
        raise source.error(header_line, "the file holds no ballots: only a header")
    total = sum(weights)
    if total == 0:
        raise source.error(None, "the file holds no ballots: every count is 0")
    if total > MAX_TOTAL:
        raise source.error(None, f"the counts add up to {total} voters; the limit is {MAX_TOTAL}")
    depth = max(columns.ranks.values(), default=len(columns.candidates) - 1) + 1
    if len(ranked) * depth > MAX_CELLS:
        raise source.error(None, f"{len(ranked)} ballots of {depth} ranks are too many to hold in memory")
    source.report(last_line, last_line, "lines")
    return Ballots(
        tuple(names),
        pad_rows(ranked, depth),
        np.array(weights, dtype=np.int64),
        overvotes=tuple(sorted(groups, key=groups.__getitem__)),
    )


def _columns(source: Source, number: int, header: list[str]) -> _Columns:
    ranks: dict[int, int] = {}
    others: dict[int, str] = {}
    weight: int | None = None
    seen_rank: dict[int, str] = {}
    for column, cell in enumerate(header):
        heading = _heading(cell)
        rank = _rank_of(cell)
        if heading in WEIGHT_HEADINGS:
            if weight is not None:
                raise source.error(number, f"two count columns: {header[weight]!r} and {cell!r}")
            weight = column
        elif heading in ID_HEADINGS or heading in METADATA_HEADINGS:
            continue
        elif rank is not None:
            if not 1 <= rank <= MAX_RANKS:
                raise source.error(number, f"column {excerpt(cell)}: rank {rank} is not between 1 and {MAX_RANKS}")
            if rank in seen_rank:
                raise source.error(number, f"rank {rank} has two columns: {seen_rank[rank]!r} and {cell!r}")
            seen_rank[rank] = cell
            ranks[column] = rank - 1
        else:
            others[column] = cell
    if ranks and others:
        column = min(others)
        raise source.error(
            number,
            f"column {column + 1} {excerpt(others[column], 40)} is neither a rank, a ballot id nor a count "
            "(rename it, or use 'precinct'/'batch' for metadata)",
        )
    if not ranks:
        _check_candidates(source, number, list(others.values()))
        if not others:
            raise source.error(number, "the header names no ranks ('Rank 1', …) and no candidates")
        if len(others) > MAX_RANKS:
            raise source.error(number, f"{len(others)} candidate columns; the limit is {MAX_RANKS}")
    return _Columns(ranks, others, weight)


def _check_candidates(source: Source, number: int, names: list[str]) -> None:
    where: set[str] = set()
    for name in names:
        if len(name) > MAX_NAME:
            raise source.error(number, f"name is {len(name)} characters long; the limit is {MAX_NAME}")
        if name in where:
            raise source.error(number, f"candidate {name!r} has two columns")
        where.add(name)


def _rank_row(
    source: Source,
    number: int,
    cells: list[str],
    columns: _Columns,
    names: dict[str, int],
    groups: dict[frozenset[int], int],
    delimiter: str,
) -> list[int]:
    row = [EMPTY] * (max(columns.ranks.values()) + 1)
    for column, position in columns.ranks.items():
        cell = cells[column]
        marker = cell.lower()
        if not cell or marker in SKIPPED_MARKERS:
            continue
        if marker in OVERVOTE_MARKERS:
            # Who was marked is not recorded: an overvote of no known candidates.
            row[position] = overvote_code(groups.setdefault(frozenset(), len(groups)))
            continue
        parts = [part.strip() for part in cell.split(delimiter)] if delimiter and delimiter in cell else [cell]
        members = frozenset(_candidate(source, number, part, names) for part in parts if part)
        if len(members) == 1:
            row[position] = next(iter(members))
        elif members:
            row[position] = overvote_code(groups.setdefault(members, len(groups)))
    return row


def _candidate(source: Source, number: int, name: str, names: dict[str, int]) -> int:
    if name not in names:
        if len(name) > MAX_NAME:
            raise source.error(number, f"name is {len(name)} characters long; the limit is {MAX_NAME}")
        if len(names) >= MAX_CANDIDATES:
            raise source.error(number, f"more than {MAX_CANDIDATES} different candidate names")
        names[name] = len(names)
    return names[name]


def _candidate_row(
    source: Source, number: int, cells: list[str], columns: _Columns, groups: dict[frozenset[int], int]
) -> list[int]:
    at: dict[int, set[int]] = {}
    positions = len(columns.candidates)
    for index, (column, name) in enumerate(columns.candidates.items()):
        cell = cells[column]
        if not cell or cell == "0":
            continue
        if not re.fullmatch(r"\d{1,9}", cell):
            raise source.error(number, f"{name!r}: rank {excerpt(cell, 20)} is not a whole number")
        rank = int(cell)
        if rank > positions:
            raise source.error(number, f"{name!r}: rank {rank} but there are only {positions} candidates")
        at.setdefault(rank - 1, set()).add(index)
    row = [EMPTY] * (max(at, default=-1) + 1)
    for position, members in at.items():
        if len(members) == 1:
            row[position] = next(iter(members))
        else:
            row[position] = overvote_code(groups.setdefault(frozenset(members), len(groups)))
    return row


def _weight(source: Source, number: int, cells: list[str], columns: _Columns) -> int:
    if columns.weight is None:
        return 1
    cell = cells[columns.weight]
    if not re.fullmatch(r"\d{1,18}", cell):
        problem = "negative" if cell.startswith("-") else "not a whole number"
        raise source.error(number, f"count {excerpt(cell, 20)}: {problem}")
    if int(cell) > MAX_WEIGHT:
        raise source.error(number, f"count {cell} is larger than {MAX_WEIGHT}")
    return int(cell)
