"""RCTab conformance cases as the vendor readers see them.

``reader_calls`` gives each CVR source's path and reader keywords as the config loader
(``frombelow.tally.rctab``) passes them; ``first_round`` counts first marks by
hand, for comparing with the expected report's round 1 (``expected_first_round``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from frombelow.tally import formats, rctab
from frombelow.tally.ballots import Ballots
from frombelow.tally.rctab.rules import count_options

RCTAB = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "rctab"


def cases(provider: str) -> list[str]:
    """The cases whose config reads CVRs of this provider."""
    if not RCTAB.is_dir():
        return []
    return sorted(
        path.parent.name
        for path in RCTAB.glob("*/*_config.json")
        if any(s.get("provider") == provider for s in json.loads(path.read_text())["cvrFileSources"])
    )


def config(case: str) -> dict[str, Any]:
    return json.loads((RCTAB / case / f"{case}_config.json").read_text())


def reader_calls(case: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Each CVR source of the case: its path and the keywords the config loader passes to its reader."""
    contest = rctab.load(RCTAB / case / f"{case}_config.json")
    common = {"candidates": contest.spellings(), "max_rankings": count_options(contest).max_rankings}
    for source in contest.sources:
        yield source.path, {**common, **source.options}


def read_case(case: str, format: str) -> Ballots:
    """The ballots of a case with one CVR source."""
    ((path, options),) = reader_calls(case)
    return _read(str(path), format, json.dumps(options))


@functools.cache
def _read(path: str, format: str, options: str) -> Ballots:
    # Several cases share one large CVR file with the same options: read it once.
    return formats.read(path, format, **json.loads(options))  # type: ignore[return-value]


def expected_report(case: str) -> dict[str, Any] | None:
    """The case's detailed report (the first pass's for a sequential case), if it has one."""
    for name in (f"{case}_expected_detailed_report.json", f"{case}_1_expected_detailed_report.json"):
        if (RCTAB / case / name).exists():
            return json.loads((RCTAB / case / name).read_text())
    return None


def expected_first_round(report: dict[str, Any]) -> dict[str, Decimal]:
    """The expected first-round tally, without the candidates who got nothing."""
    return {name: Decimal(votes) for name, votes in report["results"][0]["tally"].items() if Decimal(votes)}


def first_round(ballots: Ballots, rules: dict[str, Any], excluded: Iterable[str] = ()) -> dict[str, Decimal]:
    """Each ballot for its first marked candidate, passing over excluded ones, as RCTab's round 1
    counts when overvotes exhaust or are skipped (not for exhaustIfMultipleContinuing): a ballot
    that skipped more ranks before it than the rules allow counts for nobody, and an overvote
    is passed over under ``alwaysSkipToNextRank``."""
    limit = rules.get("maxSkippedRanksAllowed")
    max_skipped = None if limit in (None, "", "unlimited") else int(limit)
    skip_overvotes = rules.get("overvoteRule") == "alwaysSkipToNextRank"
    passed_over = set(excluded)
    out: dict[str, Decimal] = {}
    for marks, weight in ballots.rankings():
        skipped = 0
        for mark in marks:
            names = {ballots.candidates[c] for c in mark} - passed_over
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
