"""Invariant 1: no control from above. A higher council (or a member of another council)
cannot add members to, or act for, a council it does not belong to."""

import pytest
from founding import at
from seated import seated

from frombelow.federation import InvalidCommand, NotAllowed, RuleBroken, State, execute
from frombelow.federation.amendment import ProposeCharterAmendment
from frombelow.federation.charter import Charter
from frombelow.federation.commands import Command, FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.councils import ProposeMerge, ProposeSplit
from frombelow.federation.dissent import RecordDissent
from frombelow.federation.elections import Nominate, Resign
from frombelow.federation.events import THE_COUNT, CouncilPlan
from frombelow.federation.factions import FoundFaction, JoinFaction
from frombelow.federation.initiative import StartInitiative
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import CallVote, ProposeAmendment, ProposeMotion, WithdrawMotion
from frombelow.federation.recall import PetitionRecall
from frombelow.federation.veto import ObjectToDecision
from frombelow.federation.voting import CastBallot


@pytest.mark.parametrize(("actor", "council"), [("cy", "local-1"), ("ann", "local-3"), ("ann", "north")])
def test_no_one_admits_members_to_a_council_not_their_own(founded: State, actor: str, council: str) -> None:
    with pytest.raises(NotAllowed):
        execute(founded, IssueInvitation(actor, at(1), council, "a-long-secret-invitation-code"))


def test_no_one_joins_or_founds_as_the_count(founded: State) -> None:
    """ "The count" may do what no member may (open elections, start terms): no member may take its name."""
    code = "a-long-secret-invitation-code"
    state, _ = execute(founded, IssueInvitation("ann", at(1), "local-1", code))
    with pytest.raises(InvalidCommand, match="'the count' is the name of what a count decides"):
        execute(state, Join(THE_COUNT, at(2), code))
    tree = (CouncilPlan("c", "C", None), CouncilPlan("l", "L", "c"))
    with pytest.raises(InvalidCommand, match="not of a member"):
        execute(State(), FoundFederation(THE_COUNT, at(0), "f", "F", Charter(), tree, ((THE_COUNT, "l"),)))
    assert THE_COUNT not in state.members


def _commands_the_count_may_not_issue(hours: float) -> list[Command]:
    """One command of every kind only a member may give (the count starts terms, opens and calls
    elections, apportions seats, closes polls and marks decisions in effect)."""
    when = at(hours)
    return [
        IssueInvitation(THE_COUNT, when, "local-1", "a-long-secret-invitation-code"),
        Leave(THE_COUNT, when),
        Move(THE_COUNT, when, "a-long-secret-invitation-code"),
        FoundFaction(THE_COUNT, when, "f1", "Reds", "All power to the councils"),
        JoinFaction(THE_COUNT, when, "f1"),
        ProposeMotion(THE_COUNT, when, "m9", "north", "Strike", "A strike."),
        ProposeAmendment(THE_COUNT, when, "a9", "n1", "A longer strike."),
        WithdrawMotion(THE_COUNT, when, "n1"),
        CallVote(THE_COUNT, when, "n1"),
        CastBallot(THE_COUNT, when, "vote on n1", ("yes",)),
        ProposeSplit(THE_COUNT, when, "p1", "local-1", (("e", "E"), ("w", "W")), (("ann", "e"),)),
        ProposeMerge(THE_COUNT, when, "p2", ("local-1", "local-2"), "local-12", "Local 12"),
        ProposeCharterAmendment(THE_COUNT, when, "c1", "Shorter", "Shorter terms.", Charter(term_days=100)),
        PetitionRecall(THE_COUNT, when, "r1", "north", "ann", "council", "She broke her mandate."),
        Resign(THE_COUNT, when, "north"),
        Nominate(THE_COUNT, when, "north/local-1/term-1", "ann", None),
        StartInitiative(THE_COUNT, when, "i1", "congress", "Strike", "A general strike."),
        ProposeMandate(THE_COUNT, when, "md1", "local-1", "n1", "yes", "Vote for the strike."),
        ObjectToDecision(THE_COUNT, when, "n1"),
        RecordDissent(THE_COUNT, when, "f1", "n1", "We oppose it."),
    ]


def test_the_count_may_not_act_as_a_member() -> None:
    """Whatever only a member may do, a command in the count's name is refused, and changes nothing."""
    box, hours = seated()
    box.run(ProposeMotion("ann", at(hours), "n1", "north", "Strike", "A strike."))
    box.run(CallVote("ann", at(hours + 1), "n1"))
    before = box.state
    for command in _commands_the_count_may_not_issue(hours + 2):
        with pytest.raises(RuleBroken):
            box.run(command)
        assert box.state is before, type(command).__name__
