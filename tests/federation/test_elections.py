"""Delegate elections: terms, nominations, slates, the secret vote, the count and by-elections."""

import json
from datetime import timedelta

import pytest
from electing import open_and_count, run_term
from founding import TREE, at, found, invite_and_join

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.apportionment import SeatsApportioned
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.elections import (
    AcceptNomination,
    CallByElection,
    DelegateSeated,
    ElectionCalled,
    ElectionDecided,
    Nominate,
    Nominated,
    NominationAccepted,
    NominationWithdrawn,
    OpenElection,
    Resign,
    SeatsNotApportioned,
    SeatVacated,
    SlateSubmitted,
    StartTerm,
    SubmitSlate,
    TermStarted,
    WithdrawNomination,
    candidates,
    slates,
    stage,
    vacate,
)
from frombelow.federation.events import CouncilPlan, Event, from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction
from frombelow.federation.voting import Ballot, BallotCast, CastBallot, ClosePoll, PollCounted, PollOpened, recount

FOUNDERS = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
NEWCOMERS = ("eve", "fay", "gus", "hal", "ida", "jo")  # all join Local 1
START = 20  # the hour the first term starts
OPENS = START + 7 * 24  # nominations close a week later
# Four seats per council: North gives Local 1 (7 members) 3 and Local 2 (1) 1; the congress
# gives North (8) 3 and South (2) 1; South gives its two locals 2 each.
SMALL = Charter(delegate_seats=4)


def founded_with(charter: Charter, history: list[Event] | None = None) -> State:
    state, new = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", charter, TREE, FOUNDERS))
    if history is not None:
        history += new
    return state


def grown(charter: Charter = SMALL) -> State:
    state = founded_with(charter)
    for n, newcomer in enumerate(NEWCOMERS):
        state = invite_and_join(state, "ann", "local-1", newcomer, 1 + 2 * n)
    return state


def run(state: State, *commands: object, history: list[Event] | None = None) -> State:
    for command in commands:
        state, new = execute(state, command)  # type: ignore[arg-type]
        if history is not None:
            history += new
    return state


def refused(state: State, command: object, error: type[RuleBroken], match: str) -> None:
    before = state
    with pytest.raises(error, match=match):
        execute(state, command)  # type: ignore[arg-type]
    assert state is before and state == before


def started(state: State, hours: float = START) -> State:
    return run(state, StartTerm("the count", at(hours), "metal"))


LOCAL_1 = "north/local-1/term-1"  # Local 1's three seats in North District


def contested(state: State) -> State:
    """Local 1's election with four candidates for three seats, voting open."""
    state = started(state)
    state = run(
        state,
        *(Nominate(m, at(START + 1), LOCAL_1, m) for m in ("ann", "eve", "fay", "gus")),
        OpenElection("ann", at(OPENS), LOCAL_1),
    )
    return state


# --- terms ---------------------------------------------------------------------------------


def test_a_term_apportions_every_council_and_calls_an_election_per_constituent() -> None:
    state, events = execute(grown(), StartTerm("hal", at(START), "metal"))
    term, *rest = events
    assert term == TermStarted("hal", at(START), "metal", 1, at(START), at(START) + timedelta(days=365))
    shares = {e.council: dict(e.seats) for e in rest if isinstance(e, SeatsApportioned)}
    assert shares == {
        "congress": {"north": 3, "south": 1},
        "north": {"local-1": 3, "local-2": 1},
        "south": {"local-3": 2, "local-4": 2},
    }
    called = [e for e in rest if isinstance(e, ElectionCalled)]
    # From the bottom up: the districts' seats first, the congress's last.
    assert [(e.council, e.constituent, e.seats) for e in called] == [
        ("north", "local-1", 3),
        ("north", "local-2", 1),
        ("south", "local-3", 2),
        ("south", "local-4", 2),
        ("congress", "north", 3),
        ("congress", "south", 1),
    ]
    first = called[0]
    assert first == ElectionCalled("hal", at(START), LOCAL_1, "north", "local-1", 3, 1, "stv", at(OPENS), False)
    assert state.terms["metal"].number == 1
    assert state.apportionments["congress"].seats == (("north", 3), ("south", 1))
    assert stage(state, state.elections[LOCAL_1]) == "nominations"


def test_start_term_refusals() -> None:
    state = started(grown())
    refused(state, StartTerm("ann", at(START + 100), "metal"), NotAllowed, "term 1 runs until 2027-05-02 05:00 UTC")
    refused(state, StartTerm("zed", at(START + 9000), "metal"), NotFound, "'zed' is not a member")
    refused(state, StartTerm("ann", at(START + 9000), "atlantis"), NotFound, "no federation 'atlantis'")
    refused(state, StartTerm("ann", at(START + 9000).replace(tzinfo=None), "metal"), InvalidCommand, "time zone")


