"""Delimited text (CSV, semicolon- or tab-separated) as rows of cells with their line numbers.

Shared by the CSV readers: it guesses the separator from the first line, keeps quoted
fields whole, and turns every csv-module failure into an error that names the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from frombelow.tally.formats.limits import MAX_COLUMNS
from frombelow.tally.formats.source import Source

SEPARATORS = (",", ";", "\t")


def separator(first_line: str) -> str:
    """The separator that occurs most outside quotes on the first line; a comma when none does."""
    unquoted = first_line.split('"')[::2]
    counts = {sep: sum(part.count(sep) for part in unquoted) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def rows(source: Source, text: str, sep: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped cells) for every row that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Name the line the row starts on: an unclosed quote swallows the lines after it.
            raise source.error(number + 1, f"unreadable row from this line on: {error} (a quote left open?)") from None
        number = reader.line_num
        if len(cells) > MAX_COLUMNS:
            raise source.error(number, f"row has {len(cells)} columns; the limit is {MAX_COLUMNS}")
        cells = [cell.strip() for cell in cells]
        if any(cells):
            yield number, cells
