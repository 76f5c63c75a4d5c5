"""Base councils split and merge by their own members' vote, and by no one else's.

- Only a member of a base council may propose to split it, or to merge it with others
  under the same parent council; no higher council has any command to split, merge or
  dissolve a council below it (invariant 1).
- The proposal is put to a secret vote of the council's own members (one vote in each
  council, for a merge). It passes only if the yes votes reach the charter's
  ``split_merge_threshold`` of ALL the members entitled to vote when the vote opened,
  not of those voting: staying away counts as no. The share is the charter's when the
  proposal was made, and the question put says how many yes votes pass it. A merge
  needs every council's vote to pass; the first to fail rejects it, and any vote still
  open then decides nothing.
- The decision is ``CouncilSplit``, ``CouncilsMerged`` or ``ProposalRejected``, which
  record the count that decides (yes votes, members, the share needed). The poll's own
  published outcome (``PollCounted.outcome``, by the charter's quorum and the "absolute"
  threshold it is opened with, the nearest of the poll's rules) is not the decision and
  may differ from it: 2 yes of 4 members pass a split at a share of 1/2, yet are no
  absolute majority.
- A split names every member's new council. Someone who joins or moves in while the vote
  is open goes to the first part named: the proposal says so to everyone voting, and
  they may move later by invitation like anyone. Someone who leaves or moves out simply
  goes with their new council. A part left with no members at the count rejects the
  split (no one would be there to invite anyone).
- A split must leave the parent council seats enough to give each of its constituents
  the charter's minimum: the proposal is refused otherwise, and a split is rejected at its
  count if another split under the same parent, passed meanwhile, leaves too few. (A merge
  leaves fewer constituents, never too many.) So no split stops the parent's apportionment,
  and with it every election of the next term.
- When it passes, the new base councils open under the same parent, the members move,
  and the old councils close: they stay in the record with their successors and their
  ids are never reused, but take no invitations, joins, motions or votes.

What a closed council leaves behind:

- A vote already open in it runs to its end with the electorate fixed when it opened,
  and its result stands: its members opened it while the council still met. Motions
  left on its agenda lapse: no one sits in it any more to call their vote, and its
  members take them up again in their new councils.
- Delegates it sent keep their seats to the end of the term, still sent by the old
  council; its members (now in its successors, ``Council.successors``, or in theirs:
  ``heirs``) are the ones who elected them, and the ones who may recall them
  (``recall.py``). Its mandates lapse when it closes (``MandateLapsed``, by the hook
  ``mandates`` registers in ``ON_CLOSED``): the council that gave them no longer meets
  to change them. The next term apportions the parent's seats among the new councils
  (a closed council has no seats), and the delegates they elect take the old council's
  places; until then the new councils send no one of their own.

Delegate councils are left out: their members are delegates serving a term, not the
people, and regrouping the councils below a district is a change for those councils'
members, one that would move seated delegates mid-term. Only base councils split or merge.

State: ``state.proposals`` maps a proposal id to its ``Proposal`` (kept after the vote,
so an id is never reused); ``state.under_proposal`` maps each council voting on a
proposal, and each new council id a proposal still voting would open, to that proposal;
the councils themselves live in ``state.councils``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import ClassVar, Literal

from frombelow.federation import petitions, voting
from frombelow.federation.charter import Charter
from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, State

SPLIT, MERGE = "split", "merge"
# What else a council's closing ends, registered by the capability concerned (mandates):
# (the state before, the councils closing, when) -> the events that record it.
OnClosed = Callable[[State, tuple[str, ...], datetime], list[Event]]
ON_CLOSED: list[OnClosed] = []
ProposalKind = Literal["split", "merge"]
ProposalStatus = Literal["voting", "carried", "rejected"]


@dataclass(frozen=True)
class Proposal:
    id: str
    federation: str
    kind: ProposalKind
    councils: tuple[str, ...]  # the council to split, or the councils to merge
    parts: tuple[tuple[str, str], ...]  # (new council id, name): a split's parts, or the merged council
    assignment: tuple[tuple[str, str], ...]  # a split's (member, part) as proposed; () for a merge
    share: Fraction  # of all members, the yes votes needed in each council (the charter's when proposed)
    proposed_by: str
    proposed_at: datetime
    status: ProposalStatus = "voting"
    decided_at: datetime | None = None

    def poll_in(self, council_id: str) -> str:
        return poll_id(self.kind, self.id, council_id)


def poll_id(kind: ProposalKind, proposal_id: str, council_id: str) -> str:
    """The id of the vote on a split or merge in one council."""
    return f"{kind} {proposal_id} in {council_id}"


# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeSplit(Command):
    proposal: str
    council: str
    parts: tuple[tuple[str, str], ...]  # (new council id, name), two or more
    assignment: tuple[tuple[str, str], ...]  # (member, new council id) for every current member


@dataclass(frozen=True)
class ProposeMerge(Command):
    proposal: str
    councils: tuple[str, ...]  # two or more base councils under the same parent
    council: str  # the merged council's id
    name: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitProposed(Event):
    kind: ClassVar[str] = "council split proposed"
    proposal: str
    council: str
    parts: tuple[tuple[str, str], ...]
    assignment: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MergeProposed(Event):
    kind: ClassVar[str] = "councils merge proposed"
    proposal: str
    councils: tuple[str, ...]
    council: str
    name: str


@dataclass(frozen=True)
class CouncilSplit(Event):
    kind: ClassVar[str] = "council split"
    proposal: str
    council: str  # the council that closes
    parent: str
    parts: tuple[tuple[str, str], ...]
    assignment: tuple[tuple[str, str], ...]  # (member, part) at the count, every member, sorted
    yes: int
    members: int  # entitled to vote when the vote opened
    share: Fraction


@dataclass(frozen=True)
class CouncilsMerged(Event):
    kind: ClassVar[str] = "councils merged"
    proposal: str
    councils: tuple[str, ...]  # the councils that close; all their members move
    council: str
    name: str
    parent: str
    votes: tuple[tuple[str, int, int], ...]  # (council, yes, members entitled to vote)
    share: Fraction
    moved: tuple[str, ...]  # the members who go to the merged council: all of the closing councils', sorted


@dataclass(frozen=True)
class ProposalRejected(Event):
    kind: ClassVar[str] = "council split or merge rejected"
    proposal: str
    council: str  # the council whose vote (or state) rejected it
    yes: int
    members: int
    share: Fraction
    reason: str


# --- reading the state ---------------------------------------------------------------------


def proposal(state: State, proposal_id: str) -> Proposal:
    try:
        return state.proposals[proposal_id]
    except KeyError:
        raise NotFound(f"there is no proposal {proposal_id!r} to split or merge councils") from None


def pending(state: State, council_id: str) -> Proposal | None:
    """The split or merge ``council_id`` is voting on, if any."""
    under = state.under_proposal.get(council_id)
    return None if under is None or council_id not in state.proposals[under].councils else state.proposals[under]


def heirs(state: State, council_id: str) -> tuple[str, ...]:
    """The councils that carry ``council_id`` on now: itself while it meets, else its successors' heirs.

    A closed council's members went to its successors (and maybe on from there, if those
    split or merged in turn): they are the ones its delegates still answer to.
    """
    council = state.councils[council_id]
    if council.closed_at is None:
        return (council.id,)
    return tuple(sorted({h for s in council.successors for h in heirs(state, s)}))


def represents(state: State, council_id: str, base_id: str) -> bool:
    """Whether the members of base council ``base_id`` are among those ``council_id`` (or its heirs) stands for."""
    return any(state.is_under(base_id, heir) for heir in heirs(state, council_id))


def constituent_of(state: State, constituent_id: str, council_id: str) -> tuple[Council, Council]:
    """K and C, if K is a constituent of C (a council directly below, which sends it delegates); else a refusal."""
    constituent, council = state.council(constituent_id), state.council(council_id)
    if constituent.parent != council.id:
        raise NotAllowed(f"{constituent.name} sends no delegates to {council.name}: it is not one of its constituents")
    return constituent, council


def require_sitting(state: State, council_id: str, actor: str, doing: str) -> Council:
    """The council, if ``actor`` sits in it (``voting.sits_in``); otherwise a refusal saying who may ``doing``."""
    state.member(actor)
    council = state.council(council_id)
    if not voting.sits_in(state, council.id, actor):
        who = "members of" if council.kind == "base" else "delegates seated in"
        raise NotAllowed(f"only {who} {council.name} may {doing}")
    return council


def crowding(state: State, council_id: str, charter: Charter, constituents: int) -> str | None:
    """Why a delegate council with ``constituents`` could not give each the charter's minimum seats; None if it can."""
    council = state.councils[council_id]
    seats, minimum = charter.seats_of(council.id), charter.minimum_seats
    if minimum * constituents <= seats:
        return None
    return (
        f"{council.name} has {seats} seats: too few to give each of {constituents} constituents "
        f"the charter's minimum of {minimum}"
    )


