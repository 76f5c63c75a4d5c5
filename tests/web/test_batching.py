"""Group commit: the commands waiting at one moment are recorded in one transaction, and each
gets its own answer. The batch is built here as the recording builds it under load (the
commands other threads queued while this one waited), in one thread, so it is the same every run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frombelow.ballotbox import check_receipt
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import Event
from frombelow.web import recording
from frombelow.web.actions import cast_ballot, settle
from frombelow.web.models import BoxSlot, BoxToken, LedgerEntry, LedgerHead, PollRow
from frombelow.web.rebuild import rebuild
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db


def _by_election() -> PollRow:
    return PollRow.objects.get(purpose="election", counted=False)


def _voters(poll: PollRow, count: int) -> list[str]:
    electorate = recording.state().polls[poll.id].electorate
    return sorted(electorate)[:count]


def _queued(decider: Callable) -> recording._Command:
    """A command another thread is waiting on: the next batch takes it."""
    command = recording._Command(decider, sign=False)
    recording._waiting.append(command)
    return command


def _ballot(member: str, poll: str, marks: list[str]) -> Callable:
    """The decider ``cast_ballot`` records for a secret ballot, and what it hands back."""
    given = []

    def cast(state, at) -> list[Event]:
        box = cast_ballot.BallotBox(state, poll, recording.box(poll))
        events, receipt = box.cast(state, box.issue(state, member), marks, at)
        given[:] = [receipt]
        return events

    cast.given = given
    return cast


def test_ballots_waiting_together_are_recorded_in_one_transaction_each_with_its_receipt(platform_clock):
    poll = _by_election()
    choices = poll.data["choices"]
    first, second, third = _voters(poll, 3)
    size = LedgerHead.objects.get(pk=1).size
    waiting = [_ballot(first, poll.id, choices[:1]), _ballot(second, poll.id, choices[1:2])]
    commands = [_queued(decider) for decider in waiting]
    receipt = cast_ballot.run(third, poll.id, choices[:2])  # takes its turn, and the two waiting with it
    assert all(command.done and command.refusal is None for command in commands)
    cast = list(LedgerEntry.objects.filter(index__gte=size).order_by("index").values_list("kind", "data"))
    assert [kind for kind, _ in cast] == ["ballot cast"] * 3
    assert len({data.split('"at":')[1][:30] for _, data in cast}) == 1  # one batch, one time
    assert BoxToken.objects.filter(poll=poll.id, voted=True).count() == poll.turnout + 3
    assert PollRow.objects.get(id=poll.id).turnout == poll.turnout + 3
    platform_clock.advance(days=30)
    settle.run()
    published = recording.state().polls[poll.id].counted.ballots
    for given in [decider.given[0] for decider in waiting] + [receipt]:
        assert check_receipt(published, given)


def test_a_refused_command_in_a_batch_leaves_nothing_and_the_others_are_recorded():
    poll = _by_election()
    choices = poll.data["choices"]
    voter, other = _voters(poll, 2)
    outsider = next(m for m in recording.state().members if m not in recording.state().polls[poll.id].electorate)
    refused = _queued(_ballot(outsider, poll.id, choices[:1]))
    bad_marks = _queued(_ballot(other, poll.id, ["nobody-standing"]))
    cast_ballot.run(voter, poll.id, choices[:1])
    assert isinstance(refused.refusal, NotAllowed) and refused.events == []
    assert bad_marks.refusal is not None and bad_marks.events == []
    assert not BoxToken.objects.filter(poll=poll.id, member__in=[outsider, other]).exists()
    assert BoxToken.objects.filter(poll=poll.id, voted=True).count() == poll.turnout + 1
    assert BoxSlot.objects.filter(poll=poll.id, ballot__isnull=False).count() == poll.turnout + 1
    assert LedgerEntry.objects.count() == LedgerHead.objects.get(pk=1).size


def test_a_batch_that_fails_as_a_whole_is_recorded_again_one_command_at_a_time():
    poll = _by_election()
    choices = poll.data["choices"]
    voter, other = _voters(poll, 2)
    size = LedgerHead.objects.get(pk=1).size

    def broken(state, at) -> list[Event]:
        raise RuntimeError("a bug in one command")

    failing = _queued(broken)
    fine = _queued(_ballot(other, poll.id, choices[:1]))
    receipt = cast_ballot.run(voter, poll.id, choices[:1])
    assert isinstance(failing.refusal, RuntimeError)
    assert fine.refusal is None and len(fine.events) == 1 and receipt is not None
    assert LedgerHead.objects.get(pk=1).size == LedgerEntry.objects.count() == size + 2
    ledger, state = recording._held  # rewound, then carried on: no need to read the ledger again
    assert ledger.size == state.events == size + 2
    live = snapshot()
    rebuild()
    assert snapshot() == live


def test_a_transaction_that_fails_after_the_ledger_grew_in_memory_leaves_memory_as_the_database(monkeypatch):
    poll = _by_election()
    voter, later = _voters(poll, 2)
    size = LedgerHead.objects.get(pk=1).size

    def fails(before, after) -> None:
        raise RuntimeError("the database went away while writing the projections")

    monkeypatch.setattr(recording, "project", fails)
    with pytest.raises(RuntimeError, match="went away"):
        cast_ballot.run(voter, poll.id, poll.data["choices"][:1])
    monkeypatch.undo()
    assert LedgerHead.objects.get(pk=1).size == LedgerEntry.objects.count() == size
    assert not BoxToken.objects.filter(poll=poll.id, member=voter).exists()
    ledger, state = recording._held
    assert ledger.size == state.events == size and voter not in state.polls[poll.id].turnout
    cast_ballot.run(voter, poll.id, poll.data["choices"][:1])  # the same ballot, now recorded
    cast_ballot.run(later, poll.id, poll.data["choices"][:1])
    assert LedgerHead.objects.get(pk=1).size == LedgerEntry.objects.count() == size + 2
    live = snapshot()
    rebuild()
    assert snapshot() == live


def test_a_command_that_fails_alone_runs_once_and_is_not_left_waiting():
    calls = []

    def broken(state, at) -> list[Event]:
        calls.append(at)
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        recording.record(broken)
    assert len(calls) == 1 and recording._waiting == []
    assert recording.record(lambda state, at: []) == [] and len(calls) == 1


def test_a_ballot_whose_slot_another_process_filled_meanwhile_is_put_in_another_empty_slot():
    from datetime import UTC, datetime

    from frombelow.ballotbox import StoredBallot
    from frombelow.federation.voting import BallotCast
    from frombelow.web.ballot_table import Boxes

    poll = _by_election()
    choices = poll.data["choices"]
    first, elsewhere = _voters(poll, 2)
    cast_ballot.run(first, poll.id, choices[:1])  # the box's slots exist from here
    here, there = Boxes(), Boxes()  # this process's boxes, kept from its last batch; another process's
    ours = here.store(poll.id)
    slot = ours.vacancy(0)
    theirs = there.store(poll.id)
    theirs.put(slot, StoredBallot(tuple(choices[1:2]), "", "b" * 64, ""))  # the other process takes that slot
    theirs.keep()
    theirs.flush()
    here.saw([BallotCast(elsewhere, datetime.now(UTC), poll.id)])
    assert ours.holds_token(elsewhere)
    ours.put(slot, StoredBallot(tuple(choices[:1]), "", "a" * 64, ""))  # as it still believes it empty
    ours.keep()
    ours.flush()
    held = {b.receipt: b.marks for b in Boxes().store(poll.id).ballots()}
    assert held["b" * 64] == tuple(choices[1:2]) and held["a" * 64] == tuple(choices[:1])
    assert BoxSlot.objects.filter(poll=poll.id, ballot__isnull=False).count() == poll.turnout + 3