def test_a_member_of_another_federation_cannot_start_the_term() -> None:
    plan = (CouncilPlan("bakers", "Bakers' Congress", None), CouncilPlan("bakery", "Bakery", "bakers"))
    state = run(
        founded_with(SMALL), FoundFederation("pat", at(1), "bread", "Bakers", Charter(), plan, (("pat", "bakery"),))
    )
    refused(state, StartTerm("pat", at(START), "metal"), NotAllowed, "only members of Metalworkers may start its term")


def test_a_new_term_once_the_last_has_ended_and_old_delegates_sit_until_succeeded() -> None:
    state, _ = run_term(found(), START)
    assert {(d.council, d.member, d.term) for d in state.delegates.values()} == {
        ("north", "ann", 1),
        ("north", "bo", 1),
        ("south", "cy", 1),
        ("south", "di", 1),
        ("congress", "ann", 1),
        ("congress", "bo", 1),
        ("congress", "cy", 1),
        ("congress", "di", 1),
    }
    ended = START + 365 * 24
    refused(state, StartTerm("ann", at(ended - 1), "metal"), NotAllowed, "term 1 runs until")
    state = run(state, StartTerm("ann", at(ended), "metal"))
    assert state.terms["metal"].number == 2
    assert len(state.delegates) == 8  # all still seated: no successor yet
    state = run(state, Nominate("ann", at(ended + 1), "north/local-1/term-2", "ann"))
    state = run(state, OpenElection("ann", at(ended + 7 * 24), "north/local-1/term-2"))
    assert state.delegates[("north", "ann")].term == 2
    assert state.delegates[("north", "bo")].term == 1  # Local 2's delegate waits for its successor
    # An election of an ended term can no longer be acted on.
    refused(
        state,
        Nominate("bo", at(ended + 7 * 24), "north/local-2/term-1", "bo"),
        NotAllowed,
        "for term 1, which has ended",
    )


# --- nominations ---------------------------------------------------------------------------


def test_self_nomination_is_accepted_at_once_another_needs_acceptance() -> None:
    state = started(grown())
    state, (event,) = execute(state, Nominate("eve", at(START + 1), LOCAL_1, "eve"))
    assert event == Nominated("eve", at(START + 1), LOCAL_1, "eve", None, True)
    state, (event,) = execute(state, Nominate("eve", at(START + 2), LOCAL_1, "fay"))
    assert event.accepted is False
    assert candidates(state, state.elections[LOCAL_1]) == ("eve",)
    state, (event,) = execute(state, AcceptNomination("fay", at(START + 3), LOCAL_1))
    assert event == NominationAccepted("fay", at(START + 3), LOCAL_1)
    assert candidates(state, state.elections[LOCAL_1]) == ("eve", "fay")
    state, (event,) = execute(state, WithdrawNomination("eve", at(START + 4), LOCAL_1))
    assert event == NominationWithdrawn("eve", at(START + 4), LOCAL_1)
    assert candidates(state, state.elections[LOCAL_1]) == ("fay",)
    # Withdrawn, one may be nominated again.
    state = run(state, Nominate("gus", at(START + 5), LOCAL_1, "eve"), AcceptNomination("eve", at(START + 6), LOCAL_1))
    assert candidates(state, state.elections[LOCAL_1]) == ("eve", "fay")


def test_delegate_councils_nominate_through_their_delegates_until_the_election_opens() -> None:
    state = run(
        started(founded_with(SMALL)),
        Nominate("ann", at(START + 1), "north/local-1/term-1", "ann"),
        Nominate("bo", at(START + 1), "north/local-2/term-1", "bo"),
    )
    # Before North has delegates, no one votes in North, so no one can nominate for its seats.
    refused(
        state,
        Nominate("ann", at(START + 1), "congress/north/term-1", "ann"),
        NotAllowed,
        "only delegates seated in North District",
    )
    state = run(
        state,
        OpenElection("ann", at(OPENS), "north/local-1/term-1"),
        OpenElection("bo", at(OPENS), "north/local-2/term-1"),
    )
    # Past the nominations' date, North's new delegates still nominate: its election waits for them.
    state = run(state, Nominate("ann", at(OPENS + 1), "congress/north/term-1", "bo"))
    state = run(state, AcceptNomination("bo", at(OPENS + 2), "congress/north/term-1"))
    assert candidates(state, state.elections["congress/north/term-1"]) == ("bo",)


