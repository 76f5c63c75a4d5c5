"""Founding, and joining, moving and leaving a base council by invitation."""

from datetime import datetime

import pytest
from founding import at, invite_and_join

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, State, execute
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.events import CouncilPlan, InvitationIssued


def test_founding_builds_the_tree_of_councils(founded: State) -> None:
    assert founded.council("congress").kind == "delegate" and founded.council("congress").parent is None
    assert founded.council("north").kind == "delegate"
    assert founded.council("local-3").kind == "base"
    assert founded.ancestors("local-3") == ["south", "congress"]
    assert {c.id for c in founded.children("north")} == {"local-1", "local-2"}
    assert founded.member("cy").council == "local-3"


@pytest.mark.parametrize(
    ("councils", "founders", "message"),
    [
        ((), (("ann", "l"),), "starts with the congress"),
        ((CouncilPlan("c", "C", None), CouncilPlan("c", "D", "c")), (("ann", "c"),), "its own id"),
        ((CouncilPlan("c", "C", None), CouncilPlan("l", "L", "x")), (("ann", "l"),), "must come after"),
        ((CouncilPlan("c", "C", None), CouncilPlan("l", "L", "c")), (("ann", "c"),), "must join a base council"),
        ((CouncilPlan("c", "C", None), CouncilPlan("l", "L", "c")), (("bo", "l"),), "founder must be among"),
    ],
)
def test_a_malformed_founding_is_refused(councils: tuple, founders: tuple, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        execute(State(), FoundFederation("ann", at(0), "f", "F", Charter(), councils, founders))


def test_a_time_without_zone_is_refused() -> None:
    tree = (CouncilPlan("c", "C", None), CouncilPlan("l", "L", "c"))
    with pytest.raises(InvalidCommand, match="time zone"):
        execute(State(), FoundFederation("ann", datetime(2026, 1, 1), "f", "F", Charter(), tree, (("ann", "l"),)))


def test_a_member_invites_and_the_invitee_joins(founded: State) -> None:
    code = "a-long-secret-invitation-code"
    state, events = execute(founded, IssueInvitation("ann", at(1), "local-1", code))
    (issued,) = events
    assert isinstance(issued, InvitationIssued)
    assert code not in repr(issued)  # the secret is never recorded, only its digest
    assert issued.expires_at == at(1 + 14 * 24)
    state, _ = execute(state, Join("eve", at(2), code))
    assert state.member("eve").council == "local-1"


def test_an_invitation_is_single_use_and_expires(founded: State) -> None:
    code = "a-long-secret-invitation-code"
    state, _ = execute(founded, IssueInvitation("ann", at(1), "local-1", code))
    joined, _ = execute(state, Join("eve", at(2), code))
    with pytest.raises(NotAllowed, match="used already"):
        execute(joined, Join("fay", at(3), code))
    with pytest.raises(NotAllowed, match="expired"):
        execute(state, Join("fay", at(1 + 14 * 24), code))
    with pytest.raises(NotFound, match="not known"):
        execute(state, Join("fay", at(2), "another-long-secret-code"))


def test_only_the_councils_own_members_may_invite(founded: State) -> None:
    with pytest.raises(NotAllowed, match="only members of Local 1"):
        execute(founded, IssueInvitation("bo", at(1), "local-1", "a-long-secret-invitation-code"))
    with pytest.raises(NotAllowed, match="delegate council"):
        execute(founded, IssueInvitation("ann", at(1), "north", "a-long-secret-invitation-code"))
    with pytest.raises(InvalidCommand, match="at least 16"):
        execute(founded, IssueInvitation("ann", at(1), "local-1", "short"))


def test_moving_needs_an_invitation_from_the_new_council(founded: State) -> None:
    state = invite_and_join(founded, "ann", "local-1", "eve", 1)
    code = "welcome-eve-to-local-3-please"
    state, _ = execute(state, IssueInvitation("cy", at(5), "local-3", code))
    state, (moved,) = execute(state, Move("eve", at(6), code))
    assert (moved.from_council, moved.to_council) == ("local-1", "local-3")
    assert state.member("eve").council == "local-3"


def test_a_member_may_leave(founded: State) -> None:
    state, _ = execute(founded, Leave("bo", at(1)))
    assert "bo" not in state.members
    with pytest.raises(NotFound):
        execute(state, Leave("bo", at(2)))


def test_a_departed_members_id_is_never_taken_again(founded: State) -> None:
    state, _ = execute(founded, Leave("bo", at(1)))
    code = "a-long-secret-invitation-code"
    state, _ = execute(state, IssueInvitation("ann", at(2), "local-1", code))
    with pytest.raises(InvalidCommand, match="belonged to a member who left; choose another"):
        execute(state, Join("bo", at(3), code))
    tree = (CouncilPlan("c", "C", None), CouncilPlan("l", "L", "c"))
    with pytest.raises(InvalidCommand, match="belonged to a member who left"):
        execute(state, FoundFederation("bo", at(3), "f", "F", Charter(), tree, (("bo", "l"),)))
    joined, _ = execute(state, Join("eve", at(3), code))  # the invitation is still good for another id
    assert joined.member("eve").council == "local-1" and dict(joined.departed) == {"bo": "metal"}
