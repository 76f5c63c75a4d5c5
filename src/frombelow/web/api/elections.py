"""API: elections (nominate, accept, withdraw, open the vote) and polls (turnout, results, casting a ballot).

Election and poll ids contain slashes and spaces ("election north/local-1/term-2/by-election-1"):
they are taken whole from the rest of the path (``<slashed_id:…>``), percent-encoded as any path is.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from frombelow.federation.errors import NotAllowed, NotFound
from frombelow.web.actions import accept_nomination, cast_ballot, nominate, open_election, withdraw_nomination
from frombelow.web.api.accounts import REFUSALS
from frombelow.web.api.auth import BearerToken
from frombelow.web.api.text import Text
from frombelow.web.ids import names_nothing
from frombelow.web.queries import elections, people, polls

router = Router(tags=["elections"])


class Votes(Schema):
    choice: str
    name: str
    votes: str  # an exact decimal


class RoundOut(Schema):
    number: int
    tally: list[Votes]
    elected: list[str]  # names
    excluded: list[str]  # names


class RollCallVote(Schema):
    member: str
    name: str
    cast: list[str]
    asked: list[str]  # as the delegate chose (differs from ``cast`` under a binding mandate)
    weight: str
    mandate: str
    position: str
    policy: str
    deviated: bool


class PollOut(Schema):
    id: str
    council: str
    purpose: str
    subject: str
    question: str
    method: str
    secret: bool
    choices: list[Votes] = Field(description="each choice with its name; votes are empty until the count")
    opened_at: datetime
    closes_at: datetime
    open: bool
    electorate: int
    turnout: int
    counted: bool
    outcome: str
    elected: list[str]
    totals: list[Votes]
    rounds: list[RoundOut]
    roll_call: list[RollCallVote]
    may_vote: bool = Field(description="whether the caller may still vote in it")
    voted: bool


class NominationOut(Schema):
    member: str
    name: str
    nominated_by: str
    faction: str
    accepted: bool


class SlateOut(Schema):
    faction: str
    candidates: list[str]


class ElectionSummary(Schema):
    id: str
    council: str
    constituent: str
    council_name: str
    constituent_name: str
    term: int
    stage: str
    method: str
    by_election: bool


class ElectionOut(Schema):
    id: str
    council: str
    constituent: str
    term: int
    stage: str
    seats: int
    method: str
    nominations_close_at: datetime
    nominations: list[NominationOut]
    slates: list[SlateOut]
    elected: list[str]
    poll: PollOut | None


class ElectionList(Schema):
    open: list[ElectionSummary]
    recent: list[ElectionSummary]


class NominationIn(Schema):
    nominee: Text = Field(min_length=1, max_length=200, description="the member id of the one nominated")
    faction: Text | None = Field(None, max_length=200, description="the faction they stand for, if any")


class BallotIn(Schema):
    marks: list[Text] = Field(
        min_length=1, description='the choice (["yes"]), or candidates in order of preference, or those approved'
    )


class BallotOut(Schema):
    poll: str
    secret: bool
    receipt: str | None = Field(description="for a secret ballot: <commitment>:<nonce>, given once; keep it")
    recorded: bool = Field(description="for a roll call: the vote is recorded by name")


def member_of(request: HttpRequest) -> str:
    member = people.member_id(request.user)
    if member is None:
        raise NotAllowed("this login is not a member of the federation")
    return member


def caller(request: HttpRequest) -> str | None:
    """Who is reading a public endpoint, if they sent a token (to say whether they may vote, have signed, …)."""
    if not request.user.is_authenticated:
        BearerToken()(request)  # sets request.user for a valid token; a public read goes on without one
    me = people.me(request.user)
    return me.id if me else None


def poll_out(view: polls.PollView) -> PollOut:
    row = view.row
    return PollOut(
        id=row.id,
        council=row.council,
        purpose=row.purpose,
        subject=row.subject,
        question=row.question,
        method=row.method,
        secret=row.secret,
        choices=[Votes(choice=c, name=n, votes="") for c, n in view.choices],
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        open=view.open,
        electorate=row.electorate,
        turnout=row.turnout,
        counted=row.counted,
        outcome=row.outcome,
        elected=view.elected,
        totals=[Votes(choice=c, name=n, votes=v) for c, n, v in view.totals],
        rounds=[
            RoundOut(
                number=r.number,
                tally=[Votes(choice=c, name=n, votes=v) for c, n, v in r.tally],
                elected=r.elected,
                excluded=r.excluded,
            )
            for r in view.rounds
        ],
        roll_call=[RollCallVote(**vote) for vote in view.votes],
        may_vote=view.may_vote,
        voted=view.voted,
    )


def _election(election_id: str, member: str | None) -> ElectionOut:
    row = elections.find(election_id)
    if row is None:
        raise NotFound(f"there is no election {election_id!r}")
    view = elections.view(row, member)
    return ElectionOut(
        id=row.id,
        council=row.council,
        constituent=row.constituent,
        term=row.term,
        stage=row.stage,
        seats=view.seats,
        method=view.method,
        nominations_close_at=datetime.fromisoformat(view.nominations_close_at),
        nominations=[
            NominationOut(
                member=n.member, name=n.name, nominated_by=n.nominated_by, faction=n.faction, accepted=n.accepted
            )
            for n in view.nominations
        ],
        slates=[SlateOut(faction=f, candidates=c) for f, c in view.slates],
        elected=view.elected,
        poll=poll_out(view.poll) if view.poll else None,
    )


def _poll(poll_id: str, member: str | None) -> PollOut:
    row = polls.find(poll_id)
    if row is None:
        raise NotFound(f"there is no vote {poll_id!r}")
    return poll_out(polls.view(row, member))


@router.get("/elections", response={200: ElectionList, **REFUSALS}, auth=None, summary="Open and recent elections")
def list_elections(request: HttpRequest, council: str | None = None) -> ElectionList:
    if council and names_nothing(council):
        return ElectionList(open=[], recent=[])  # as for any council that does not exist
    undecided, decided = elections.listing(council)

    def summary(e: dict) -> ElectionSummary:
        return ElectionSummary(**{k: e[k] for k in ElectionSummary.model_fields})

    return ElectionList(open=[summary(e) for e in undecided], recent=[summary(e) for e in decided])


@router.post(
    "/elections/{slashed_id:election_id}/nominations",
    response={200: ElectionOut, **REFUSALS},
    summary="Nominate someone",
)
def post_nomination(request: HttpRequest, election_id: str, body: NominationIn) -> ElectionOut:
    member = member_of(request)
    nominate.run(member, election_id, body.nominee, body.faction or None)
    return _election(election_id, member)


@router.post(
    "/elections/{slashed_id:election_id}/accept",
    response={200: ElectionOut, **REFUSALS},
    summary="Accept my nomination",
)
def post_accept(request: HttpRequest, election_id: str) -> ElectionOut:
    member = member_of(request)
    accept_nomination.run(member, election_id)
    return _election(election_id, member)


@router.post(
    "/elections/{slashed_id:election_id}/withdraw",
    response={200: ElectionOut, **REFUSALS},
    summary="Withdraw my nomination",
)
def post_withdraw(request: HttpRequest, election_id: str) -> ElectionOut:
    member = member_of(request)
    withdraw_nomination.run(member, election_id)
    return _election(election_id, member)


@router.post(
    "/elections/{slashed_id:election_id}/open", response={200: ElectionOut, **REFUSALS}, summary="Open the vote"
)
def post_open(request: HttpRequest, election_id: str) -> ElectionOut:
    member = member_of(request)
    open_election.run(member, election_id)
    return _election(election_id, member)


@router.post("/polls/{slashed_id:poll_id}/ballots", response={200: BallotOut, **REFUSALS}, summary="Cast my ballot")
def post_ballot(request: HttpRequest, poll_id: str, body: BallotIn) -> BallotOut:
    receipt = cast_ballot.run(member_of(request), poll_id, body.marks)  # a vote that does not exist: NotFound
    secret = receipt is not None  # a public vote's record is its receipt
    return BallotOut(poll=poll_id, secret=secret, receipt=receipt.text if secret else None, recorded=not secret)


# The whole-id reads last: a path ending in /ballots or /open must reach its own route first.
@router.get(
    "/elections/{slashed_id:election_id}",
    response={200: ElectionOut, **REFUSALS},
    auth=None,
    summary="An election, with its count",
)
def get_election(request: HttpRequest, election_id: str) -> ElectionOut:
    return _election(election_id, caller(request))


@router.get(
    "/polls/{slashed_id:poll_id}",
    response={200: PollOut, **REFUSALS},
    auth=None,
    summary="A vote: turnout and, once counted, results",
)
def get_poll(request: HttpRequest, poll_id: str) -> PollOut:
    return _poll(poll_id, caller(request))
