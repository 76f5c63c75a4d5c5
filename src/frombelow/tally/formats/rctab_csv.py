"""RCTab's generic CSV: one ballot per row, one column per candidate, cells hold rank numbers.

    Response ID,precinct_id,batch_id,Lettuce,Broccoli,Cucumber,Write-In
    R_3QEQ85E7,p1,b1,,2,1,            Cucumber first, Broccoli second
    R_1ikP1jSJ,p1,b1,2,3,1,4          "Write-In" ranked 4th: an undeclared write-in

The header (the first row) names the candidates from ``first_vote_column`` (1-based,
default 2) to its end; ballots start at ``first_vote_row`` (default 2). An empty cell
is unranked; two candidates given one rank are an overvote; a rank nobody holds is
skipped. The column headed ``undeclared_write_in_label`` holds undeclared write-ins.
A rank above ``max_rankings`` is an error, as RCTab refuses such a file. Optional
``precinct_column``/``batch_column`` tag each ballot (``no precinct id``/``no batch id``
where empty). Headings are resolved through ``candidates`` (spellings -> config names)
when given; a ranked column naming no known candidate is an error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from frombelow.tally.ballots import Ballots
from frombelow.tally.formats.cvr_marks import BallotRows
from frombelow.tally.formats.limits import MAX_COLUMNS
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "rctab-csv"
SUFFIXES: tuple[str, ...] = ()  # a .csv is the "csv" format unless asked for by name
NO_PRECINCT = "no precinct id"  # RCTab's labels for a ballot without one
NO_BATCH = "no batch id"


def sniff(head: str) -> bool:
    return False  # the same shape as the csv format's candidate columns; chosen by name (or by an RCTab config)


def read(
    source: Source,
    *,
    candidates: Mapping[str, str] | None = None,
    first_vote_column: int | None = None,
    first_vote_row: int | None = None,
    precinct_column: int | None = None,
    batch_column: int | None = None,
    undeclared_write_in_label: str | None = None,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    start = (first_vote_column or 2) - 1
    first_row = first_vote_row or 2
    rows = BallotRows(source, candidates, undeclared_write_in_label=undeclared_write_in_label)
    headings: list[str] | None = None
    codes: dict[int, int] = {}  # column -> candidate code, resolved when first ranked
    records = _records(source)
    total = source.data.count(b"\n") + 1
    for number, (line, cells) in enumerate(records, start=1):
        if headings is None:
            headings = [cell.strip() for cell in cells[start:]]
            for column, heading in enumerate(headings, start=start + 1):
                if not heading:
                    raise source.error(line, f"the header names no candidate in column {column}")
            continue
        if number < first_row:
            continue
        if line % PROGRESS_EVERY == 0:
            source.report(line, total, "lines")
        if len(cells) - start > len(headings):
            raise source.error(line, f"row has {len(cells)} cells, more than the header's {start + len(headings)}")
        marks = []
        for column in range(start, len(cells)):
            text = cells[column].strip()
            if not text:
                continue
            try:
                rank = int(text)
            except ValueError:
                raise source.error(line, f"column {column + 1} holds {excerpt(text)}, not a rank number") from None
            if max_rankings is not None and rank > max_rankings:
                raise source.error(
                    line,
                    f"column {column + 1} ranks {headings[column - start]!r} {rank}; the contest allows {max_rankings} rankings",
                )
            code = codes.get(column)
            if code is None:
                heading = headings[column - start]
                code = codes[column] = rows.candidate(heading, f"column {column + 1} (ranked on this row)", line)
            marks.append((rank, code))
        rows.add(
            marks,
            line=line,
            precinct=(_cell(cells, precinct_column) or NO_PRECINCT) if precinct_column else None,
            batch=(_cell(cells, batch_column) or NO_BATCH) if batch_column else None,
        )
    if headings is None:
        raise source.error(None, "no header row naming the candidates")
    source.report(total, total, "lines")
    return rows.ballots()


def _records(source: Source) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every record; empty lines are no records, a row of empty cells is."""
    reader = csv.reader(io.StringIO(source.text(), newline=""), strict=True)
    out = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as error:
            raise source.error(line, f"unreadable row from this line on: {error} (a quote left open?)") from None
        if len(cells) > MAX_COLUMNS:
            raise source.error(line, f"row has {len(cells)} columns; the limit is {MAX_COLUMNS}")
        if cells:
            out.append((line, cells))
        line = reader.line_num + 1


def _cell(cells: list[str], column: int) -> str:
    return cells[column - 1].strip() if column - 1 < len(cells) else ""
