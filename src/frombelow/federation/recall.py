"""Recall: the council that elected a delegate (or the members below it) takes them back.

A delegate sits in council C for one constituent K, the council directly below C that
elected them. Only K can recall them: by a secret recall vote of those who sit in K, or
of every member of K's subtree. No one above K (C itself, the congress, another
constituent's delegates) has any say: that is invariant 1, "no control from above".

A recall vote is a secret poll (``voting.py``) of council K with purpose "recall" and the
delegate's member id as its subject (C is K's parent, so the pair names the seat). It is
opened by ``open_recall_vote``: by mandates, when a delegate votes against a
recall-trigger mandate, and by petitions reaching their threshold. Carried by a simple
majority of those voting (with the charter's quorum), the delegate is recalled and
``elections.vacate`` vacates the seat and calls a by-election.

Choices made here:

- One recall vote at a time per delegate: while one is open, ``open_recall_vote`` opens
  no other (a second deviation from a mandate adds nothing to the vote already running).
- The count acts on the seat as it stands at the count: if the delegate no longer sits
  (their term ended, they left), the recall is recorded as lost for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frombelow.federation import voting
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import Event
from frombelow.federation.state import Delegate, State

THE_COUNT = voting.THE_COUNT
RECALL = "recall"  # the purpose of a recall vote


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecallVoteCalled(Event):
    """Why a recall vote opened; the vote itself is the ``PollOpened`` that follows."""

    kind: ClassVar[str] = "recall vote called"
    poll: str
    council: str  # the council the delegate sits in
    delegate: str  # their member id
    constituent: str  # the council that elected them, where the vote is held
    scope: voting.Scope  # "council": those sitting in it; "subtree": every member below it
    cause: str
    petition: str | None = None  # the recall petition that called it, if any


@dataclass(frozen=True)
class DelegateRecalled(Event):
    kind: ClassVar[str] = "delegate recalled"
    council: str
    delegate: str
    constituent: str
    poll: str | None  # the recall vote that carried; None when a majority's signatures removed them
    petition: str | None


@dataclass(frozen=True)
class RecallLost(Event):
    kind: ClassVar[str] = "recall lost"
    council: str
    delegate: str
    constituent: str
    poll: str
    petition: str | None
    outcome: str  # "lost", "no quorum" or "no longer seated"


# --- reading the state ---------------------------------------------------------------------


def open_recall(state: State, delegate: Delegate) -> voting.Poll | None:
    """The recall vote now open against ``delegate``, if any."""
    n = 1
    while (poll := state.polls.get(recall_poll_id(delegate, n))) is not None:
        if poll.counted is None:
            return poll
        n += 1
    return None


def recall_poll_id(delegate: Delegate, n: int) -> str:
    """The id of the ``n``-th recall vote against one seat (ids are never reused)."""
    return f"recall {n} of {delegate.member} from {delegate.council}"


def _next_poll_id(state: State, delegate: Delegate) -> str:
    n = 1
    while recall_poll_id(delegate, n) in state.polls:
        n += 1
    return recall_poll_id(delegate, n)


def seat_of(state: State, council: str, member: str) -> Delegate:
    """The seat ``member`` holds in ``council``, or a refusal."""
    seat = state.delegates.get((council, member))
    if seat is None:
        raise NotAllowed(f"{member} does not sit in {state.council(council).name}")
    return seat


# --- deciding ------------------------------------------------------------------------------


def open_recall_vote(state: State, delegate: Delegate, at: datetime, actor: str, cause: str) -> list[Event]:
    """The events opening a secret recall vote of ``delegate``'s constituent: [] if one is open already."""
    return call_recall_vote(state, delegate, at, actor, cause, "council", None)


def call_recall_vote(
    state: State,
    delegate: Delegate,
    at: datetime,
    actor: str,
    cause: str,
    scope: voting.Scope,
    petition: str | None,
) -> list[Event]:
    seat = seat_of(state, delegate.council, delegate.member)
    if open_recall(state, seat) is not None:
        return []
    poll_id = _next_poll_id(state, seat)
    question = f"Recall {seat.member} from {state.council(seat.council).name}?"
    opened = voting.open_poll(
        state, actor, at, poll_id, seat.constituent, RECALL, seat.member, question, scope=scope, secret=True
    )
    called = RecallVoteCalled(actor, at, poll_id, seat.council, seat.member, seat.constituent, scope, cause, petition)
    return [called, opened]


def _vacate(state: State, delegate: Delegate, at: datetime, cause: str) -> list[Event]:
    """The seat vacated and a by-election called (``elections.vacate``)."""
    # Imported here until elections.py lands beside this module.
    from frombelow.federation import elections

    return elections.vacate(state, delegate, at, THE_COUNT, cause)


@voting.on_counted(RECALL)
def counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    council = state.council(poll.council).parent
    assert council is not None  # a recall vote is held in a constituent, which has a council above it
    petition = next((p.id for p in state.petitions.values() if getattr(p, "poll", None) == poll.id), None)
    seat = state.delegates.get((council, poll.subject))
    if seat is None or seat.constituent != poll.council:
        return [
            RecallLost(THE_COUNT, result.at, council, poll.subject, poll.council, poll.id, petition, "no longer seated")
        ]
    if result.outcome != "carried":
        return [
            RecallLost(THE_COUNT, result.at, council, poll.subject, poll.council, poll.id, petition, result.outcome)
        ]
    recalled = DelegateRecalled(THE_COUNT, result.at, council, seat.member, seat.constituent, poll.id, petition)
    cause = f"recalled by the vote of {state.council(poll.council).name}"
    return [recalled, *_vacate(state, seat, result.at, cause)]


# --- applying ------------------------------------------------------------------------------


def recall_vote_called(state: State, event: RecallVoteCalled) -> State:
    return state  # the vote is in state.polls; this event records why it was called


def delegate_recalled(state: State, event: DelegateRecalled) -> State:
    return state  # the seat is vacated by the events of elections.vacate that follow


def recall_lost(state: State, event: RecallLost) -> State:
    return state


DECIDERS: dict = {}
APPLIERS = {RecallVoteCalled: recall_vote_called, DelegateRecalled: delegate_recalled, RecallLost: recall_lost}
