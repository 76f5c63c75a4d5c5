"""Reading populations from a CSV file of ``name,population`` rows."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from frombelow.apportion.apportionment import ApportionmentError

# ASCII digits, an optional minus sign (so a negative is reported as such, not as text).
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# Enough for any population (10¹⁸ people) and far below Python's int-parsing limit.
MAX_DIGITS = 18


def read_populations(path: str | Path) -> dict[str, int]:
    """``{name: population}`` from a CSV file, in file order.

    One unit per row: a name, then a whole number (``1,234`` and ``1 234`` digit groups
    and a ``_`` are not accepted; write ``1234``), of at most 18 digits. A first row
    whose population is not a number is a header and is skipped; blank lines are skipped.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ApportionmentError(f"{path}: cannot read ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise ApportionmentError(f"{path}: not UTF-8 text") from None
    out: dict[str, int] = {}
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ApportionmentError(f"{path}, line {line}: expected 'name,population', found {len(row)} fields")
        name, people = row[0].strip(), row[1].strip()
        if not WHOLE_NUMBER.fullmatch(people):
            if line == 1 or not out and _only_blank_before(text, line):
                continue  # a header row
            raise ApportionmentError(f"{path}, line {line}: population {people!r} is not a whole number")
        if not name:
            raise ApportionmentError(f"{path}, line {line}: the name is empty")
        if name in out:
            raise ApportionmentError(f"{path}, line {line}: {name!r} is listed twice")
        digits = len(people.lstrip("-"))
        if digits > MAX_DIGITS:
            raise ApportionmentError(
                f"{path}, line {line}: population of {name!r} has {digits} digits; at most {MAX_DIGITS} are accepted"
            )
        value = int(people)
        if value < 0:
            raise ApportionmentError(f"{path}, line {line}: population of {name!r} is negative ({value})")
        out[name] = value
    if not out:
        raise ApportionmentError(f"{path}: no 'name,population' rows")
    return out


def _only_blank_before(text: str, line: int) -> bool:
    return all(not row.strip() for row in text.splitlines()[: line - 1])
