"""ES&S cast vote records: an Excel workbook (.xlsx), one ballot per row, one column per rank.

    Cast Vote Record | Precinct   | Choice 1 | Choice 2  | Choice 3
    1                | W-1 P-02   | Hodges   | overvote  | undervote
    2                | W-1 P-04   | Frey     | UWI       |

The first sheet is read from ``first_vote_row`` (1-based, default 2: below the header);
the ranks are the ``max_rankings`` columns from ``first_vote_column`` (default: the
first column whose heading mentions a choice or rank, else column 2; without
``max_rankings``, the run of such headings, else every column to the row's end).
Cells name candidates (or a code or alias the ``candidates`` mapping knows), or hold
one of the labels given: ``overvote_label`` (an overvote whose names are not recorded),
``skipped_rank_label`` (nothing marked at that rank) or ``undeclared_write_in_label`` (with
this label, "Undeclared Write-ins" is a candidate, last, even if nobody marks it).
``overvote_delimiter`` splits a cell naming several candidates at one rank. An empty
cell is a skipped rank, or an undeclared write-in with
``treat_blank_as_undeclared_write_in``. Optional ``precinct_column``/``batch_column``
tag each ballot (``missing_precinct_id``/``missing_batch_id`` where the cell is empty);
``id_column`` must then be filled on every row. Every row the sheet holds from
``first_vote_row`` on is a ballot, even an empty one (an undervote), as RCTab counts
them; rows absent from the sheet are not. These are RCTab's rules for the format.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Mapping, Sequence

from frombelow.tally.ballots import Ballots
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.cvr_marks import WRITE_IN, BallotRows
from frombelow.tally.formats.source import PROGRESS_EVERY, Source

NAME = "ess"
SUFFIXES = (".xlsx",)
MISSING_PRECINCT = "missing_precinct_id"  # RCTab's label for a ballot without a precinct
MISSING_BATCH = "missing_batch_id"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_RANK_HEADING = re.compile(r"choice|rank|preference", re.IGNORECASE)


def sniff(head: str) -> bool:
    return head.startswith(_ZIP.decode())


def read(
    source: Source,
    *,
    candidates: Mapping[str, str] | None = None,
    first_vote_column: int | None = None,
    first_vote_row: int | None = None,
    id_column: int | None = None,
    precinct_column: int | None = None,
    batch_column: int | None = None,
    overvote_label: str | None = None,
    skipped_rank_label: str | None = None,
    undeclared_write_in_label: str | None = None,
    overvote_delimiter: str | None = None,
    treat_blank_as_undeclared_write_in: bool = False,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    if candidates is None and overvote_label is None and skipped_rank_label is None:
        # Read without a config: ES&S's own export labels, so they are not taken for candidates.
        overvote_label, skipped_rank_label = "overvote", "undervote"
    if source.data.startswith(_OLE):
        raise source.error(None, "an old Excel .xls workbook; ES&S records are read from .xlsx: save it as .xlsx")
    if not source.data.startswith(_ZIP):
        raise source.error(None, "not an Excel .xlsx workbook (ES&S cast vote records are .xlsx files)")
    import openpyxl  # only this format needs it

    rows = BallotRows(
        source, candidates, undeclared_write_in_label=undeclared_write_in_label, overvote_label=overvote_label
    )
    layout = _Layout(
        first_vote_column, first_vote_row or 2, max_rankings, skipped_rank_label or None, overvote_delimiter or None
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about workbook features it drops; they hold no votes
            workbook = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                total = sheet.max_row or 0
                sheet.reset_dimensions()  # a stale <dimension> must not cut rows or columns off
                _read_rows(source, sheet.iter_rows(values_only=True), rows, layout, id_column, precinct_column,
                           batch_column, treat_blank_as_undeclared_write_in, total)  # fmt: skip
            finally:
                workbook.close()
    except BallotFileError:
        raise
    except Exception as error:  # noqa: BLE001 - zip, XML and openpyxl failures all mean a broken workbook
        raise source.error(None, f"not a readable Excel workbook: {_reason(error)}") from None
    return rows.ballots()


class _Layout:
    """Where the ranks are and how cells are spelled; decided from the options and the header."""

    def __init__(
        self,
        first_column: int | None,
        first_row: int,
        max_rankings: int | None,
        skipped: str | None,
        delimiter: str | None,
    ) -> None:
        self.first_column = first_column
        self.first_row = first_row
        self.max_rankings = max_rankings
        self.skipped = skipped
        self.delimiter = delimiter
        self.start = 0
        self.end: int | None = None  # one past the last rank column, or None: to the row's end

    def settle(self, header: Sequence[object] | None) -> None:
        headings = [_text(cell) for cell in header or ()]
        if self.first_column is not None:
            self.start = self.first_column - 1
        else:
            self.start = next((i for i, h in enumerate(headings) if _RANK_HEADING.search(h)), 1)
        if self.max_rankings is not None:
            self.end = self.start + self.max_rankings
        elif self.start < len(headings) and _RANK_HEADING.search(headings[self.start]):
            end = self.start
            while end < len(headings) and _RANK_HEADING.search(headings[end]):
                end += 1
            self.end = end


def _read_rows(
    source: Source,
    values: object,
    rows: BallotRows,
    layout: _Layout,
    id_column: int | None,
    precinct_column: int | None,
    batch_column: int | None,
    blank_is_write_in: bool,
    total: int,
) -> None:
    from openpyxl.utils import get_column_letter

    codes: dict[str, list[int]] = {}  # a cell's text -> the codes it marks; cells repeat a lot
    header: Sequence[object] | None = None
    settled = False
    for number, row in enumerate(values, start=1):  # type: ignore[arg-type]
        if number < layout.first_row:
            header = row
            continue
        if not settled:
            layout.settle(header)
            settled = True
        if number % PROGRESS_EVERY == 0:
            source.report(number, total)
        if isinstance(row, list):
            continue  # a row missing from the sheet is no ballot (openpyxl fills gaps with a list, rows read are tuples)
        start = layout.start
        end = layout.end if layout.end is not None else max(len(row), start)
        marks: list[tuple[int, int]] = []
        for column in range(start, end):
            cell = row[column] if column < len(row) else None
            text = _text(cell).strip() if cell is not None else ""
            if not text:
                if blank_is_write_in:
                    marks.append((column - start + 1, WRITE_IN))
                continue
            marked = codes.get(text)
            if marked is None:
                where = f"cell {get_column_letter(column + 1)}{number}"
                marked = codes[text] = _cell_marks(source, rows, layout, text, number, where)
            marks.extend((column - start + 1, code) for code in marked)
        if id_column and not _label(row, id_column):
            raise source.error(
                number, f"the ballot id (column {get_column_letter(id_column)}) is missing; every row needs one"
            )
        rows.add(
            marks,
            line=number,
            precinct=(_label(row, precinct_column) or MISSING_PRECINCT) if precinct_column else None,
            batch=(_label(row, batch_column) or MISSING_BATCH) if batch_column else None,
        )
    source.report(total, total)


def _cell_marks(source: Source, rows: BallotRows, layout: _Layout, text: str, line: int, where: str) -> list[int]:
    """The codes a cell marks at its rank (none for a skipped rank)."""
    parts = [part.strip() for part in text.split(layout.delimiter)] if layout.delimiter else [text]
    if len(parts) > 1 and any(not part or part == layout.skipped for part in parts):
        raise source.error(
            line, f"{where} lists several candidates split by {layout.delimiter!r}, one of them blank or skipped"
        )
    return [rows.candidate(part, where, line) for part in parts if part != layout.skipped]


def _reason(error: BaseException) -> str:
    """The root cause, on one line: openpyxl wraps the XML parser's error in a general one."""
    while error.__cause__ is not None or error.__context__ is not None:
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    text = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
    first = (text.strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first if len(first) <= 120 else first[:120] + '…'}"


def _label(row: Sequence[object], column: int) -> str:
    cell = row[column - 1] if column - 1 < len(row) else None
    return _text(cell) if cell is not None else ""


def _text(cell: object) -> str:
    """A cell as Excel shows it: whole numbers without a decimal point."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell)