def _room_for_parts(state: State, council: Council, parts: int) -> str | None:
    """Why splitting ``council`` into ``parts`` would leave its parent short of seats; None if it would not."""
    if council.parent is None:
        return None
    charter = state.federations[council.federation].charter
    crowded = crowding(state, council.parent, charter, len(state.children(council.parent)) - 1 + parts)
    return None if crowded is None else f"after the split, {crowded}"


def _yes(result: voting.PollCounted) -> int:
    return int(dict(result.totals)[voting.YES])


# --- deciding ------------------------------------------------------------------------------


def _base_council(state: State, council_id: str, doing: str) -> Council:
    council = state.open_council(council_id)
    if council.kind != "base":
        raise InvalidCommand(
            f"{council.name} is a delegate council: only base councils {doing}, by their members' vote"
        )
    return council


def _not_voting_already(state: State, council: Council) -> None:
    under_way = pending(state, council.id)
    if under_way is not None:
        raise NotAllowed(f"{council.name} is voting on the {under_way.kind} {under_way.id!r} already")


def _new_proposal(state: State, command: Command, proposal_id: str) -> None:
    require_aware(command.at)
    if not proposal_id.strip():
        raise InvalidCommand("a proposal needs an id")
    if proposal_id in state.proposals:
        raise InvalidCommand(f"a proposal {proposal_id!r} exists already; choose another id")


