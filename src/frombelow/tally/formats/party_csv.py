"""Votes per party as CSV: one ``party,votes`` row per party, for the party-list methods.

::

    party,votes          optional header; "name", "list" or "candidate" and "count" also do
    Labour,12034
    "Greens, The",4410   quotes keep a comma in a name
    Independent,"1,250"  thousands separators are allowed in quoted numbers

Semicolons or tabs may separate the columns instead of commas.
"""

from __future__ import annotations

import re

from frombelow.tally.ballots import PartyVotes
from frombelow.tally.formats import table
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_NAME, MAX_TOTAL
from frombelow.tally.formats.source import Source, excerpt

NAME = "party-csv"
SUFFIXES = (".csv", ".tsv", ".txt")

NAME_HEADINGS = {"party", "parties", "name", "list", "candidate"}
VOTES_HEADINGS = {"votes", "vote", "count", "total"}
_VOTES = re.compile("\\d{1,15}|\\d{1,3}(?:[, \u00a0\u202f]\\d{3}){1,4}")  # 1234, 1,234 or 1 234 (no-break spaces too)


def sniff(head: str) -> bool:
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) > 2 and not head.endswith("\n"):
        lines.pop()  # the head may cut the last line short
    rows = [_cells(line) for line in lines[:20]]
    if rows and _is_header(rows[0]):
        return True
    return bool(rows) and all(
        len(row) == 2 and row[0] and not _VOTES.fullmatch(row[0]) and _VOTES.fullmatch(row[1]) for row in rows
    )


def _cells(line: str) -> list[str]:
    sep = table.separator(line)
    cells = [cell.strip().strip('"').strip() for cell in re.split(sep + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', line)]
    while len(cells) > 2 and not cells[-1]:
        cells.pop()
    return cells


def _is_header(cells: list[str]) -> bool:
    return len(cells) == 2 and cells[0].lower() in NAME_HEADINGS and cells[1].lower() in VOTES_HEADINGS


def read(source: Source) -> PartyVotes:
    text = source.text()
    sep = table.separator(table.first_line(text))
    parties: list[str] = []
    votes: list[int] = []
    where: dict[str, int] = {}
    first = True
    for number, cells in table.rows(source, text, sep):
        while len(cells) > 2 and not cells[-1]:
            cells.pop()
        if first:
            first = False
            if _is_header(cells):
                continue
            if len(cells) == 2 and not re.search(r"\d", cells[1]):
                raise source.error(
                    number, f"expected a header 'party,votes' or a first row of votes, found {excerpt(sep.join(cells))}"
                )
        if len(cells) != 2:
            raise source.error(
                number, f"expected two columns, party and votes, found {len(cells)}: {excerpt(sep.join(cells))}"
            )
        name, count = cells
        if not name:
            raise source.error(number, "the party's name is missing")
        if len(name) > MAX_NAME:
            raise source.error(number, f"name is {len(name)} characters long; the limit is {MAX_NAME}")
        if name in where:
            raise source.error(number, f"party {name!r} is listed twice (also on line {where[name]})")
        if not _VOTES.fullmatch(count):
            problem = "negative" if count.startswith("-") else "not a whole number of votes"
            raise source.error(number, f"votes {excerpt(count, 20)} for {name!r}: {problem}")
        where[name] = number
        parties.append(name)
        votes.append(int(re.sub(r"\D", "", count)))
        if len(parties) > MAX_CANDIDATES:
            raise source.error(number, f"more than {MAX_CANDIDATES} parties")
    if not parties:
        raise source.error(None, "the file lists no parties")
    if sum(votes) > MAX_TOTAL:
        raise source.error(None, f"the votes add up to {sum(votes)}; the limit is {MAX_TOTAL}")
    return PartyVotes(tuple(parties), tuple(votes))
