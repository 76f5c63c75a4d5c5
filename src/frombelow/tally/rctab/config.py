"""RCTab contest configs: what to count (the CVR sources, the candidates) and by which rules.

A config is RCTab's JSON (``outputSettings``, ``cvrFileSources``, ``candidates``,
``rules``); file paths in it are relative to the config's folder. Anything RCTab would
refuse is refused here with a ``BallotFileError`` naming the config and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frombelow.tally.errors import BallotFileError

# RCTab's provider names -> our reader names (CDF by the file's suffix).
PROVIDERS = {
    "ess": "ess",
    "dominion": "dominion",
    "hart": "hart",
    "clearBallot": "clear-ballot",
    "genericCsv": "rctab-csv",
    "cdf": None,
}

# Source fields -> reader keyword arguments (the readers' contract, see formats/).
_COLUMNS = {
    "firstVoteColumnIndex": "first_vote_column",
    "firstVoteRowIndex": "first_vote_row",
    "idColumnIndex": "id_column",
    "precinctColumnIndex": "precinct_column",
    "batchColumnIndex": "batch_column",
}
_LABELS = {
    "overvoteLabel": "overvote_label",
    "skippedRankLabel": "skipped_rank_label",
    "undeclaredWriteInLabel": "undeclared_write_in_label",
    "overvoteDelimiter": "overvote_delimiter",
}


@dataclass(frozen=True)
class Candidate:
    name: str
    code: str = ""
    aliases: tuple[str, ...] = ()
    excluded: bool = False


@dataclass(frozen=True)
class CvrSource:
    path: Path
    format: str
    options: Mapping[str, Any]  # reader keyword arguments, candidates mapping excluded


@dataclass(frozen=True)
class Contest:
    """One RCTab config, read and checked."""

    path: Path
    name: str
    date: str
    jurisdiction: str
    office: str
    candidates: tuple[Candidate, ...]
    sources: tuple[CvrSource, ...]
    rules: Mapping[str, Any]
    tabulate_by_precinct: bool = False
    tabulate_by_batch: bool = False

    def spellings(self) -> dict[str, str]:
        """Every way a CVR may name a candidate (name, code, alias) -> the config's name."""
        out: dict[str, str] = {}
        for candidate in self.candidates:
            for spelling in dict.fromkeys((candidate.name, candidate.code, *candidate.aliases)):
                if spelling:
                    out[spelling] = candidate.name
        return out


