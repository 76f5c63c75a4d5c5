"""PrefLib ``.soi``/``.toi``/``.soc``/``.toc`` files: strict or tied orders.

Header lines start with ``#`` (``# ALTERNATIVE NAME 3: Ann``). Each data line is
``count: a,b,c``; alternatives in braces share a rank: ``3: 1,{2,4},3``.

The header's totals are checked, not trusted: ``# NUMBER VOTERS`` must equal the sum of
the counts and ``# NUMBER UNIQUE ORDERS`` the number of data lines, else the file is
refused with the header line named (a mismatch means a cut or edited file).
"""

from __future__ import annotations

import re

import numpy as np

from frombelow.tally.ballots import Ballots, overvote_code, pad_rows
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_TOTAL, MAX_WEIGHT
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "preflib"
SUFFIXES = (".soi", ".toi", ".soc", ".toc")

_NAME_LINE = re.compile(r"#\s*ALTERNATIVE NAME\s+(\d+)\s*:\s?(.*)$")
_DECLARED = re.compile(r"#\s*(NUMBER ALTERNATIVES|NUMBER VOTERS|NUMBER UNIQUE ORDERS)\s*:\s*(.*?)\s*$")
_DATA = re.compile(r"\s*(\d+)\s*:\s*(.*)$")
_MARK = re.compile(r"\{[^{}]*\}|[^,{}\s]+")


def sniff(head: str) -> bool:
    return "# ALTERNATIVE NAME" in head or "# NUMBER ALTERNATIVES" in head or "# DATA TYPE" in head


def read(source: Source) -> Ballots:
    lines = source.text().splitlines()
    names: dict[int, str] = {}
    name_lines: dict[str, int] = {}
    declared: dict[str, tuple[int, int]] = {}  # header field -> (value, line)
    title = ""
    rows: list[list[int]] = []
    weights: list[int] = []
    groups: dict[frozenset[int], int] = {}
    alternatives = 0
    for number, line in enumerate(lines, start=1):
        if number % PROGRESS_EVERY == 0:
            source.report(number, len(lines), "lines")
        if not line.strip():
            continue
        if line.startswith("#"):
            if m := _NAME_LINE.match(line):
                _name(source, number, m, names, name_lines)
            elif m := _DECLARED.match(line):
                if not re.fullmatch(r"\d{1,18}", m.group(2)):
                    raise source.error(number, f"{m.group(1)} must be a whole number, not {excerpt(m.group(2), 20)}")
                if m.group(1) in declared:
                    raise source.error(number, f"{m.group(1)} is given twice (also on line {declared[m.group(1)][1]})")
                declared[m.group(1)] = (int(m.group(2)), number)
                if m.group(1) == "NUMBER ALTERNATIVES":
                    alternatives = int(m.group(2))
                    if not 0 < alternatives <= MAX_CANDIDATES:
                        raise source.error(
                            number, f"number of alternatives must be between 1 and {MAX_CANDIDATES}, not {alternatives}"
                        )
            elif line.startswith("# TITLE:"):
                title = line.split(":", 1)[1].strip()[:MAX_NAME]
            continue
        if not alternatives:
            raise source.error(number, "data before the header: '# NUMBER ALTERNATIVES: n' must come first")
        m = _DATA.match(line)
        if not m:
            raise source.error(number, f"expected 'count: preferences', found {excerpt(line)}")
        if len(m.group(1)) > 18 or int(m.group(1)) > MAX_WEIGHT:
            raise source.error(number, f"count {excerpt(m.group(1), 20)} is larger than {MAX_WEIGHT}")
        rows.append(_order(source, number, m.group(2), alternatives, groups))
        weights.append(int(m.group(1)))
    if not alternatives:
        raise source.error(1, "no '# NUMBER ALTERNATIVES: n' header: not a PrefLib file")
    _check_names(source, names, alternatives, declared["NUMBER ALTERNATIVES"][1])
    total = sum(weights)
    if total > MAX_TOTAL:
        raise source.error(None, f"the counts add up to {total} voters; the limit is {MAX_TOTAL}")
    _check_declared(source, declared, "NUMBER VOTERS", total, "voters", "the counts add up to")
    _check_declared(source, declared, "NUMBER UNIQUE ORDERS", len(rows), "orders", "there are data lines for")
    if not rows or total == 0:
        raise source.error(len(lines), "the file holds no ballots")
    depth = max(len(r) for r in rows)
    if len(rows) * depth > MAX_CELLS:
        raise source.error(None, f"{len(rows)} orders of up to {depth} ranks are too many to hold in memory")
    source.report(len(lines), len(lines), "lines")
    return Ballots(
        tuple(names[i] for i in range(1, alternatives + 1)),
        pad_rows(rows),
        np.array(weights, dtype=np.int64),
        overvotes=tuple(sorted(groups, key=groups.__getitem__)),
        title=title,
    )


