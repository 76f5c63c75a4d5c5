"""NIST SP 1500-103 Cast Vote Records, Common Data Format: from a report to Ballots.

The report is taken as nested dicts and lists keyed like the JSON rendering
(``CVR``, ``CVRSnapshot``, ``CVRContest``, ``CVRContestSelection``, ``SelectionPosition``,
``Election``/``Contest``/``ContestSelection``/``Candidate``), so the JSON reader hands its
parse over as is and an XML reader only has to build the same shape.

How a record is read (as RCTab reads it, where RCTab says):

* the contest: the one asked for (by ``Name``, as an RCTab config names it, or ``@id``),
  else the first contest whose marks carry a ``Rank``; records without that contest are
  not ballots in it, every record holding it is one (a blank one too);
* the snapshot: the one ``CurrentSnapshotId`` names, unless it is a tabulator's
  ``interpreted`` trace, in which case the last ``modified`` snapshot, else the
  ``original`` (the marks as cast or adjudicated, not a count's bookkeeping);
* the marks: a selection awaiting adjudication (``Status`` ``needs-adjudication``) is
  passed over; its ``Rank``, when the selection carries one, else every
  ``SelectionPosition`` with a ``Rank`` and an indication (``HasIndication`` not ``no``)
  that is not ruled out (``IsAllocable`` not ``no``); several selections at one rank are
  an overvote, a rank with none is skipped, a selection at several ranks is kept at each
  (the count's duplicate rule decides);
* a candidate is named through ``ContestSelection.CandidateIds`` -> ``Candidate.Name``
  (a ticket by all its names, or by the first as RCTab does with a config); a write-in
  selection (``IsWriteIn``) or a position holding a ``CVRWriteIn`` is an undeclared
  write-in;
* the precinct label is the ``Name`` of the ``GpUnit`` the record's ``BallotStyleUnitId``
  names; the batch label is its ``BatchId``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots
from frombelow.tally.formats.cvr_marks import BallotRows
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_NAME, MAX_RANKS
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt


def ballots(
    source: Source,
    report: Any,
    contest: str | None = None,
    *,
    candidates: Mapping[str, str] | None = None,
    undeclared_write_in_label: str | None = None,
    overvote_label: str | None = None,
    max_rankings: int | None = None,
) -> Ballots:
    """The ranked ballots of one contest of a CDF cast vote record report.

    ``candidates`` (every accepted spelling -> the config's name), ``overvote_label``,
    ``undeclared_write_in_label`` and ``max_rankings`` read the report as an RCTab
    config describes it (see ``cvr_marks``).
    """
    if not isinstance(report, dict):
        raise source.error(None, "not a cast vote record report: the top level is not an object")
    records = _list(source, report, "CVR", "the report")
    elections = _list(source, report, "Election", "the report")
    if not elections:
        raise source.error(None, "the report has no Election: candidates cannot be named")
    chosen = _choose_contest(source, elections, records, contest)
    rows = BallotRows(
        source,
        candidates,
        undeclared_write_in_label=undeclared_write_in_label,
        overvote_label=overvote_label,
        max_rankings=max_rankings,
    )
    selections = _selections(source, elections, chosen, first_only=rows.fixed)
    for name in selections.values():
        rows.declare(name)
    units = _units(source, report)
    contest_id = chosen["@id"]
    for at, record in enumerate(records):
        if at % PROGRESS_EVERY == 0:
            source.report(at, len(records), "records")
        found = _marks(source, record, at, contest_id, selections)
        if found is None:
            continue
        where, marks = found
        rows.add(
            ((rank, rows.candidate(name, where)) for rank, name in marks),
            where,
            precinct=_precinct(source, record, units, where),
            batch=_text(record.get("BatchId")),
        )
    if not len(rows):
        raise source.error(None, f"no cast vote record holds contest {_label(chosen)}")
    source.report(len(records), len(records), "records")
    seats = chosen.get("NumberElected")
    if isinstance(seats, str) and seats.isdigit() and len(seats) < 6:
        seats = int(seats)
    return rows.ballots(
        title=str(chosen.get("Name") or chosen["@id"]),
        seats=seats if isinstance(seats, int) and not isinstance(seats, bool) else None,
    )


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, (dict, list)) else str(value)[:MAX_NAME]


def _units(source: Source, report: dict[str, Any]) -> dict[str, str]:
    """GpUnit @id -> its Name (the precinct RCTab labels a ballot with)."""
    units: dict[str, str] = {}
    for unit in _list(source, report, "GpUnit", "the report"):
        if isinstance(unit, dict) and isinstance(unit.get("@id"), str):
            name = unit.get("Name")
            units[unit["@id"]] = str(name) if isinstance(name, (str, int)) else unit["@id"]
    return units


def _precinct(source: Source, record: dict[str, Any], units: dict[str, str], where: str) -> str | None:
    unit = record.get("BallotStyleUnitId")
    if unit is None:
        return None
    if unit not in units:
        raise source.error(None, f"{where}: BallotStyleUnitId {excerpt(str(unit), 40)} names no GpUnit")
    return units[unit][:MAX_NAME]


def _label(contest: dict[str, Any]) -> str:
    return repr(contest.get("Name") or contest.get("@id"))


def _list(source: Source, parent: Any, key: str, where: str) -> list[Any]:
    value = parent.get(key, []) if isinstance(parent, dict) else None
    if not isinstance(value, list):
        raise source.error(None, f"{where}: {key} should be a list")
    return value


def _contests(source: Source, elections: list[Any]) -> Iterator[dict[str, Any]]:
    for e, election in enumerate(elections):
        for c, contest in enumerate(_list(source, election, "Contest", f"Election[{e}]")):
            if not isinstance(contest, dict) or not isinstance(contest.get("@id"), str):
                raise source.error(None, f"Election[{e}].Contest[{c}] has no @id")
            yield contest


def _choose_contest(source: Source, elections: list[Any], records: list[Any], wanted: str | None) -> dict[str, Any]:
    contests = list(_contests(source, elections))
    if not contests:
        raise source.error(None, "the report's Election lists no Contest")
    if wanted is not None:
        # RCTab's contestId is the contest's Name; an @id is accepted too.
        for key in ("Name", "@id"):
            for contest in contests:
                if contest.get(key) == wanted:
                    return contest
        known = ", ".join(repr(c.get("Name") or c["@id"]) for c in contests[:20])
        raise source.error(None, f"no contest {wanted!r} in the report; it has {known}")
    ranked = _ranked_contest_ids(records)
    for contest in contests:
        if contest["@id"] in ranked:
            return contest
    raise source.error(None, "no contest in the report has ranked marks (SelectionPosition with a Rank)")


def _ranked_contest_ids(records: list[Any]) -> set[str]:
    ranked: set[str] = set()
    for record in records:
        if not isinstance(record, dict):
            continue
        for snapshot in record.get("CVRSnapshot") or []:
            for contest in (snapshot.get("CVRContest") or []) if isinstance(snapshot, dict) else []:
                if not isinstance(contest, dict) or contest.get("ContestId") in ranked:
                    continue
                for selection in contest.get("CVRContestSelection") or []:
                    positions = selection.get("SelectionPosition") if isinstance(selection, dict) else None
                    if any(isinstance(p, dict) and "Rank" in p for p in positions or []):
                        ranked.add(contest.get("ContestId"))
                        break
        if len(ranked) > 1000:
            break
    return ranked


def _selections(
    source: Source, elections: list[Any], contest: dict[str, Any], *, first_only: bool = False
) -> dict[str, str]:
    """ContestSelection @id -> the candidate's name (UNDECLARED_WRITE_IN for a write-in selection).

    A selection naming several candidates (a ticket) is named by all of them, or, as
    RCTab reads it (``first_only``), by the first.
    """
    candidates: dict[str, str] = {}
    for e, election in enumerate(elections):
        for c, candidate in enumerate(_list(source, election, "Candidate", f"Election[{e}]")):
            if isinstance(candidate, dict) and isinstance(candidate.get("@id"), str):
                name = candidate.get("Name")
                candidates[candidate["@id"]] = (
                    name.strip() if isinstance(name, str) and name.strip() else candidate["@id"]
                )
    out: dict[str, str] = {}
    where = f"contest {_label(contest)}"
    for s, selection in enumerate(_list(source, contest, "ContestSelection", where)):
        if not isinstance(selection, dict) or not isinstance(selection.get("@id"), str):
            raise source.error(None, f"{where}: ContestSelection[{s}] has no @id")
        if selection.get("IsWriteIn") in (True, "true", "1"):
            out[selection["@id"]] = UNDECLARED_WRITE_IN
            continue
        ids = selection.get("CandidateIds") or []
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise source.error(
                None, f"{where}: ContestSelection {selection['@id']!r}: CandidateIds should be a list of ids"
            )
        unknown = [i for i in ids if i not in candidates]
        if unknown:
            raise source.error(
                None, f"{where}: ContestSelection {selection['@id']!r} names unknown candidate {unknown[0]!r}"
            )
        if first_only:
            ids = ids[:1]
        name = " & ".join(candidates[i] for i in ids) if ids else selection["@id"]
        if len(name) > MAX_NAME:
            raise source.error(None, f"{where}: a name is {len(name)} characters long; the limit is {MAX_NAME}")
        out[selection["@id"]] = name
    if not out:
        raise source.error(None, f"{where} has no ContestSelection")
    if len(set(out.values())) > MAX_CANDIDATES:
        raise source.error(None, f"{where} has more than {MAX_CANDIDATES} candidates")
    return out


def _snapshot(source: Source, record: dict[str, Any], where: str) -> dict[str, Any]:
    snapshots = [s for s in _list(source, record, "CVRSnapshot", where) if isinstance(s, dict)]
    if not snapshots:
        raise source.error(None, f"{where} has no CVRSnapshot")
    current = record.get("CurrentSnapshotId")
    named = [s for s in snapshots if s.get("@id") == current]
    if current is not None and not named:
        raise source.error(None, f"{where}: CurrentSnapshotId {current!r} names no CVRSnapshot")
    if named and named[0].get("Type") != "interpreted":
        return named[0]
    for kind in ("modified", "original"):
        chosen = [s for s in snapshots if s.get("Type") == kind]
        if chosen:
            return chosen[-1]
    return named[0] if named else snapshots[0]


def _marks(
    source: Source, record: Any, at: int, contest_id: str, selections: dict[str, str]
) -> tuple[str, list[tuple[int, str]]] | None:
    """Where the record is, and its (rank, name) marks; None when it does not hold the contest."""
    if not isinstance(record, dict):
        raise source.error(None, f"CVR[{at}] is not an object")
    label = record.get("BallotPrePrintedId", record.get("UniqueId"))
    where = f"CVR[{at}]" + (f" ({excerpt(str(label), 30)})" if label is not None else "")
    snapshot = _snapshot(source, record, where)
    held = [
        c
        for c in _list(source, snapshot, "CVRContest", where)
        if isinstance(c, dict) and c.get("ContestId") == contest_id
    ]
    if not held:
        return None
    marks: list[tuple[int, str]] = []
    for contest in held:
        for selection in _list(source, contest, "CVRContestSelection", where):
            if not isinstance(selection, dict):
                raise source.error(None, f"{where}: a CVRContestSelection is not an object")
            if selection.get("Status") == "needs-adjudication":
                continue  # RCTab counts no selection still awaiting adjudication
            selection_id = selection.get("ContestSelectionId")
            if selection_id not in selections:
                raise source.error(
                    None, f"{where}: ContestSelectionId {selection_id!r} is not a selection of the contest"
                )
            name = selections[selection_id]
            if "Rank" in selection:
                # The rank may sit on the selection rather than its positions (the NIST text allows both).
                rank = _rank(source, {"Rank": selection["Rank"]}, where)
                if rank is not None:
                    marks.append((rank, name))
                continue
            for position in _list(source, selection, "SelectionPosition", where):
                rank = _rank(source, position, where)
                if rank is not None:
                    written_in = isinstance(position, dict) and position.get("CVRWriteIn") is not None
                    marks.append((rank, UNDECLARED_WRITE_IN if written_in else name))
    return where, marks


def _rank(source: Source, position: Any, where: str) -> int | None:
    if not isinstance(position, dict):
        raise source.error(None, f"{where}: a SelectionPosition is not an object")
    if position.get("HasIndication") == "no" or position.get("IsAllocable") == "no":
        return None
    rank = position.get("Rank")
    if rank is None:
        return None
    if isinstance(rank, str) and rank.strip().isascii() and rank.strip().isdigit() and len(rank.strip()) < 10:
        rank = int(rank)
    if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= MAX_RANKS:
        raise source.error(
            None, f"{where}: Rank {excerpt(str(rank), 20)} is not a whole number between 1 and {MAX_RANKS}"
        )
    return rank