def test_nomination_refusals() -> None:
    state = run(started(grown()), FoundFaction("eve", at(START + 1), "red", "Red Caucus", "Power to the locals."))
    refused(state, Nominate("cy", at(START + 2), LOCAL_1, "ann"), NotAllowed, "only members of Local 1 may nominate")
    refused(state, Nominate("ann", at(START + 2), LOCAL_1, "cy"), NotAllowed, "cy is not represented by Local 1")
    refused(state, Nominate("ann", at(START + 2), LOCAL_1, "zed"), NotFound, "'zed' is not a member")
    refused(state, Nominate("zed", at(START + 2), LOCAL_1, "ann"), NotFound, "'zed' is not a member")
    refused(state, Nominate("ann", at(START + 2), "nowhere", "ann"), NotFound, "no election 'nowhere'")
    refused(
        state,
        Nominate("ann", at(START + 2), LOCAL_1, "ann", "red"),
        InvalidCommand,
        "ann is not a member of Red Caucus",
    )
    refused(state, Nominate("ann", at(START + 2), LOCAL_1, "ann", "blue"), NotFound, "no faction 'blue'")
    refused(
        state,
        Nominate("ann", at(OPENS), LOCAL_1, "ann"),
        NotAllowed,
        "nominations for the election of Local 1's delegates to North District have closed",
    )
    refused(state, Nominate("ann", at(START + 2).replace(tzinfo=None), LOCAL_1, "ann"), InvalidCommand, "time zone")
    state = run(
        state, Nominate("eve", at(START + 2), LOCAL_1, "eve", "red"), Nominate("ann", at(START + 2), LOCAL_1, "fay")
    )
    refused(state, Nominate("fay", at(START + 3), LOCAL_1, "eve"), InvalidCommand, "eve is nominated already")
    refused(state, AcceptNomination("gus", at(START + 3), LOCAL_1), NotFound, "no one has nominated you")
    refused(state, AcceptNomination("eve", at(START + 3), LOCAL_1), InvalidCommand, "accepted this nomination already")
    refused(state, WithdrawNomination("gus", at(START + 3), LOCAL_1), NotFound, "no one has nominated you")
    state = run(state, *(Nominate(m, at(START + 3), LOCAL_1, m) for m in ("gus", "hal", "ida")))
    state = run(state, OpenElection("ann", at(OPENS), LOCAL_1))
    refused(
        state,
        AcceptNomination("fay", at(OPENS + 1), LOCAL_1),
        NotAllowed,
        "voting in the election of Local 1's delegates to North District has opened: it is too late to accept",
    )
    refused(state, WithdrawNomination("eve", at(OPENS + 1), LOCAL_1), NotAllowed, "too late to withdraw")


def test_the_term_limit_is_enforced_at_nomination() -> None:
    state, hours = run_term(founded_with(Charter(term_limit=1)), START)
    state = invite_and_join(state, "ann", "local-1", "eve", hours + 1)
    second = START + 365 * 24
    state = run(state, StartTerm("the count", at(second), "metal"))
    refused(
        state,
        Nominate("ann", at(second + 1), "north/local-1/term-2", "ann"),
        NotAllowed,
        "ann has sat for Local 1 in North District for 1 term in a row, the charter's limit",
    )
    state = run(
        state,
        Nominate("ann", at(second + 1), "north/local-1/term-2", "eve"),
        AcceptNomination("eve", at(second + 2), "north/local-1/term-2"),
    )
    state, _ = open_and_count(state, "north/local-1/term-2", second + 7 * 24)
    assert state.delegates[("north", "eve")].term == 2
    assert ("north", "ann") not in state.delegates  # succeeded by eve
    # After a term out of that seat, ann may stand again.
    third = second + 365 * 24
    state = run(state, StartTerm("the count", at(third), "metal"))
    state = run(state, Nominate("ann", at(third + 1), "north/local-1/term-3", "ann"))
    refused(state, Nominate("eve", at(third + 1), "north/local-1/term-3", "eve"), NotAllowed, "eve has sat for Local 1")
    assert state.service[("north", "local-1", "eve")].consecutive == 1


def test_no_term_limit_when_the_charter_says_zero() -> None:
    state, _ = run_term(founded_with(Charter(term_limit=0)), START)
    for term in (2, 3):
        begins = START + (term - 1) * 365 * 24
        state = run(state, StartTerm("the count", at(begins), "metal"))
        state = run(state, Nominate("ann", at(begins + 1), f"north/local-1/term-{term}", "ann"))
        state, _ = open_and_count(state, f"north/local-1/term-{term}", begins + 7 * 24)
    assert state.service[("north", "local-1", "ann")].consecutive == 3


# --- voting and the count ------------------------------------------------------------------


def test_unopposed_candidates_are_seated_without_a_vote() -> None:
    state = started(founded_with(SMALL))
    state = run(state, Nominate("cy", at(START + 1), "south/local-3/term-1", "cy"))
    state, events = execute(state, OpenElection("cy", at(OPENS), "south/local-3/term-1"))
    assert events == [
        ElectionDecided("the count", at(OPENS), "south/local-3/term-1", ("cy",), 1, True),
        DelegateSeated("the count", at(OPENS), "cy", "south", "local-3", 1, "south/local-3/term-1"),
    ]
    assert "election south/local-3/term-1" not in state.polls
    delegate = state.delegates[("south", "cy")]
    assert (delegate.constituent, delegate.term, delegate.since) == ("local-3", 1, at(OPENS))
    assert stage(state, state.elections["south/local-3/term-1"]) == "decided"


