"""Commands recorded in batches: the rules decide, the ledger records, the projector applies.

    events = recording.run(lambda at: Join(member, at, code))       # most actions: one command
    events = recording.record(lambda state, at: [...])               # or any events the rules give

Time is the platform's: ``at`` is read once the head row is locked, so entries are dated
in the order they are appended, whichever process appends them.

Each command waits its turn in this process; whoever gets the turn records every command
waiting at that moment (its own and other threads'), in one database transaction: lock
the ledger's head row (so writers, in any number of processes, append one batch at a
time to the one chain), take in what other processes appended since this one last
looked, settle what has fallen due (polls past their close are counted, decisions past
their veto window take effect), then for each command ask the rules for its events (a
refusal, ``RuleBroken``, is that command's answer and leaves nothing), append them; sign a
checkpoint when one is due, write the ledger rows, the ballot boxes' rows and the
projections, and commit once. Each command's caller gets its events (or its refusal)
only after that commit. One commit for many commands is what lets a congress vote at
once (the commit, waiting on the disk, is most of a command's cost); a batch whose
transaction fails as a whole is recorded again one command per transaction, so one
command's failure is never another's.

A decider runs inside the batch: it must refuse before writing anything of its own, and
it opens ballot boxes through ``box(poll)``, whose writes wait for the batch's end.

The federation's state is kept in memory between batches, as the events built it; a
transaction that fails rewinds the ledger in memory to where it stood, so nothing needs
to be read again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from frombelow.ballotbox import BallotBox
from frombelow.federation import State, decide, replay
from frombelow.federation.commands import Command
from frombelow.federation.errors import RuleBroken
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.veto import TakeEffect
from frombelow.federation.voting import ClosePoll
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import Signer, load_private_key, save_private_key
from frombelow.web import clock, ledger_table
from frombelow.web.ballot_table import Boxes, DatabaseBoxStore
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import LedgerHead
from frombelow.web.projector import project

Decider = Callable[[State, datetime], list[Event]]

_log = logging.getLogger(__name__)
_turn = threading.Lock()  # one batch at a time in this process (the head row's lock orders processes)
_waiting: list[_Command] = []  # commands waiting for the turn, taken all at once by whoever gets it
_waiting_lock = threading.Lock()
_held: tuple[Ledger, State] | None = None  # the ledger and the state as of the last batch
_boxes: Boxes | None = None  # the running batch's ballot boxes
_kept_boxes: tuple[int, Boxes] | None = None  # the boxes as of a ledger size, kept from batch to batch


@dataclass(eq=False)
class _Command:
    decider: Decider
    sign: bool
    events: list[Event] = field(default_factory=list)
    refusal: Exception | None = None
    done: bool = False


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
    """Run one command (``decider`` gives its events from the state and the time), with
    whatever other commands are waiting, and return its events once they are committed.

    ``sign``: sign a checkpoint over every entry, due or not (an export covers signed entries only)."""
    command = _Command(decider, sign)
    with _waiting_lock:
        _waiting.append(command)
    with _turn:
        if not command.done:  # no other thread recorded it meanwhile: record it, and all that wait
            _record(command)
    if command.refusal is not None:
        raise command.refusal
    return command.events


def box(poll: str) -> DatabaseBoxStore:
    """The ballot box of ``poll`` as the running batch reads and writes it (for a decider)."""
    if _boxes is None:
        raise RuntimeError("a ballot box is opened by a decider, inside a recorded command")
    return _boxes.store(poll)


def state() -> State:
    """The federation's state as the ledger table holds it now (for reads that need the rules)."""
    global _held
    with _turn:
        size = LedgerHead.objects.values_list("size", flat=True).get(pk=1)
        ledger, state, _ = _current(size)
        _held = (ledger, state)
        return state


def forget() -> None:
    """Drop the state kept in memory (after ``rebuild``, or in tests between databases)."""
    global _held, _kept_boxes
    with _turn:
        _held = _kept_boxes = None


def _record(own: _Command) -> None:
    batch: list[_Command] = []
    try:
        _commit(batch, own)
        return
    except Exception as error:  # noqa: BLE001 - a failure is answered to the commands it failed
        if len(batch) <= 1:  # ``own`` alone, or not taken at all: its failure is its answer
            with _waiting_lock:
                if own in _waiting:
                    _waiting.remove(own)  # or another thread would record it after this one was told it failed
            own.refusal, own.done = error, True
            return
        _log.warning("a batch of %d commands failed as a whole: recording them one by one", len(batch))
    for command in batch:  # each again on its own: its own failure is its answer, and no other's
        try:
            _commit([command])
        except Exception as error:  # noqa: BLE001 - raised in its caller's thread, as if recorded there
            command.refusal, command.done = error, True


