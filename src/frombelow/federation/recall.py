"""Recall: the council that elected a delegate (or the members below it) takes them back.

A delegate sits in council C for one constituent K, the council directly below C that
elected them. Only K can recall them: by a secret recall vote of those who sit in K
(scope "council"), or of every member of K's subtree (scope "subtree": the members of
local-1 may recall North District's delegate to the congress). No one above K (C itself,
the congress, another constituent's delegates) has any say: invariant 1, "no control
from above".

- A recall vote (``RecallVote``) is a secret poll (``voting.py``) of council K with
  purpose "recall" and the vote's id as its subject. ``open_recall_vote`` opens one:
  mandates call it when a delegate votes against a recall-trigger mandate, and a petition
  calls it on reaching its threshold. Carried by a simple majority of those voting (with
  the charter's quorum), the delegate is recalled and ``elections.vacate`` vacates the
  seat and calls a by-election.
- A recall petition (``PetitionRecall``, signed by its petitioner in starting it, then
  ``SignRecall``) is open to those the vote would be: the members (or seated delegates)
  of K, or every member of K's subtree. Its threshold is the charter's recall threshold
  times that electorate, fixed at the start (``petitions.needed``). In the charter's
  "immediate" mode there is no vote: once more than half of the electorate has signed,
  the delegate is recalled. Signatures may be withdrawn while the petition collects.

A council that closed (its members voted to split or merge, ``councils.py``) leaves its
delegates seated to the end of the term, and they stay answerable to the people who sent
them, now in the closed council's heirs (``councils.heirs``: its successors, or theirs).
The members of the heirs petition; the recall vote is held in each heir that has members
(one poll each, all opened together), and decided by counting all their ballots together
as one vote, with the quorum of all their members: once every poll is counted, the
decision (``DelegateRecalled`` or ``RecallLost``, naming the vote) follows. Anyone can
check it by counting the polls' published ballots together (``voting.count``).

State:

- ``state.petitions`` holds the recall petitions: id -> ``RecallPetition`` (status
  "collecting signatures", then "put to the vote", "recalled", "lost", or "lapsed" when the
  delegate was recalled by another petition's vote). Initiatives share the map.
- ``state.recall_petitions``: (council, delegate, term) -> Map(petition id -> True), the
  petitions against one seat for one term.
- ``state.recalls``: vote id -> ``RecallVote``, every recall vote called (ids never reused).

Choices made here:

- One open petition per seat and scope, and no petition while a recall vote of that
  scope is running (vote in it instead). ``open_recall_vote`` opens no second vote of a
  scope: a second deviation from a mandate adds nothing to the vote already running,
  and a petition reaching its threshold then joins that vote (its status points to it).
- A petition, and a vote, is against one term of a seat: if the delegate no longer holds
  it (term ended, seat vacated), the petition takes no more signatures, and the count
  of a vote finding the delegate gone, or seated for another term (re-elected meanwhile),
  records the recall lost as "no longer seated for that term": a new term's seat is
  answerable to a new petition, not to the old one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from immutables import Map

from frombelow.federation import councils, elections, petitions, voting
from frombelow.federation.charter import RecallMode
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, Delegate, State

RECALL = "recall"  # the purpose of a recall vote
NO_LONGER_SEATED = "no longer seated for that term"
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
    signatures: Map = dataclasses.field(default_factory=Map)  # member id -> True
    status: RecallStatus = "collecting signatures"
    poll: str | None = None  # the recall vote it called

    @property
    def title(self) -> str:
        return f"the petition to recall {self.delegate} from {self.council}"


@dataclass(frozen=True)
class RecallVote:
    """A recall vote against one term of one seat, held in one poll or (for a closed constituent) several."""

    id: str
    council: str  # C, where the seat is
    delegate: str
    constituent: str  # K, which elected them
    term: int  # of the seat voted on
    scope: voting.Scope
    polls: tuple[str, ...]  # its polls: (id,) in K itself, or one in each heir of a closed K
    decided: bool = False


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
    """Why a recall vote opened; the vote itself is the ``PollOpened`` events that follow (if not open already)."""

    kind: ClassVar[str] = "recall vote called"
    poll: str  # the recall vote's id
    council: str  # the council the delegate sits in
    delegate: str  # their member id
    constituent: str  # the council that elected them, where the vote is held (or in its heirs, if it closed)
    term: int  # of the seat voted on
    scope: voting.Scope  # "council": those sitting in it; "subtree": every member below it
    polls: tuple[str, ...]  # the polls it is held in
    cause: str
    petition: str | None = None  # the recall petition that called it, if any


@dataclass(frozen=True)
class DelegateRecalled(Event):
    kind: ClassVar[str] = "delegate recalled"
    council: str
    delegate: str
    constituent: str
    term: int
    poll: str | None  # the recall vote that carried; None when a majority's signatures removed them
    petition: str | None  # the petition whose signatures removed them ("immediate" mode)


@dataclass(frozen=True)
class RecallLost(Event):
    kind: ClassVar[str] = "recall lost"
    council: str
    delegate: str
    constituent: str
    term: int
    poll: str  # the recall vote
    outcome: str  # "lost", "no quorum" or NO_LONGER_SEATED


# --- reading the state ---------------------------------------------------------------------


def recall_poll_id(delegate: Delegate, scope: voting.Scope, n: int) -> str:
    """The id of the ``n``-th recall vote of one scope against one seat (ids are never reused)."""
    below = f" by all members under {delegate.constituent}" if scope == "subtree" else ""
    return f"recall {n} of {delegate.member} from {delegate.council}{below}"


def open_recall(state: State, delegate: Delegate, scope: voting.Scope) -> RecallVote | None:
    """The recall vote of ``scope`` now open against ``delegate``'s seat for its term, if any."""
    n = 1
    while (vote := state.recalls.get(recall_poll_id(delegate, scope, n))) is not None:
        if not vote.decided and vote.term == delegate.term:
            return vote
        n += 1
    return None