def test_a_contested_election_is_a_secret_vote_counted_by_stv_and_recountable() -> None:
    state = contested(grown())
    poll = state.polls["election " + LOCAL_1]
    assert (poll.secret, poll.method, poll.seats, poll.choices, poll.council) == (
        True,
        "stv",
        3,
        ("ann", "eve", "fay", "gus"),
        "local-1",
    )
    assert len(poll.electorate) == 7
    ballots = []
    for voter, marks in zip(
        ("ann", "eve", "fay", "gus", "hal", "ida", "jo"),
        (("ann", "eve"), ("eve",), ("fay", "eve"), ("gus", "fay"), ("eve", "ann"), ("ann", "fay"), ("fay", "gus")),
        strict=True,
    ):
        state, (cast,) = execute(state, CastBallot(voter, at(OPENS + 1), poll.id, marks))
        assert isinstance(cast, BallotCast) and not hasattr(cast, "marks")  # secret: no content beside a name
        ballots.append(Ballot(marks))
    state, events = execute(state, ClosePoll("the count", at(OPENS + 2), poll.id, tuple(reversed(ballots))))
    counted, decided, *seated = events
    assert isinstance(counted, PollCounted) and counted.rounds
    # Quota (Droop) = 7/4 + 1 -> 2: ann, eve and fay reach it with first preferences.
    assert decided == ElectionDecided("the count", at(OPENS + 2), LOCAL_1, counted.elected, 0, False)
    assert set(counted.elected) == {"ann", "eve", "fay"}
    assert {s.member for s in seated} == {"ann", "eve", "fay"}
    assert all(isinstance(s, DelegateSeated) and s.council == "north" for s in seated)
    assert recount(state.polls[poll.id], counted) == counted
    assert state.service[("north", "local-1", "eve")].consecutive == 1


def test_no_ballots_leave_the_seats_vacant_and_a_by_election_can_be_called() -> None:
    state = contested(grown())
    state, events = execute(state, ClosePoll("the count", at(OPENS + 7 * 24), "election " + LOCAL_1, ()))
    assert events[0].outcome == "no ballots"
    assert events[1] == ElectionDecided("the count", at(OPENS + 7 * 24), LOCAL_1, (), 3, False)
    refused(state, CallByElection("cy", at(OPENS + 200), "north", "local-1"), NotAllowed, "only members of Local 1")
    refused(
        state,
        CallByElection("ann", at(OPENS + 200), "north", "local-3"),
        NotAllowed,
        "Local 3 sends no delegates to North District: it is not one of its constituents",
    )
    state, (called,) = execute(state, CallByElection("ann", at(OPENS + 200), "north", "local-1"))
    assert (called.election, called.seats, called.method, called.by_election) == (
        "north/local-1/term-1/by-election-1",
        3,
        "stv",
        True,
    )
    refused(
        state,
        CallByElection("ann", at(OPENS + 201), "north", "local-1"),
        InvalidCommand,
        "no seat of Local 1 in North District is vacant",
    )


def test_open_election_refusals() -> None:
    state = run(started(grown()), *(Nominate(m, at(START + 1), LOCAL_1, m) for m in ("ann", "eve", "fay", "gus")))
    refused(
        state,
        OpenElection("ann", at(OPENS - 1), LOCAL_1),
        NotAllowed,
        "nominations stay open until 2026-05-09 05:00 UTC",
    )
    refused(state, OpenElection("cy", at(OPENS), LOCAL_1), NotAllowed, "only members of Local 1 may open")
    refused(state, OpenElection("ann", at(OPENS), "nowhere"), NotFound, "no election 'nowhere'")
    refused(state, OpenElection("ann", at(OPENS).replace(tzinfo=None), LOCAL_1), InvalidCommand, "time zone")
    voting = run(state, OpenElection("ann", at(OPENS), LOCAL_1))
    refused(
        voting,
        OpenElection("eve", at(OPENS + 1), LOCAL_1),
        InvalidCommand,
        "voting in the election of Local 1's delegates to North District is open already",
    )
    decided = run(
        state,
        Nominate("bo", at(START + 1), "north/local-2/term-1", "bo"),
        OpenElection("bo", at(OPENS), "north/local-2/term-1"),
    )
    refused(decided, OpenElection("bo", at(OPENS + 1), "north/local-2/term-1"), InvalidCommand, "is decided")


def test_an_election_by_a_delegate_council_waits_for_its_delegates() -> None:
    state = run(
        started(founded_with(SMALL)),
        Nominate("ann", at(START + 1), "north/local-1/term-1", "ann"),
        Nominate("bo", at(START + 1), "north/local-2/term-1", "bo"),
    )
    state = run(state, OpenElection("ann", at(OPENS), "north/local-1/term-1"))
    # Local 2 has not elected yet: North's delegates for term 1 are not all there.
    refused(
        state,
        OpenElection("ann", at(OPENS + 1), "congress/north/term-1"),
        NotAllowed,
        "North District has no delegates for term 1 yet: elections go from below",
    )
    state = run(state, OpenElection("bo", at(OPENS + 1), "north/local-2/term-1"))
    state = run(state, Nominate("ann", at(OPENS + 2), "congress/north/term-1", "ann"))
    state = run(state, OpenElection("bo", at(OPENS + 3), "congress/north/term-1"))
    assert state.delegates[("congress", "ann")].constituent == "north"