def load(path: str | Path) -> Contest:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BallotFileError(str(path), None, "no such config file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
        raise BallotFileError(str(path), None, f"cannot read the config: {error}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise BallotFileError(str(path), error.lineno, f"not valid JSON: {error.msg}") from None
    if not isinstance(raw, dict):
        raise BallotFileError(str(path), None, "a config is a JSON object")
    field = _Fields(path, raw)
    output = field.section("outputSettings")
    rules = field.section("rules")
    candidates = tuple(_candidate(field, i, c) for i, c in enumerate(field.list("candidates")))
    if not candidates:
        raise BallotFileError(str(path), None, "candidates: the config names no candidate")
    names = [c.name for c in candidates]
    if len(set(names)) != len(names):
        raise BallotFileError(str(path), None, f"candidates: {next(n for n in names if names.count(n) > 1)!r} twice")
    _check_spellings(field, candidates)
    legacy = _legacy_source_fields(field, rules)
    sources = tuple(_source(field, i, {**legacy, **s} if isinstance(s, dict) else s) for i, s in enumerate(field.list("cvrFileSources")))
    if not sources:
        raise BallotFileError(str(path), None, "cvrFileSources: the config names no CVR file")
    return Contest(
        path=path,
        name=str(output.get("contestName", "")),
        date=str(output.get("contestDate", "")),
        jurisdiction=str(output.get("contestJurisdiction", "")),
        office=str(output.get("contestOffice", "")),
        candidates=candidates,
        sources=sources,
        rules=rules,
        tabulate_by_precinct=field.flag(output, "outputSettings.tabulateByPrecinct"),
        tabulate_by_batch=field.flag(output, "outputSettings.tabulateByBatch"),
    )


class _Fields:
    """Typed access to a config's fields, with errors that name the field."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path = path
        self.raw = raw

    def error(self, where: str, problem: str) -> BallotFileError:
        return BallotFileError(str(self.path), None, f"{where}: {problem}")

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name)
        if not isinstance(value, dict):
            raise self.error(name, "missing, or not an object")
        return value

    def flag(self, section: dict[str, Any], where: str) -> bool:
        value = section.get(where.rsplit(".", 1)[-1], False)
        if not isinstance(value, bool):
            raise self.error(where, f"must be true or false, not {value!r}")
        return value

    def list(self, name: str) -> list[Any]:
        value = self.raw.get(name)
        if not isinstance(value, list):
            raise self.error(name, "missing, or not a list")
        return value


def _candidate(field: _Fields, index: int, raw: Any) -> Candidate:
    where = f"candidates[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise field.error(where, "needs a name")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise field.error(where, "aliases must be a list of strings")
    code = raw.get("code") or ""
    if not isinstance(code, str):
        raise field.error(where, f"code must be a string, not {code!r}")
    return Candidate(
        name=raw["name"].strip(),
        code=code.strip(),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        excluded=field.flag(raw, f"{where}.excluded"),
    )


def _check_spellings(field: _Fields, candidates: tuple[Candidate, ...]) -> None:
    """A name, code or alias standing for two candidates would move votes silently."""
    owner: dict[str, str] = {}
    for candidate in candidates:
        for spelling in dict.fromkeys((candidate.name, candidate.code, *candidate.aliases)):
            if not spelling:
                continue
            if spelling in owner and owner[spelling] != candidate.name:
                raise field.error(
                    "candidates", f"{spelling!r} stands for both {owner[spelling]!r} and {candidate.name!r}"
                )
            owner[spelling] = candidate.name


# Older RCTab configs kept these in rules; RCTab moves them to every CVR source.
_LEGACY = ("treatBlankAsUndeclaredWriteIn", "overvoteLabel", "undervoteLabel", "undeclaredWriteInLabel")


def _legacy_source_fields(field: _Fields, rules: dict[str, Any]) -> dict[str, Any]:
    moved = {name: rules[name] for name in _LEGACY if rules.get(name) not in ("", None, False)}
    if "undervoteLabel" in moved:
        moved["skippedRankLabel"] = moved.pop("undervoteLabel")
    return moved


def _source(field: _Fields, index: int, raw: Any) -> CvrSource:
    where = f"cvrFileSources[{index}]"
    if not isinstance(raw, dict):
        raise field.error(where, "not an object")
    provider = raw.get("provider")
    if provider not in PROVIDERS:
        raise field.error(where, f"unknown provider {provider!r}; RCTab's are {', '.join(PROVIDERS)}")
    file_path = raw.get("filePath")
    if not isinstance(file_path, str) or not file_path.strip():
        raise field.error(where, "filePath is missing")
    path = (field.path.parent / file_path.strip()).resolve()
    format_name = PROVIDERS[provider] or ("cdf-xml" if path.suffix.lower() == ".xml" else "cdf-json")
    options: dict[str, Any] = {}
    for key, name in _COLUMNS.items():
        value = raw.get(key, "")
        if value in ("", None):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise field.error(where, f"{key} must be a whole number, not {value!r}") from None
        if number < 1:
            raise field.error(where, f"{key} must be at least 1 (columns and rows count from 1)")
        options[name] = number
    for key, name in _LABELS.items():
        value = raw.get(key, "")
        if value not in ("", None):
            options[name] = str(value)
    contest = raw.get("contestId", "")
    if contest not in ("", None):
        options["contest"] = str(contest)
    if field.flag(raw, f"{where}.treatBlankAsUndeclaredWriteIn"):
        options["treat_blank_as_undeclared_write_in"] = True
    return CvrSource(path=path, format=format_name, options=options)
