"""A federation where everyone acts at once: the scenario of the load and crash tests and the load benchmark.

    scenario = scenarios.build(200)      # into an empty database; returns ids and API tokens

A congress above one base council, the floor, of N members. The floor elected all N of
them to the congress (unopposed), so the congress has N delegates. Three things are open,
each for all N at once: a secret vote in the floor (a motion), a public roll call in the
congress (a motion), and a petition to recall the first delegate (its threshold is the
whole floor, so every signature counts and none is refused for the petition having passed
before the last member signed). Every member has an account with an unusable password
and an API token.

The history is decided by the federation's rules in memory, dated from ten days ago so the
election's nominations have closed, then recorded in the ledger table and projected in one
transaction, as ``demo.load`` does: fast enough to build for every test run.

    DATABASE_URL=... frombelow manage load_scenario 200 > scenario.json
    DATABASE_URL=... frombelow manage load_scenario --close POLL   # count a vote everyone has voted in
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from frombelow.ballotbox import BallotBox
from frombelow.federation import State, decide, execute
from frombelow.federation.charter import Charter
from frombelow.federation.commands import Command, FoundFederation, IssueInvitation, Join
from frombelow.federation.elections import Nominate, OpenElection, StartTerm
from frombelow.federation.events import THE_COUNT, CouncilPlan, Event
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.recall import PetitionRecall
from frombelow.federation.voting import ClosePoll, poll
from frombelow.ledger.log import Ledger
from frombelow.web import recording
from frombelow.web.actions import issue_api_token
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import Account, LedgerHead
from frombelow.web.projector import project

FEDERATION = "load"
CONGRESS = "congress"
FLOOR = "floor"
SECRET_MOTION = "floor-motion"
ROLL_CALL_MOTION = "congress-motion"
PETITION = "recall-load"


@dataclass(frozen=True)
class Scenario:
    members: dict[str, str]  # member id -> API token, in the order of their usernames
    secret_poll: str  # the floor's secret vote: marks ["yes"] or ["no"]
    roll_call: str  # the congress's public roll call of every member (all delegates)
    petition: str  # the recall petition against the first member's seat, signed by no one yet


def build(count: int) -> Scenario:
    """Record the scenario into the (empty) ledger table, with an account and an API token per member."""
    if LedgerHead.objects.get(pk=1).size:
        raise ValueError("the database holds a ledger already: a scenario is built into an empty one")
    now = timezone.now().replace(microsecond=0)
    members = [f"m-{n:05d}" for n in range(1, count + 1)]
    history = _History(now - timedelta(days=10))
    charter = Charter(delegate_seats_by_council=((CONGRESS, count),), recall_threshold=Fraction(1))
    plans = (CouncilPlan(CONGRESS, "Congress", None), CouncilPlan(FLOOR, "The floor", CONGRESS))
    first = members[0]
    history.run(
        FoundFederation(first, history.at, FEDERATION, "Load test federation", charter, plans, ((first, FLOOR),))
    )
    for n, member in enumerate(members[1:]):
        history.run(IssueInvitation(first, history.at, FLOOR, f"load-invitation-{n:06d}"))
        history.run(Join(member, history.at, f"load-invitation-{n:06d}"))
    called = history.run(StartTerm(first, history.at, FEDERATION))
    election = next(e.election for e in called if e.kind == "election called")
    for member in members:
        history.run(Nominate(member, history.at, election, member))
    history.at += timedelta(days=charter.nomination_days, minutes=1)
    history.run(OpenElection(THE_COUNT, history.at, election))
    history.at = now - timedelta(hours=1)  # the votes opened an hour ago and stay open for the charter's days
    history.run(ProposeMotion(first, history.at, SECRET_MOTION, FLOOR, "Open the books", "Every member sees them."))
    secret = history.run(CallVote(first, history.at, SECRET_MOTION))
    history.run(ProposeMotion(first, history.at, ROLL_CALL_MOTION, CONGRESS, "Strike", "A general strike."))
    public = history.run(CallVote(first, history.at, ROLL_CALL_MOTION))
    history.run(PetitionRecall(first, history.at, PETITION, CONGRESS, first, "council", "Load test"))
    with transaction.atomic():
        ledger = Ledger(DatabaseStore(), recording.signer())
        for batch in history.batches:
            ledger.record(batch, batch[-1].at)
        if ledger.unsigned:
            ledger.checkpoint(history.at)
        LedgerHead.objects.filter(pk=1).update(size=ledger.size)
        project(State(), history.state)
        tokens = _accounts(members)
    recording.forget()
    return Scenario(tokens, _poll_of(secret), _poll_of(public), PETITION)


def close(poll_id: str) -> list[Event]:
    """Count a vote now: allowed once everyone entitled has voted (or its time is up)."""

    def count(state: State, at: datetime) -> list[Event]:
        if poll(state, poll_id).secret:
            return BallotBox(state, poll_id, recording.box(poll_id)).close(state, at)[0]
        return decide(state, ClosePoll(THE_COUNT, at, poll_id))

    return recording.record(count)


class _History:
    """The scenario's commands decided in memory, each command's events kept as one batch."""

    def __init__(self, start: datetime) -> None:
        self.state = State()
        self.at = start
        self.batches: list[list[Event]] = []

    def run(self, command: Command) -> list[Event]:
        self.state, events = execute(self.state, command)
        if events:
            self.batches.append(events)
        self.at += timedelta(seconds=1)  # entries dated in order, one command a second
        return events


def _poll_of(events: list[Event]) -> str:
    return next(e.poll for e in events if e.kind == "poll opened")


def _accounts(members: list[str]) -> dict[str, str]:
    users = get_user_model()
    made = []
    for member in members:
        user = users(username=f"load-{member}")
        user.set_unusable_password()
        made.append(user)
    users.objects.bulk_create(made)
    saved = {u.username: u for u in users.objects.filter(username__startswith="load-")}
    Account.objects.bulk_create(
        Account(user=saved[f"load-{m}"], member=m, display_name=f"Member {m[2:]}") for m in members
    )
    return {m: issue_api_token.run(saved[f"load-{m}"], "load") for m in members}
