"""One command, one transaction: the rules decide, the ledger records, the projector applies.

    events = recording.run(lambda at: Join(member, at, code))       # most actions: one command
    events = recording.record(lambda state, at: [...])               # or any events the rules give

Time is the platform's: ``at`` is read once the head row is locked, so entries are dated
in the order they are appended, whichever process appends them.


Inside one database transaction: lock the ledger's head row (so writers, in any number
of processes, append one command at a time to the one chain), take in what other
processes appended since this one last looked, settle what has fallen due (polls past
their close are counted, decisions past their veto window take effect), ask the rules
for the command's events (a refusal raises ``RuleBroken`` and the transaction writes
nothing), append them to the ledger table, sign a checkpoint when one is due, and write
the projections. The federation's state is kept in memory between commands, as the
events built it; a transaction that fails after appending drops it, to be rebuilt from
the ledger table on the next command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from frombelow.ballotbox import BallotBox
from frombelow.federation import State, decide, replay
from frombelow.federation.commands import Command
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.veto import TakeEffect
from frombelow.federation.voting import ClosePoll
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import Signer, load_private_key, save_private_key
from frombelow.web import clock
from frombelow.web.ballot_table import DatabaseBoxStore
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import LedgerHead
from frombelow.web.projector import project

Decider = Callable[[State, datetime], list[Event]]

_lock = threading.Lock()  # one command at a time in this process (the head row's lock orders processes)
_held: tuple[Ledger, State] | None = None


def signer() -> Signer:
    """The instance's Ed25519 key: made on first use and kept in ``settings.SIGNING_KEY``."""
    path = Path(settings.SIGNING_KEY)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        save_private_key(Signer.generate(), path)
    return load_private_key(path)


def run(command: Callable[[datetime], Command]) -> list[Event]:
    """Record the events the rules give for ``command(at)``, or raise their refusal."""
    return record(lambda state, at: decide(state, command(at)))


def record(decider: Decider, sign: bool = False) -> list[Event]:
    """Run one command (``decider`` gives its events from the state and the time) and commit it.

    ``sign``: sign a checkpoint over every entry, due or not (an export covers signed entries only)."""
    global _held
    with _lock:
        try:
            with transaction.atomic():
                head = LedgerHead.objects.select_for_update().get(pk=1)
                ledger, state = _current(head.size)
                _held = (ledger, state)  # kept even if the rules refuse: a refusal must not replay the ledger again
                at = clock.now()
                if state.clock is not None and at < state.clock:  # another machine's clock ran ahead
                    at = state.clock
                state = _settle(ledger, state, at)
                events = decider(state, at)
                state = _append(ledger, state, events, at)
                if sign and ledger.unsigned:
                    ledger.checkpoint(at)
                head.size = ledger.size
                head.save(update_fields=["size"])
        except BaseException:
            if _held is not None and _held[0].size != _held[1].events:
                _held = None  # the ledger in memory ran ahead of the database: read it again next time
            raise
        _held = (ledger, state)
    return events


def state() -> State:
    """The federation's state as the ledger table holds it now (for reads that need the rules)."""
    global _held
    with _lock:
        size = LedgerHead.objects.values_list("size", flat=True).get(pk=1)
        _held = _current(size)
        return _held[1]


def forget() -> None:
    """Drop the state kept in memory (after ``rebuild``, or in tests between databases)."""
    global _held
    with _lock:
        _held = None


def _current(size: int) -> tuple[Ledger, State]:
    """The ledger and the state as of ``size`` entries, taking in what other processes appended."""
    if _held is None or _held[0].size > size:
        ledger = Ledger(DatabaseStore(), signer())
        return ledger, replay(entry.event for entry in ledger.entries())
    ledger, state = _held
    if ledger.size < size:
        state = replay((entry.event for entry in ledger.catch_up()), state)
    return ledger, state


def _append(ledger: Ledger, state: State, events: list[Event], at: datetime) -> State:
    new = replay(events, state)
    ledger.record(events, at)
    project(state, new)
    return new


def _settle(ledger: Ledger, state: State, at: datetime) -> State:
    """Count every poll whose time is up and bring into effect every decision whose veto window passed."""
    for poll in sorted((p for p in state.polls.values() if p.counted is None and p.closes_at <= at), key=_closing):
        if poll.secret:
            events, _ = BallotBox(state, poll.id, DatabaseBoxStore(poll.id)).close(state, at)
        else:
            events = decide(state, ClosePoll(THE_COUNT, at, poll.id))
        state = _append(ledger, state, events, at)
    for decision in sorted(state.decisions.values(), key=lambda d: (d.takes_effect_at, d.motion)):
        if decision.status == "waiting for the veto window" and decision.takes_effect_at <= at:
            state = _append(ledger, state, decide(state, TakeEffect(THE_COUNT, at, decision.motion)), at)
    return state


def _closing(poll: object) -> tuple:
    return (poll.closes_at, poll.id)
