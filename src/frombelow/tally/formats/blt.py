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
Lines starting with ``#`` before the header or among the names are comments.

The usual file (whole numbers only, one ballot per line) is parsed in numpy in one
go; anything else, including every malformed file, goes line by line so the error
names the line.
"""

from __future__ import annotations

import re

import numpy as np

from frombelow.tally.ballots import EMPTY, RANK_DTYPE, Ballots, overvote_code, pad_rows
from frombelow.tally.formats.limits import (
    MAX_CANDIDATES,
    MAX_CELLS,
    MAX_NAME,
    MAX_SEATS,
    MAX_TOTAL,
    MAX_WEIGHT,
    max_positions,
)
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "blt"
SUFFIXES = (".blt",)

_HEADER = re.compile(r"\s*(\d+)\s+(\d+)\s*$")
_END = re.compile(r"\n[ \t]*0[ \t\r]*(?:\n|$)")  # the newline before the line "0"; no ^/re.M: 5x faster
_PLAIN_BALLOTS = re.compile(r"[0-9 \n]*")
_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')  # unrolled: linear even on a 10 MB name

Rows = tuple[np.ndarray, np.ndarray, tuple[frozenset[int], ...]]


def sniff(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and bool(_HEADER.match(lines[0])) and (len(lines) < 2 or _looks_like_ballot(lines[1]))


def _looks_like_ballot(line: str) -> bool:
    return bool(re.match(r"\s*(\(\S*\)\s*)?-?\d[\d\s=\-]*$", line))


def read(source: Source) -> Ballots:
    text = source.text()
    lines = _Lines(text)
    number, header_line = lines.next_content(0)
    if header_line is None:
        raise source.error(1, "empty file: expected a first line 'candidates seats'")
    header = _HEADER.match(header_line)
    if not header or len(header.group(1)) > 18 or len(header.group(2)) > 18:
        raise source.error(number, f"expected 'candidates seats' (two whole numbers), found {excerpt(header_line)}")
    candidates, seats = int(header.group(1)), int(header.group(2))
    if not 0 < candidates <= MAX_CANDIDATES:
        raise source.error(number, f"number of candidates must be between 1 and {MAX_CANDIDATES}, not {candidates}")
    if not 0 < seats <= MAX_SEATS:
        raise source.error(number, f"number of seats must be between 1 and {MAX_SEATS}, not {seats}")
    if seats > candidates:
        raise source.error(number, f"{seats} seats but only {candidates} candidates")

    withdrawn: set[int] = set()
    number += 1
    while (line := lines.line(number)) is not None and line.strip().startswith("-"):
        if not re.fullmatch(r"(\s*-\d+)+\s*", line):
            raise source.error(
                number, "expected withdrawn candidates (-1 -3) or a ballot; a ballot's weight cannot be negative"
            )
        for token in line.split():
            value = _integer(source, number, token, "withdrawn candidate")
            if not -candidates <= value < 0:
                raise source.error(number, f"withdrawn candidate {token} is not between -1 and -{candidates}")
            withdrawn.add(-value - 1)
        number += 1

    start = lines.offset(number)
    found = _END.search(text, start - 1)
    if found is None:
        raise source.error(
            lines.count,
            "ballots never end: expected a line holding only 0 after the last ballot (is the file cut short?)",
        )
    block = text[start : found.start() + 1]
    end = number + block.count("\n")  # line number of the closing "0"
    ballots = _read_plain(source, block, candidates)
    if ballots is None:
        ballots = _read_general(source, block.splitlines(), number, candidates)
    ranks, weights, overvotes = ballots

    names, title = _names(source, text[found.start() + 1 :].splitlines()[1:], end + 1, candidates)
    if len(weights) == 0 or not weights.any():
        raise source.error(end, "the file holds no ballots (the ballots section is empty)")
    return Ballots(
        tuple(names),
        ranks,
        weights,
        overvotes=overvotes,
        withdrawn=frozenset(withdrawn),
        seats=seats,
        title=title,
    )


class _Lines:
    """Random access to a text's lines by 1-based number, without splitting a large file twice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]  # found lazily: only the header, the names and the title need them
        self.count = text.count("\n") + (0 if text.endswith("\n") else 1)

    def offset(self, number: int) -> int:
        while len(self.starts) < number:
            at = self.text.find("\n", self.starts[-1])
            self.starts.append(len(self.text) if at < 0 else at + 1)
        return self.starts[number - 1]

    def line(self, number: int) -> str | None:
        if number > self.count:
            return None
        begin = self.offset(number)
        stop = self.text.find("\n", begin)
        return self.text[begin : len(self.text) if stop < 0 else stop]

    def next_content(self, after: int) -> tuple[int, str | None]:
        """The first line after ``after`` that is neither blank nor a comment."""
        number = after + 1
        while (line := self.line(number)) is not None:
            if line.strip() and not line.lstrip().startswith("#"):
                return number, line
            number += 1
        return number, None


