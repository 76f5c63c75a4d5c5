"""Invariant 6: bad input gets a clear error and changes nothing (and events replay exactly)."""

from founding import TREE, at
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.federation import RuleBroken, State, decide, execute, replay
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.events import from_json, to_json

PEOPLE = ["ann", "bo", "cy", "di", "eve", "fay", "gus"]
COUNCILS = [p.id for p in TREE]
CODES = [f"secret-invitation-code-{i:02d}" for i in range(4)]

commands = st.one_of(
    st.builds(
        IssueInvitation, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(COUNCILS), st.sampled_from(CODES)
    ),
    st.builds(Join, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(CODES)),
    st.builds(Move, st.sampled_from(PEOPLE), st.just(at(0)), st.sampled_from(CODES)),
    st.builds(Leave, st.sampled_from(PEOPLE), st.just(at(0))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(commands, st.integers(1, 500)), max_size=25))
def test_any_sequence_replays_and_refusals_change_nothing(steps: list) -> None:
    founders = (("ann", "local-1"), ("cy", "local-3"))
    state, history = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", Charter(), TREE, founders))
    for command, hours in steps:
        command = type(command)(**{**command.__dict__, "at": at(hours)})
        before = state
        try:
            state, new = execute(state, command)
        except RuleBroken as refusal:
            assert str(refusal)  # a reason a member can read
            assert state is before and state == before
            continue
        history += new
    assert replay(history) == state
    assert replay(from_json(to_json(e)) for e in history) == state


def test_decide_never_touches_the_state() -> None:
    state = State()
    try:
        decide(state, Join("eve", at(1), "no-such-invitation-code"))
    except RuleBroken:
        pass
    assert state == State()