def _take(own: _Command) -> list[_Command]:
    """Every command waiting now: those that came while this batch waited for the head row count too."""
    with _waiting_lock:
        batch = list(_waiting)
        _waiting.clear()
    if own not in batch:  # taken by a batch that died of a BaseException, and left undone
        batch.insert(0, own)
    return batch


def _commit(batch: list[_Command], own: _Command | None = None) -> None:
    """Record ``batch`` in one transaction (with ``own``: all that wait, once the head row is
    locked); each command's answer is set once the transaction has committed."""
    global _held, _boxes, _kept_boxes
    _kept_boxes, kept_boxes = None, _kept_boxes  # kept again only if this batch commits
    ledger: Ledger | None = None
    answers: list[tuple[_Command, list[Event], Exception | None]] = []
    try:
        with transaction.atomic():
            size = ledger_table.locked_size()
            if own is not None:
                batch.extend(_take(own))
            since = _held[0].size if _held is not None else None
            ledger, state, foreign = _current(size)
            mark, before = ledger.mark(), state
            _held = (ledger, before)
            if kept_boxes is not None and foreign is not None and kept_boxes[0] == since:
                _boxes = boxes = kept_boxes[1]
                boxes.saw(foreign)  # the ballots other processes recorded meanwhile
            else:
                _boxes = boxes = Boxes()
            at = clock.now()
            if state.clock is not None and at < state.clock:  # another machine's clock ran ahead
                at = state.clock
            state = _settle(ledger, state, at)
            for command in batch:
                try:
                    events = command.decider(state, at)
                    after = replay(events, state)
                except RuleBroken as refusal:
                    boxes.discard()
                    answers.append((command, [], refusal))
                    continue
                boxes.keep()
                ledger.record(events, at)
                state = after
                answers.append((command, events, None))
            if any(command.sign for command in batch) and ledger.unsigned:
                ledger.checkpoint(at)
            boxes.flush()
            ledger.store.flush()
            project(before, state)
            ledger_table.set_size(ledger.size)
    except BaseException:
        if ledger is not None:  # nothing of the batch is in the tables: forget it in memory too
            ledger.store.discard()
            ledger.rewind(mark)
        raise
    finally:
        _boxes = None
    _held, _kept_boxes = (ledger, state), (ledger.size, boxes)
    for command, events, refusal in answers:
        command.events, command.refusal, command.done = events, refusal, True


def _current(size: int) -> tuple[Ledger, State, list[Event] | None]:
    """The ledger and the state as of ``size`` entries, taking in what other processes appended
    (and those events; None when the whole ledger was read)."""
    global _held
    if _held is None or _held[0].size > size:
        ledger = Ledger(DatabaseStore(deferred=True), signer())
        return ledger, replay(entry.event for entry in ledger.entries()), None
    ledger, state = _held
    _held = None  # until the catching up is done: should it fail, the ledger is read again
    foreign = [entry.event for entry in ledger.catch_up(size)]
    return ledger, replay(foreign, state), foreign


def _append(ledger: Ledger, state: State, events: list[Event], at: datetime) -> State:
    new = replay(events, state)
    ledger.record(events, at)
    return new


def _settle(ledger: Ledger, state: State, at: datetime) -> State:
    """Count every poll whose time is up and bring into effect every decision whose veto window passed."""
    for poll in sorted((p for p in state.polls.values() if p.counted is None and p.closes_at <= at), key=_closing):
        if poll.secret:
            events, _ = BallotBox(state, poll.id, box(poll.id)).close(state, at)
        else:
            events = decide(state, ClosePoll(THE_COUNT, at, poll.id))
        state = _append(ledger, state, events, at)
    for decision in sorted(state.decisions.values(), key=lambda d: (d.takes_effect_at, d.motion)):
        if decision.status == "waiting for the veto window" and decision.takes_effect_at <= at:
            state = _append(ledger, state, decide(state, TakeEffect(THE_COUNT, at, decision.motion)), at)
    return state


def _closing(poll: object) -> tuple:
    return (poll.closes_at, poll.id)
