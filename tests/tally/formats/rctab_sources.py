"""RCTab conformance cases as the vendor readers see them: a config's cvrFileSources turned
into reader keywords (the contract with the config loader), and the expected report's totals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from frombelow.tally.ballots import UNDECLARED_WRITE_IN, Ballots

RCTAB = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "rctab"


def cases(provider: str) -> list[str]:
    """The cases whose config reads CVRs of this provider."""
    if not RCTAB.is_dir():
        return []
    return sorted(
        config.parent.name
        for config in RCTAB.glob("*/*_config.json")
        if any(s.get("provider") == provider for s in json.loads(config.read_text())["cvrFileSources"])
    )


def config(case: str) -> dict[str, Any]:
    return json.loads((RCTAB / case / f"{case}_config.json").read_text())


def spellings(conf: dict[str, Any]) -> dict[str, str]:
    """Every accepted spelling (name, code, alias) -> the candidate's config name, in config order."""
    out: dict[str, str] = {}
    for candidate in conf["candidates"]:
        name = candidate["name"]
        out[name] = name
        for alias in [candidate.get("code"), *candidate.get("aliases", [])]:
            if alias:
                out[alias] = name
    return out


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None


def reader_calls(case: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Each CVR source of the case: its path and the keywords the loader passes to the reader."""
    conf = config(case)
    rules = conf["rules"]
    for source in conf["cvrFileSources"]:
        yield (
            (RCTAB / case / source["filePath"]).resolve(),
            {
                "candidates": spellings(conf),
                "contest": source.get("contestId") or None,
                "overvote_label": source.get("overvoteLabel") or None,
                "skipped_rank_label": source.get("skippedRankLabel") or None,
                "undeclared_write_in_label": source.get("undeclaredWriteInLabel") or None,
                "overvote_delimiter": source.get("overvoteDelimiter") or None,
                "treat_blank_as_undeclared_write_in": bool(source.get("treatBlankAsUndeclaredWriteIn")),
                "max_rankings": _int(rules.get("maxRankingsAllowed")),
            },
        )


def expected_report(case: str) -> dict[str, Any] | None:
    """The case's detailed report (the first pass's for a sequential case), if it has one."""
    folder = RCTAB / case
    for name in (f"{case}_expected_detailed_report.json", f"{case}_1_expected_detailed_report.json"):
        if (folder / name).exists():
            return json.loads((folder / name).read_text())
    return None


def first_marks(ballots: Ballots) -> dict[str, int]:
    """Votes by first mark (a ballot's first non-empty rank), the way a first round starts."""
    out = {name: 0 for name in ballots.candidates}
    for marks, weight in ballots.rankings():
        first = next((m for m in marks if m), None)
        if first is not None and len(first) == 1:
            out[ballots.candidates[next(iter(first))]] += weight
    return out


__all__ = ["RCTAB", "UNDECLARED_WRITE_IN", "cases", "config", "expected_report", "first_marks", "reader_calls"]