def test_run_term_seats_every_council_with_contested_votes() -> None:
    state, hours = run_term(grown(), START)
    assert {c: len(state.seated(c)) for c in ("north", "south", "congress")} == {"north": 4, "south": 2, "congress": 4}
    counted = [p for p in state.polls.values() if p.purpose == "election"]
    assert counted and all(p.counted is not None for p in counted)
    assert all(recount(p, p.counted) == p.counted for p in counted)
    assert hours > OPENS


# --- slates --------------------------------------------------------------------------------

LIST = Charter(delegate_seats=4, election_methods=(("delegates", "dhondt"), ("by-election", "irv")))


def with_factions(charter: Charter = LIST) -> State:
    """Red (ann, eve, fay, jo) and Green (gus, hal) in Local 1, all nominated for its three seats."""
    state = run(
        started(grown(charter)),
        FoundFaction("ann", at(START + 1), "red", "Red", "All power to the councils."),
        *(JoinFaction(m, at(START + 1), "red") for m in ("eve", "fay", "jo")),
        FoundFaction("gus", at(START + 1), "green", "Green", "Workers' control."),
        JoinFaction("hal", at(START + 1), "green"),
        *(Nominate(m, at(START + 2), LOCAL_1, m) for m in ("ann", "eve", "fay", "gus", "hal")),
        Nominate("ann", at(START + 2), LOCAL_1, "jo", "red"),
    )
    return state


def test_slates_are_counted_by_dhondt_and_filled_in_order() -> None:
    state = with_factions()
    state, (slate,) = execute(state, SubmitSlate("fay", at(START + 3), LOCAL_1, "red", ("eve", "ann", "fay")))
    assert slate == SlateSubmitted("fay", at(START + 3), LOCAL_1, "red", ("eve", "ann", "fay"))
    state = run(state, SubmitSlate("hal", at(START + 3), LOCAL_1, "green", ("gus", "hal")))
    assert [s.faction for s in slates(state, state.elections[LOCAL_1])] == ["green", "red"]
    state = run(state, OpenElection("jo", at(OPENS), LOCAL_1))
    poll = state.polls["election " + LOCAL_1]
    assert (poll.choices, poll.method, poll.seats) == (("green", "red"), "dhondt", 3)
    refused(state, CastBallot("ann", at(OPENS + 1), poll.id, ("red", "green")), InvalidCommand, "takes one choice")
    marks = {"ann": "red", "eve": "red", "fay": "red", "jo": "red", "ida": "red", "gus": "green", "hal": "green"}
    state = run(state, *(CastBallot(v, at(OPENS + 1), poll.id, (m,)) for v, m in marks.items()))
    state, events = execute(
        state, ClosePoll("the count", at(OPENS + 2), poll.id, tuple(Ballot((m,)) for m in marks.values()))
    )
    counted, decided, *seated = events
    # D'Hondt, 5 red to 2 green: red 5, red 5/2 = 2.5, then green 2 against red 5/3.
    assert counted.elected == ("red", "red", "green")
    assert decided.elected == ("eve", "ann", "gus") and decided.vacant == 0
    assert [s.member for s in seated] == ["eve", "ann", "gus"]
    assert recount(state.polls[poll.id], counted) == counted


def test_slates_no_longer_than_the_seats_are_elected_unopposed() -> None:
    state = run(
        with_factions(),
        AcceptNomination("jo", at(START + 3), LOCAL_1),
        SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("ann", "jo")),
    )
    state = run(state, SubmitSlate("gus", at(START + 4), LOCAL_1, "green", ("gus",)))
    _, events = execute(state, OpenElection("ann", at(OPENS), LOCAL_1))
    assert events[0] == ElectionDecided("the count", at(OPENS), LOCAL_1, ("gus", "ann", "jo"), 0, True)


