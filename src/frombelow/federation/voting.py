"""Votes: who may vote, casting (secret or by public roll call), and the count.

Every collective choice is a poll: an election of delegates, a motion or an amendment,
a recall, a referendum, the ratification of a charter amendment, a council's split.
One mechanism holds them all, so each is secret or public and counted by the same rules.

- The electorate is fixed when the poll opens: the members of a base council, the
  delegates seated in a delegate council (weighted by the members their constituent
  represents when the charter says so), or every member of a council's subtree.
  One of them still votes only while a member, and in a roll call only while holding
  the seat they held at the opening: a delegate who resigned or was recalled no longer
  votes, and their successor, seated after the opening, does not vote in that poll.
- A secret ballot leaves only "this member voted" in the record (``BallotCast``); its
  content goes to the ballot box, which hands the ballots over, in no order that could
  reveal a voter, when the poll closes. A public vote (``VoteCast``) records the choice
  beside the voter's name: every vote in a delegate council is a roll call.
- ``PollCounted`` publishes every ballot (sorted, so their order says nothing) and the
  outcome, so anyone can recount (``recount``) and get the same answer. Elections are
  counted by ``frombelow.tally`` with the charter's method; questions (yes / no /
  abstain) by quorum and threshold, in exact fractions.
- What a count sets in motion (a motion carried, a delegate seated or recalled) is
  decided by the capability owning the poll's purpose, registered in ``ON_COUNTED``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import ClassVar, Literal

from immutables import Map

from frombelow import tally
from frombelow.federation.charter import Threshold
from frombelow.federation.codec import in_utc, require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import State
from frombelow.tally.writers.numbers import number as tally_number

YES, NO, ABSTAIN = "yes", "no", "abstain"
QUESTION = (YES, NO, ABSTAIN)
# "council": those who sit in the council; "subtree": every member below it (or in it).
Scope = Literal["council", "subtree"]
# How a poll is decided: a question by its threshold, an election by a tally method.
QUESTION_METHOD = "question"


@dataclass(frozen=True)
class Voter:
    group: str  # the voter's base council (members) or constituent (delegates)
    weight: Fraction


@dataclass(frozen=True)
class Poll:
    id: str
    federation: str
    council: str
    purpose: str  # "motion", "election", "recall", … : the capability that acts on the count
    subject: str  # what is voted on (a motion id, an election id, …)
    question: str
    choices: tuple[str, ...]  # candidates, slates, or yes / no / abstain
    method: str  # QUESTION_METHOD or a tally method
    seats: int
    threshold: Threshold
    quorum: Fraction
    secret: bool
    opened_at: datetime
    closes_at: datetime
    electorate: Map  # voter id -> Voter, fixed at opening
    turnout: Map = dataclasses.field(default_factory=Map)  # voter id -> marks (() when secret)
    counted: PollCounted | None = None
    scope: Scope = "council"

    # Of the electorate, fixed with it at the opening (``PollOpened`` carries it): read on every
    # count and every projection of the poll, so it is not summed again over thousands of voters.
    total_weight: Fraction | None = None

    def __post_init__(self) -> None:
        if self.total_weight is None:
            object.__setattr__(self, "total_weight", _exact_sum(v.weight for v in self.electorate.values()))


@dataclass(frozen=True)
class Ballot:
    """One ballot as published: its marks, and for public votes the voter and weight."""

    marks: tuple[str, ...]  # the choice, or candidates in order of preference
    group: str = ""  # the base council it was cast in, where the count is by council; the voter, when public
    weight: Fraction = Fraction(1)
    receipt: str = ""  # the ballot box's commitment, for the voter to find their ballot


@dataclass(frozen=True)
class CountRound:
    number: int
    tally: tuple[tuple[str, str], ...]  # (candidate, votes as an exact decimal)
    elected: tuple[str, ...]
    excluded: tuple[str, ...]


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CastBallot(Command):
    poll: str
    marks: tuple[str, ...]  # e.g. ("yes",), or candidates ranked ("ana", "ben")


@dataclass(frozen=True)
class ClosePoll(Command):
    poll: str
    # For a secret poll, the ballots the box holds, in any order; for a public one, ().
    ballots: tuple[Ballot, ...] = ()


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PollOpened(Event):
    kind: ClassVar[str] = "poll opened"
    poll: str
    council: str
    purpose: str
    subject: str
    question: str
    choices: tuple[str, ...]
    method: str
    seats: int
    threshold: Threshold
    quorum: Fraction
    secret: bool
    weighted: bool
    scope: Scope
    closes_at: datetime
    electorate: int  # how many may vote
    roll: str  # the electorate's ``roll_digest``: anyone holding the roll can check it was this one
    total_weight: Fraction  # of the electorate (its size unless weighted): quorum and absolute majority count on it


@dataclass(frozen=True)
class BallotCast(Event):
    """A member voted in a secret poll; what they voted is not here, nor anywhere with their name."""

    kind: ClassVar[str] = "ballot cast"
    poll: str


@dataclass(frozen=True)
class VoteCast(Event):
    """A public vote: who voted, how, and with what weight."""

    kind: ClassVar[str] = "vote cast"
    poll: str
    marks: tuple[str, ...]
    weight: Fraction


@dataclass(frozen=True)
class PollCounted(Event):
    kind: ClassVar[str] = "poll counted"
    poll: str
    ballots: tuple[Ballot, ...]  # sorted: their order reveals nothing
    totals: tuple[tuple[str, Fraction], ...]  # first preferences (weighted) per choice
    turnout: Fraction  # weight of those who voted
    # "carried", "lost", "no quorum" (questions); "elected", "no ballots", "count failed: <why>" (elections)
    outcome: str
    elected: tuple[str, ...] = ()
    rounds: tuple[CountRound, ...] = ()
    tiebreak: str = ""


OnCounted = Callable[[State, Poll, PollCounted], list[Event]]
OnCast = Callable[[State, Poll, str, tuple[str, ...], datetime], tuple[tuple[str, ...], list[Event]]]
# purpose -> what the count sets in motion (filled by the capabilities owning each purpose).
ON_COUNTED: dict[str, OnCounted] = {}
# Checks on a public vote before it is cast (mandates): they may refuse it, change it
# (a binding mandate casts the vote as mandated) or add events (a deviation flagged).
ON_CAST: list[OnCast] = []
# Purposes whose count is taken council by council (a charter's ratification): their secret
# ballots are handed in with the voter's base council, as many per council as voted there.
# Every other secret poll's ballots carry no council (invariant 2).
COUNTED_BY_COUNCIL: set[str] = set()


def on_counted(purpose: str) -> Callable[[OnCounted], OnCounted]:
    def register(handler: OnCounted) -> OnCounted:
        ON_COUNTED[purpose] = handler
        return handler

    return register


# --- reading the state ---------------------------------------------------------------------


def poll(state: State, poll_id: str) -> Poll:
    return look_up(state.polls, poll_id, "vote")


def sits_in(state: State, council_id: str, member_id: str) -> bool:
    """Whether ``member_id`` sits in the council: a member of a base council, a delegate of a delegate council."""
    council = state.council(council_id)
    if council.kind == "base":
        member = state.members.get(member_id)
        return member is not None and member.council == council_id
    return (council_id, member_id) in state.delegates


def electorate(state: State, council_id: str, scope: Scope, weighted: bool) -> dict[str, Voter]:
    council = state.council(council_id)
    if scope == "subtree" or council.kind == "base":
        return {m.id: Voter(m.council, Fraction(1)) for m in state.everyone_under(council_id)}
    apportioned = state.apportionments.get(council_id)
    voters = {}
    for delegate in state.seated(council_id):
        weight = Fraction(1)
        if weighted and apportioned is not None:
            charter = state.federations[council.federation].charter
            members, seats = dict(apportioned.represented), dict(apportioned.seats)
            k = delegate.constituent
            weight = Fraction(members.get(k, 0)) * charter.weight_of(k) / max(seats.get(k, 1), 1)
        voters[delegate.member] = Voter(delegate.constituent, weight)
    return voters


def open_poll(
    state: State,
    actor: str,
    at: datetime,
    poll_id: str,
    council_id: str,
    purpose: str,
    subject: str,
    question: str,
    choices: tuple[str, ...] = QUESTION,
    method: str = QUESTION_METHOD,
    seats: int = 1,
    threshold: Threshold = "simple",
    scope: Scope = "council",
    secret: bool | None = None,
    weighted: bool | None = None,
) -> PollOpened:
    """The event opening a poll, with the charter's voting period, quorum and secrecy.

    A poll in a base council (or of a subtree's members) is secret when the charter says
    so; one in a delegate council is a public roll call, weighted if the charter says so.
    Elections and recalls pass ``secret=True``: those are always secret.
    """
    if poll_id in state.polls:
        raise InvalidCommand(f"a vote {poll_id!r} exists already")
    council = state.open_council(council_id)
    charter = state.federations[council.federation].charter
    in_delegates = scope == "council" and council.kind == "delegate"
    if secret is None:
        secret = charter.secret_voting_in_base_councils and not in_delegates
    if weighted is None:
        weighted = in_delegates and charter.weighted_roll_calls and not secret
    voters = electorate(state, council_id, scope, weighted)
    if not voters:
        raise InvalidCommand(f"no one can vote in {council.name} yet")
    closes_at = at + timedelta(days=charter.voting_days)
    return PollOpened(
        actor,
        at,
        poll_id,
        council_id,
        purpose,
        subject,
        question,
        choices,
        method,
        seats,
        threshold,
        charter.quorum if method == QUESTION_METHOD else Fraction(0),
        secret,
        weighted,
        scope,
        closes_at,
        len(voters),
        roll_digest(voters),
        sum((v.weight for v in voters.values()), Fraction(0)),
    )


def roll_digest(voters: Mapping[str, Voter]) -> str:
    r"""SHA-256 (hex) of a poll's electorate, fixed at opening.

    One line per voter, ``"<voter id> <weight as numerator/denominator> <group>"`` (the group
    is the voter's base council, or a delegate's constituent), the lines sorted as strings,
    joined by "\n" and encoded in UTF-8: e.g. ``"ann 1/1 local-1\nbo 1/1 local-2"``.
    """
    lines = sorted(f"{voter} {v.weight.numerator}/{v.weight.denominator} {v.group}" for voter, v in voters.items())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# --- counting ------------------------------------------------------------------------------


def tiebreak_seed(poll_id: str) -> int:
    """The published seed for lots drawn in a poll's count: anyone can derive it from the poll's id."""
    return int.from_bytes(hashlib.sha256(poll_id.encode("utf-8")).digest()[:4], "big")


def count(poll: Poll, ballots: tuple[Ballot, ...]) -> PollCounted:
    """The count of ``ballots`` by the poll's rules; ``recount`` is this same function."""
    ballots = tuple(sorted(ballots, key=_ballot_order))
    turnout = _exact_sum(b.weight for b in ballots)
    firsts: dict[str, list[Fraction]] = {choice: [] for choice in poll.choices}
    for ballot in ballots:
        if ballot.marks:
            firsts[ballot.marks[0]].append(ballot.weight)
    totals = {choice: _exact_sum(weights) for choice, weights in firsts.items()}
    common = {"poll": poll.id, "ballots": ballots, "totals": tuple(totals.items()), "turnout": turnout}
    if poll.method == QUESTION_METHOD:
        outcome = _decide_question(poll, totals, turnout)
        return PollCounted(THE_COUNT, poll.closes_at, outcome=outcome, **common)
    marked = [b for b in ballots if b.marks]
    if not marked:
        return PollCounted(THE_COUNT, poll.closes_at, outcome="no ballots", **common)
    try:
        result = tally_election(poll.id, poll.choices, poll.method, poll.seats, marked)
    except tally.CountError as error:  # e.g. every ballot ran out: published, so the poll still closes
        return PollCounted(THE_COUNT, poll.closes_at, outcome=f"count failed: {error}", **common)
    rounds = tuple(
        CountRound(
            r.number,
            tuple((name, _exact(votes)) for name, votes in r.tally.items()),
            tuple(r.elected),
            tuple(r.eliminated),
        )
        for r in result.rounds
    )
    return PollCounted(
        THE_COUNT,
        poll.closes_at,
        outcome="elected",
        elected=tuple(result.winners),
        rounds=rounds,
        tiebreak=f"previous rounds, then lots drawn with seed {tiebreak_seed(poll.id)}",
        **common,
    )


def tally_election(
    poll_id: str, choices: tuple[str, ...], method: str, seats: int, ballots: Sequence[Ballot]
) -> tally.Result:
    """``frombelow.tally``'s count of an election's marked ballots, with every round: what
    ``count`` publishes, and what ``frombelow recount`` prints."""
    election = tally.Ballots.from_rankings(choices, [b.marks for b in ballots], seats=seats)
    options = tally.Options(tiebreak=tally.TieBreak("previous-rounds", seed=tiebreak_seed(poll_id)))
    # A list method shares every seat among the slates (``elected`` names a slate once per seat it won).
    by_list = tally.method(method).kind == "list"
    return tally.count(election, method, seats=seats if by_list else min(seats, len(choices)), options=options)


def recount(poll: Poll, counted: PollCounted) -> PollCounted:
    """Count the published ballots again: equal to ``counted`` when the count was honest."""
    return dataclasses.replace(count(poll, counted.ballots), actor=counted.actor, at=counted.at)


def recount_published(opened: PollOpened, counted: PollCounted) -> PollCounted:
    """Recount a poll from its two public events alone, without replaying the federation
    (the ledger's verifier): a count reads of the electorate only its total weight."""
    everyone = Map({"the electorate": Voter("", opened.total_weight)})
    poll = Poll(
        opened.poll, "", opened.council, opened.purpose, opened.subject, opened.question, opened.choices,
        opened.method, opened.seats, opened.threshold, opened.quorum, opened.secret, opened.at, opened.closes_at,
        everyone, scope=opened.scope,
    )  # fmt: skip
    return recount(poll, counted)


def _exact_sum(weights: Iterable[Fraction]) -> Fraction:
    """The exact sum, whole weights (every secret ballot's) added as integers: a Fraction
    added to a Fraction is normalised each time, which made summing most of a count's time."""
    whole, parts = 0, []
    for weight in weights:
        if weight.denominator == 1:
            whole += weight.numerator
        else:
            parts.append(weight)
    return sum(parts, Fraction(whole))


def _ballot_order(ballot: Ballot) -> tuple:
    return (ballot.group, ballot.marks, ballot.weight, ballot.receipt)


def _exact(votes: object) -> str:
    return str(tally_number(votes))


def _decide_question(poll: Poll, totals: dict[str, Fraction], turnout: Fraction) -> str:
    if turnout < poll.quorum * poll.total_weight or turnout == 0:
        return "no quorum"
    yes, no = totals[YES], totals[NO]
    if poll.threshold == "simple":
        carried = yes > no
    elif poll.threshold == "two-thirds":
        carried = yes > 0 and 3 * yes >= 2 * (yes + no)
    else:  # "absolute": more than half of all who may vote
        carried = 2 * yes > poll.total_weight
    return "carried" if carried else "lost"


# --- deciding ------------------------------------------------------------------------------


def _check_marks(poll: Poll, marks: tuple[str, ...]) -> None:
    unknown = [m for m in marks if m not in poll.choices]
    if unknown:
        raise InvalidCommand(f"{unknown[0]!r} is not a choice in this vote; the choices are {', '.join(poll.choices)}")
    if len(set(marks)) != len(marks):
        raise InvalidCommand("a ballot names each choice at most once")
    if poll.method == QUESTION_METHOD and len(marks) != 1:
        raise InvalidCommand(f"vote {YES}, {NO} or {ABSTAIN}")
    if poll.method == QUESTION_METHOD:
        return
    single = poll.method == "plurality" or tally.method(poll.method).kind == "list"
    if single and len(marks) > 1:
        raise InvalidCommand("this vote takes one choice")


def cast(state: State, command: CastBallot) -> list[Event]:
    require_aware(command.at)
    current = poll(state, command.poll)
    marks = tuple(command.marks)
    if current.counted is not None or command.at >= current.closes_at:
        raise NotAllowed(f"the vote on {current.question} is closed")
    if command.at < current.opened_at:
        raise NotAllowed(f"the vote on {current.question} has not opened yet")
    voter = current.electorate.get(command.actor)
    if voter is None:
        where = state.council(current.council).name
        raise NotAllowed(f"only those entitled to vote in {where} when this vote opened may vote on {current.question}")
    if command.actor in current.turnout:
        raise NotAllowed("you have voted already")
    _check_still_entitled(state, current, command.actor, voter)
    _check_marks(current, marks)
    if current.secret:
        return [BallotCast(command.actor, command.at, current.id)]
    extra: list[Event] = []
    for check in ON_CAST:
        marks, more = check(state, current, command.actor, marks, command.at)
        extra += more
    return [VoteCast(command.actor, command.at, current.id, marks, voter.weight), *extra]


def _check_still_entitled(state: State, poll: Poll, actor: str, voter: Voter) -> None:
    """A voter of the opening who has since left, moved away, or given up the seat they voted
    from, votes no more (a member who moved would otherwise vote in both constituencies)."""
    if actor not in state.members:
        raise NotAllowed(f"only members may vote: you are no longer a member, so you may not vote on {poll.question}")
    council = state.councils[poll.council]
    if poll.scope != "council" or council.kind != "delegate":
        here = state.members[actor].council  # a council that split or merged lives on in its successors
        if not state.is_under(here, poll.council) and here not in council.successors:
            raise NotAllowed(f"you have moved away from {council.name} since this vote opened: you may not vote on it")
        return
    seat = state.delegates.get((poll.council, actor))
    if seat is None or seat.constituent != voter.group:  # the group of a delegate is their constituent
        where = state.councils[voter.group].name
        raise NotAllowed(
            f"you no longer hold the seat for {where} in {council.name} that you held when this vote opened"
        )


def close(state: State, command: ClosePoll) -> list[Event]:
    """Count the poll once its time is up, or once everyone entitled has voted."""
    require_aware(command.at)
    current = poll(state, command.poll)
    if current.counted is not None:
        raise InvalidCommand(f"the vote on {current.question} has been counted already")
    everyone = len(current.turnout) == len(current.electorate)
    if command.at < current.closes_at and not everyone:
        raise NotAllowed(f"the vote on {current.question} stays open until {in_utc(current.closes_at)}")
    if command.actor != THE_COUNT:
        state.member(command.actor)
    if current.secret:
        ballots = tuple(_as_recorded(b) for b in command.ballots)
        if len(ballots) != len(current.turnout):
            raise InvalidCommand(
                f"{len(current.turnout)} members voted but the box holds {len(ballots)} ballots: the count cannot start"
            )
        for ballot in ballots:
            _check_marks(current, ballot.marks)
            if ballot.weight != 1:
                raise InvalidCommand("a secret ballot counts once")
        if current.purpose in COUNTED_BY_COUNCIL:
            _check_ballots_by_council(current, ballots)
        elif any(b.group for b in ballots):
            # Published beside who voted, a council's label would give away how a small council voted.
            raise InvalidCommand(
                "a secret ballot names the council it was cast in only where the count is by council "
                "(a ratification); here it must name none"
            )
    else:
        if command.ballots:
            raise InvalidCommand("a public vote is counted from the votes cast, not from ballots handed in")
        ballots = tuple(
            Ballot(marks, voter, current.electorate[voter].weight) for voter, marks in current.turnout.items()
        )
    counted = dataclasses.replace(count(current, ballots), at=max(command.at, current.opened_at))
    after = apply_counted(state, counted)
    handler = ON_COUNTED.get(current.purpose)
    return [counted, *(handler(after, after.polls[current.id], counted) if handler else [])]


def _as_recorded(ballot: Ballot) -> Ballot:
    """The ballot as the record keeps it: marks a tuple, weight a Fraction, so its JSON is the
    same before and after a round trip (an int weight 1 is written 1, Fraction(1) "1/1")."""
    if not isinstance(ballot.marks, (tuple, list)):
        raise InvalidCommand("a ballot's marks are a list of choices")
    fields = (ballot.group, ballot.receipt, *ballot.marks)
    if not all(isinstance(text, str) for text in fields):
        raise InvalidCommand("a ballot's marks, council and receipt are text")
    if isinstance(ballot.weight, bool) or not isinstance(ballot.weight, (int, Fraction)):
        raise InvalidCommand(f"a ballot's weight is a whole number or a fraction, not {ballot.weight!r}")
    return Ballot(tuple(ballot.marks), ballot.group, Fraction(ballot.weight), ballot.receipt)


def _check_ballots_by_council(poll: Poll, ballots: tuple[Ballot, ...]) -> None:
    """Each base council's ballots must number those of its members who voted, no more, no fewer."""
    voted = Counter(poll.electorate[voter].group for voter in poll.turnout)
    handed_in = Counter(b.group for b in ballots)
    if handed_in[""]:
        raise InvalidCommand(f"{handed_in['']} ballots do not say which base council they were cast in")
    for group in sorted(voted.keys() | handed_in.keys()):
        if voted[group] != handed_in[group]:
            raise InvalidCommand(
                f"the box holds {handed_in[group]} ballots from {group!r} but {voted[group]} of its members voted: "
                "the count cannot start"
            )


# --- applying ------------------------------------------------------------------------------


def poll_opened(state: State, event: PollOpened) -> State:
    council = state.councils[event.council]
    voters = electorate(state, event.council, event.scope, event.weighted)
    new = Poll(
        event.poll,
        council.federation,
        event.council,
        event.purpose,
        event.subject,
        event.question,
        event.choices,
        event.method,
        event.seats,
        event.threshold,
        event.quorum,
        event.secret,
        event.at,
        event.closes_at,
        Map(voters),
        scope=event.scope,
        total_weight=event.total_weight,
    )
    return state.updated(polls=state.polls.set(event.poll, new))


def _voted(state: State, poll_id: str, voter: str, marks: tuple[str, ...]) -> State:
    current = state.polls[poll_id]
    updated = dataclasses.replace(current, turnout=current.turnout.set(voter, marks))
    return state.updated(polls=state.polls.set(poll_id, updated))


def ballot_cast(state: State, event: BallotCast) -> State:
    return _voted(state, event.poll, event.actor, ())


def vote_cast(state: State, event: VoteCast) -> State:
    return _voted(state, event.poll, event.actor, event.marks)


def apply_counted(state: State, event: PollCounted) -> State:
    updated = dataclasses.replace(state.polls[event.poll], counted=event)
    return state.updated(polls=state.polls.set(event.poll, updated))


DECIDERS = {CastBallot: cast, ClosePoll: close}
APPLIERS = {PollOpened: poll_opened, BallotCast: ballot_cast, VoteCast: vote_cast, PollCounted: apply_counted}
