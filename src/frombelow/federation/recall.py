"""Recall: the council that elected a delegate (or the members below it) takes them back.

A delegate sits in council C for one constituent K, the council directly below C that
elected them. Only K can recall them: by a secret recall vote of those who sit in K
(scope "council"), or of every member of K's subtree (scope "subtree": the members of
local-1 may recall North District's delegate to the congress). No one above K (C itself,
the congress, another constituent's delegates) has any say: invariant 1, "no control
from above".

- A recall vote is a secret poll (``voting.py``) of council K with purpose "recall" and
  the delegate's member id as its subject (C is K's parent, so the pair names the seat).
  ``open_recall_vote`` opens one: mandates call it when a delegate votes against a
  recall-trigger mandate, and a petition calls it on reaching its threshold. Carried by
  a simple majority of those voting (with the charter's quorum), the delegate is
  recalled and ``elections.vacate`` vacates the seat and calls a by-election.
- A recall petition (``PetitionRecall``, signed by its petitioner in starting it, then
  ``SignRecall``) is open to those the vote would be: the members (or seated delegates)
  of K, or every member of K's subtree. Its threshold is the charter's recall threshold
  times that electorate, fixed at the start. In the charter's "immediate" mode there is
  no vote: once more than half of the electorate has signed, the delegate is recalled.
  Signatures may be withdrawn while the petition collects (``petitions.py``).

``state.petitions`` holds the recall petitions: id -> ``RecallPetition`` (status
"collecting signatures", then "put to the vote", "recalled", "lost", or "lapsed" when the
delegate was recalled by another petition's vote). Initiatives share the map.

Choices made here:

- One open petition per seat and scope, and no petition while a recall vote of that
  scope is running (vote in it instead). ``open_recall_vote`` opens no second vote of a
  scope: a second deviation from a mandate adds nothing to the vote already running,
  and a petition reaching its threshold then joins that vote (its status points to it).
- A petition is against one term of a seat: if the delegate no longer holds it (term
  ended, seat vacated), the petition takes no more signatures. The count acts on the
  seat as it stands at the count: if the delegate no longer sits, the recall is lost
  for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from frombelow.federation import elections, petitions, voting
from frombelow.federation.charter import RecallMode
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, Delegate, State

RECALL = "recall"  # the purpose of a recall vote
RecallStatus = Literal["collecting signatures", "put to the vote", "recalled", "lost", "lapsed"]


@dataclass(frozen=True)
class RecallPetition:
    kind: ClassVar[str] = "recall petition"
    id: str
    federation: str
    council: str  # the council the delegate sits in
    delegate: str  # their member id
    constituent: str  # the council that elected them
    term: int  # the term of the seat petitioned against
    scope: voting.Scope
    reason: str
    mode: RecallMode  # the charter's, when the petition started
    started_by: str
    started_at: datetime
    electorate: int  # how many may sign
    needed: int  # signatures that open the recall vote (or, "immediate", recall the delegate)
    signatures: frozenset[str] = frozenset()
    status: RecallStatus = "collecting signatures"
    poll: str | None = None  # the recall vote it called

    @property
    def title(self) -> str:
        return f"the petition to recall {self.delegate} from {self.council}"


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionRecall(Command):
    petition: str
    council: str  # the council the delegate sits in
    delegate: str  # their member id
    scope: voting.Scope = "council"
    reason: str = ""


@dataclass(frozen=True)
class SignRecall(Command):
    petition: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecallPetitioned(Event):
    """A recall petition started; its petitioner is its first signature."""

    kind: ClassVar[str] = "recall petition started"
    petition: str
    council: str
    delegate: str
    constituent: str
    term: int
    scope: voting.Scope
    reason: str
    mode: RecallMode
    electorate: int
    needed: int


@dataclass(frozen=True)
class RecallSigned(Event):
    kind: ClassVar[str] = "recall petition signed"
    petition: str


@dataclass(frozen=True)
class RecallVoteCalled(Event):
    """Why a recall vote opened; the vote itself is the ``PollOpened`` that follows (if not open already)."""

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
    petition: str | None  # the petition whose signatures removed them ("immediate" mode)


@dataclass(frozen=True)
class RecallLost(Event):
    kind: ClassVar[str] = "recall lost"
    council: str
    delegate: str
    constituent: str
    poll: str
    outcome: str  # "lost", "no quorum" or "no longer seated"


# --- reading the state ---------------------------------------------------------------------


def recall_poll_id(delegate: Delegate, scope: voting.Scope, n: int) -> str:
    """The id of the ``n``-th recall vote of one scope against one seat (ids are never reused)."""
    below = f" by all members under {delegate.constituent}" if scope == "subtree" else ""
    return f"recall {n} of {delegate.member} from {delegate.council}{below}"


def open_recall(state: State, delegate: Delegate, scope: voting.Scope) -> voting.Poll | None:
    """The recall vote of ``scope`` now open against ``delegate``, if any."""
    n = 1
    while (poll := state.polls.get(recall_poll_id(delegate, scope, n))) is not None:
        if poll.counted is None:
            return poll
        n += 1
    return None


def _next_poll_id(state: State, delegate: Delegate, scope: voting.Scope) -> str:
    n = 1
    while recall_poll_id(delegate, scope, n) in state.polls:
        n += 1
    return recall_poll_id(delegate, scope, n)


def seat_of(state: State, council: str, member: str) -> Delegate:
    """The seat ``member`` holds in ``council``, or a refusal."""
    seat = state.delegates.get((council, member))
    if seat is None:
        raise NotAllowed(f"{member} does not sit in {state.council(council).name}")
    return seat


def _live_seat(state: State, petition: RecallPetition) -> Delegate:
    seat = state.delegates.get((petition.council, petition.delegate))
    if seat is None or (seat.constituent, seat.term) != (petition.constituent, petition.term):
        name = state.council(petition.council).name
        raise NotAllowed(f"{petition.delegate} no longer holds the seat in {name} that {petition.title} is against")
    return seat


def _check_may_sign(state: State, constituent: Council, scope: voting.Scope, actor: str, doing: str) -> None:
    """Those the recall vote would ask, and no one else (above all, no one above ``constituent``)."""
    state.member(actor)
    if scope == "subtree":
        member = state.members[actor]
        if not state.is_under(member.council, constituent.id):
            raise NotAllowed(f"only members under {constituent.name} may {doing}")
    elif not voting.sits_in(state, constituent.id, actor):
        who = "members of" if constituent.kind == "base" else "delegates seated in"
        raise NotAllowed(f"only {who} {constituent.name} may {doing}")


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
    running = open_recall(state, seat, scope)
    if running is not None:
        # A petition reaching its threshold joins the vote already running; nothing else changes.
        joined = RecallVoteCalled(
            actor, at, running.id, seat.council, seat.member, seat.constituent, scope, cause, petition
        )
        return [joined] if petition is not None else []
    poll_id = _next_poll_id(state, seat, scope)
    question = f"Recall {seat.member} from {state.council(seat.council).name}?"
    opened = voting.open_poll(
        state, actor, at, poll_id, seat.constituent, RECALL, seat.member, question, scope=scope, secret=True
    )
    called = RecallVoteCalled(actor, at, poll_id, seat.council, seat.member, seat.constituent, scope, cause, petition)
    return [called, opened]


def _on_signatures(
    state: State, petition: RecallPetition, seat: Delegate, signatures: int, at: datetime
) -> list[Event]:
    """What the count does when a petition has ``signatures``: nothing until it reaches its threshold."""
    if not petitions.reaches(petition, signatures):
        return []
    cause = f"{petition.title} ({petition.id}): {petition.reason}"
    if petition.mode == "vote":
        return call_recall_vote(state, seat, at, THE_COUNT, cause, petition.scope, petition.id)
    recalled = DelegateRecalled(THE_COUNT, at, seat.council, seat.member, seat.constituent, None, petition.id)
    return [recalled, *elections.vacate(state, seat, at, THE_COUNT, cause)]


def petition_recall(state: State, command: PetitionRecall) -> list[Event]:
    require_aware(command.at)
    petitions.check_new_id(state, command.petition)
    if command.scope not in ("council", "subtree"):
        raise InvalidCommand(f"a recall petition is of the council or of its subtree, not {command.scope!r}")
    seat = seat_of(state, command.council, command.delegate)
    constituent = state.council(seat.constituent)
    _check_may_sign(state, constituent, command.scope, command.actor, "petition to recall its delegate")
    reason = command.reason.strip()
    if not reason:
        raise InvalidCommand("a recall petition needs a reason, for those asked to sign it")
    for other in state.petitions.values():
        if (
            isinstance(other, RecallPetition)
            and other.status == petitions.COLLECTING
            and (other.council, other.delegate, other.term, other.scope)
            == (seat.council, seat.member, seat.term, command.scope)
        ):
            raise InvalidCommand(f"{other.title} ({other.id}) is collecting signatures already: sign it")
    if open_recall(state, seat, command.scope) is not None:
        raise NotAllowed(f"a vote to recall {seat.member} is open already: vote in it")
    charter = state.federations[constituent.federation].charter
    electorate = len(voting.electorate(state, constituent.id, command.scope, weighted=False))
    if charter.recall_mode == "immediate":
        needed = electorate // 2 + 1  # more than half
    else:
        needed = petitions.signatures_needed(charter.recall_threshold, electorate)
    started = RecallPetitioned(
        command.actor,
        command.at,
        command.petition,
        seat.council,
        seat.member,
        seat.constituent,
        seat.term,
        command.scope,
        reason,
        charter.recall_mode,
        electorate,
        needed,
    )
    return [started, *_on_signatures(state, _petition(state, started), seat, 1, command.at)]


def sign_recall(state: State, command: SignRecall) -> list[Event]:
    require_aware(command.at)
    petition: RecallPetition = petitions.petition(state, command.petition, RecallPetition)
    petitions.collecting(petition)
    seat = _live_seat(state, petition)
    constituent = state.council(petition.constituent)
    _check_may_sign(state, constituent, petition.scope, command.actor, "sign a petition to recall its delegate")
    petitions.check_unsigned(petition, command.actor)
    signed = RecallSigned(command.actor, command.at, petition.id)
    return [signed, *_on_signatures(state, petition, seat, len(petition.signatures) + 1, command.at)]


@voting.on_counted(RECALL)
def counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    council = state.council(poll.council).parent
    assert council is not None  # a recall vote is held in a constituent, which has a council above it
    seat = state.delegates.get((council, poll.subject))
    if seat is None or seat.constituent != poll.council:
        return [RecallLost(THE_COUNT, result.at, council, poll.subject, poll.council, poll.id, "no longer seated")]
    if result.outcome != "carried":
        return [RecallLost(THE_COUNT, result.at, council, poll.subject, poll.council, poll.id, result.outcome)]
    recalled = DelegateRecalled(THE_COUNT, result.at, council, seat.member, seat.constituent, poll.id, None)
    cause = f"recalled by the vote of {state.council(poll.council).name}"
    return [recalled, *elections.vacate(state, seat, result.at, THE_COUNT, cause)]


# --- applying ------------------------------------------------------------------------------


def _petition(state: State, event: RecallPetitioned) -> RecallPetition:
    return RecallPetition(
        event.petition,
        state.councils[event.council].federation,
        event.council,
        event.delegate,
        event.constituent,
        event.term,
        event.scope,
        event.reason,
        event.mode,
        event.actor,
        event.at,
        event.electorate,
        event.needed,
        frozenset({event.actor}),
    )


def recall_petitioned(state: State, event: RecallPetitioned) -> State:
    return petitions.add(state, _petition(state, event))


def recall_signed(state: State, event: RecallSigned) -> State:
    return petitions.add_signature(state, event.petition, event.actor)


def recall_vote_called(state: State, event: RecallVoteCalled) -> State:
    if event.petition is None:
        return state  # the vote is in state.polls; this event records why it was called
    return petitions.update(state, event.petition, status="put to the vote", poll=event.poll)


def _against_seat(state: State, council: str, delegate: str) -> list[RecallPetition]:
    return [
        p
        for p in state.petitions.values()
        if isinstance(p, RecallPetition) and (p.council, p.delegate) == (council, delegate)
    ]


def delegate_recalled(state: State, event: DelegateRecalled) -> State:
    # The seat itself is vacated by the events of elections.vacate that follow.
    for p in _against_seat(state, event.council, event.delegate):
        if p.id == event.petition or (event.poll is not None and p.poll == event.poll):
            state = petitions.update(state, p.id, status="recalled")
        elif p.status == petitions.COLLECTING:
            state = petitions.update(state, p.id, status="lapsed")
    return state


def recall_lost(state: State, event: RecallLost) -> State:
    for p in _against_seat(state, event.council, event.delegate):
        if p.poll == event.poll:
            state = petitions.update(state, p.id, status="lost")
    return state


DECIDERS = {PetitionRecall: petition_recall, SignRecall: sign_recall}
APPLIERS = {
    RecallPetitioned: recall_petitioned,
    RecallSigned: recall_signed,
    RecallVoteCalled: recall_vote_called,
    DelegateRecalled: delegate_recalled,
    RecallLost: recall_lost,
}
