"""Delegate elections: terms, nominations, slates, the secret vote and by-elections.

The life of a delegate: a term starts (``StartTerm``); every delegate council's seats
are apportioned again among its constituents, and each constituent K elects its share
of the seats in its parent council C. Those who vote in K (its members, or for a
delegate council its delegates) nominate members K represents; a nominee accepts
(self-nomination counts as accepted). When nominations close, the election opens: if no
more candidates stand than there are seats they are elected unopposed, otherwise K
votes by secret ballot, counted by the charter's method (``voting.py``). The winners
are seated; a seat vacated by resignation, recall or leaving is filled by a by-election.

Choices made here:

- Bottom-up: an election by a delegate council opens only once that council's own
  delegates for the term are elected, so every level is chosen by the level below it.
  Since its electors are not known before then, such an election takes nominations
  until it opens, even after its ``nominations_close_at``.
- The previous term's delegates keep their seats until their successors from the same
  constituent are seated: a council is never left empty between terms. A constituent
  whose election seats nobody keeps its old delegates until a by-election seats someone.
  When an election seats someone, each predecessor not re-elected gives way by a
  ``SeatVacated`` of cause "succeeded", so the record names every seat that ends.
- A list method (D'Hondt, Sainte-Laguë, Hare, Droop) makes the election one between
  factions' slates: ballots mark one slate, each slate wins seats by the method, and a
  slate's seats go to its candidates in its order (seats beyond its candidates stay vacant).
- Term limits are checked at nomination: no one is nominated for a seat of K in C after
  sitting there ``term_limit`` terms in a row (``state.service``).
- Elections of a term that has ended can no longer be opened or nominated for.
- No one holds two seats in one council: a member sitting in C for this term (for K or
  for another constituent) cannot be nominated, stand or be seated there again
  (``other_seat``). A delegate of an earlier term stands again for the seat they hold.
- One council's seats that cannot be shared at the start of a term (too few for its
  constituents at the charter's minimum, after a charter amendment, say) hold up no other
  council: ``SeatsNotApportioned`` says why, that council holds no elections in the term,
  and its delegates of the earlier term keep their seats. (A split or merge that would
  cause this is refused: ``councils.py``.)
- "The count" (the platform's scheduler) may start a term, open an election once its
  nominations close and call a by-election for vacant seats, as any member entitled may;
  no council above the constituent ever may (invariant 1).

State maps owned here:

- ``state.terms``: federation id -> ``Term``, its latest term.
- ``state.elections``: election id -> ``Election`` (ids never reused).
- ``state.elections_by_term``: (council C, term) -> Map(election id -> True), every
  election called for seats in C in that term.
- ``state.service``: (council, constituent, member) -> ``Service``, terms sat in a row.

It also seats and unseats ``state.delegates`` ((council, member) -> ``Delegate``) and
records each term's ``state.apportionments`` (``apportionment.py``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar, Literal

from immutables import Map

from frombelow import tally
from frombelow.federation import apportionment, councils, factions, voting
from frombelow.federation.codec import in_utc, require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, Delegate, Federation, State

Stage = Literal["nominations", "voting", "decided"]
SUCCEEDED = "succeeded"  # the cause of a seat given up to a successor elected for a later term


@dataclass(frozen=True)
class Term:
    federation: str
    number: int  # 1 for the first term
    starts_at: datetime
    ends_at: datetime
    unapportioned: tuple[str, ...] = ()  # delegate councils whose seats could not be shared this term


@dataclass(frozen=True)
class Nomination:
    nominee: str
    nominated_by: str
    faction: str | None  # the faction the nominee stands for, if any
    accepted: bool


@dataclass(frozen=True)
class Slate:
    faction: str
    candidates: tuple[str, ...]  # in the order the slate's seats go to them
    submitted_by: str


@dataclass(frozen=True)
class Election:
    id: str
    federation: str
    council: str  # C, where the seats are
    constituent: str  # K, which elects them
    seats: int
    term: int
    method: str  # a tally method, fixed when the election is called
    by_election: bool
    called_at: datetime
    nominations_close_at: datetime
    nominations: Map = field(default_factory=Map)  # nominee -> Nomination
    slates: Map = field(default_factory=Map)  # faction id -> Slate
    decided: bool = False
    elected: tuple[str, ...] = ()

    @property
    def poll(self) -> str:
        return f"election {self.id}"

    @property
    def by_slates(self) -> bool:
        return tally.method(self.method).kind == "list"


@dataclass(frozen=True)
class Service:
    """How many terms in a row a member has sat for one constituent in one council."""

    consecutive: int
    last_term: int


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartTerm(Command):
    federation: str


@dataclass(frozen=True)
class Nominate(Command):
    election: str
    nominee: str
    faction: str | None = None


@dataclass(frozen=True)
class AcceptNomination(Command):
    election: str


@dataclass(frozen=True)
class WithdrawNomination(Command):
    election: str


@dataclass(frozen=True)
class SubmitSlate(Command):
    election: str
    faction: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class OpenElection(Command):
    election: str


@dataclass(frozen=True)
class Resign(Command):
    council: str


@dataclass(frozen=True)
class CallByElection(Command):
    council: str  # C
    constituent: str  # K, whose vacant seats in C are to be filled


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermStarted(Event):
    kind: ClassVar[str] = "term started"
    federation: str
    number: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SeatsNotApportioned(Event):
    """A delegate council whose seats could not be shared at the start of a term elects no one in it."""

    kind: ClassVar[str] = "seats not apportioned"
    council: str
    term: int
    reason: str


@dataclass(frozen=True)
class ElectionCalled(Event):
    kind: ClassVar[str] = "election called"
    election: str
    council: str
    constituent: str
    seats: int
    term: int
    method: str
    nominations_close_at: datetime
    by_election: bool


@dataclass(frozen=True)
class Nominated(Event):
    kind: ClassVar[str] = "nominated"
    election: str
    nominee: str  # the actor nominated them
    faction: str | None
    accepted: bool  # a self-nomination is accepted at once


@dataclass(frozen=True)
class NominationAccepted(Event):
    kind: ClassVar[str] = "nomination accepted"
    election: str  # the actor is the nominee


@dataclass(frozen=True)
class NominationWithdrawn(Event):
    kind: ClassVar[str] = "nomination withdrawn"
    election: str  # the actor is the nominee


@dataclass(frozen=True)
class SlateSubmitted(Event):
    kind: ClassVar[str] = "slate submitted"
    election: str
    faction: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class ElectionDecided(Event):
    kind: ClassVar[str] = "election decided"
    election: str
    elected: tuple[str, ...]  # in the order seated
    vacant: int  # seats no one was elected to
    unopposed: bool  # no vote: no more candidates stood than there were seats


@dataclass(frozen=True)
class DelegateSeated(Event):
    kind: ClassVar[str] = "delegate seated"
    member: str
    council: str
    constituent: str
    term: int
    election: str


@dataclass(frozen=True)
class SeatVacated(Event):
    kind: ClassVar[str] = "seat vacated"
    member: str
    council: str
    constituent: str
    term: int
    cause: str  # "resigned", "recalled", "left the federation", SUCCEEDED, …


# --- reading the state ---------------------------------------------------------------------


def election(state: State, election_id: str) -> Election:
    return look_up(state.elections, election_id, "election")


def current_term(state: State, federation_id: str) -> Term | None:
    return state.terms.get(federation_id)


def stage(state: State, chosen: Election) -> Stage:
    if chosen.decided:
        return "decided"
    return "voting" if chosen.poll in state.polls else "nominations"


def describe(state: State, chosen: Election) -> str:
    """E.g. "the election of Local 1's delegates to North District"."""
    what = "by-election" if chosen.by_election else "election"
    return f"the {what} of {state.council(chosen.constituent).name}'s delegates to {state.council(chosen.council).name}"


def candidates(state: State, chosen: Election) -> tuple[str, ...]:
    """Who stands: accepted nominees still represented by K and free to take the seat, in ballot order."""
    return tuple(
        sorted(n.nominee for n in chosen.nominations.values() if n.accepted and _eligible(state, chosen, n.nominee))
    )


def other_seat(state: State, chosen: Election, member: str) -> Delegate | None:
    """The seat ``member`` holds in C that this election would not give them again, if any.

    A member holds one seat in a council (``state.delegates`` is keyed by council and
    member), so one already sitting there for this term, for K or for another constituent,
    cannot be elected to a second seat. The seat a delegate of an earlier term holds for K
    (or for a council K's members came from) is the one this election fills: they may stand again.
    """
    seat = state.delegates.get((chosen.council, member))
    if seat is None:
        return None
    succeeds = chosen.constituent in councils.heirs(state, seat.constituent)
    return None if seat.term < chosen.term and succeeds else seat


def _eligible(state: State, chosen: Election, member: str) -> bool:
    return _represented_by(state, member, chosen.constituent) and other_seat(state, chosen, member) is None


def slates(state: State, chosen: Election) -> tuple[Slate, ...]:
    """The slates standing, by faction id, each with its candidates who still stand."""
    standing = set(candidates(state, chosen))
    out = []
    for faction_id in sorted(chosen.slates):
        slate = chosen.slates[faction_id]
        kept = tuple(c for c in slate.candidates if c in standing)
        if kept:
            out.append(dataclasses.replace(slate, candidates=kept))
    return tuple(out)


def terms_in_a_row(state: State, chosen: Election, member: str) -> int:
    """Terms ``member`` has sat in a row for K in C before the election's term."""
    served = state.service.get((chosen.council, chosen.constituent, member))
    if served is None or served.last_term < chosen.term - 1:
        return 0
    return served.consecutive - (1 if served.last_term == chosen.term else 0)


def _represented_by(state: State, member_id: str, council_id: str) -> bool:
    member = state.members.get(member_id)
    return member is not None and state.is_under(member.council, council_id)


def _federation(state: State, federation_id: str) -> Federation:
    return look_up(state.federations, federation_id, "federation")


def _running(state: State, chosen: Election, at: datetime) -> None:
    """Refuse acting on an election of a term that has ended or been followed by another."""
    term = current_term(state, chosen.federation)
    if term is None or term.number != chosen.term or at >= term.ends_at:
        raise NotAllowed(f"{describe(state, chosen)} was for term {chosen.term}, which has ended")


def _in_nominations(state: State, chosen: Election, at: datetime, doing: str) -> None:
    _running(state, chosen, at)
    if stage(state, chosen) != "nominations":
        raise NotAllowed(f"voting in {describe(state, chosen)} has opened: it is too late to {doing}")


def _elected_below(state: State, council_id: str, term: int) -> bool:
    """Whether every election of the term to ``council_id`` is decided, and someone sits there (if anyone could).

    A constituent whose election seated no one (every candidate at the term limit, say) keeps
    its previous delegates, so the elections above need not wait forever for it.
    """
    called = [e for e in _of_term(state, council_id, term) if not e.by_election]
    return all(e.decided for e in called) and (bool(state.seated(council_id)) or not called)


def _of_term(state: State, council_id: str, term: int) -> list[Election]:
    """The elections called for seats in ``council_id`` in ``term``, by id."""
    return [state.elections[e] for e in sorted(state.elections_by_term.get((council_id, term), ()))]


def _vacancies(state: State, council: str, constituent: str, term: int) -> int:
    """Seats of K in C that no delegate of the term holds and no undecided election fills."""
    if council in state.terms[state.councils[council].federation].unapportioned:
        return 0  # no seats of the term: its delegates of an earlier term sit on
    apportioned = state.apportionments.get(council)
    seats = dict(apportioned.seats).get(constituent, 0) if apportioned else 0
    held = sum(1 for d in state.seated(council) if d.constituent == constituent and d.term == term)
    pending = sum(e.seats for e in _of_term(state, council, term) if e.constituent == constituent and not e.decided)
    return seats - held - pending


def _called(
    state: State, actor: str, at: datetime, council: Council, constituent: str, seats: int, term: int, by_election: bool
) -> ElectionCalled:
    charter = state.federations[council.federation].charter
    method = charter.method_for("by-election" if by_election and seats == 1 else "delegates")
    election_id = f"{council.id}/{constituent}/term-{term}"
    if by_election:
        earlier = sum(1 for e in _of_term(state, council.id, term) if e.constituent == constituent and e.by_election)
        election_id = f"{election_id}/by-election-{earlier + 1}"
    closes = at + timedelta(days=charter.nomination_days)
    return ElectionCalled(actor, at, election_id, council.id, constituent, seats, term, method, closes, by_election)


def vacate(state: State, delegate: Delegate, at: datetime, actor: str, cause: str) -> list[Event]:
    """The events vacating ``delegate``'s seat (for ``cause``) and calling the by-election to fill it.

    The by-election is for every vacant seat of the same constituent in the same council
    not already being filled (at least this one). No by-election is called when the term
    has ended or the seat belonged to a previous term: the term's own election fills it;
    nor for a constituent that has closed (split or merged): the councils its members went
    to elect their own delegates at the next term.
    """
    vacated: list[Event] = [
        SeatVacated(actor, at, delegate.member, delegate.council, delegate.constituent, delegate.term, cause)
    ]
    council = state.council(delegate.council)
    term = current_term(state, council.federation)
    closed = state.councils[delegate.constituent].closed_at is not None
    if term is None or term.number != delegate.term or at >= term.ends_at or closed:
        return vacated
    seats = max(_vacancies(state, council.id, delegate.constituent, term.number) + 1, 1)
    return [*vacated, _called(state, actor, at, council, delegate.constituent, seats, term.number, True)]


def moved_out(state: State, member_id: str, to_council: str, at: datetime) -> list[Event]:
    """The seats a member moving to ``to_council`` gives up (with their by-elections): those they held for
    a constituent they no longer stand under, as a member who leaves gives up every seat."""
    return [
        event
        for seat in state.seats_held(member_id)
        if not councils.represents(state, seat.constituent, to_council)
        for event in vacate(state, seat, at, member_id, f"moved out of {state.councils[seat.constituent].name}")
    ]


# --- deciding ------------------------------------------------------------------------------


def start_term(state: State, command: StartTerm) -> list[Event]:
    """A new term: every delegate council's seats apportioned again, and its elections called."""
    require_aware(command.at)
    federation = _federation(state, command.federation)
    if command.actor != THE_COUNT and state.member(command.actor).federation != federation.id:
        raise NotAllowed(f"only members of {federation.name} may start its term")
    previous = current_term(state, federation.id)
    if previous is not None and command.at < previous.ends_at:
        raise NotAllowed(f"term {previous.number} runs until {in_utc(previous.ends_at)}")
    number = 1 if previous is None else previous.number + 1
    charter = federation.charter
    started: list[Event] = [
        TermStarted(
            command.actor, command.at, federation.id, number, command.at, command.at + timedelta(days=charter.term_days)
        )
    ]
    delegate_councils = [c for c in state.councils.values() if c.federation == federation.id and c.kind == "delegate"]
    # From the bottom up (deepest councils first), the order in which the elections can be held.
    delegate_councils.sort(key=lambda c: (-len(state.ancestors(c.id)), c.id))
    apportioned: list[apportionment.SeatsApportioned] = []
    unshared: list[Event] = []
    for council in delegate_councils:
        if state.count_under(council.id) == 0:
            continue  # a council no one is below elects no one
        try:
            apportioned.append(apportionment.seats_shared(state, council, command.actor, command.at))
        except InvalidCommand as why:
            # One council's seats that cannot be shared hold up no one else's elections.
            unshared.append(SeatsNotApportioned(command.actor, command.at, council.id, number, str(why)))
    called = [
        _called(state, command.actor, command.at, state.councils[shared.council], k, seats, number, False)
        for shared in apportioned
        for k, seats in shared.seats
        if seats > 0 and state.councils[k].closed_at is None
    ]
    return started + apportioned + unshared + called


def nominate(state: State, command: Nominate) -> list[Nominated]:
    require_aware(command.at)
    chosen = election(state, command.election)
    constituent = state.council(chosen.constituent)
    _running(state, chosen, command.at)
    if stage(state, chosen) != "nominations" or (
        command.at >= chosen.nominations_close_at and constituent.kind == "base"
    ):
        raise NotAllowed(f"nominations for {describe(state, chosen)} have closed")
    councils.require_sitting(state, constituent.id, command.actor, "nominate for its seats")
    state.member(command.nominee)
    if not _represented_by(state, command.nominee, constituent.id):
        raise NotAllowed(f"{command.nominee} is not represented by {constituent.name}, so cannot stand for it")
    if command.nominee in chosen.nominations:
        raise InvalidCommand(f"{command.nominee} is nominated already")
    seat = other_seat(state, chosen, command.nominee)
    if seat is not None:
        raise NotAllowed(
            f"{command.nominee} sits in {state.council(chosen.council).name} already, for "
            f"{state.council(seat.constituent).name} in term {seat.term}: no one holds two seats in one council"
        )
    limit = state.federations[chosen.federation].charter.term_limit
    if limit and terms_in_a_row(state, chosen, command.nominee) >= limit:
        raise NotAllowed(
            f"{command.nominee} has sat for {constituent.name} in {state.council(chosen.council).name} "
            f"for {limit} term{'s' if limit > 1 else ''} in a row, the charter's limit, and cannot be nominated again now"
        )
    if command.faction is not None:
        faction = factions.live_faction(state, command.faction)
        if not factions.belongs(state, faction, command.nominee):
            raise InvalidCommand(f"{command.nominee} is not a member of {faction.name}")
    accepted = command.nominee == command.actor
    return [Nominated(command.actor, command.at, chosen.id, command.nominee, command.faction, accepted)]


def _nomination(state: State, chosen: Election, nominee: str) -> Nomination:
    try:
        return chosen.nominations[nominee]
    except KeyError:
        raise NotFound(f"no one has nominated you in {describe(state, chosen)}") from None


def accept(state: State, command: AcceptNomination) -> list[NominationAccepted]:
    require_aware(command.at)
    chosen = election(state, command.election)
    _in_nominations(state, chosen, command.at, "accept a nomination")
    if _nomination(state, chosen, command.actor).accepted:
        raise InvalidCommand("you have accepted this nomination already")
    return [NominationAccepted(command.actor, command.at, chosen.id)]


def withdraw(state: State, command: WithdrawNomination) -> list[NominationWithdrawn]:
    require_aware(command.at)
    chosen = election(state, command.election)
    _in_nominations(state, chosen, command.at, "withdraw")
    _nomination(state, chosen, command.actor)
    return [NominationWithdrawn(command.actor, command.at, chosen.id)]


def submit_slate(state: State, command: SubmitSlate) -> list[SlateSubmitted]:
    require_aware(command.at)
    chosen = election(state, command.election)
    if not chosen.by_slates:
        raise InvalidCommand(
            f"{describe(state, chosen)} is counted by {chosen.method}: candidates stand on their own, not on slates"
        )
    _in_nominations(state, chosen, command.at, "submit a slate")
    faction = factions.speaks_for(state, command.faction, command.actor)
    if faction.federation != chosen.federation:
        raise NotAllowed(f"{faction.name} is a faction of another federation")
    if faction.id in chosen.slates:
        raise InvalidCommand(f"{faction.name} has submitted its slate already")
    listed = tuple(command.candidates)
    if not listed:
        raise InvalidCommand("a slate needs at least one candidate")
    if len(set(listed)) != len(listed):
        raise InvalidCommand("a slate names each candidate once")
    for candidate in listed:
        nomination = chosen.nominations.get(candidate)
        if nomination is None or not nomination.accepted:
            raise InvalidCommand(f"{candidate} has not accepted a nomination in {describe(state, chosen)}")
        if not factions.belongs(state, faction, candidate):
            raise InvalidCommand(f"{candidate} is not a member of {faction.name}")
        other = next((s for s in chosen.slates.values() if candidate in s.candidates), None)
        if other is not None:
            raise InvalidCommand(f"{candidate} is on the slate of {state.factions[other.faction].name} already")
    return [SlateSubmitted(command.actor, command.at, chosen.id, faction.id, listed)]


def predecessors(state: State, chosen: Election) -> list[Delegate]:
    """The delegates of an earlier term whose seats this election fills: K's, or those of a council
    K's members came from (split or merged, ``councils.py``)."""
    return [
        d
        for d in state.seated(chosen.council)
        if d.term < chosen.term and chosen.constituent in councils.heirs(state, d.constituent)
    ]


def _seated(state: State, chosen: Election, elected: tuple[str, ...], at: datetime, unopposed: bool) -> list[Event]:
    """The result, then (if anyone is elected) the predecessors giving way, then the winners seated."""
    decided: list[Event] = [ElectionDecided(THE_COUNT, at, chosen.id, elected, chosen.seats - len(elected), unopposed)]
    # A predecessor re-elected keeps sitting: their new seat replaces the old one.
    succeeded = [d for d in predecessors(state, chosen) if d.member not in elected] if elected else []
    return (
        decided
        + [SeatVacated(THE_COUNT, at, d.member, d.council, d.constituent, d.term, SUCCEEDED) for d in succeeded]
        + [
            DelegateSeated(THE_COUNT, at, member, chosen.council, chosen.constituent, chosen.term, chosen.id)
            for member in elected
        ]
    )


def open_election(state: State, command: OpenElection) -> list[Event]:
    """Open the secret vote, or seat the candidates unopposed when no more stand than there are seats."""
    require_aware(command.at)
    chosen = election(state, command.election)
    constituent = state.council(chosen.constituent)
    if chosen.decided:
        raise InvalidCommand(f"{describe(state, chosen)} is decided")
    if chosen.poll in state.polls:
        raise InvalidCommand(f"voting in {describe(state, chosen)} is open already")
    _running(state, chosen, command.at)
    if command.actor != THE_COUNT:
        councils.require_sitting(state, constituent.id, command.actor, f"open {describe(state, chosen)}")
    if command.at < chosen.nominations_close_at:
        raise NotAllowed(f"nominations stay open until {in_utc(chosen.nominations_close_at)}")
    if constituent.kind == "delegate" and not _elected_below(state, constituent.id, chosen.term):
        raise NotAllowed(
            f"{constituent.name} has no delegates for term {chosen.term} yet: elections go from below, "
            f"so {describe(state, chosen)} opens once its constituents have elected them"
        )
    if chosen.by_slates:
        standing = slates(state, chosen)
        choices = tuple(s.faction for s in standing)
        listed = tuple(c for s in standing for c in s.candidates)
    else:
        choices = listed = candidates(state, chosen)
    if len(listed) <= chosen.seats:
        return _seated(state, chosen, listed, command.at, unopposed=True)
    council = state.council(chosen.council)
    return [
        voting.open_poll(
            state,
            command.actor,
            command.at,
            chosen.poll,
            constituent.id,
            "election",
            chosen.id,
            f"{constituent.name}'s delegates to {council.name} for term {chosen.term}",
            choices=choices,
            method=chosen.method,
            seats=chosen.seats,
            secret=True,
        )
    ]


@voting.on_counted("election")
def counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    """Seat the winners; for slates, each slate's seats go to its candidates in order."""
    chosen = state.elections[poll.subject]
    if chosen.by_slates:
        # Seat by seat as the count gave them, each to the slate's next candidate, if it has one left.
        waiting = {s.faction: list(s.candidates) for s in slates(state, chosen)}
        winners = tuple(waiting[f].pop(0) for f in result.elected if waiting.get(f))
    else:
        winners = result.elected
    # A winner who left (or moved out, or took another seat in C) while the vote was open leaves the seat vacant.
    still = tuple(w for w in winners if _eligible(state, chosen, w))
    return _seated(state, chosen, still, result.at, unopposed=False)


def resign(state: State, command: Resign) -> list[Event]:
    require_aware(command.at)
    council = state.council(command.council)
    delegate = state.delegates.get((council.id, command.actor))
    if delegate is None:
        raise NotAllowed(f"you hold no seat in {council.name}")
    return vacate(state, delegate, command.at, command.actor, "resigned")


def call_by_election(state: State, command: CallByElection) -> list[ElectionCalled]:
    """A by-election for seats no election filled (e.g. when too few candidates stood)."""
    require_aware(command.at)
    constituent, council = councils.constituent_of(state, command.constituent, command.council)
    if command.actor != THE_COUNT:
        councils.require_sitting(state, constituent.id, command.actor, "call a by-election for its seats")
    term = current_term(state, council.federation)
    if term is None or command.at >= term.ends_at:
        raise NotAllowed("no term is running: the next term's elections fill every seat")
    vacant = _vacancies(state, council.id, constituent.id, term.number)
    if vacant <= 0:
        raise InvalidCommand(f"no seat of {constituent.name} in {council.name} is vacant")
    return [_called(state, command.actor, command.at, council, constituent.id, vacant, term.number, True)]


# --- applying ------------------------------------------------------------------------------


def _update(state: State, election_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.elections[election_id], **changes)
    return state.updated(elections=state.elections.set(election_id, updated))


def term_started(state: State, event: TermStarted) -> State:
    term = Term(event.federation, event.number, event.starts_at, event.ends_at)
    return state.updated(terms=state.terms.set(event.federation, term))


def seats_not_apportioned(state: State, event: SeatsNotApportioned) -> State:
    term = state.terms[state.councils[event.council].federation]
    unapportioned = dataclasses.replace(term, unapportioned=(*term.unapportioned, event.council))
    return state.updated(terms=state.terms.set(term.federation, unapportioned))


def election_called(state: State, event: ElectionCalled) -> State:
    called = Election(
        event.election,
        state.councils[event.council].federation,
        event.council,
        event.constituent,
        event.seats,
        event.term,
        event.method,
        event.by_election,
        event.at,
        event.nominations_close_at,
    )
    key = (event.council, event.term)
    of_term = state.elections_by_term.get(key, Map()).set(event.election, True)
    return state.updated(
        elections=state.elections.set(event.election, called),
        elections_by_term=state.elections_by_term.set(key, of_term),
    )


def nominated(state: State, event: Nominated) -> State:
    nomination = Nomination(event.nominee, event.actor, event.faction, event.accepted)
    return _update(
        state, event.election, nominations=state.elections[event.election].nominations.set(event.nominee, nomination)
    )


def nomination_accepted(state: State, event: NominationAccepted) -> State:
    nominations = state.elections[event.election].nominations
    accepted = dataclasses.replace(nominations[event.actor], accepted=True)
    return _update(state, event.election, nominations=nominations.set(event.actor, accepted))


def nomination_withdrawn(state: State, event: NominationWithdrawn) -> State:
    withdrawn = state.elections[event.election]
    slates_kept = Map(
        {
            f: dataclasses.replace(s, candidates=tuple(c for c in s.candidates if c != event.actor))
            for f, s in withdrawn.slates.items()
        }
    )
    return _update(state, event.election, nominations=withdrawn.nominations.delete(event.actor), slates=slates_kept)


def slate_submitted(state: State, event: SlateSubmitted) -> State:
    slate = Slate(event.faction, event.candidates, event.actor)
    return _update(state, event.election, slates=state.elections[event.election].slates.set(event.faction, slate))


def election_decided(state: State, event: ElectionDecided) -> State:
    return _update(state, event.election, decided=True, elected=event.elected)


def delegate_seated(state: State, event: DelegateSeated) -> State:
    # Predecessors who were not re-elected gave way by the ``SeatVacated`` events before this one.
    state = state.seat(Delegate(event.member, event.council, event.constituent, event.term, event.election, event.at))
    key = (event.council, event.constituent, event.member)
    served = state.service.get(key)
    if served is not None and served.last_term == event.term:
        service = served
    elif served is not None and served.last_term == event.term - 1:
        service = Service(served.consecutive + 1, event.term)
    else:
        service = Service(1, event.term)
    return state.updated(service=state.service.set(key, service))


def seat_vacated(state: State, event: SeatVacated) -> State:
    return state.unseat(event.council, event.member)


DECIDERS = {
    StartTerm: start_term,
    Nominate: nominate,
    AcceptNomination: accept,
    WithdrawNomination: withdraw,
    SubmitSlate: submit_slate,
    OpenElection: open_election,
    Resign: resign,
    CallByElection: call_by_election,
}
APPLIERS = {
    TermStarted: term_started,
    SeatsNotApportioned: seats_not_apportioned,
    ElectionCalled: election_called,
    Nominated: nominated,
    NominationAccepted: nomination_accepted,
    NominationWithdrawn: nomination_withdrawn,
    SlateSubmitted: slate_submitted,
    ElectionDecided: election_decided,
    DelegateSeated: delegate_seated,
    SeatVacated: seat_vacated,
}
