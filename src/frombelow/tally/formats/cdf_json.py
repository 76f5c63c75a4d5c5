"""NIST SP 1500-103 Cast Vote Records (Common Data Format) in JSON, as RCTab and vendors export them.

This module only decodes the JSON; ``cdf`` reads the report (contest, snapshots, marks).
Pass ``contest`` (an ``@id`` or a ``Name``) to pick a contest other than the first ranked one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from frombelow.tally.ballots import Ballots
from frombelow.tally.formats import cdf
from frombelow.tally.formats.source import Source

NAME = "cdf-json"
SUFFIXES = (".json",)


def sniff(head: str) -> bool:
    return head.lstrip().startswith("{") and ('"CVR"' in head or "CastVoteRecordReport" in head)


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
    """The ballots of one contest; the keywords read it as an RCTab config describes it (see ``cdf``)."""
    text = source.text()
    try:
        report = json.loads(text)
    except json.JSONDecodeError as error:
        raise source.error(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise source.error(None, "JSON nested too deeply to be a cast vote record report") from None
    return cdf.ballots(
        source,
        report,
        contest,
        candidates=candidates,
        undeclared_write_in_label=undeclared_write_in_label,
        overvote_label=overvote_label,
        max_rankings=max_rankings,
    )
