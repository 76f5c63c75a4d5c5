"""API: the federation's tree, councils, factions (and what their members do), a delegate's record."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from frombelow.web.actions import (
    amend_platform,
    call_by_election,
    found_faction,
    join_faction,
    leave_faction,
    propose_secretary,
    resign,
    support_dissolution,
)
from frombelow.web.api.accounts import REFUSALS, SeatOut, acting_member
from frombelow.web.api.text import Text
from frombelow.web.identifiers import new_id
from frombelow.web.queries import councils, delegates, factions, motions, people

if TYPE_CHECKING:
    from frombelow.web.models import FactionRow  # the rows queries hand over

router = Router(tags=["federation"])


class CouncilNode(Schema):
    id: str
    name: str
    kind: str
    represented: int = Field(description="members of every base council under it")
    filled: int = Field(description="seats filled (a base council: its members)")
    children: list[CouncilNode]


CouncilNode.model_rebuild()


class FederationOut(Schema):
    id: str
    name: str
    congress: str
    tree: CouncilNode


class CouncilOut(Schema):
    id: str
    name: str
    kind: str
    parent: str | None
    closed: bool
    members: int = Field(description="a base council's members; a delegate council's seats filled")
    represented: int


class DelegateOut(Schema):
    member: str
    name: str
    constituent: str
    constituent_name: str
    term: int
    since: datetime


class MotionRef(Schema):
    id: str
    title: str
    proposed_at: datetime


# The OpenAPI document names a schema by its class: elections.py, motions.py and petitions.py have
# their own ElectionOut, DecisionOut, PetitionOut and SlateOut, so these summaries are named apart.
class CouncilElectionOut(Schema):
    id: str
    council_name: str
    constituent_name: str
    term: int
    by_election: bool
    stage: str


class CouncilPetitionOut(Schema):
    id: str
    kind: str
    subject: str
    status: str
    signatures: int
    needed: int


class DissentOut(Schema):
    faction: str
    faction_name: str
    text: str
    recorded_at: str


class CouncilDecisionOut(Schema):
    motion: str
    title: str
    status: str
    carried_at: datetime
    takes_effect_at: datetime
    dissents: list[DissentOut]


class SecretaryOut(Schema):
    member: str
    name: str
    motion: str = Field(description="the council's motion that elected them")
    elected_at: datetime


class CouncilDetail(Schema):
    council: CouncilOut
    secretary: SecretaryOut | None = Field(description="a base council's elected secretary, if it has one")
    invitations_by: str = Field(
        description='who issues a base council\'s invitations, by the charter: "members" (any of them) or '
        '"secretary" (only the secretary, while the council has one; any member while it has none)'
    )
    parent: CouncilOut | None
    children: list[CouncilOut]
    delegates: list[DelegateOut]
    agenda: list[MotionRef]
    elections: list[CouncilElectionOut]
    petitions: list[CouncilPetitionOut]
    decisions: list[CouncilDecisionOut]


class FactionOut(Schema):
    id: str
    name: str
    platform: str
    members: int
    supporters: int = Field(description="members supporting its dissolution")
    dissolved: bool

    @staticmethod
    def resolve_platform(row: FactionRow) -> str:
        return row.data["platform"]

    @staticmethod
    def resolve_supporters(row: FactionRow) -> int:
        return row.data.get("supporters", 0)


class MemberOut(Schema):
    id: str
    name: str


class FactionSlateOut(Schema):
    election: str
    candidates: list[str] = Field(description="names, in the order its seats go to them")


class FactionDissentOut(Schema):
    decision: str
    title: str
    text: str
    recorded_at: str


class FactionDetail(Schema):
    faction: FactionOut
    founded_by: str
    member_names: list[MemberOut]
    slates: list[FactionSlateOut]
    dissents: list[FactionDissentOut]


class FoundingRequest(Schema):
    name: Text = Field(min_length=1, max_length=200)
    platform: Text = Field(min_length=1, description="what the faction stands for")


class PlatformRequest(Schema):
    text: Text = Field(min_length=1, description="the platform, amended")


class VoteOut(Schema):
    poll: str
    question: str
    motion: str
    council: str
    council_name: str
    opened_at: datetime
    cast: list[str]
    weight: str
    mandate: str = Field(description="the constituent's mandate on the item; empty if it gave none")
    position: str
    policy: str
    deviated: bool


class RecordOut(Schema):
    member: str
    name: str
    seats: list[SeatOut]
    votes: list[VoteOut]


@router.get("/federation", auth=None, response={200: FederationOut, **REFUSALS}, summary="The tree of councils")
def federation(request: HttpRequest) -> Status:
    row, root = people.federation(), councils.tree()
    if row is None or root is None:
        return Status(404, {"code": "not_found", "message": "no federation has been founded here"})
    return Status(200, {"id": row.id, "name": row.name, "congress": row.congress, "tree": root})


@router.get("/councils", auth=None, response=list[CouncilOut], summary="Every council")
def council_list(request: HttpRequest) -> list:
    return councils.all_councils()


@router.get("/councils/{id:council_id}", auth=None, response={200: CouncilDetail, **REFUSALS}, summary="A council")
def council(request: HttpRequest, council_id: str) -> dict:
    shown = councils.council(council_id)
    return {
        "council": shown.row,
        "secretary": shown.secretary,
        "invitations_by": shown.invitations_by,
        "parent": shown.parent,
        "children": shown.children,
        "delegates": shown.delegates,
        "agenda": shown.agenda,
        "elections": shown.elections,
        "petitions": shown.petitions,
        "decisions": shown.decisions,
    }


class ByElectionRequest(Schema):
    constituent: Text = Field(description="the council below whose vacant seats are to be filled")


@router.post(
    "/councils/{id:council_id}/resignation", response={200: CouncilDetail, **REFUSALS}, summary="Give up my seat"
)
def resign_seat(request: HttpRequest, council_id: str) -> dict:
    resign.run(acting_member(request), council_id)
    return council(request, council_id)


@router.post(
    "/councils/{id:council_id}/by-election", response={200: CouncilDetail, **REFUSALS}, summary="Call a by-election"
)
def by_election(request: HttpRequest, council_id: str, payload: ByElectionRequest) -> dict:
    call_by_election.run(acting_member(request), council_id, payload.constituent)
    return council(request, council_id)


class SecretaryRequest(Schema):
    nominee: Text = Field(min_length=1, description="the member id of one of the council's members")
    text: Text = Field(min_length=1, description="why: your reasons, for the members and the record")


@router.post(
    "/councils/{id:council_id}/secretary",
    response={201: MotionRef, **REFUSALS},
    summary="Propose a secretary for my base council (a motion its members vote on)",
)
def elect_secretary(request: HttpRequest, council_id: str, payload: SecretaryRequest) -> Status:
    motion = new_id("secretary", council_id)
    propose_secretary.run(acting_member(request), motion, council_id, payload.nominee, payload.text)
    return Status(201, motions.find(motion))


@router.get("/factions", auth=None, response=list[FactionOut], summary="Every faction, dissolved ones too")
def faction_list(request: HttpRequest) -> list:
    return factions.factions()


@router.get("/factions/{id:faction_id}", auth=None, response={200: FactionDetail, **REFUSALS}, summary="A faction")
def faction(request: HttpRequest, faction_id: str) -> dict:
    shown = factions.faction(faction_id)
    return {
        "faction": shown.row,
        "founded_by": shown.founded_by,
        "member_names": [{"id": m, "name": n} for m, n in shown.members],
        "slates": shown.slates,
        "dissents": shown.dissents,
    }


@router.post("/factions", response={201: FactionOut, **REFUSALS}, summary="Found a faction (you are its first member)")
def found(request: HttpRequest, payload: FoundingRequest) -> Status:
    faction_id = new_id("faction", payload.name)
    found_faction.run(acting_member(request), faction_id, payload.name, payload.platform)
    return Status(201, factions.summary(faction_id))


@router.post("/factions/{id:faction_id}/join", response={200: FactionOut, **REFUSALS}, summary="Join a faction")
def join(request: HttpRequest, faction_id: str) -> object:
    join_faction.run(acting_member(request), faction_id)
    return factions.summary(faction_id)


@router.post("/factions/{id:faction_id}/leave", response={200: FactionOut, **REFUSALS}, summary="Leave a faction")
def leave(request: HttpRequest, faction_id: str) -> object:
    leave_faction.run(acting_member(request), faction_id)
    return factions.summary(faction_id)


@router.post("/factions/{id:faction_id}/platform", response={200: FactionOut, **REFUSALS}, summary="Amend its platform")
def amend(request: HttpRequest, faction_id: str, payload: PlatformRequest) -> object:
    amend_platform.run(acting_member(request), faction_id, payload.text)
    return factions.summary(faction_id)


@router.post(
    "/factions/{id:faction_id}/dissolution",
    response={200: FactionOut, **REFUSALS},
    summary="Support dissolving it (it dissolves when more than half its members do)",
)
def dissolve(request: HttpRequest, faction_id: str) -> object:
    support_dissolution.run(acting_member(request), faction_id)
    return factions.summary(faction_id)


@router.get(
    "/delegates/{id:member}/record",
    auth=None,
    response={200: RecordOut, **REFUSALS},
    summary="A delegate's roll-call votes beside their mandates",
)
def record(request: HttpRequest, member: str) -> object:
    return delegates.record(member)
