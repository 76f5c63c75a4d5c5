"""RCTab conformance cases as the ES&S, generic CSV and Clear Ballot readers see them.

``reader_kwargs`` turns a config's cvrFileSources entry and candidates into the reader
keywords of the contract with the config loader; ``first_round`` counts first marks by
hand, for comparing with the expected report's round 1 on simple cases.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from frombelow.tally import formats
from frombelow.tally.ballots import Ballots

RCTAB = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "rctab"


def cases(provider: str) -> list[str]:
    if not RCTAB.is_dir():
        return []
    return sorted(
        path.parent.name
        for path in RCTAB.glob("*/*_config.json")
        if any(s.get("provider") == provider for s in json.loads(path.read_text())["cvrFileSources"])
    )


def config(case: str) -> dict[str, Any]:
    return json.loads((RCTAB / case / f"{case}_config.json").read_text())


def _number(value: object) -> int | None:
    return int(value) if value not in (None, "") else None  # type: ignore[arg-type]


def reader_kwargs(conf: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    spellings: dict[str, str] = {}
    for candidate in conf["candidates"]:
        for spelling in (candidate["name"], candidate.get("code"), *candidate.get("aliases", [])):
            if spelling:
                spellings[spelling] = candidate["name"]
    most = conf["rules"]["maxRankingsAllowed"]
    return {
        "candidates": spellings,
        "contest": source.get("contestId") or None,
        "first_vote_column": _number(source.get("firstVoteColumnIndex")),
        "first_vote_row": _number(source.get("firstVoteRowIndex")),
        "id_column": _number(source.get("idColumnIndex")),
        "precinct_column": _number(source.get("precinctColumnIndex")),
        "batch_column": _number(source.get("batchColumnIndex")),
        "overvote_label": source.get("overvoteLabel") or None,
        "skipped_rank_label": source.get("skippedRankLabel") or None,
        "undeclared_write_in_label": source.get("undeclaredWriteInLabel") or None,
        "overvote_delimiter": source.get("overvoteDelimiter") or None,
        "treat_blank_as_undeclared_write_in": bool(source.get("treatBlankAsUndeclaredWriteIn")),
        # "max": as many rankings as declared candidates
        "max_rankings": len(conf["candidates"]) if most == "max" else _number(most),
    }


def read_case(case: str, format: str) -> Ballots:
    conf = config(case)
    (source,) = conf["cvrFileSources"]
    path = (RCTAB / case / source["filePath"]).resolve()
    return _read(str(path), format, json.dumps(reader_kwargs(conf, source)))


@functools.cache
def _read(path: str, format: str, kwargs: str) -> Ballots:
    # Several cases share one large CVR file with the same options: read it once.
    return formats.read(path, format, **json.loads(kwargs))  # type: ignore[return-value]


def expected_report(case: str) -> dict[str, Any] | None:
    for name in (f"{case}_expected_detailed_report.json", f"{case}_1_expected_detailed_report.json"):
        if (RCTAB / case / name).exists():
            return json.loads((RCTAB / case / name).read_text())
    return None


def expected_first_round(report: dict[str, Any]) -> dict[str, Decimal]:
    return {name: Decimal(votes) for name, votes in report["results"][0]["tally"].items() if Decimal(votes)}


def first_round(ballots: Ballots, rules: dict[str, Any], excluded: set[str]) -> dict[str, Decimal]:
    """Each ballot for its first marked candidate, passing over excluded ones, as RCTab's round 1
    counts when overvotes exhaust or are skipped (not for exhaustIfMultipleContinuing)."""
    limit = rules["maxSkippedRanksAllowed"]
    max_skipped = None if limit in ("", "unlimited") else int(limit)
    skip_overvotes = rules["overvoteRule"] == "alwaysSkipToNextRank"
    out: dict[str, Decimal] = {}
    for marks, weight in ballots.rankings():
        skipped = 0
        for mark in marks:
            names = {ballots.candidates[c] for c in mark} - excluded
            if not mark:
                skipped += 1
                if max_skipped is not None and skipped > max_skipped:
                    break
                continue
            skipped = 0
            if len(names) > 1:
                if skip_overvotes:
                    continue
                break
            if names:
                (name,) = names
                out[name] = out.get(name, Decimal(0)) + weight
                break
    return out