def test_slate_refusals() -> None:
    state = with_factions()
    refused(state, SubmitSlate("gus", at(START + 3), LOCAL_1, "red", ("eve",)), NotAllowed, "only members of Red")
    refused(
        state,
        SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("jo",)),
        InvalidCommand,
        "jo has not accepted a nomination",
    )
    refused(state, SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("ida",)), InvalidCommand, "ida has not accepted")
    refused(
        state, SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("gus",)), InvalidCommand, "gus is not a member of Red"
    )
    refused(state, SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ()), InvalidCommand, "at least one candidate")
    refused(
        state, SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("ann", "ann")), InvalidCommand, "each candidate once"
    )
    refused(state, SubmitSlate("ann", at(START + 3), LOCAL_1, "blue", ("ann",)), NotFound, "no faction 'blue'")
    state = run(state, SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("ann", "eve")))
    refused(
        state,
        SubmitSlate("eve", at(START + 4), LOCAL_1, "red", ("fay",)),
        InvalidCommand,
        "Red has submitted its slate already",
    )
    # A member of two factions still stands on one slate only.
    state = run(state, JoinFaction("eve", at(START + 4), "green"))
    refused(
        state,
        SubmitSlate("gus", at(START + 4), LOCAL_1, "green", ("gus", "eve")),
        InvalidCommand,
        "eve is on the slate of Red already",
    )
    # A candidate who withdraws leaves the slate.
    state = run(state, WithdrawNomination("eve", at(START + 5), LOCAL_1))
    assert state.elections[LOCAL_1].slates["red"].candidates == ("ann",)
    state = run(state, OpenElection("ann", at(OPENS), LOCAL_1))
    refused(
        state, SubmitSlate("gus", at(OPENS + 1), LOCAL_1, "green", ("gus",)), NotAllowed, "too late to submit a slate"
    )
    stv = run(
        started(grown()),
        FoundFaction("ann", at(START + 1), "red", "Red", "All power."),
        Nominate("ann", at(START + 2), LOCAL_1, "ann"),
    )
    refused(
        stv,
        SubmitSlate("ann", at(START + 3), LOCAL_1, "red", ("ann",)),
        InvalidCommand,
        "counted by stv: candidates stand on their own",
    )


# --- vacancies and by-elections ------------------------------------------------------------

ONE_EACH = Charter(delegate_seats=2)  # one seat per local in each district, one per district in the congress


def test_a_resignation_vacates_the_seat_and_calls_a_by_election() -> None:
    state, hours = run_term(founded_with(ONE_EACH), START)
    state = invite_and_join(state, "ann", "local-1", "eve", hours)
    refused(state, Resign("eve", at(hours + 2), "north"), NotAllowed, "you hold no seat in North District")
    state, events = execute(state, Resign("ann", at(hours + 2), "north"))
    assert events == [
        SeatVacated("ann", at(hours + 2), "ann", "north", "local-1", 1, "resigned"),
        ElectionCalled(
            "ann",
            at(hours + 2),
            "north/local-1/term-1/by-election-1",
            "north",
            "local-1",
            1,
            1,
            "irv",
            at(hours + 2) + timedelta(days=7),
            True,
        ),
    ]
    assert ("north", "ann") not in state.delegates
    state = run(state, Nominate("eve", at(hours + 3), "north/local-1/term-1/by-election-1", "eve"))
    state = run(state, Nominate("ann", at(hours + 3), "north/local-1/term-1/by-election-1", "ann"))
    state, reached = open_and_count(state, "north/local-1/term-1/by-election-1", hours + 3)
    poll = state.polls["election north/local-1/term-1/by-election-1"]
    assert (poll.method, poll.choices, poll.counted.elected) == ("irv", ("ann", "eve"), ("ann",))
    assert state.delegates[("north", "ann")].election == "north/local-1/term-1/by-election-1"
    assert state.service[("north", "local-1", "ann")].consecutive == 1  # the same term, counted once
    # A second vacancy gets its own by-election.
    state, events = execute(state, Resign("ann", at(reached + 1), "north"))
    assert events[1].election == "north/local-1/term-1/by-election-2"


def test_vacate_is_for_recall_too_and_fills_every_vacant_seat() -> None:
    state, _ = run_term(found(), START)  # ten seats a council: Local 1 has 5 in North but one member
    delegate = state.delegates[("north", "ann")]
    events = vacate(state, delegate, at(500), "the count", "recalled")
    assert events[0] == SeatVacated("the count", at(500), "ann", "north", "local-1", 1, "recalled")
    assert (events[1].seats, events[1].method) == (5, "stv")


def test_a_seat_of_an_ended_term_is_vacated_without_a_by_election() -> None:
    state, _ = run_term(found(), START)
    state = run(state, StartTerm("the count", at(START + 365 * 24), "metal"))
    delegate = state.delegates[("north", "ann")]
    assert vacate(state, delegate, at(START + 365 * 24 + 1), "ann", "resigned") == [
        SeatVacated("ann", at(START + 365 * 24 + 1), "ann", "north", "local-1", 1, "resigned")
    ]


def test_a_member_who_leaves_gives_up_every_seat() -> None:
    state, hours = run_term(found(), START)
    state, events = execute(state, Leave("ann", at(hours + 1)))
    vacated = [e for e in events if isinstance(e, SeatVacated)]
    assert [(e.council, e.cause) for e in vacated] == [
        ("congress", "left the federation"),
        ("north", "left the federation"),
    ]
    assert [e.election for e in events if isinstance(e, ElectionCalled)] == [
        "congress/north/term-1/by-election-1",
        "north/local-1/term-1/by-election-1",
    ]
    assert not [d for d in state.delegates.values() if d.member == "ann"]


# --- the record ----------------------------------------------------------------------------


