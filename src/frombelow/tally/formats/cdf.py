"""NIST SP 1500-103 Cast Vote Records, Common Data Format: from a report to Ballots.

The report is taken as nested dicts and lists keyed like the JSON rendering
(``CVR``, ``CVRSnapshot``, ``CVRContest``, ``CVRContestSelection``, ``SelectionPosition``,
``Election``/``Contest``/``ContestSelection``/``Candidate``), so the JSON reader hands its
parse over as is and an XML reader only has to build the same shape.

How a record is read:

* the contest: the one asked for (by ``@id`` or ``Name``), else the first contest whose
  marks carry a ``Rank``; records without that contest are not ballots in it;
* the snapshot: the one ``CurrentSnapshotId`` names, unless it is a tabulator's
  ``interpreted`` trace, in which case the last ``modified`` snapshot, else the
  ``original`` (the marks as cast or adjudicated, not a count's bookkeeping);
* the marks: every ``SelectionPosition`` with a ``Rank`` and an indication
  (``HasIndication`` not ``no``) that is not ruled out (``IsAllocable`` not ``no``);
  several selections at one rank are an overvote, a rank with none is skipped, a
  selection at several ranks is kept at each (the count's duplicate rule decides);
* a candidate is named through ``ContestSelection.CandidateIds`` -> ``Candidate.Name``;
  a write-in selection without a candidate is named by its ``@id``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from frombelow.tally.ballots import EMPTY, Ballots, overvote_code, pad_rows
from frombelow.tally.formats.limits import MAX_CANDIDATES, MAX_CELLS, MAX_NAME, MAX_RANKS
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt


def ballots(source: Source, report: Any, contest: str | None = None) -> Ballots:
    """The ranked ballots of one contest of a CDF cast vote record report."""
    if not isinstance(report, dict):
        raise source.error(None, "not a cast vote record report: the top level is not an object")
    records = _list(source, report, "CVR", "the report")
    elections = _list(source, report, "Election", "the report")
    if not elections:
        raise source.error(None, "the report has no Election: candidates cannot be named")
    chosen = _choose_contest(source, elections, records, contest)
    selections = _selections(source, elections, chosen)
    names = list(dict.fromkeys(selections.values()))
    index = {name: i for i, name in enumerate(names)}
    by_selection = {selection: index[name] for selection, name in selections.items()}
    contest_id = chosen["@id"]
    groups: dict[frozenset[int], int] = {}
    rows: list[list[int]] = []
    for at, record in enumerate(records):
        if at % PROGRESS_EVERY == 0:
            source.report(at, len(records), "records")
        marks = _marks(source, record, at, contest_id, by_selection)
        if marks is None:
            continue
        row = [EMPTY] * (max(marks, default=0))
        for rank, members in marks.items():
            if len(members) == 1:
                row[rank - 1] = next(iter(members))
            else:
                row[rank - 1] = overvote_code(groups.setdefault(frozenset(members), len(groups)))
        rows.append(row)
    if not rows:
        raise source.error(None, f"no cast vote record holds contest {_label(chosen)}")
    depth = max(max((len(r) for r in rows), default=0), 1)
    if len(rows) * depth > MAX_CELLS:
        raise source.error(None, f"{len(rows)} records of up to {depth} ranks are too many to hold in memory")
    source.report(len(records), len(records), "records")
    seats = chosen.get("NumberElected")
    return Ballots(
        tuple(names),
        pad_rows(rows, depth),
        np.ones(len(rows), dtype=np.int64),
        overvotes=tuple(sorted(groups, key=groups.__getitem__)),
        seats=seats if isinstance(seats, int) and 0 < seats <= len(names) else None,
        title=str(chosen.get("Name") or chosen["@id"])[:MAX_NAME],
    )


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
        for contest in contests:
            if wanted in (contest["@id"], contest.get("Name")):
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


def _selections(source: Source, elections: list[Any], contest: dict[str, Any]) -> dict[str, str]:
    """ContestSelection @id -> the candidate's name."""
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
        ids = selection.get("CandidateIds") or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise source.error(
                None, f"{where}: ContestSelection {selection['@id']!r}: CandidateIds should be a list of ids"
            )
        unknown = [i for i in ids if i not in candidates]
        if unknown:
            raise source.error(
                None, f"{where}: ContestSelection {selection['@id']!r} names unknown candidate {unknown[0]!r}"
            )
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
    source: Source, record: Any, at: int, contest_id: str, by_selection: dict[str, int]
) -> dict[int, set[int]] | None:
    """Rank -> candidates marked there, or None when the record does not hold the contest."""
    if not isinstance(record, dict):
        raise source.error(None, f"CVR[{at}] is not an object")
    where = f"CVR[{at}]" + (
        f" ({excerpt(str(record['BallotPrePrintedId']), 30)})" if "BallotPrePrintedId" in record else ""
    )
    snapshot = _snapshot(source, record, where)
    held = [
        c
        for c in _list(source, snapshot, "CVRContest", where)
        if isinstance(c, dict) and c.get("ContestId") == contest_id
    ]
    if not held:
        return None
    marks: dict[int, set[int]] = {}
    for contest in held:
        for selection in _list(source, contest, "CVRContestSelection", where):
            if not isinstance(selection, dict):
                raise source.error(None, f"{where}: a CVRContestSelection is not an object")
            selection_id = selection.get("ContestSelectionId")
            if selection_id not in by_selection:
                raise source.error(
                    None, f"{where}: ContestSelectionId {selection_id!r} is not a selection of the contest"
                )
            for position in _list(source, selection, "SelectionPosition", where):
                rank = _rank(source, position, where)
                if rank is not None:
                    marks.setdefault(rank, set()).add(by_selection[selection_id])
    return marks


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
