"""RCTab contest configs: what to count (the CVR sources, the candidates) and by which rules.

A config is RCTab's JSON (``outputSettings``, ``cvrFileSources``, ``candidates``,
``rules``); file paths in it are relative to the config's folder. Anything RCTab would
refuse is refused here with a ``BallotFileError`` naming the config and the field.
"""

from __future__ import annotations

import json
import re
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

# RCTab's limits on a source's columns and rows (counted from 1).
MAX_COLUMN = 1000
MAX_ROW = 100000

# Words RCTab uses in its own reports; no label or candidate may be one of them.
RESERVED = ("residual surplus", "exhausted", "uncounted")

# Providers whose records hold several contests: RCTab needs to know which one to count.
NEEDS_CONTEST_ID = ("cdf", "dominion", "hart", "clearBallot")
# Providers laid out as one row per ballot, one column per rank.
SPREADSHEETS = ("ess", "genericCsv")

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
    if blank(raw.get("tabulatorVersion")):
        raise field.error("tabulatorVersion", "missing (RCTab requires it)")
    if blank(output.get("contestName")):
        raise field.error("outputSettings.contestName", "missing (RCTab requires a contest name)")
    tabulate_by_precinct = field.flag(output, "outputSettings.tabulateByPrecinct")
    legacy = _legacy_source_fields(field, rules)
    raw_sources = [{**legacy, **s} if isinstance(s, dict) else s for s in field.list("cvrFileSources")]
    sources = tuple(_source(field, i, s) for i, s in enumerate(raw_sources))
    if not sources:
        raise BallotFileError(str(path), None, "cvrFileSources: the config names no CVR file")
    _check_sources_against_rules(field, raw_sources, sources, rules, tabulate_by_precinct)
    candidates = tuple(_candidate(field, i, c) for i, c in enumerate(field.list("candidates")))
    if not candidates:
        raise BallotFileError(str(path), None, "candidates: the config names no candidate")
    if all(c.excluded for c in candidates):
        raise field.error("candidates", "every candidate is excluded; RCTab needs one to count")
    names = [c.name for c in candidates]
    if len(set(names)) != len(names):
        raise BallotFileError(str(path), None, f"candidates: {next(n for n in names if names.count(n) > 1)!r} twice")
    _check_spellings(field, candidates, raw_sources)
    return Contest(
        path=path,
        name=str(output.get("contestName", "")),
        date=str(output.get("contestDate", "")),
        jurisdiction=str(output.get("contestJurisdiction", "")),
        office=str(output.get("contestOffice", "")),
        candidates=candidates,
        sources=sources,
        rules=rules,
        tabulate_by_precinct=tabulate_by_precinct,
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

    def whole(self, section: dict[str, Any], where: str, low: int, high: int, *, required: bool = False) -> int | None:
        """A whole number from ``low`` to ``high`` as RCTab reads one; ``None`` when left blank."""
        value = section.get(where.rsplit(".", 1)[-1])
        if blank(value):
            if required:
                raise self.error(where, f"missing: a whole number from {low} to {high} is required")
            return None
        number = whole_number(value)
        if number is None or not low <= number <= high:
            raise self.error(where, f"must be a whole number from {low} to {high}, not {value!r}")
        return number

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


def blank(value: Any) -> bool:
    """RCTab's ``isNullOrBlank``: a field left out, null or only spaces counts as not given."""
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value: Any) -> int | None:
    """A whole number as RCTab reads one (Java's ``Long.parseLong``), else ``None``.

    ``2.7``, ``"2.0"`` and ``true`` are not whole numbers, though Python's ``int()`` takes them.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value):
        return int(value)
    return None


def _labels(raw: dict[str, Any]) -> dict[str, str]:
    return {
        key: str(raw[key])
        for key in ("overvoteLabel", "skippedRankLabel", "undeclaredWriteInLabel")
        if not blank(raw.get(key))
    }


def _check_spellings(field: _Fields, candidates: tuple[Candidate, ...], raw_sources: list[dict[str, Any]]) -> None:
    """A name, code or alias standing for two candidates, a reserved word or a label would move votes silently."""
    owner: dict[str, str] = {}
    labels = {label.lower(): key for raw in raw_sources for key, label in _labels(raw).items()}
    for index, candidate in enumerate(candidates):
        for spelling in dict.fromkeys((candidate.name, candidate.code, *candidate.aliases)):
            if not spelling:
                continue
            if spelling.lower() in RESERVED:
                raise field.error(f"candidates[{index}]", f"{spelling!r} is a word RCTab reserves for its reports")
            if spelling.lower() in labels:
                raise field.error(f"candidates[{index}]", f"{spelling!r} is also a source's {labels[spelling.lower()]}")
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
    _check_labels(field, where, raw)
    _check_provider_fields(field, where, provider, raw)
    format_name = PROVIDERS[provider] or ("cdf-xml" if path.suffix.lower() == ".xml" else "cdf-json")
    options: dict[str, Any] = {}
    for key, name in _COLUMNS.items():
        high = MAX_ROW if key == "firstVoteRowIndex" else MAX_COLUMN
        number = field.whole(raw, f"{where}.{key}", 1, high)
        if number is not None:
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


def _check_labels(field: _Fields, where: str, raw: dict[str, Any]) -> None:
    """A label may be neither a word RCTab reserves nor another label of the same source."""
    labels = _labels(raw)
    for key, label in labels.items():
        if label.lower() in RESERVED:
            raise field.error(f"{where}.{key}", f"{label!r} is a word RCTab reserves for its reports")
        for other, other_label in labels.items():
            if other != key and other_label.lower() == label.lower():
                raise field.error(f"{where}.{key}", f"{label!r} is also the {other}")


def _check_provider_fields(field: _Fields, where: str, provider: str, raw: dict[str, Any]) -> None:
    """Each provider takes only the fields its records need, as RCTab checks them."""
    if provider in SPREADSHEETS:
        field.whole(raw, f"{where}.firstVoteColumnIndex", 1, MAX_COLUMN, required=True)
        field.whole(raw, f"{where}.firstVoteRowIndex", 1, MAX_ROW, required=True)
        delimiter = raw.get("overvoteDelimiter")
        if not blank(delimiter) and (
            not isinstance(delimiter, str) or "\\" in delimiter or re.fullmatch(r"[a-zA-Z0-9.',\-\"\s]+", delimiter)
        ):
            raise field.error(
                f"{where}.overvoteDelimiter",
                f"{delimiter!r} cannot split a cell: no backslash, and not only letters, digits, spaces or .',-\"",
            )
        if not blank(delimiter) and not blank(raw.get("overvoteLabel")):
            raise field.error(f"{where}.overvoteDelimiter", "overvoteDelimiter and overvoteLabel cannot both be given")
    else:
        if provider == "cdf":
            if not raw["filePath"].strip().lower().endswith((".xml", ".json")):
                raise field.error(f"{where}.filePath", "a CDF file must end in .json or .xml")
        elif not blank(raw.get("overvoteLabel")):
            raise field.error(f"{where}.overvoteLabel", f"must not be given for provider {provider}")
        for key in (*_COLUMNS, "overvoteDelimiter", "skippedRankLabel"):
            if not blank(raw.get(key)):
                raise field.error(f"{where}.{key}", f"must not be given for provider {provider}")
        if raw.get("treatBlankAsUndeclaredWriteIn") is True:
            raise field.error(f"{where}.treatBlankAsUndeclaredWriteIn", f"cannot be true for provider {provider}")
    if provider in NEEDS_CONTEST_ID and blank(raw.get("contestId")):
        raise field.error(f"{where}.contestId", f"missing: provider {provider} needs the contest's id")
    if provider not in NEEDS_CONTEST_ID and not blank(raw.get("contestId")):
        raise field.error(f"{where}.contestId", f"must not be given for provider {provider}")


def _check_sources_against_rules(
    field: _Fields,
    raw_sources: list[dict[str, Any]],
    sources: tuple[CvrSource, ...],
    rules: dict[str, Any],
    tabulate_by_precinct: bool,
) -> None:
    """What RCTab checks of each source against the others and against the rules."""
    seen: set[Path] = set()
    for index, (raw, source) in enumerate(zip(raw_sources, sources, strict=True)):
        where = f"cvrFileSources[{index}]"
        if source.path in seen:
            raise field.error(f"{where}.filePath", f"{str(source.path)!r} is named twice")
        seen.add(source.path)
        if not source.path.exists():
            raise field.error(f"{where}.filePath", f"no such file or folder: {source.path}")
        overvote_rule = rules.get("overvoteRule")
        if not blank(raw.get("overvoteLabel")) and overvote_rule not in ("exhaustImmediately", "alwaysSkipToNextRank"):
            raise field.error(
                f"{where}.overvoteLabel",
                f"an overvoteLabel needs overvoteRule exhaustImmediately or alwaysSkipToNextRank, not {overvote_rule!r}",
            )
        if raw["provider"] == "cdf" and tabulate_by_precinct:
            raise field.error(
                "outputSettings.tabulateByPrecinct", f"RCTab cannot tabulate CDF files by precinct ({where})"
            )
        if raw["provider"] == "ess":
            if tabulate_by_precinct and blank(raw.get("precinctColumnIndex")):
                raise field.error(
                    f"{where}.precinctColumnIndex", "missing: tabulateByPrecinct needs the precinct column"
                )
            if overvote_rule == "exhaustIfMultipleContinuing" and blank(raw.get("overvoteDelimiter")):
                raise field.error(
                    f"{where}.overvoteDelimiter", "missing: overvoteRule exhaustIfMultipleContinuing needs it for ES&S"
                )
