"""Initiative: members put a motion on the agenda of any council above them; once enough of the
members under that council have signed, it is there and must be voted on."""

import json
from fractions import Fraction
from functools import cache

import pytest
from box import Box
from electing import run_term
from founding import TREE, at, invite_and_join
from immutables import Map

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import Command, FoundFederation
from frombelow.federation.events import from_json, to_json
from frombelow.federation.initiative import InitiativeSigned, SignInitiative, StartInitiative
from frombelow.federation.motions import CallVote, MotionProposed, ProposeMotion, WithdrawMotion
from frombelow.federation.petitions import WithdrawSignature
from frombelow.federation.recall import PetitionRecall
from frombelow.federation.voting import CastBallot, ClosePoll

TEXT = "The congress calls a federation-wide strike for the 32-hour week."


@cache
def seated() -> tuple[State, float]:
    """Eight members: Local 1 has ann, eve, fay, gus and hal; the other locals their founder.

    The initiative threshold is a quarter of the members under the council. One seat per
    constituent: ann and bo sit in North District, cy and di in South, ann and cy in the congress.
    """
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    charter = Charter(delegate_seats=2, initiative_threshold=Fraction(1, 4))
    state, _ = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", charter, TREE, founders))
    for n, newcomer in enumerate(("eve", "fay", "gus", "hal")):
        state = invite_and_join(state, "ann", "local-1", newcomer, 1 + 2 * n)
    return run_term(state, 10)


@pytest.fixture
def box() -> Box:
    return Box(seated()[0])


def hour(plus: float = 0) -> float:
    return seated()[1] + plus


def start(actor: str = "eve", council: str = "congress", initiative: str = "i1", **more: str) -> StartInitiative:
    title, text = more.get("title", "Strike for the 32-hour week"), more.get("text", TEXT)
    return StartInitiative(actor, at(hour(1)), initiative, council, title, text)


def refused(box: Box, command: Command, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)
    assert box.state is before


def test_an_initiative_from_a_base_council_reaches_the_congress_and_is_voted_on(box: Box) -> None:
    (started,) = box.run(start())  # eve, of Local 1
    assert started.kind == "initiative started" and (started.electorate, started.needed) == (8, 2)
    initiative = box.state.petitions["i1"]
    assert (initiative.kind, initiative.status, set(initiative.signatures)) == (
        "initiative",
        "collecting signatures",
        {"eve"},
    )
    events = box.run(SignInitiative("cy", at(hour(2)), "i1"))  # cy, of Local 3, in the South: under the congress too
    assert [e.kind for e in events] == ["initiative signed", "initiative placed on the agenda", "motion proposed"]
    placed, proposed = events[1], events[2]
    assert placed.actor == proposed.actor == "the count" and placed.signatures == 2
    assert isinstance(proposed, MotionProposed) and proposed.initiative == "i1" and proposed.text == TEXT
    motion = box.state.motions[placed.motion]
    assert (motion.council, motion.proposed_by, motion.initiative, motion.status) == (
        "congress",
        "the count",
        "i1",
        "on the agenda",
    )
    assert box.state.petitions["i1"].status == "on the agenda" and box.state.petitions["i1"].motion == motion.id
    # It must be voted on: no one withdraws it, not even "the count" that placed it.
    for actor in ("the count", "ann"):
        refused(box, WithdrawMotion(actor, at(hour(3)), motion.id), NotAllowed, "initiative of the members")
    # The congress votes on it by public roll call.
    box.run(CallVote("ann", at(hour(3)), motion.id))
    box.run(CastBallot("ann", at(hour(4)), motion.poll, ("yes",)))
    box.run(CastBallot("cy", at(hour(4)), motion.poll, ("yes",)))
    events = box.run(ClosePoll("cy", at(hour(5)), motion.poll))
    assert [e.kind for e in events] == ["poll counted", "motion carried"]
    assert box.state.decisions[motion.id].status == "waiting for the veto window"


def test_an_initiative_left_waiting_is_called_to_the_vote_by_the_members_below(box: Box) -> None:
    box.run(start())
    (motion_id,) = [e.motion for e in box.run(SignInitiative("cy", at(hour(2)), "i1")) if e.kind == "motion proposed"]
    refused(box, CallVote("eve", at(hour(3)), motion_id), NotAllowed, "only delegates seated in Congress")
    week = 24 * 7
    refused(box, CallVote("zed", at(hour(2 + week)), motion_id), NotFound, "'zed' is not a member")
    events = box.run(CallVote("eve", at(hour(2 + week)), motion_id))  # a week on, the council has not called it
    assert events[0].kind == "poll opened" and events[0].actor == "eve" and events[0].council == "congress"


def test_an_initiative_for_a_district_is_signed_only_by_the_members_under_it(box: Box) -> None:
    (started,) = box.run(start(council="north"))
    assert (started.electorate, started.needed) == (6, 2)  # Local 1 and Local 2
    for outsider in ("cy", "di"):
        refused(box, SignInitiative(outsider, at(hour(2)), "i1"), NotAllowed, "only members under North District")
    refused(box, SignInitiative("eve", at(hour(2)), "i1"), InvalidCommand, "signed the initiative")
    events = box.run(SignInitiative("bo", at(hour(2)), "i1"))  # bo, of Local 2
    assert events[-1].council == "north" and box.state.motions[events[-1].motion].initiative == "i1"


