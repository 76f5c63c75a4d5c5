"""Histories and bundles for the ledger's tests: a tiny one (every byte of it can be
tampered with) and the simulated federation of ``frombelow.demo`` (10 k events)."""

from __future__ import annotations

import functools
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frombelow import demo
from frombelow.federation import execute
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join
from frombelow.federation.events import THE_COUNT, CouncilPlan, Event
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.state import State
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll
from frombelow.ledger.bundles import write_bundle
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import Signer

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KEY = Signer.from_seed(b"the ledger's tests")
TAMPER_EVENTS = 10_000


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def tiny_history() -> tuple[list[list[Event]], dict[str, list[Ballot]]]:
    """A local of three founds itself, grows, and votes in secret on a motion: each command's
    events, and the ballots the box published."""
    plans = (CouncilPlan("congress", "Congress", None), CouncilPlan("local-1", "Local 1", "congress"))
    commands = [FoundFederation("ann", at(0), "metal", "Metal", Charter(), plans, (("ann", "local-1"),))]
    for i, newcomer in enumerate(("bo", "cy")):
        code = f"code-{newcomer}-0123456789"
        commands += [IssueInvitation("ann", at(1 + i), "local-1", code), Join(newcomer, at(1.5 + i), code)]
    commands += [ProposeMotion("ann", at(4), "m1", "local-1", "Strike fund", "Raise dues"), CallVote("bo", at(5), "m1")]
    marks = {"ann": "yes", "bo": "yes", "cy": "no"}
    commands += [CastBallot(voter, at(6), "vote on m1", (choice,)) for voter, choice in marks.items()]
    published = [Ballot(("no",)), Ballot(("yes",)), Ballot(("yes",))]
    commands.append(ClosePoll(THE_COUNT, at(7), "vote on m1", tuple(published)))
    state, batches = State(), []
    for command in commands:
        state, events = execute(state, command)
        batches.append(events)
    return batches, {"vote on m1": published}


def record(batches: list[list[Event]], every: int, signer: Signer = KEY) -> Ledger:
    ledger = Ledger(signer=signer)
    for batch in batches:
        ledger.record(batch, batch[-1].at, every=every)
    if ledger.unsigned:
        ledger.checkpoint(batches[-1][-1].at)
    return ledger


@functools.cache
def tiny_bundle() -> Path:
    """The tiny history as a bundle, with a checkpoint every 3 entries (and after the count)."""
    batches, ballots = tiny_history()
    return write_bundle(Path(tempfile.mkdtemp(prefix="tiny-bundle-")), record(batches, every=3), ballots)


@functools.cache
def demo_bundle() -> Path:
    """A simulated federation of 10 k events or more, as a bundle (a checkpoint at every election, every 1,000 entries)."""
    federation = demo.run(seed=1871, members=300, weeks=40)
    assert sum(len(b) for b in federation.batches) >= TAMPER_EVENTS
    return write_bundle(
        Path(tempfile.mkdtemp(prefix="demo-bundle-")), record(federation.batches, 1_000), federation.published
    )


def copy_of(bundle: Path, into: Path) -> Path:
    """A copy of the bundle to tamper with."""
    target = into / "bundle"
    shutil.copytree(bundle, target)
    return target


def lines_of(path: Path) -> list[bytes]:
    """A JSON Lines file's lines, each with its newline."""
    return path.read_bytes().splitlines(keepends=True)
