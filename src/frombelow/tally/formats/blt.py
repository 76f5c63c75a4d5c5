"""BLT, the ballot format of the ERS, OpenSTV and eSTV.

::

    4 2                 candidates, seats
    -2                  optional: withdrawn candidates, as negative numbers
    3 1 2 0             weight, preferences (1-based), a closing 0
    1 3=4 - 2 0         "=" joins equal preferences, "-" skips a rank
    0                   end of ballots
    "Ann" ...           one quoted name per candidate
    "Title"             the election's title

An optional ballot id in parentheses may open a ballot line: ``(17) 1 2 0``.
"""

from __future__ import annotations

import re

import numpy as np

from frombelow.tally.ballots import EMPTY, RANK_DTYPE, Ballots, overvote_code, pad_rows
from frombelow.tally.formats.source import Source

NAME = "blt"
SUFFIXES = (".blt",)
MAX_CANDIDATES = 10_000
MAX_SEATS = 10_000
MAX_WEIGHT = 10**12

_HEADER = re.compile(r"\s*(\d+)\s+(\d+)\s*$")
_PLAIN_BALLOTS = re.compile(rb"[0-9 \t\r\n]*")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def sniff(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and bool(_HEADER.match(lines[0])) and (len(lines) < 2 or _looks_like_ballot(lines[1]))


def _looks_like_ballot(line: str) -> bool:
    return bool(re.match(r"\s*(\(\S*\)\s*)?-?\d[\d\s=\-]*$", line))


def read(source: Source) -> Ballots:
    text = source.text()
    lines = text.splitlines()
    number = 0  # index into lines of the line being read
    while number < len(lines) and not lines[number].strip():
        number += 1
    if number == len(lines):
        raise source.error(1, "empty file: expected a first line 'candidates seats'")
    header = _HEADER.match(lines[number])
    if not header:
        raise source.error(number + 1, f"expected 'candidates seats' (two whole numbers), found {lines[number].strip()!r}")
    candidates, seats = int(header.group(1)), int(header.group(2))
    if not 0 < candidates <= MAX_CANDIDATES:
        raise source.error(number + 1, f"number of candidates must be between 1 and {MAX_CANDIDATES}, not {candidates}")
    if not 0 < seats <= MAX_SEATS:
        raise source.error(number + 1, f"number of seats must be at least 1, not {seats}")
    number += 1

    withdrawn: set[int] = set()
    while number < len(lines) and lines[number].strip().startswith("-"):
        for token in lines[number].split():
            value = _integer(source, number, token, "withdrawn candidate")
            if not -candidates <= value < 0:
                raise source.error(number + 1, f"withdrawn candidate {token} is not between -1 and -{candidates}")
            withdrawn.add(-value - 1)
        number += 1

    start = number
    end = _end_of_ballots(source, lines, start)
    ballots = _read_plain(source, lines, start, end, candidates)
    if ballots is None:
        ballots = _read_general(source, lines, start, end, candidates)
    ranks, weights, overvotes = ballots

    names, title = _names(source, lines, end + 1, candidates)
    if len(weights) == 0 or int(weights.sum()) == 0:
        raise source.error(end + 1, "the file holds no ballots")
    return Ballots(
        tuple(names),
        ranks,
        weights,
        overvotes=overvotes,
        withdrawn=frozenset(withdrawn),
        seats=seats,
        title=title,
    )


def _end_of_ballots(source: Source, lines: list[str], start: int) -> int:
    for number in range(start, len(lines)):
        if lines[number].strip() == "0":
            return number
    raise source.error(len(lines), "ballots never end: expected a line holding only 0 after the last ballot")


def _read_plain(
    source: Source, lines: list[str], start: int, end: int, candidates: int
) -> tuple[np.ndarray, np.ndarray, tuple] | None:
    """Fast path for the usual file: whole numbers only, one ballot per line."""
    block = "\n".join(lines[start:end]).encode()
    if not _PLAIN_BALLOTS.fullmatch(block):
        return None
    count = end - start
    if sum(1 for line in lines[start:end] if not line.strip()):
        return None
    tokens = np.fromstring(block, dtype=np.int64, sep=" ")  # whitespace-separated, parsed in C
    zeros = np.flatnonzero(tokens == 0)
    if len(zeros) != count:
        return None  # a line without its closing 0, or a 0 inside: let the careful path say where
    starts = np.concatenate(([0], zeros[:-1] + 1))
    lengths = zeros - starts - 1
    if (lengths < 0).any():
        return None
    weights = tokens[starts]
    is_preference = tokens != 0
    is_preference[starts] = False
    if (tokens[is_preference] > candidates).any() or (weights > MAX_WEIGHT).any():
        return None
    depth = int(lengths.max()) if len(lengths) else 0
    ranks = np.full((count, max(depth, 1)), EMPTY, dtype=RANK_DTYPE)
    row = np.repeat(np.arange(count), lengths)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    ranks[row, offset] = tokens[np.repeat(starts + 1, lengths) + offset] - 1
    if source.progress:
        source.report(count, count)
    return ranks, weights, ()


def _read_general(
    source: Source, lines: list[str], start: int, end: int, candidates: int
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Every BLT feature, line by line, with errors that name the line."""
    rows: list[list[int]] = []
    weights: list[int] = []
    groups: dict[frozenset[int], int] = {}
    total = end - start
    for number in range(start, end):
        line = lines[number].strip()
        if number % 100_000 == 0:
            source.report(number - start, total)
        if not line:
            continue
        if line.startswith("("):
            closing = line.find(")")
            if closing < 0:
                raise source.error(number + 1, "ballot id opened with '(' is never closed")
            line = line[closing + 1 :].strip()
        tokens = line.split()
        if not tokens:
            raise source.error(number + 1, "ballot has an id but no weight")
        weight = _integer(source, number, tokens[0], "weight")
        if weight < 0 or weight > MAX_WEIGHT:
            raise source.error(number + 1, f"weight {weight} is not between 0 and {MAX_WEIGHT}")
        if tokens[-1] != "0":
            raise source.error(number + 1, "ballot does not end with 0")
        row: list[int] = []
        for token in tokens[1:-1]:
            if token == "-":
                row.append(EMPTY)
                continue
            members = {_preference(source, number, part, candidates) for part in token.split("=")}
            if len(members) == 1:
                row.append(members.pop())
            else:
                row.append(overvote_code(groups.setdefault(frozenset(members), len(groups))))
        rows.append(row)
        weights.append(weight)
    source.report(total, total)
    overvotes = tuple(sorted(groups, key=groups.__getitem__))
    return pad_rows(rows), np.array(weights, dtype=np.int64), overvotes


def _preference(source: Source, number: int, token: str, candidates: int) -> int:
    value = _integer(source, number, token, "preference")
    if not 1 <= value <= candidates:
        raise source.error(number + 1, f"preference {token} is not a candidate number between 1 and {candidates}")
    return value - 1


def _integer(source: Source, number: int, token: str, what: str) -> int:
    if not re.fullmatch(r"-?\d{1,18}", token):
        raise source.error(number + 1, f"{what} {token!r} is not a whole number")
    return int(token)


def _names(source: Source, lines: list[str], start: int, candidates: int) -> tuple[list[str], str]:
    names: list[str] = []
    title = ""
    for number in range(start, len(lines)):
        line = lines[number].strip()
        if not line or line.startswith("#"):
            continue
        quoted = _QUOTED.findall(line)
        values = [q.replace('\\"', '"') for q in quoted] if quoted else [line]
        for value in values:
            if len(names) < candidates:
                names.append(value)
            elif not title:
                title = value
            else:
                raise source.error(number + 1, f"unexpected text after the title: {value!r}")
    if len(names) < candidates:
        raise source.error(
            len(lines), f"the header announces {candidates} candidates but {len(names)} names follow the ballots"
        )
    if len(set(names)) < len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise source.error(None, f"candidate name {twice!r} is given twice")
    return names, title