def _name(source: Source, number: int, m: re.Match[str], names: dict[int, str], name_lines: dict[str, int]) -> None:
    if len(m.group(1)) > 9:
        raise source.error(number, f"alternative number {excerpt(m.group(1), 20)} is far too large")
    index, name = int(m.group(1)), m.group(2).strip()
    if not name:
        raise source.error(number, f"alternative {index} has an empty name")
    if len(name) > MAX_NAME:
        raise source.error(number, f"name is {len(name)} characters long; the limit is {MAX_NAME}")
    if index in names:
        raise source.error(number, f"alternative {index} is named twice")
    if name in name_lines:
        raise source.error(number, f"name {name!r} is given to two alternatives (also on line {name_lines[name]})")
    names[index] = name
    name_lines[name] = number


def _check_names(source: Source, names: dict[int, str], alternatives: int, line: int) -> None:
    missing = [i for i in range(1, alternatives + 1) if i not in names]
    if missing:
        raise source.error(line, f"no '# ALTERNATIVE NAME {missing[0]}: …' line for alternative {missing[0]}")
    extra = [i for i in names if not 1 <= i <= alternatives]
    if extra:
        raise source.error(line, f"alternative {extra[0]} is named but only {alternatives} are declared")


def _check_declared(
    source: Source, declared: dict[str, tuple[int, int]], field: str, actual: int, what: str, found: str
) -> None:
    if field in declared and declared[field][0] != actual:
        value, line = declared[field]
        raise source.error(line, f"the header declares {value} {what}, but {found} {actual}")


def _order(source: Source, number: int, body: str, alternatives: int, groups: dict[frozenset[int], int]) -> list[int]:
    if "{" not in body and "}" not in body:  # the usual strict order, quickly; any doubt goes the careful way
        try:
            row = [int(token) - 1 for token in body.split(",")]
        except ValueError:
            row = []
        if row and len(set(row)) == len(row) and 0 <= min(row) and max(row) < alternatives:
            return row
    if re.sub(r"\{[^{}]*\}|[^,{}\s]+|[,\s]", "", body):
        raise source.error(number, f"unbalanced braces in {excerpt(body)}")
    row: list[int] = []
    seen: set[int] = set()
    for part in _MARK.findall(body):
        if part.startswith("{"):
            tokens = [t for t in part[1:-1].split(",") if t.strip()]
            members = frozenset(_alternative(source, number, t, alternatives) for t in tokens)
            if len(members) < len(tokens):
                raise source.error(number, f"an alternative appears twice in {excerpt(part)}")
        else:
            members = frozenset((_alternative(source, number, part, alternatives),))
        if members & seen:
            raise source.error(number, f"alternative {min(members & seen) + 1} is ranked twice")
        seen |= members
        if len(members) == 1:
            row.append(next(iter(members)))
        elif members:
            row.append(overvote_code(groups.setdefault(members, len(groups))))
    return row


def _alternative(source: Source, number: int, token: str, alternatives: int) -> int:
    token = token.strip()
    if not (token.isascii() and token.isdigit()) or len(token) > 9 or not 1 <= int(token) <= alternatives:
        raise source.error(number, f"{excerpt(token, 20)} is not an alternative number between 1 and {alternatives}")
    return int(token) - 1
