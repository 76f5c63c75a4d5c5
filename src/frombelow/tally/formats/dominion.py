"""Dominion Democracy Suite cast vote record exports: a folder of JSON files.

The folder holds ``CvrExport.json`` (or one ``CvrExport_<n>.json`` per batch) and the
manifests that name what the records refer to by number: ``CandidateManifest.json``,
``ContestManifest.json``, ``PrecinctPortionManifest.json`` and, in newer exports,
``PrecinctManifest.json``. Read as RCTab reads it:

* a session's ``Original`` marks count when they are current; otherwise its adjudicated
  ``Modified`` marks, and a session with neither is no ballot;
* a session is a ballot in the contest (``contest``: a ContestManifest ``Id``, or its
  ``Description``) when one of its cards holds that contest, unless the contest carries
  the "InvalidContest" outstack condition (Alaska's partial-count ballots: marks in a
  contest the voter may not vote in). Its id is the one ``OutstackConditionManifest.json``
  gives "InvalidContest" (when it names none, nothing is filtered); an export without
  that manifest filters condition 7, as RCTab always does;
* an ambiguous mark is no mark; a candidate is named by its manifest ``Id`` (a config
  lists these codes as aliases), the ``undeclared_write_in_label`` code is an undeclared
  write-in, and a candidate the config does not know, or who does not stand in the
  contest, is an error;
* the precinct label is the PrecinctManifest description of ``PrecinctId`` (none in
  exports without a PrecinctManifest); the batch label is ``BatchId``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frombelow.tally.ballots import Ballots
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.cvr_marks import BallotRows
from frombelow.tally.formats.source import PROGRESS_EVERY, Source, excerpt

NAME = "dominion"
SUFFIXES: tuple[str, ...] = ()
FOLDER = True  # read from a folder, not a file

CVR_EXPORT = "CvrExport.json"
_PART = re.compile(r"^CvrExport_(\d{1,9})\.json$")
INVALID_CONTEST = "InvalidContest"
# RCTab filters this id whatever the manifest says (EXCLUDE_CONTEST_CONDITION_ID, rcv PR #910);
# used only when an export has no OutstackConditionManifest to say otherwise.
INVALID_CONTEST_ID = 7


def sniff(head: str) -> bool:
    return False  # a folder: named by the config (provider "dominion"), never detected from a file


def read(
    source: Source,
    *,
    contest: str | None = None,
    candidates: Mapping[str, str] | None = None,
    undeclared_write_in_label: str | None = None,
    overvote_label: str | None = None,
    max_rankings: int | None = None,
    **_ignored: object,
) -> Ballots:
    """The ballots of one contest of the export folder ``source.name``."""
    folder = Path(source.name)
    if not folder.is_dir():
        raise source.error(None, "a Dominion export is a folder (CvrExport.json and its manifests), not a file")
    contests = _manifest(folder, "ContestManifest.json")
    contest_id = _contest_id(folder, contests, contest)
    standing = [c for c in _manifest(folder, "CandidateManifest.json") if str(c.get("ContestId")) == contest_id]
    codes = {str(c.get("Id")): str(c.get("Description") or c.get("Id")) for c in standing}
    portions = _descriptions(folder, "PrecinctPortionManifest.json")
    precincts = _descriptions(folder, "PrecinctManifest.json") if (folder / "PrecinctManifest.json").exists() else None
    invalid = _invalid_contest_condition(folder)
    rows = BallotRows(
        source,
        candidates,
        undeclared_write_in_label=undeclared_write_in_label,
        overvote_label=overvote_label,
        max_rankings=max_rankings,
    )
    for name in codes.values():
        rows.declare(name)
    for part in _parts(folder):
        cvrs = _json(part)
        sessions = cvrs.get("Sessions") if isinstance(cvrs, dict) else None
        if not isinstance(sessions, list):
            raise BallotFileError(str(part), None, "no Sessions list: not a Dominion cast vote record export")
        for at, session in enumerate(sessions):
            if at % PROGRESS_EVERY == 0:
                source.report(at, len(sessions), f"sessions of {part.name}")
            _session(part, session, at, contest_id, codes, precincts, portions, invalid, rows)
    if not len(rows):
        raise source.error(None, f"no cast vote record holds contest {contest_id}")
    seats = next((c.get("VoteFor") for c in contests if str(c.get("Id")) == contest_id), None)
    title = next((str(c.get("Description") or "") for c in contests if str(c.get("Id")) == contest_id), "")
    return rows.ballots(title=title, seats=seats if isinstance(seats, int) else None)


def _session(
    part: Path,
    session: Any,
    at: int,
    contest_id: str,
    codes: dict[str, str],
    precincts: dict[int, str] | None,
    portions: dict[int, str],
    invalid: int | None,
    rows: BallotRows,
) -> None:
    """The session's ballot in the contest, if it holds one, added to ``rows``."""
    if not isinstance(session, dict):
        raise BallotFileError(str(part), None, f"Sessions[{at}] is not an object")
    where = f"{part.name}: session {at} (tabulator {session.get('TabulatorId')}, batch {session.get('BatchId')}, record {session.get('RecordId')})"
    marked = session.get("Original")
    if not isinstance(marked, dict):
        raise BallotFileError(str(part), None, f"{where} has no Original marks")
    if not marked.get("IsCurrent"):
        marked = session.get("Modified")
        if not isinstance(marked, dict):
            return  # not current and never adjudicated: RCTab skips it
    precinct_id = marked.get("PrecinctId")
    if precinct_id is not None and (precincts is None or precinct_id not in precincts):
        raise BallotFileError(str(part), None, f"{where}: PrecinctId {precinct_id!r} is not in the PrecinctManifest")
    portion_id = marked.get("PrecinctPortionId")
    if portion_id is not None and portion_id not in portions:
        raise BallotFileError(
            str(part), None, f"{where}: PrecinctPortionId {portion_id!r} is not in the PrecinctPortionManifest"
        )
    cards = marked.get("Cards", [marked])
    if not isinstance(cards, list):
        raise BallotFileError(str(part), None, f"{where}: Cards should be a list")
    for card in cards:
        held = card.get("Contests") if isinstance(card, dict) else None
        if not isinstance(held, list):
            raise BallotFileError(str(part), None, f"{where}: a card has no Contests list")
        for contest in held:
            if not isinstance(contest, dict) or str(contest.get("Id")) != contest_id:
                continue
            if invalid is not None and invalid in (contest.get("OutstackConditionIds") or []):
                continue  # marks in a contest the voter may not vote in
            marks = []
            for mark in contest.get("Marks") or []:
                if not isinstance(mark, dict) or mark.get("IsAmbiguous"):
                    continue
                code, rank = str(mark.get("CandidateId")), mark.get("Rank")
                if not isinstance(rank, int) or isinstance(rank, bool):
                    raise BallotFileError(str(part), None, f"{where}: Rank {excerpt(str(rank), 20)} is not a number")
                if code not in codes and code != rows.write_in_label:
                    raise BallotFileError(
                        str(part), None, f"{where}: candidate {code} does not stand in contest {contest_id}"
                    )
                marks.append((rank, rows.candidate(code if rows.fixed or code not in codes else codes[code], where)))
            rows.add(
                marks,
                where,
                precinct=None if precincts is None or precinct_id is None else precincts[precinct_id],
                batch=str(session.get("BatchId")),
            )


