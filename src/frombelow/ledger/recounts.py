"""Recounting one vote of a bundle from its published ballots (``frombelow recount``).

A vote's record is two events: ``poll opened`` (the question, choices, method, seats,
threshold, quorum and the electorate's total weight) and ``poll counted`` (every ballot,
sorted, and the outcome). Recounting needs nothing else: no replay of the federation, no
server. The lines of ``events.jsonl`` are scanned for those two kinds only, so finding a
vote in a bundle of a million events takes seconds, not the minutes a full decode would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from frombelow import tally
from frombelow.federation.events import from_json
from frombelow.federation.voting import (
    QUESTION_METHOD,
    PollCounted,
    PollOpened,
    recount_published,
    tally_election,
)
from frombelow.ledger.stores import EVENTS_FILE

_KINDS = (b'"kind":"poll opened"', b'"kind":"poll counted"')


class NoSuchVote(LookupError):
    """The bundle holds no counted vote by that name."""


@dataclass(frozen=True)
class Recount:
    opened: PollOpened
    published: PollCounted
    recounted: PollCounted
    rounds: tally.Result | None  # an election's count with every round; None for a question

    @property
    def agrees(self) -> bool:
        return self.recounted == self.published


def votes(bundle_dir: Path | str) -> Iterator[tuple[PollOpened, PollCounted]]:
    """Every counted vote of the bundle, in the order counted."""
    opened: dict[str, PollOpened] = {}
    with open(Path(bundle_dir) / EVENTS_FILE, "rb") as lines:
        for line in lines:
            if not any(kind in line for kind in _KINDS):
                continue
            event = from_json(json.loads(line)["event"])
            if isinstance(event, PollOpened):
                opened[event.poll] = event
            elif isinstance(event, PollCounted) and event.poll in opened:
                yield opened.pop(event.poll), event


def find(bundle_dir: Path | str, name: str) -> tuple[PollOpened, PollCounted]:
    """The vote called ``name``: a poll id ("vote on m1"), or an election's id (its poll is "election <id>")."""
    for opened, counted in votes(bundle_dir):
        if name in (opened.poll, opened.subject) or opened.poll == f"election {name}":
            return opened, counted
    raise NoSuchVote(f"no counted vote {name!r} in {bundle_dir} (`frombelow recount BUNDLE` lists them)")


def recount(opened: PollOpened, published: PollCounted) -> Recount:
    recounted = recount_published(opened, published)
    rounds = None
    marked = [b for b in published.ballots if b.marks]
    if opened.method != QUESTION_METHOD and marked and not published.outcome.startswith("count failed"):
        rounds = tally_election(opened.poll, opened.choices, opened.method, opened.seats, marked)
    return Recount(opened, published, recounted, rounds)
