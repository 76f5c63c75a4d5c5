"""PrefLib ``.soi``/``.toi``/``.soc``/``.toc`` files: strict or tied orders.

Header lines start with ``#`` (``# ALTERNATIVE NAME 3: Ann``). Each data line is
``count: a,b,c``; alternatives in braces share a rank: ``3: 1,{2,4},3``.
"""

from __future__ import annotations

import re

import numpy as np

from frombelow.tally.ballots import Ballots, overvote_code, pad_rows
from frombelow.tally.formats.source import Source

NAME = "preflib"
SUFFIXES = (".soi", ".toi", ".soc", ".toc")
MAX_ALTERNATIVES = 10_000
MAX_COUNT = 10**12

_NAME_LINE = re.compile(r"#\s*ALTERNATIVE NAME\s+(\d+)\s*:\s?(.*)$")
_NUMBER = re.compile(r"#\s*NUMBER ALTERNATIVES\s*:\s*(\d+)\s*$")
_DATA = re.compile(r"\s*(\d+)\s*:\s*(.*)$")


def sniff(head: str) -> bool:
    return "# ALTERNATIVE NAME" in head or "# NUMBER ALTERNATIVES" in head or "# DATA TYPE" in head


def read(source: Source) -> Ballots:
    text = source.text()
    names: dict[int, str] = {}
    declared: int | None = None
    title = ""
    rows: list[list[int]] = []
    weights: list[int] = []
    groups: dict[frozenset[int], int] = {}
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if number % 100_000 == 0:
            source.report(number, len(lines), "lines")
        if not line.strip():
            continue
        if line.startswith("#"):
            if m := _NAME_LINE.match(line):
                names[int(m.group(1))] = m.group(2).strip()
            elif m := _NUMBER.match(line):
                declared = int(m.group(1))
                if not 0 < declared <= MAX_ALTERNATIVES:
                    raise source.error(number, f"number of alternatives must be between 1 and {MAX_ALTERNATIVES}")
            elif line.startswith("# TITLE:"):
                title = line.split(":", 1)[1].strip()
            continue
        if declared is None:
            raise source.error(number, "data before the header: '# NUMBER ALTERNATIVES: n' must come first")
        m = _DATA.match(line)
        if not m:
            raise source.error(number, f"expected 'count: preferences', found {line.strip()[:60]!r}")
        count = int(m.group(1))
        if count > MAX_COUNT:
            raise source.error(number, f"count {count} is implausibly large")
        rows.append(_order(source, number, m.group(2), declared, groups))
        weights.append(count)
    if declared is None:
        raise source.error(1, "no '# NUMBER ALTERNATIVES: n' header: not a PrefLib file")
    missing = [i for i in range(1, declared + 1) if i not in names]
    if missing:
        raise source.error(None, f"no '# ALTERNATIVE NAME {missing[0]}: …' line for alternative {missing[0]}")
    extra = [i for i in names if not 1 <= i <= declared]
    if extra:
        raise source.error(None, f"alternative {extra[0]} is named but only {declared} are declared")
    if not rows or sum(weights) == 0:
        raise source.error(len(lines), "the file holds no ballots")
    candidates = tuple(names[i] for i in range(1, declared + 1))
    return Ballots(
        candidates,
        pad_rows(rows),
        np.array(weights, dtype=np.int64),
        overvotes=tuple(sorted(groups, key=groups.__getitem__)),
        title=title,
    )


def _order(source: Source, number: int, body: str, declared: int, groups: dict[frozenset[int], int]) -> list[int]:
    row: list[int] = []
    seen: set[int] = set()
    for part in re.findall(r"\{[^}]*\}|[^,{}\s]+", body):
        if part.startswith("{"):
            members = frozenset(_alternative(source, number, t, declared) for t in part[1:-1].split(",") if t.strip())
        else:
            members = frozenset((_alternative(source, number, part, declared),))
        if members & seen:
            raise source.error(number, f"alternative {min(members & seen) + 1} is ranked twice")
        seen |= members
        if len(members) == 1:
            row.append(next(iter(members)))
        elif members:
            row.append(overvote_code(groups.setdefault(members, len(groups))))
    if re.sub(r"\{[^}]*\}|[^,{}\s]+|[,\s]", "", body):
        raise source.error(number, f"unbalanced braces in {body.strip()[:60]!r}")
    return row


def _alternative(source: Source, number: int, token: str, declared: int) -> int:
    token = token.strip()
    if not token.isdigit() or not 1 <= int(token) <= declared:
        raise source.error(number, f"{token!r} is not an alternative number between 1 and {declared}")
    return int(token) - 1