def _next_vote_id(state: State, delegate: Delegate, scope: voting.Scope) -> str:
    n = 1
    while recall_poll_id(delegate, scope, n) in state.recalls:
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


def _where(state: State, constituent: Council) -> tuple[str, ...]:
    """Where a recall vote of ``constituent`` is held: in itself, or in each of its heirs with members."""
    if constituent.closed_at is None:
        return (constituent.id,)
    return tuple(h for h in councils.heirs(state, constituent.id) if state.count_under(h))


def _electorate(state: State, constituent: Council, scope: voting.Scope) -> int:
    """How many the recall vote would ask (those a petition may be signed by)."""
    if constituent.closed_at is not None or scope == "subtree" or constituent.kind == "base":
        return sum(state.count_under(c) for c in _where(state, constituent))
    return len(state.seated(constituent.id))


def _heirs_named(state: State, constituent: Council) -> str:
    return " or ".join(state.councils[h].name for h in councils.heirs(state, constituent.id))


def _check_may_sign(state: State, constituent: Council, scope: voting.Scope, actor: str, doing: str) -> None:
    """Those the recall vote would ask, and no one else (above all, no one above ``constituent``)."""
    if scope == "council" and constituent.closed_at is None:
        councils.require_sitting(state, constituent.id, actor, doing)
        return
    member = state.member(actor)
    if not councils.represents(state, constituent.id, member.council):
        if constituent.closed_at is None:
            raise NotAllowed(f"only members under {constituent.name} may {doing}")
        raise NotAllowed(
            f"{constituent.name} has closed: only members under {_heirs_named(state, constituent)}, "
            f"where its members went, may {doing}"
        )


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
    terms = (seat.council, seat.member, seat.constituent, seat.term, scope)
    running = open_recall(state, seat, scope)
    if running is not None:
        # A petition reaching its threshold joins the vote already running; nothing else changes.
        joined = RecallVoteCalled(actor, at, running.id, *terms, running.polls, cause, petition)
        return [joined] if petition is not None else []
    vote_id = _next_vote_id(state, seat, scope)
    question = f"Recall {seat.member} from {state.council(seat.council).name}?"
    where = _where(state, state.council(seat.constituent))
    if not where:
        raise NotAllowed(f"no one is left to vote on recalling {seat.member}")
    polls = tuple(vote_id if c == seat.constituent else f"{vote_id} in {c}" for c in where)
    opened = [
        voting.open_poll(state, actor, at, poll_id, c, RECALL, vote_id, question, scope=scope, secret=True)
        for poll_id, c in zip(polls, where, strict=True)
    ]
    return [RecallVoteCalled(actor, at, vote_id, *terms, polls, cause, petition), *opened]


def _on_signatures(
    state: State, petition: RecallPetition, seat: Delegate, signatures: int, at: datetime
) -> list[Event]:
    """What the count does when a petition has ``signatures``: nothing until it reaches its threshold."""
    if not petitions.reaches(petition, signatures):
        return []
    cause = f"{petition.title} ({petition.id}): {petition.reason}"
    if petition.mode == "vote":
        return call_recall_vote(state, seat, at, THE_COUNT, cause, petition.scope, petition.id)
    recalled = DelegateRecalled(
        THE_COUNT, at, seat.council, seat.member, seat.constituent, seat.term, None, petition.id
    )
    return [recalled, *elections.vacate(state, seat, at, THE_COUNT, cause)]