def _new_councils(state: State, parts: tuple[tuple[str, str], ...]) -> None:
    reserved = state.under_proposal  # the new councils of proposals still voting, among others
    ids = [council_id for council_id, _ in parts]
    names = [name.strip().casefold() for _, name in parts]
    for council_id, name in parts:
        if not council_id.strip():
            raise InvalidCommand("each new council needs an id")
        if not name.strip():
            raise InvalidCommand(f"the new council {council_id!r} needs a name")
        if council_id in state.councils or council_id in reserved:
            raise InvalidCommand(
                f"a council {council_id!r} exists or is proposed already: council ids are never reused"
            )
    if len(set(ids)) != len(ids) or len(set(names)) != len(names):
        raise InvalidCommand("each new council needs its own id and name")


def propose_split(state: State, command: ProposeSplit) -> list[Event]:
    _new_proposal(state, command, command.proposal)
    member = state.member(command.actor)
    council = _base_council(state, command.council, SPLIT)
    if member.council != council.id:
        raise NotAllowed(f"only members of {council.name} may propose to split it")
    _not_voting_already(state, council)
    parts = tuple(command.parts)
    if len(parts) < 2:
        raise InvalidCommand(f"a split names two or more councils for the members of {council.name} to go on as")
    _new_councils(state, parts)
    assignment = tuple(command.assignment)
    assigned = [m for m, _ in assignment]
    part_ids = {p for p, _ in parts}
    if len(set(assigned)) != len(assigned):
        raise InvalidCommand("each member goes to exactly one of the new councils")
    current = set(state.roll(council.id))
    strangers = sorted(set(assigned) - current)
    if strangers:
        raise InvalidCommand(f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not in {council.name}")
    missing = sorted(current - set(assigned))
    if missing:
        raise InvalidCommand(f"the split must say where every member goes: not yet {', '.join(missing)}")
    unknown = sorted({p for _, p in assignment} - part_ids)
    if unknown:
        raise InvalidCommand(f"{unknown[0]!r} is not one of the new councils")
    empty = [name for p, name in parts if p not in {q for _, q in assignment}]
    if empty:
        raise InvalidCommand(f"no member would be in {empty[0]}: each new council needs members")
    crowded = _room_for_parts(state, council, len(parts))
    if crowded is not None:
        raise NotAllowed(f"{council.name} cannot split into {len(parts)}: {crowded}")
    names = " and ".join(name.strip() for _, name in parts)
    poll = voting.open_poll(
        state,
        command.actor,
        command.at,
        poll_id(SPLIT, command.proposal, council.id),
        council.id,
        SPLIT,
        command.proposal,
        f"Split {council.name} into {names}{_rule(state, council)}",
        threshold="absolute",
        secret=True,
    )
    parts = tuple((p, name.strip()) for p, name in parts)
    return [SplitProposed(command.actor, command.at, command.proposal, council.id, parts, assignment), poll]


def propose_merge(state: State, command: ProposeMerge) -> list[Event]:
    _new_proposal(state, command, command.proposal)
    member = state.member(command.actor)
    ids = tuple(command.councils)
    if len(ids) < 2 or len(set(ids)) != len(ids):
        raise InvalidCommand("a merge names two or more different councils")
    councils = [_base_council(state, c, MERGE) for c in ids]
    names = " and ".join(c.name for c in councils)
    if member.council not in ids:
        raise NotAllowed(f"only members of {names} may propose to merge them")
    for council in councils:
        _not_voting_already(state, council)
    if len({(c.federation, c.parent) for c in councils}) != 1:
        raise InvalidCommand(f"{names} send delegates to different councils: only councils under the same one merge")
    _new_councils(state, ((command.council, command.name),))
    question = f"Merge {names} into {command.name.strip()}"
    polls = [
        voting.open_poll(
            state,
            command.actor,
            command.at,
            poll_id(MERGE, command.proposal, c.id),
            c.id,
            MERGE,
            command.proposal,
            question + _rule(state, c),
            threshold="absolute",
            secret=True,
        )
        for c in councils
    ]
    merge = MergeProposed(command.actor, command.at, command.proposal, ids, command.council, command.name.strip())
    return [merge, *polls]


def _rule(state: State, council: Council) -> str:
    """What passes the proposal in ``council``, for the question its members are asked."""
    share = state.federations[council.federation].charter.split_merge_threshold
    members = len(state.rolls.get(council.id, ()))
    return f"? It passes in {council.name} with {petitions.needed(share, members)} yes votes of its {members} members"


def _closed(state: State, closing: tuple[str, ...], at: datetime) -> list[Event]:
    return [event for hook in ON_CLOSED for event in hook(state, closing, at)]


def _rejected(plan: Proposal, poll: voting.Poll, result: voting.PollCounted, reason: str) -> ProposalRejected:
    yes, members = _yes(result), len(poll.electorate)
    return ProposalRejected(THE_COUNT, result.at, plan.id, poll.council, yes, members, plan.share, reason)


def _rejection(state: State, plan: Proposal, poll: voting.Poll, result: voting.PollCounted) -> str | None:
    """Why the vote in ``poll`` rejects the proposal, or None if it passes."""
    yes, members = _yes(result), len(poll.electorate)
    needed = petitions.needed(plan.share, members)
    if yes < needed:
        name = state.councils[poll.council].name
        return (
            f"{yes} of the {members} members of {name} voted yes; it needs {needed} ({plan.share} of all its members)"
        )
    taken = [p for p, _ in plan.parts if p in state.councils]
    if taken:
        return f"the council id {taken[0]!r} was taken while the vote was open"
    return None


@voting.on_counted(SPLIT)
def split_counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    plan = state.proposals[poll.subject]
    reason = _rejection(state, plan, poll, result)
    if reason is not None:
        return [_rejected(plan, poll, result, reason)]
    proposed = dict(plan.assignment)
    first = plan.parts[0][0]  # where those who joined or moved in during the vote go
    assignment = tuple((m, proposed.get(m, first)) for m in state.roll(poll.council))
    empty = [name for p, name in plan.parts if p not in {q for _, q in assignment}]
    if empty:
        return [_rejected(plan, poll, result, f"no member is left for {empty[0]}: the split would leave it empty")]
    crowded = _room_for_parts(state, state.councils[poll.council], len(plan.parts))
    if crowded is not None:  # another split under the same parent passed while this vote was open
        return [_rejected(plan, poll, result, crowded)]
    council = state.councils[poll.council]
    closing = [
        CouncilSplit(
            THE_COUNT,
            result.at,
            plan.id,
            council.id,
            council.parent or "",
            plan.parts,
            assignment,
            _yes(result),
            len(poll.electorate),
            plan.share,
        )
    ]
    return closing + _closed(state, (council.id,), result.at)


@voting.on_counted(MERGE)
def merge_counted(state: State, poll: voting.Poll, result: voting.PollCounted) -> list[Event]:
    plan = state.proposals[poll.subject]
    if plan.status != "voting":
        return []  # another council's vote has rejected it already
    reason = _rejection(state, plan, poll, result)
    if reason is not None:
        return [_rejected(plan, poll, result, reason)]
    polls = [state.polls[plan.poll_in(c)] for c in plan.councils]
    if any(p.counted is None for p in polls):
        return []  # the others are still voting
    votes = tuple((p.council, _yes(p.counted), len(p.electorate)) for p in polls if p.counted)
    (new_id, name), parent = plan.parts[0], state.councils[poll.council].parent or ""
    moved = tuple(sorted(m for c in plan.councils for m in state.roll(c)))
    merged = CouncilsMerged(
        THE_COUNT, result.at, plan.id, plan.councils, new_id, name, parent, votes, plan.share, moved
    )
    return [merged, *_closed(state, plan.councils, result.at)]


# --- applying ------------------------------------------------------------------------------


def _add(
    state: State,
    event: SplitProposed | MergeProposed,
    kind: ProposalKind,
    councils: tuple[str, ...],
    parts: tuple[tuple[str, str], ...],
    assignment: tuple[tuple[str, str], ...],
) -> State:
    federation = state.councils[councils[0]].federation
    share = state.federations[federation].charter.split_merge_threshold
    new = Proposal(event.proposal, federation, kind, councils, parts, assignment, share, event.actor, event.at)
    under = state.under_proposal.mutate()
    for council_id in (*councils, *(p for p, _ in parts)):
        under[council_id] = event.proposal
    return state.updated(proposals=state.proposals.set(event.proposal, new), under_proposal=under.finish())


def split_proposed(state: State, event: SplitProposed) -> State:
    return _add(state, event, SPLIT, (event.council,), event.parts, event.assignment)


def merge_proposed(state: State, event: MergeProposed) -> State:
    return _add(state, event, MERGE, event.councils, ((event.council, event.name),), ())


def _decided(state: State, proposal_id: str, status: ProposalStatus, at: datetime) -> State:
    decided = dataclasses.replace(state.proposals[proposal_id], status=status, decided_at=at)
    under = state.under_proposal.mutate()
    for council_id in (*decided.councils, *(p for p, _ in decided.parts)):
        if under.get(council_id) == proposal_id:
            del under[council_id]
    return state.updated(proposals=state.proposals.set(proposal_id, decided), under_proposal=under.finish())


def _reshape(
    state: State,
    closing: tuple[str, ...],
    parts: tuple[tuple[str, str], ...],
    parent: str,
    moves: dict[str, str],
    at: datetime,
) -> State:
    """Open ``parts`` under ``parent``, move each member as ``moves`` says, and close ``closing``."""
    federation = state.councils[closing[0]].federation
    opened = [Council(council_id, federation, name, "base", parent) for council_id, name in parts]
    successors = tuple(p for p, _ in parts)
    closed = [dataclasses.replace(state.councils[c], closed_at=at, successors=successors) for c in closing]
    reshaped = state.with_councils(*opened, *closed)
    return reshaped.enrol(*(dataclasses.replace(state.members[m], council=c) for m, c in moves.items()))


def council_split(state: State, event: CouncilSplit) -> State:
    state = _reshape(state, (event.council,), event.parts, event.parent, dict(event.assignment), event.at)
    return _decided(state, event.proposal, "carried", event.at)


def councils_merged(state: State, event: CouncilsMerged) -> State:
    moves = dict.fromkeys(event.moved, event.council)
    state = _reshape(state, event.councils, ((event.council, event.name),), event.parent, moves, event.at)
    return _decided(state, event.proposal, "carried", event.at)


def proposal_rejected(state: State, event: ProposalRejected) -> State:
    return _decided(state, event.proposal, "rejected", event.at)


DECIDERS = {ProposeSplit: propose_split, ProposeMerge: propose_merge}
APPLIERS = {
    SplitProposed: split_proposed,
    MergeProposed: merge_proposed,
    CouncilSplit: council_split,
    CouncilsMerged: councils_merged,
    ProposalRejected: proposal_rejected,
}
