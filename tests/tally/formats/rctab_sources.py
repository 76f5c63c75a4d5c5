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


def round_one(ballots: Ballots, rules: dict[str, Any]) -> dict[str, int]:
    """The first round's tally, for contests with no excluded candidate: each ballot counts
    for its first marked candidate, unless it skipped more ranks before it than the rules
    allow or overvoted first (an overvote is passed over under ``alwaysSkipToNextRank``)."""
    limit = rules.get("maxSkippedRanksAllowed")
    max_skipped = None if limit in (None, "", "unlimited") else int(limit)
    skip_overvotes = rules.get("overvoteRule") == "alwaysSkipToNextRank"
    out: dict[str, int] = {}
    for marks, weight in ballots.rankings():
        skipped = 0
        for mark in marks:
            if not mark:
                skipped += 1
                if max_skipped is not None and skipped > max_skipped:
                    break
                continue
            if len(mark) > 1:
                if skip_overvotes:
                    skipped = 0
                    continue
                break
            name = ballots.candidates[next(iter(mark))]
            out[name] = out.get(name, 0) + weight
            break
    return out


def expected_round_one(report: dict[str, Any]) -> dict[str, int]:
    """The expected first-round tally, without the candidates who got nothing."""
    tally = report["results"][0]["tally"]
    return {name: int(float(votes)) for name, votes in tally.items() if float(votes)}


__all__ = [
    "RCTAB",
    "UNDECLARED_WRITE_IN",
    "cases",
    "config",
    "expected_report",
    "expected_round_one",
    "reader_calls",
    "round_one",
]