def test_every_event_round_trips_through_json_and_replays_to_the_same_state() -> None:
    history: list[Event] = []
    state = founded_with(LIST, history)
    for n, newcomer in enumerate(NEWCOMERS):
        code = f"code-for-{newcomer}-0123456789"
        joining = (IssueInvitation("ann", at(1 + 2 * n), "local-1", code), Join(newcomer, at(2 + 2 * n), code))
        state = run(state, *joining, history=history)
    poll = "election " + LOCAL_1
    marks = {"ann": "red", "eve": "red", "fay": "green", "gus": "green", "hal": "red", "ida": "red", "jo": "red"}
    state = run(
        state,
        StartTerm("the count", at(START), "metal"),
        FoundFaction("ann", at(START + 1), "red", "Red", "All power."),
        JoinFaction("eve", at(START + 1), "red"),
        JoinFaction("fay", at(START + 1), "red"),
        FoundFaction("gus", at(START + 1), "green", "Green", "Workers' control."),
        Nominate("ann", at(START + 2), LOCAL_1, "ann", "red"),
        Nominate("ann", at(START + 2), LOCAL_1, "eve"),
        Nominate("fay", at(START + 2), LOCAL_1, "fay"),
        Nominate("gus", at(START + 2), LOCAL_1, "gus"),
        Nominate("gus", at(START + 2), LOCAL_1, "hal"),
        AcceptNomination("eve", at(START + 3), LOCAL_1),
        WithdrawNomination("hal", at(START + 3), LOCAL_1),
        SubmitSlate("eve", at(START + 4), LOCAL_1, "red", ("eve", "ann", "fay")),
        SubmitSlate("gus", at(START + 4), LOCAL_1, "green", ("gus",)),
        OpenElection("ann", at(OPENS), LOCAL_1),
        *(CastBallot(voter, at(OPENS + 1), poll, (mark,)) for voter, mark in marks.items()),
        ClosePoll("the count", at(OPENS + 2), poll, tuple(Ballot((mark,)) for mark in marks.values())),
        Resign("eve", at(OPENS + 10), "north"),
        history=history,
    )
    kinds = {type(e) for e in history}
    assert {TermStarted, ElectionCalled, Nominated, NominationAccepted, NominationWithdrawn, SlateSubmitted} <= kinds
    assert {PollOpened, PollCounted, ElectionDecided, DelegateSeated, SeatVacated} <= kinds
    for event in history:
        data = json.loads(json.dumps(to_json(event)))
        assert from_json(data) == event
        assert canonical(from_json(data)) == canonical(event)
    assert replay(history) == state


def test_by_election_refusals_outside_a_term_and_for_unknown_councils() -> None:
    state = founded_with(SMALL)
    refused(state, CallByElection("ann", at(1), "north", "local-1"), NotAllowed, "no term is running")
    state = started(state)
    refused(state, CallByElection("ann", at(START + 1), "atlantis", "local-1"), NotFound, "no council 'atlantis'")
    refused(state, CallByElection("zed", at(START + 1), "north", "local-1"), NotFound, "'zed' is not a member")
    refused(state, Resign("ann", at(START + 1), "atlantis"), NotFound, "no council 'atlantis'")
    # The term's own election is still to fill Local 1's seats: nothing is vacant yet.
    refused(state, CallByElection("ann", at(START + 1), "north", "local-1"), InvalidCommand, "no seat of Local 1")
    refused(state, CallByElection("ann", at(START + 9000), "north", "local-1"), NotAllowed, "no term is running")


def test_no_council_above_acts_on_a_constituents_election() -> None:
    """Invariant 1: the congress's or a district's delegates have no say in Local 1's election."""
    state, _ = run_term(grown(), START)
    second = START + 365 * 24
    state = run(state, StartTerm("the count", at(second), "metal"))
    election = "north/local-1/term-2"
    for outsider in ("bo", "cy", "di"):  # delegates in North and the congress, none of them in Local 1
        refused(state, Nominate(outsider, at(second + 1), election, "eve"), NotAllowed, "only members of Local 1")
        refused(state, OpenElection(outsider, at(second + 7 * 24), election), NotAllowed, "only members of Local 1")
        refused(state, Resign(outsider, at(second + 1), "local-1"), NotAllowed, "you hold no seat in Local 1")


def test_one_councils_seats_that_cannot_be_shared_hold_up_no_other_election() -> None:
    """A charter amended to 2 seats for North, with a minimum of 2 each for its 2 constituents: North elects no one."""
    history: list[Event] = []
    state = founded_with(Charter(delegate_seats=4, minimum_seats=2, delegate_seats_by_council=(("north", 3),)), history)
    state, events = execute(state, StartTerm("the count", at(START), "metal"))
    unshared = [e for e in events if isinstance(e, SeatsNotApportioned)]
    assert unshared == [
        SeatsNotApportioned(
            "the count",
            at(START),
            "north",
            1,
            "North District has 3 seats: too few to give each of its 2 constituents the charter's minimum of 2",
        )
    ]
    called = sorted((e.council, e.constituent) for e in events if isinstance(e, ElectionCalled))
    assert called == [("congress", "north"), ("congress", "south"), ("south", "local-3"), ("south", "local-4")]
    assert state.terms["metal"].unapportioned == ("north",)
    assert from_json(to_json(unshared[0])) == unshared[0]
    assert replay([*history, *events]) == state
    # Nothing is vacant in North this term: no by-election can be called for it.
    refused(
        state,
        CallByElection("ann", at(START + 1), "north", "local-1"),
        InvalidCommand,
        "no seat of Local 1 in North District is vacant",
    )


