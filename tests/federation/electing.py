"""Running a whole term of elections, for tests that need seated delegates.

    state = found()                      # maybe after some invite_and_join
    state, hours = run_term(state, 10)   # north, south and the congress have delegates

Every election is run from the bottom up, as the rules require: each constituent's
members (or delegates) nominate candidates, who accept; once nominations close the
election opens; if it is contested everyone entitled votes by secret ballot, ranking
the candidates alphabetically, and the poll is closed with those ballots.

With the founding members alone (one per local) every election is unopposed: ann
(local-1) and bo (local-2) sit in North District and in the congress for North, cy
(local-3) and di (local-4) in South District and in the congress for South.
"""

from __future__ import annotations

from datetime import timedelta

from founding import START, at

from frombelow.federation import RuleBroken, State, execute
from frombelow.federation.elections import (
    AcceptNomination,
    Election,
    Nominate,
    OpenElection,
    StartTerm,
    candidates,
    stage,
)
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll

FEDERATION = "metal"


def hours_of(moment: object) -> float:
    return (moment - START) / timedelta(hours=1)  # type: ignore[operator]


def electors(state: State, chosen: Election) -> list[str]:
    """Who votes in the election's constituent now: its members, or its seated delegates."""
    council = state.council(chosen.constituent)
    if council.kind == "base":
        return sorted(m.id for m in state.members.values() if m.council == council.id)
    return sorted(d.member for d in state.seated(council.id))


def nominate_all(state: State, chosen: Election, hours: float, limit: int | None = None) -> State:
    """Nominate (up to ``limit``, default seats + 1) members K represents, alphabetically; they accept.

    A member of a base council nominates themselves; for a delegate council's seats its first
    delegate nominates them. Anyone the rules refuse (a term limit) is passed over.
    """
    nominators = electors(state, chosen)
    if not nominators:
        return state
    wanted = chosen.seats + 1 if limit is None else limit
    for member in sorted(m.id for m in state.members_under(chosen.constituent)):
        if len(candidates(state, chosen)) >= wanted:
            break
        nominator = member if member in nominators else nominators[0]
        try:
            state, _ = execute(state, Nominate(nominator, at(hours), chosen.id, member))
            if nominator != member:
                state, _ = execute(state, AcceptNomination(member, at(hours), chosen.id))
        except RuleBroken:
            continue
        chosen = state.elections[chosen.id]
    return state


def vote_and_count(state: State, election_id: str, hours: float) -> tuple[State, float]:
    """Everyone entitled casts a secret ballot (choices in ballot order); the poll is closed with them."""
    chosen = state.elections[election_id]
    poll = state.polls[chosen.poll]
    marks = poll.choices[:1] if chosen.by_slates else poll.choices
    for voter in sorted(poll.electorate):
        state, _ = execute(state, CastBallot(voter, at(hours), poll.id, marks))
    hours += 1
    ballots = tuple(Ballot(marks) for _ in poll.electorate)
    state, _ = execute(state, ClosePoll("the count", at(hours), poll.id, ballots))
    return state, hours


def open_and_count(state: State, election_id: str, hours: float) -> tuple[State, float]:
    """Open the election at ``hours`` (or when its nominations close) and, when contested, vote and count."""
    chosen = state.elections[election_id]
    hours = max(hours, hours_of(chosen.nominations_close_at))
    opener = (electors(state, chosen) or ["the count"])[0]
    state, _ = execute(state, OpenElection(opener, at(hours), election_id))
    if stage(state, state.elections[election_id]) == "voting":
        state, hours = vote_and_count(state, election_id, hours + 1)
    return state, hours + 1


def run_term(state: State, hours: float) -> tuple[State, float]:
    """Start a term of the founding federation at ``hours`` and hold all its elections, bottom up.

    Returns the state, with every delegate council's delegates seated, and the hour reached
    (every event of the term happened before it).
    """
    state, new = execute(state, StartTerm("the count", at(hours), FEDERATION))
    term = new[0].number  # type: ignore[attr-defined]
    pending = [e for e in state.elections.values() if e.term == term and not e.by_election]
    # Deepest councils first: an election by a delegate council waits for that council's delegates.
    for level in sorted({len(state.ancestors(e.constituent)) for e in pending}, reverse=True):
        held = sorted(e.id for e in pending if len(state.ancestors(e.constituent)) == level)
        hours += 1
        for election_id in held:
            state = nominate_all(state, state.elections[election_id], hours)
        hours += 1
        for election_id in held:
            state, hours = open_and_count(state, election_id, hours)
    return state, hours
