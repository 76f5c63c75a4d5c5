"""Invariant 1: no control from above. A higher council (or a member of another council)
cannot add members to, or act for, a council it does not belong to."""

import pytest
from founding import at

from frombelow.federation import NotAllowed, State, execute
from frombelow.federation.commands import IssueInvitation


@pytest.mark.parametrize(("actor", "council"), [("cy", "local-1"), ("ann", "local-3"), ("ann", "north")])
def test_no_one_admits_members_to_a_council_not_their_own(founded: State, actor: str, council: str) -> None:
    with pytest.raises(NotAllowed):
        execute(founded, IssueInvitation(actor, at(1), council, "a-long-secret-invitation-code"))
