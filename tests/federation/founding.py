"""A three-level federation the federation tests start from."""

from datetime import UTC, datetime, timedelta

from frombelow.federation import State, execute
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join
from frombelow.federation.events import CouncilPlan

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

# A three-level federation: congress <- two district councils <- four locals.
TREE = (
    CouncilPlan("congress", "Congress", None),
    CouncilPlan("north", "North District", "congress"),
    CouncilPlan("south", "South District", "congress"),
    CouncilPlan("local-1", "Local 1", "north"),
    CouncilPlan("local-2", "Local 2", "north"),
    CouncilPlan("local-3", "Local 3", "south"),
    CouncilPlan("local-4", "Local 4", "south"),
)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def founding(charter: Charter | None = None) -> FoundFederation:
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    return FoundFederation("ann", at(0), "metal", "Metalworkers", charter or Charter(), TREE, founders)


def found() -> State:
    state, _ = execute(State(), founding())
    return state


def invite_and_join(state: State, inviter: str, council: str, newcomer: str, hours: float) -> State:
    code = f"code-for-{newcomer}-{council}-0123456789"
    state, _ = execute(state, IssueInvitation(inviter, at(hours), council, code))
    state, _ = execute(state, Join(newcomer, at(hours + 1), code))
    return state