def _parts(folder: Path) -> list[Path]:
    """The CVR files: CvrExport.json, else every CvrExport_<n>.json in number order."""
    single = folder / CVR_EXPORT
    if single.is_file():
        return [single]
    parts = sorted(
        (int(m.group(1)), path) for path in folder.iterdir() if (m := _PART.match(path.name)) and path.is_file()
    )
    if not parts:
        raise BallotFileError(str(folder), None, f"no {CVR_EXPORT} nor CvrExport_<n>.json files in the folder")
    return [path for _, path in parts]


def _json(path: Path) -> Any:
    source = Source.open(path)  # names a missing or unreadable file
    try:
        return json.loads(source.text())
    except json.JSONDecodeError as error:
        raise source.error(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise source.error(None, "JSON nested too deeply") from None


def _manifest(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / name
    if not path.exists():
        raise BallotFileError(str(path), None, f"the export has no {name}")
    data = _json(path)
    entries = data.get("List") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "Id" in e for e in entries):
        raise BallotFileError(str(path), None, "not a Dominion manifest: it should hold a List of entries with an Id")
    return entries


def _descriptions(folder: Path, name: str) -> dict[int, str]:
    return {e["Id"]: str(e.get("Description") or e["Id"]) for e in _manifest(folder, name)}


def _contest_id(folder: Path, contests: list[dict[str, Any]], wanted: str | None) -> str:
    path = folder / "ContestManifest.json"
    if wanted is None:
        if len(contests) != 1:
            known = ", ".join(f"{c['Id']} ({c.get('Description')})" for c in contests[:20])
            raise BallotFileError(str(path), None, f"the export has {len(contests)} contests; name one: {known}")
        return str(contests[0]["Id"])
    for key in ("Id", "Description"):
        for c in contests:
            if str(c.get(key)) == wanted:
                return str(c["Id"])
    raise BallotFileError(str(path), None, f"no contest {wanted!r} in the ContestManifest")


def _invalid_contest_condition(folder: Path) -> int | None:
    """The outstack condition marking an invalid contest: the manifest's, if there is a manifest."""
    path = folder / "OutstackConditionManifest.json"
    if not path.exists():
        return INVALID_CONTEST_ID
    named = [entry.get("Id") for entry in _manifest(folder, path.name) if entry.get("Description") == INVALID_CONTEST]
    return named[0] if named else None