def test_no_one_is_elected_to_a_second_seat_in_a_council() -> None:
    """ann, eve and gus sit in North for Local 1; a by-election can neither nominate nor seat one of them again."""
    state = founded_with(SMALL)
    for n, newcomer in enumerate(("eve", "fay", "gus")):
        state = invite_and_join(state, "ann", "local-1", newcomer, 1 + 2 * n)
    state, hours = run_term(state, START)
    assert sorted(d.member for d in state.seated("north") if d.constituent == "local-1") == ["ann", "eve", "gus"]
    state, events = execute(state, Resign("eve", at(hours), "north"))
    first = events[-1].election
    refused(
        state,
        Nominate("ann", at(hours + 1), first, "ann"),
        NotAllowed,
        "ann sits in North District already, for Local 1 in term 1: no one holds two seats in one council",
    )
    refused(state, Nominate("fay", at(hours + 1), first, "gus"), NotAllowed, "gus sits in North District already")
    # fay stands in two by-elections at once; once the first seats him he stands in the second no more.
    state, events = execute(state, Resign("gus", at(hours + 1), "north"))
    second = events[-1].election
    state = run(state, Nominate("fay", at(hours + 2), first, "fay"), Nominate("fay", at(hours + 2), second, "fay"))
    assert candidates(state, state.elections[second]) == ("fay",)
    state, reached = open_and_count(state, first, hours + 2)
    assert state.delegates[("north", "fay")].election == first
    assert candidates(state, state.elections[second]) == ()
    state, events = execute(state, OpenElection("ann", at(reached), second))
    assert [(e.elected, e.vacant) for e in events if isinstance(e, ElectionDecided)] == [((), 1)]
    assert state.delegates[("north", "fay")].election == first


def test_a_member_who_moves_out_of_a_constituent_gives_up_the_seats_held_for_it() -> None:
    """ann sits in North for Local 1 and in the congress for North; moving to Local 2 she stays under North only."""
    state, hours = run_term(found(), START)
    code = "code-for-ann-local-2-0123456789"
    state = run(state, IssueInvitation("bo", at(hours), "local-2", code))
    state, events = execute(state, Move("ann", at(hours + 1), code))
    vacated = [e for e in events if isinstance(e, SeatVacated)]
    assert vacated == [SeatVacated("ann", at(hours + 1), "ann", "north", "local-1", 1, "moved out of Local 1")]
    assert [e.election for e in events if isinstance(e, ElectionCalled)] == ["north/local-1/term-1/by-election-1"]
    assert ("north", "ann") not in state.delegates
    assert state.delegates[("congress", "ann")].constituent == "north"  # Local 2 is under North too


def test_predecessors_give_way_by_a_recorded_seat_vacated_and_the_re_elected_keep_sitting() -> None:
    history: list[Event] = []
    state = founded_with(Charter(), history)
    state = run(state, IssueInvitation("ann", at(1), "local-1", "code-for-eve-0123456789"), history=history)
    state = run(state, Join("eve", at(2), "code-for-eve-0123456789"), history=history)
    state, _ = run_term(state, START)
    history = []  # the second term's events, replayed on the state the first term left
    before = state
    ended = START + 365 * 24
    state = run(state, StartTerm("the count", at(ended), "metal"), history=history)
    state = run(
        state,
        Nominate("eve", at(ended + 1), "north/local-1/term-2", "eve"),
        Nominate("bo", at(ended + 1), "north/local-2/term-2", "bo"),
        history=history,
    )
    state, events = execute(state, OpenElection("eve", at(ended + 7 * 24), "north/local-1/term-2"))
    history += events
    assert [e.kind for e in events] == ["election decided", "seat vacated", "delegate seated"]
    assert events[1] == SeatVacated("the count", at(ended + 7 * 24), "ann", "north", "local-1", 1, "succeeded")
    assert ("north", "ann") not in state.delegates and state.delegates[("north", "eve")].term == 2
    # bo, re-elected for Local 2, keeps sitting: his new seat replaces the old, with no seat vacated.
    state, events = execute(state, OpenElection("bo", at(ended + 7 * 24), "north/local-2/term-2"))
    history += events
    assert [e.kind for e in events] == ["election decided", "delegate seated"]
    assert state.delegates[("north", "bo")].term == 2
    assert replay(history, before) == state
