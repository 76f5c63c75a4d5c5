"""Invariant 6: bad input gets a clear error and changes nothing (and events replay exactly)."""

from box import Box
from founding import TREE, at
from hypothesis import event, given, settings
from hypothesis import strategies as st

from frombelow.federation import RuleBroken, State, decide, execute, replay
from frombelow.federation.apportionment import THE_COUNT, ApportionSeats
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.events import from_json, to_json
from frombelow.federation.factions import (
    AmendPlatform,
    FoundFaction,
    JoinFaction,
    LeaveFaction,
    SupportDissolution,
    WithdrawSupport,
)
from frombelow.federation.motions import CallVote, ProposeAmendment, ProposeMotion, WithdrawMotion
from frombelow.federation.voting import CastBallot, ClosePoll

PEOPLE = ["ann", "bo", "cy", "di", "eve", "fay", "gus"]
COUNCILS = [p.id for p in TREE]
CODES = [f"secret-invitation-code-{i:02d}" for i in range(4)]
FACTIONS = ["left", "right", ""]  # "" is never a valid id
NAMES = ["Left Tendency", "left tendency", " "]  # the same name twice (case aside), and a blank one
PLATFORMS = ["All power to the councils", "Bread and roses", ""]
MOTIONS = ["m1", "m2", "a1", ""]
POLLS = [f"vote on {m}" for m in MOTIONS]
MARKS = [("yes",), ("no",), ("abstain",), ("maybe",), (), ("yes", "no")]
THRESHOLDS = [None, "simple", "two-thirds", "absolute", "most"]
people = st.sampled_from(PEOPLE)
factions = st.sampled_from(FACTIONS)
motions = st.sampled_from(MOTIONS)

commands = st.one_of(
    st.builds(
        IssueInvitation, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(COUNCILS), st.sampled_from(CODES)
    ),
    st.builds(Join, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(CODES)),
    st.builds(Move, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(CODES)),
    st.builds(Leave, st.sampled_from(PEOPLE), st.just(at(0))),
    st.builds(FoundFaction, people, st.just(at(0)), factions, st.sampled_from(NAMES), st.sampled_from(PLATFORMS)),
    st.builds(JoinFaction, people, st.just(at(0)), factions),
    st.builds(LeaveFaction, people, st.just(at(0)), factions),
    st.builds(AmendPlatform, people, st.just(at(0)), factions, st.sampled_from(PLATFORMS)),
    st.builds(SupportDissolution, people, st.just(at(0)), factions),
    st.builds(WithdrawSupport, people, st.just(at(0)), factions),
    # Base councils have no seats to share, and outsiders may not ask: both refused.
    st.builds(ApportionSeats, st.sampled_from([*PEOPLE, THE_COUNT]), st.just(at(0)), st.sampled_from(COUNCILS)),
    st.builds(
        ProposeMotion,
        people,
        st.just(at(0)),
        motions,
        st.sampled_from(COUNCILS),
        st.sampled_from(NAMES),
        st.sampled_from(PLATFORMS),
        st.sampled_from(THRESHOLDS),
    ),
    st.builds(ProposeAmendment, people, st.just(at(0)), motions, motions, st.sampled_from(PLATFORMS)),
    st.builds(WithdrawMotion, people, st.just(at(0)), motions),
    st.builds(CallVote, people, st.just(at(0)), motions),
    st.builds(CastBallot, people, st.just(at(0)), st.sampled_from(POLLS), st.sampled_from(MARKS)),
    st.builds(ClosePoll, people, st.just(at(0)), st.sampled_from(POLLS)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(commands, st.integers(1, 500)), max_size=40))
def test_any_sequence_replays_and_refusals_change_nothing(steps: list) -> None:
    founders = (("ann", "local-1"), ("cy", "local-3"))
    box = Box()
    box.run(FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(), TREE, founders))
    for command, hours in steps:
        command = type(command)(**{**command.__dict__, "at": at(hours)})
        before = box.state
        try:
            box.run(command)
        except RuleBroken as refusal:
            assert str(refusal)  # a reason a member can read
            assert box.state is before and box.state == before
    for kind in {e.kind for e in box.history}:
        event(kind)  # --hypothesis-show-statistics shows how often each kind of event was reached
    assert replay(box.history) == box.state
    assert replay(from_json(to_json(e)) for e in box.history) == box.state


def test_decide_never_touches_the_state() -> None:
    state = State()
    try:
        decide(state, Join("eve", at(1), "no-such-invitation-code"))
    except RuleBroken:
        pass
    assert state == State()


def test_factions_and_apportionment_in_one_history_replay_and_refuse_cleanly() -> None:
    """A fixed sequence reaching every faction event and an apportionment, with refusals among them."""
    founders = (("ann", "local-1"), ("cy", "local-3"))
    state, history = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(), TREE, founders))
    steps = [
        FoundFaction("ann", at(1), "left", "Left Tendency", "All power to the councils"),
        FoundFaction("cy", at(2), "other", "LEFT TENDENCY", "Bread and roses"),  # refused: name taken
        JoinFaction("cy", at(3), "left"),
        JoinFaction("cy", at(4), "left"),  # refused: a member already
        AmendPlatform("cy", at(5), "left", "Bread and roses"),
        ApportionSeats("eve", at(6), "congress"),  # refused: not a member
        ApportionSeats(THE_COUNT, at(7), "local-1"),  # refused: a base council
        ApportionSeats("cy", at(8), "congress"),
        SupportDissolution("ann", at(9), "left"),
        WithdrawSupport("ann", at(10), "left"),
        WithdrawSupport("ann", at(11), "left"),  # refused: no support to withdraw
        SupportDissolution("ann", at(12), "left"),
        SupportDissolution("cy", at(13), "left"),  # more than half: the count dissolves it
        JoinFaction("ann", at(14), "left"),  # refused: dissolved
    ]
    refused = 0
    for command in steps:
        before = state
        try:
            state, new = execute(state, command)
        except RuleBroken as refusal:
            assert str(refusal)
            assert state is before and state == before
            refused += 1
            continue
        history += new
    assert refused == 6
    kinds = {e.kind for e in history}
    assert {"faction founded", "faction joined", "faction platform amended", "seats apportioned"} <= kinds
    assert {"faction dissolution supported", "faction dissolution support withdrawn", "faction dissolved"} <= kinds
    assert state.factions["left"].dissolved_at == at(13)
    assert replay(history) == state
    assert replay(from_json(to_json(e)) for e in history) == state
