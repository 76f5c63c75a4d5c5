"""``frombelow export DIR``: the ledger table as a bundle that ``frombelow verify`` checks."""

from __future__ import annotations

from pathlib import Path

from frombelow.ledger.bundles import write_bundle
from frombelow.ledger.log import Ledger
from frombelow.web import recording
from frombelow.web.ledger_table import DatabaseStore


def export(directory: Path | str) -> Path:
    """Sign what no checkpoint covers yet, then write every entry, checkpoint and published ballot."""
    recording.record(lambda _state, _at: [], sign=True)  # counts what has fallen due, and signs it all
    ledger = Ledger(DatabaseStore(), recording.signer())
    secret, published = set(), {}
    for entry in ledger.entries():
        event = entry.event
        if event.kind == "poll opened" and event.secret:
            secret.add(event.poll)
        elif event.kind == "poll counted" and event.poll in secret:
            published[event.poll] = event.ballots
    return write_bundle(directory, ledger, published)