def test_the_threshold_is_fixed_when_the_initiative_starts(box: Box) -> None:
    box.run(start())
    for n, newcomer in enumerate(("ivo", "jo", "kim", "lu")):
        box.join("cy", "local-3", newcomer, hour(2 + 2 * n))
    assert box.state.petitions["i1"].needed == 2  # a quarter of 8, though 12 are members now
    assert box.run(SignInitiative("kim", at(hour(20)), "i1"))[-1].kind == "motion proposed"


def test_where_one_signature_meets_the_threshold_the_initiative_is_placed_at_once() -> None:
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    charter = Charter()  # one in twenty: a single signature of four members
    state, _ = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", charter, TREE, founders))
    state, events = execute(state, StartInitiative("cy", at(1), "i1", "south", "Solidarity", "We back Local 4."))
    assert [e.kind for e in events] == ["initiative started", "initiative placed on the agenda", "motion proposed"]
    # A council with no one seated yet still has it on its agenda, waiting for its delegates.
    assert state.motions[events[1].motion].council == "south"


def test_signatures_may_be_withdrawn_while_the_initiative_collects(box: Box) -> None:
    box.run(start())
    assert box.run(WithdrawSignature("eve", at(hour(2)), "i1"))[0].kind == "petition signature withdrawn"
    assert box.state.petitions["i1"].signatures == Map()
    assert box.run(SignInitiative("fay", at(hour(3)), "i1"))[-1].kind == "initiative signed"  # 1 of 2
    assert box.run(SignInitiative("eve", at(hour(4)), "i1"))[-1].kind == "motion proposed"
    refused(box, WithdrawSignature("fay", at(hour(5)), "i1"), NotAllowed, "is on the agenda: it takes no more")


def test_a_motion_id_taken_already_is_numbered_further(box: Box) -> None:
    box.run(ProposeMotion("ann", at(hour(1)), "initiative i1", "congress", "Dues", "Dues stay as they are."))
    box.run(start())
    events = box.run(SignInitiative("fay", at(hour(2)), "i1"))
    assert events[-1].motion == "initiative i1 (2)"


def test_initiative_refusals_change_nothing(box: Box) -> None:
    refused(box, start(actor="ann", council="local-1"), NotAllowed, "members of Local 1 put motions on its agenda")
    refused(box, start(actor="eve", council="local-2"), NotAllowed, "only members under Local 2 may start")
    refused(box, start(actor="eve", council="south"), NotAllowed, "only members under South District may start")
    refused(box, start(council="nowhere"), NotFound, "no council 'nowhere'")
    refused(box, start(actor="zed"), NotFound, "'zed' is not a member")
    refused(box, start(title=" "), InvalidCommand, "needs a title")
    refused(box, start(text=" "), InvalidCommand, "needs a text")
    refused(box, start(initiative=""), InvalidCommand, "a petition needs an id")
    naive = StartInitiative("eve", at(0).replace(tzinfo=None), "i1", "congress", "Strike", TEXT)
    refused(box, naive, InvalidCommand, "time zone")
    box.run(PetitionRecall("eve", at(hour(1)), "p1", "north", "ann", reason="Voted for concessions."))
    refused(box, start(initiative="p1"), InvalidCommand, "'p1' exists or existed already")  # ids shared by petitions
    box.run(start())
    refused(box, start(actor="fay"), InvalidCommand, "'i1' exists or existed already")
    refused(box, SignInitiative("fay", at(hour(2)), "p1"), NotFound, "there is no initiative 'p1'")
    refused(box, SignInitiative("fay", at(hour(2)), "i9"), NotFound, "there is no initiative 'i9'")
    refused(box, SignInitiative("zed", at(hour(2)), "i1"), NotFound, "'zed' is not a member")
    refused(box, SignInitiative("fay", at(0).replace(tzinfo=None), "i1"), InvalidCommand, "time zone")
    box.run(SignInitiative("fay", at(hour(2)), "i1"))
    refused(box, SignInitiative("gus", at(hour(3)), "i1"), NotAllowed, "is on the agenda: it takes no more signatures")


def test_no_one_sits_above_an_initiative_it_comes_from_below(box: Box) -> None:
    """Invariant 1: a council's own delegates cannot start or sign an initiative to the council they sit
    in as its delegates, but only as members below it; a council above has no say over one."""
    # ann sits in the congress, yet only as a member of Local 1 may she start one for it.
    box.run(start(actor="ann"))
    assert box.state.petitions["i1"].started_by == "ann"
    # di, of Local 4, is not under North District, whatever seats the South holds above it.
    refused(box, start(actor="di", council="north", initiative="i2"), NotAllowed, "only members under North")


def test_every_initiative_event_round_trips_through_json_and_replays_to_the_same_state(box: Box) -> None:
    start_state = box.state
    box.run(start())
    box.run(WithdrawSignature("eve", at(hour(2)), "i1"))
    box.run(SignInitiative("fay", at(hour(3)), "i1"))
    box.run(SignInitiative("eve", at(hour(4)), "i1"))
    kinds = {e.kind for e in box.history}
    assert {"initiative started", "initiative signed", "initiative placed on the agenda", "motion proposed"} <= kinds
    assert any(isinstance(e, InitiativeSigned) for e in box.history)
    for event in box.history:
        assert from_json(json.loads(canonical(to_json(event)))) == event
    assert replay(box.history, start_state) == box.state