def _read_plain(source: Source, block: str, candidates: int) -> Rows | None:
    """Fast path for the usual file: whole numbers only, one ballot per line, each closed by 0."""
    if "\r" in block:
        block = block.replace("\r\n", "\n")
    if not _PLAIN_BALLOTS.fullmatch(block) or "\n\n" in block or " \n" in block:
        return None
    if block.startswith("\n") or (block and not block.endswith("\n")):
        return None
    raw = np.frombuffer(block.encode("ascii"), dtype=np.uint8)
    newlines = np.flatnonzero(raw == ord("\n"))
    count = len(newlines)
    if count == 0:
        return np.full((0, 1), EMPTY, dtype=RANK_DTYPE), np.zeros(0, dtype=np.int64), ()
    # Every line must end in a separate "0": then, with as many zeros as lines, that 0 is its only one.
    if newlines[0] < 2 or not (raw[newlines - 1] == ord("0")).all() or not (raw[newlines - 2] == ord(" ")).all():
        return None
    # Whitespace-separated, parsed in C; a number past int64 saturates, so the bounds below catch it.
    tokens = np.fromstring(block, dtype=np.int64, sep=" ")
    zero = tokens == 0
    if int(zero.sum()) != count:
        return None  # a 0 weight or a 0 inside a line: let the careful path look
    ends = np.flatnonzero(zero)
    starts = np.empty(count, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts - 1
    if (lengths < 0).any():
        return None
    weights = tokens[starts]
    depth = max(int(lengths.max()), 1)
    if (weights > MAX_WEIGHT).any() or depth > max_positions(candidates) or count * depth > MAX_CELLS:
        return None
    # No preference beyond the candidates: only weights may be that large.
    if int(np.count_nonzero(tokens > candidates)) != int(np.count_nonzero(weights > candidates)):
        return None
    # Lay each line out as one row of width depth + 2: weight, preferences, its 0, padding 0s.
    # Preferences minus 1 are the candidate indices and the 0s become EMPTY (-1); the weight
    # column is dropped. 32-bit indexes where they fit: half the memory traffic.
    width = depth + 2
    index = np.int32 if count * width < 1 << 31 else np.int64
    position = np.cumsum(zero, dtype=index)  # becomes: the line each token sits on ...
    position -= zero
    position = (np.arange(count, dtype=index) * width - starts.astype(index))[position]
    position += np.arange(len(tokens), dtype=index)  # ... then: where the token goes
    laid_out = np.zeros(count * width, dtype=RANK_DTYPE)
    laid_out[position] = tokens  # weights may wrap in 32 bits; their column is dropped below
    ranks = laid_out.reshape(count, width)[:, 1 : depth + 1] - 1
    _check_total(source, weights, None)
    source.report(count, count)
    return ranks, weights, ()


def _read_general(source: Source, lines: list[str], first: int, candidates: int) -> Rows:
    """Every BLT feature, line by line, with errors that name the line."""
    rows: list[list[int]] = []
    weights: list[int] = []
    groups: dict[frozenset[int], int] = {}
    longest = max_positions(candidates)
    total = len(lines)
    for index, raw in enumerate(lines):
        number = first + index
        if index % PROGRESS_EVERY == 0:
            source.report(index, total)
        line = raw.strip()
        if not line:
            continue
        if line.startswith("("):
            closing = line.find(")")
            if closing < 0:
                raise source.error(number, "ballot id opened with '(' is never closed")
            line = line[closing + 1 :].strip()
        tokens = line.split()
        if not tokens:
            raise source.error(number, "ballot has an id but no weight")
        weight = _integer(source, number, tokens[0], "weight")
        if not 0 <= weight <= MAX_WEIGHT:
            raise source.error(number, f"weight {tokens[0]} is not between 0 and {MAX_WEIGHT}")
        if tokens[-1] != "0" or len(tokens) < 2:
            raise source.error(number, "ballot does not end with 0")
        if "0" in tokens[1:-1]:
            raise source.error(number, "0 in the middle of a ballot: each ballot line ends at its first 0")
        if len(tokens) - 2 > longest:
            raise source.error(
                number, f"ballot has {len(tokens) - 2} rank positions; with {candidates} candidates at most {longest}"
            )
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
    depth = max((len(r) for r in rows), default=0)
    if len(rows) * depth > MAX_CELLS:
        raise source.error(None, f"{len(rows)} ballots of up to {depth} ranks are too many to hold in memory")
    counts = np.array(weights, dtype=np.int64)
    _check_total(source, counts, None)
    overvotes = tuple(sorted(groups, key=groups.__getitem__))
    return pad_rows(rows), counts, overvotes


def _check_total(source: Source, weights: np.ndarray, line: int | None) -> None:
    # Each weight is at most MAX_WEIGHT; exact Python ints only when int64 could overflow.
    if len(weights) and len(weights) * int(weights.max()) >= 1 << 62:
        total = sum(int(w) for w in weights)
    else:
        total = int(weights.sum())
    if total > MAX_TOTAL:
        raise source.error(line, f"the weights add up to {total} voters; the limit is {MAX_TOTAL}")


def _preference(source: Source, number: int, token: str, candidates: int) -> int:
    value = _integer(source, number, token, "preference")
    if not 1 <= value <= candidates:
        raise source.error(number, f"preference {value} is not a candidate number between 1 and {candidates}")
    return value - 1


def _integer(source: Source, number: int, token: str, what: str) -> int:
    if not re.fullmatch(r"-?\d+", token):
        raise source.error(number, f"{what} {excerpt(token, 20)} is not a whole number")
    if len(token) > 18:
        raise source.error(number, f"{what} {excerpt(token, 20)} is far too large")
    return int(token)


def _names(source: Source, lines: list[str], first: int, candidates: int) -> tuple[list[str], str]:
    names: list[str] = []
    where: dict[str, int] = {}
    title = ""
    for number, raw in enumerate(lines, start=first):
        line = raw.strip()
        if line and not line.startswith("#"):
            quoted = _QUOTED.findall(line)
            if not quoted and '"' in line:
                raise source.error(number, f"unbalanced quotes in {excerpt(line)}")
            values = [q.replace('\\"', '"').strip() for q in quoted] if quoted else [line]
            for value in values:
                if len(value) > MAX_NAME:
                    raise source.error(number, f"name is {len(value)} characters long; the limit is {MAX_NAME}")
                if len(names) < candidates:
                    if not value:
                        raise source.error(number, f"candidate {len(names) + 1} has an empty name")
                    if value in where:
                        raise source.error(
                            number, f"candidate name {value!r} is given twice (also on line {where[value]})"
                        )
                    where[value] = number
                    names.append(value)
                elif not title:
                    title = value
                else:
                    raise source.error(number, f"unexpected text after the title: {excerpt(value)}")
    if len(names) < candidates:
        raise source.error(
            first - 1 + len(lines),
            f"the header announces {candidates} candidates but {len(names)} names follow the ballots",
        )
    return names, title
