"""Counting an RCTab contest: its config, its vendors' CVRs, its rules, its reports.

    >>> from frombelow.tally import rctab
    >>> tabulation = rctab.tabulate(rctab.load("contest_config.json"))
    >>> tabulation.result.winners
    >>> rctab.write_reports(tabulation, "reports/")

The rules are the engine's own options (see ``rules.py``) and the formats its reader
plug-ins, so every user of the engine has them; this package only connects them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from frombelow.tally import count
from frombelow.tally.ballots import Ballots, combine
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats import read
from frombelow.tally.rctab.config import Contest, load
from frombelow.tally.rctab.report import candidate_order, csv_report, detailed
from frombelow.tally.rctab.rules import count_options
from frombelow.tally.result import Result
from frombelow.tally.tiebreak import TieBreak

__all__ = ["Contest", "Tabulation", "load", "read_ballots", "tabulate", "write_reports"]

SLICE_TAGS = {"precinct": "tabulate_by_precinct", "batch": "tabulate_by_batch"}


@dataclass(frozen=True)
class Tabulation:
    contest: Contest
    ballots: Ballots
    result: Result
    # tag ("precinct", "batch") -> label -> the count of that slice's ballots
    slices: dict[str, dict[str, Result]] = field(default_factory=dict)

    @property
    def passes(self) -> list[Result]:
        """One result per pass of a sequential (multi-pass IRV) count, else the result."""
        return list(self.result.details.get("passes", [self.result]))


def read_ballots(contest: Contest) -> Ballots:
    """Every CVR source of the contest, read with its options, as one election."""
    spellings = contest.spellings()
    max_rankings = count_options(contest).max_rankings
    parts = [
        read(
            source.path,
            source.format,
            candidates=spellings,
            max_rankings=max_rankings,
            **source.options,
        )
        for source in contest.sources
    ]
    ballots = combine(parts)
    excluded = {c.name for c in contest.candidates if c.excluded}
    ordered = [c.name for c in contest.candidates]
    extra = [name for name in ballots.candidates if name not in ordered]
    if ballots.candidates != tuple(ordered + extra):
        ballots = _reorder(ballots, ordered + extra)
    return ballots.replace(
        withdrawn=frozenset(i for i, name in enumerate(ballots.candidates) if name in excluded) | ballots.withdrawn
    )


def _reorder(ballots: Ballots, order: list[str]) -> Ballots:
    """The same ballots with candidates in the config's order (the tie-break order)."""
    empty = Ballots(tuple(order), ballots.ranks[:0], ballots.weights[:0])
    return combine([empty, ballots])


def tabulate(contest: Contest, tiebreak: TieBreak | None = None) -> Tabulation:
    """Count the contest; ``tiebreak`` replaces the config's rule (e.g. the order drawn by lot
    when the config says to stop and ask)."""
    ballots = read_ballots(contest)
    plan = count_options(contest)
    if tiebreak is not None:
        plan = dataclasses.replace(plan, options=dataclasses.replace(plan.options, tiebreak=tiebreak))
    wanted = tuple(tag for tag, asked in SLICE_TAGS.items() if getattr(contest, asked))
    for tag in wanted:
        if tag not in ballots.tags:
            raise BallotFileError(
                str(contest.path), None, f"tabulation by {tag} is asked for, but the CVRs carry no {tag}"
            )
    # A slice is not counted apart: it is the whole count's rounds on the slice's ballots.
    result = count(ballots, plan.method, plan.seats, dataclasses.replace(plan.options, slices=wanted))
    slices = {
        tag: {label: dataclasses.replace(result, rounds=tuple(rounds)) for label, rounds in by_label.items()}
        for tag, by_label in result.details.get("slices", {}).items()
    }
    return Tabulation(contest, ballots, result, slices)


def write_reports(tabulation: Tabulation, directory: str | Path) -> list[Path]:
    """RCTab-style detailed reports (JSON and CSV), one per pass and per slice."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = tabulation.contest.path.name.removesuffix("_config.json").removesuffix(".json")
    written = []
    passes = tabulation.passes
    for i, result in enumerate(passes, start=1):
        name = stem if len(passes) == 1 else f"{stem}_{i}"
        written += _write(directory / f"{name}_detailed_report", tabulation.contest, result, tabulation.ballots)
    order = candidate_order(tabulation.result)  # slices list candidates as the whole count does
    for tag, results in tabulation.slices.items():
        folder = directory / f"Tabulate by {tag.capitalize()}"
        folder.mkdir(exist_ok=True)
        parts = tabulation.ballots.slices(tag)
        for label, result in results.items():
            base = folder / f"{stem}_{slice_file_name(label)}_{tag}_detailed_report"
            written += _write(base, tabulation.contest, result, parts[label], slice=(tag, label), order=order)
    return written


def slice_file_name(label: str) -> str:
    """A slice label as RCTab writes it in a file name."""
    return re.sub(r"[^a-zA-Z0-9_\-.]", "_", label)


def _write(
    base: Path,
    contest: Contest,
    result: Result,
    ballots: Ballots,
    *,
    slice: tuple[str, str] | None = None,
    order: list[str] | None = None,
) -> list[Path]:
    as_json, as_csv = base.with_suffix(".json"), base.with_suffix(".csv")
    as_json.write_text(json.dumps(detailed(contest, result, ballots), indent=2, ensure_ascii=False) + "\n")
    as_csv.write_text(csv_report(contest, result, ballots, slice=slice, order=order), encoding="utf-8")
    return [as_json, as_csv]
