"""Invariant 1 for mandates and the veto: power flows up only from below.

A council mandates only the delegates it elected itself (never those of a council below
it, beside it or above it); only members under a council object to its decisions, and
only its own constituents object as councils; no council above puts anything on a lower
council's agenda to instruct or overrule it.
"""

import itertools
from fractions import Fraction

import pytest
from box import Box
from founding import TREE, at
from seated import join, seated, sitting, vote_on

from frombelow.federation import NotAllowed, NotFound, RuleBroken
from frombelow.federation.charter import Charter
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import ProposeMotion
from frombelow.federation.veto import ObjectToDecision, ProposeObjection

COUNCILS = [plan.id for plan in TREE]
DELEGATE_COUNCILS = ["congress", "north", "south"]
MEMBERS = ["ann", "eve", "bo", "gus", "cy", "hal", "di"]


@pytest.fixture(scope="module")
def agendas() -> tuple[Box, float]:
    """Each delegate council has an open item ("item in <council>") and a decision waiting for its veto window."""
    box, hours = seated(Charter(veto_member_share=Fraction(1), veto_council_share=Fraction(1)))
    hours = join(box, hours, ("eve", "local-1"), ("gus", "local-2"), ("hal", "local-3"))
    for council in DELEGATE_COUNCILS:
        proposer = min(sitting(box, council))
        box.run(ProposeMotion(proposer, at(hours), f"item in {council}", council, "Item", "To be voted."))
        box.run(ProposeMotion(proposer, at(hours), f"decided in {council}", council, "Decided", "Carried."))
        _, hours = vote_on(box, f"decided in {council}", hours + 1)
    return box, hours


def under(box: Box, member: str, council: str) -> bool:
    return box.state.is_under(box.state.members[member].council, council)


@pytest.mark.parametrize(("council", "above"), list(itertools.product(COUNCILS, DELEGATE_COUNCILS)))
def test_a_council_mandates_only_the_delegates_it_elected(agendas: tuple[Box, float], council: str, above: str) -> None:
    box, hours = agendas
    actor = min(sitting(box, council))  # someone who sits in the council: only the rule can refuse them
    command = ProposeMandate(actor, at(hours), "mandate", council, f"item in {above}", "no", "Vote no.")
    if box.state.councils[council].parent == above:
        assert [e.kind for e in Box(box.state).run(command)] == ["motion proposed", "mandate proposed"]
    else:
        with pytest.raises(NotAllowed, match="sends no delegates to"):
            Box(box.state).run(command)


@pytest.mark.parametrize("actor", ["bo", "cy", "the count"])
def test_no_one_from_outside_puts_a_mandate_on_a_councils_agenda(agendas: tuple[Box, float], actor: str) -> None:
    box, hours = agendas  # bo sits in North District and the congress, but not in Local 1
    with pytest.raises((NotAllowed, NotFound)):
        Box(box.state).run(ProposeMandate(actor, at(hours), "m", "local-1", "item in north", "no", "From above."))


@pytest.mark.parametrize(("member", "council"), list(itertools.product([*MEMBERS, "the count"], DELEGATE_COUNCILS)))
def test_only_members_under_a_council_object_to_its_decisions(
    agendas: tuple[Box, float], member: str, council: str
) -> None:
    box, hours = agendas
    command = ObjectToDecision(member, at(hours), f"decided in {council}")
    if member in box.state.members and under(box, member, council):
        assert [e.kind for e in Box(box.state).run(command)] == ["decision objected"]
    else:
        with pytest.raises((NotAllowed, NotFound), match="only members of the councils under|not a member"):
            Box(box.state).run(command)


@pytest.mark.parametrize(("council", "above"), list(itertools.product(COUNCILS, DELEGATE_COUNCILS)))
def test_only_a_councils_constituents_object_as_councils(agendas: tuple[Box, float], council: str, above: str) -> None:
    box, hours = agendas
    actor = min(sitting(box, council))
    command = ProposeObjection(actor, at(hours), "objection", council, f"decided in {above}", "We object.")
    if box.state.councils[council].parent == above:
        assert [e.kind for e in Box(box.state).run(command)] == ["motion proposed", "objection proposed"]
    else:
        with pytest.raises(RuleBroken, match="sends no delegates to"):
            Box(box.state).run(command)
