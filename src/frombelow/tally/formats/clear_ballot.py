"""Clear Ballot cast vote records (ClearVote CSV, RCV format 2.1): one ballot per row, one column per (rank, choice).

    RowNumber,BoxID,BoxPosition,BallotID,PrecinctID,BallotStyleID,PrecinctStyleName,ScanComputerName,Status,Remade,Choice_1_1:Mayor:1:Vote For 1:Ann Lee:NON,...
    1,ED-004,1,ED-004+10003,7,10,Precinct,Scanner-1,0,0,1,...

Ten fixed columns, then a column per choice whose heading is
``Choice_<id>:<contest>:<rank>:<vote rule>:<choice name>:<party>`` and whose cells are 1
(marked) or 0. Only the columns of ``contest`` are read (the file's only contest when not
given); names may hold commas inside quotes. The choice named ``undeclared_write_in_label``
is an undeclared write-in; a rank above ``max_rankings`` is an error (RCTab refuses the
file); choices are resolved through ``candidates`` (spellings -> config names) when
given, and one naming no known candidate is an error. Each ballot is tagged with its
``PrecinctID``. Every row is a ballot, marked in the contest or not.
"""

from __future__ import annotations

from collections.abc import Mapping

from frombelow.tally.ballots import Ballots
from frombelow.tally.formats import table
from frombelow.tally.formats.cvr_marks import BallotRows
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "clear-ballot"
SUFFIXES: tuple[str, ...] = ()  # a .csv is found by its header, not its name
FIXED_COLUMNS = ("RowNumber", "BoxID", "BoxPosition", "BallotID", "PrecinctID", "BallotStyleID",
                 "PrecinctStyleName", "ScanComputerName", "Status", "Remade")  # fmt: skip
PRECINCT = FIXED_COLUMNS.index("PrecinctID")
CHOICES_BEGIN = len(FIXED_COLUMNS)
HEADING_FIELDS = 6  # header : contest : rank : vote rule : choice name : party


def sniff(head: str) -> bool:
    return head.replace('"', "").startswith(",".join(FIXED_COLUMNS[:5]))


def read(
    source: Source,
    *,
    candidates: Mapping[str, str] | None = None,
    contest: str | None = None,
    undeclared_write_in_label: str | None = None,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    records = table.rows(source, source.text(), ",")
    try:
        header_line, header = next(records)
    except StopIteration:
        raise source.error(None, "no header row") from None
    if len(header) <= CHOICES_BEGIN:
        raise source.error(
            header_line, f"no choice columns: the header has {len(header)} columns, the first {CHOICES_BEGIN} fixed"
        )
    headings = {}
    for column in range(CHOICES_BEGIN, len(header)):
        fields = header[column].split(":")
        if len(fields) != HEADING_FIELDS:
            raise source.error(
                header_line,
                f"column {column + 1} heading {excerpt(header[column])} has {len(fields)} ':'-separated fields, not {HEADING_FIELDS}",
            )
        headings[column] = fields
    contests = list(dict.fromkeys(fields[1] for fields in headings.values()))
    if contest is None:
        if len(contests) > 1:
            raise source.error(
                header_line, f"the file holds several contests; choose one of {', '.join(map(repr, contests))}"
            )
        contest = contests[0]
    elif contest not in contests:
        raise source.error(
            header_line, f"no contest {contest!r} in the file; it holds {', '.join(map(repr, contests))}"
        )

    rows = BallotRows(source, candidates, undeclared_write_in_label=undeclared_write_in_label)
    choices: list[tuple[int, int, int]] = []  # (column, rank, candidate code) of the contest
    for column, (_, name, rank_text, _, choice, _) in headings.items():
        if name != contest:
            continue
        try:
            rank = int(rank_text)
        except ValueError:
            raise source.error(
                header_line, f"column {column + 1} gives rank {excerpt(rank_text)}, not a number"
            ) from None
        if rank < 1 or (max_rankings is not None and rank > max_rankings):
            allowed = f"1 to {max_rankings}" if max_rankings is not None else "from 1"
            raise source.error(
                header_line, f"column {column + 1} is for rank {rank}; the contest allows ranks {allowed}"
            )
        choices.append((column, rank, rows.candidate(choice, f"column {column + 1} heading", header_line)))

    total = source.data.count(b"\n") + 1
    for line, cells in records:
        if len(cells) < len(header):
            raise source.error(line, f"row has {len(cells)} cells; the header has {len(header)}")
        if line % PROGRESS_EVERY == 0:
            source.report(line, total, "lines")
        marks = []
        for column, rank, code in choices:
            cell = cells[column]
            if cell == "1":
                marks.append((rank, code))
            elif cell not in ("0", ""):
                raise source.error(line, f"column {column + 1} holds {excerpt(cell)}; a choice cell is 1 (marked) or 0")
        rows.add(marks, line=line, precinct=cells[PRECINCT])
    source.report(total, total, "lines")
    return rows.ballots(title=contest)