def _against(state: State, council: str, delegate: str, term: int) -> list[RecallPetition]:
    """The petitions against one term of one seat."""
    return [state.petitions[p] for p in state.recall_petitions.get((council, delegate, term), Map())]


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
    for other in _against(state, seat.council, seat.member, seat.term):
        if other.status == petitions.COLLECTING and other.scope == command.scope:
            raise InvalidCommand(f"{other.title} ({other.id}) is collecting signatures already: sign it")
    if open_recall(state, seat, command.scope) is not None:
        raise NotAllowed(f"a vote to recall {seat.member} is open already: vote in it")
    charter = state.federations[constituent.federation].charter
    electorate = _electorate(state, constituent, command.scope)
    if charter.recall_mode == "immediate":
        needed = petitions.needed(petitions.MAJORITY, electorate, more_than=True)
    else:
        needed = petitions.needed(charter.recall_threshold, electorate)
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


def _outcome(vote: RecallVote, polls: list[voting.Poll]) -> str:
    """The vote's outcome: its poll's, or that of all its polls' ballots counted together, as one vote."""
    if len(polls) == 1:
        return polls[0].counted.outcome  # type: ignore[union-attr]
    electorate = Map({voter: v for p in polls for voter, v in p.electorate.items()})
    together = dataclasses.replace(polls[0], id=vote.id, council=vote.constituent, electorate=electorate)
    return voting.count(together, tuple(b for p in polls for b in p.counted.ballots)).outcome  # type: ignore[union-attr]


@voting.on_counted(RECALL)
def counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    vote = state.recalls[poll.subject]
    polls = [state.polls[p] for p in vote.polls]
    if vote.decided or any(p.counted is None for p in polls):
        return []  # the vote is held in several councils, and some are still voting
    terms = (vote.council, vote.delegate, vote.constituent, vote.term)
    seat = state.delegates.get((vote.council, vote.delegate))
    if seat is None or (seat.constituent, seat.term) != (vote.constituent, vote.term):
        return [RecallLost(THE_COUNT, result.at, *terms, vote.id, NO_LONGER_SEATED)]
    outcome = _outcome(vote, polls)
    if outcome != "carried":
        return [RecallLost(THE_COUNT, result.at, *terms, vote.id, outcome)]
    recalled = DelegateRecalled(THE_COUNT, result.at, *terms, vote.id, None)
    where = " and ".join(state.councils[p.council].name for p in polls)
    cause = f"recalled by the vote of {where}"
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
        Map({event.actor: True}),
    )


def recall_petitioned(state: State, event: RecallPetitioned) -> State:
    state = petitions.add(state, _petition(state, event))
    key = (event.council, event.delegate, event.term)
    against = state.recall_petitions.get(key, Map()).set(event.petition, True)
    return state.updated(recall_petitions=state.recall_petitions.set(key, against))


def recall_signed(state: State, event: RecallSigned) -> State:
    return petitions.add_signature(state, event.petition, event.actor)


def _vote(state: State, vote_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.recalls[vote_id], **changes)
    return state.updated(recalls=state.recalls.set(vote_id, updated))


def recall_vote_called(state: State, event: RecallVoteCalled) -> State:
    if event.poll not in state.recalls:
        vote = RecallVote(
            event.poll, event.council, event.delegate, event.constituent, event.term, event.scope, event.polls
        )
        state = state.updated(recalls=state.recalls.set(event.poll, vote))
    if event.petition is None:
        return state
    return petitions.update(state, event.petition, status="put to the vote", poll=event.poll)


def delegate_recalled(state: State, event: DelegateRecalled) -> State:
    # The seat itself is vacated by the events of elections.vacate that follow.
    if event.poll is not None:
        state = _vote(state, event.poll, decided=True)
    for p in _against(state, event.council, event.delegate, event.term):
        if p.id == event.petition or (event.poll is not None and p.poll == event.poll):
            state = petitions.update(state, p.id, status="recalled")
        elif p.status == petitions.COLLECTING:
            state = petitions.update(state, p.id, status="lapsed")
    return state


def recall_lost(state: State, event: RecallLost) -> State:
    state = _vote(state, event.poll, decided=True)
    for p in _against(state, event.council, event.delegate, event.term):
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
