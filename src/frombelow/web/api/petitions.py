"""API: petitions from below: start a recall petition or an initiative, sign, withdraw a signature."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from frombelow.federation.errors import InvalidCommand, NotFound
from frombelow.web.actions import (
    open_recall_petition,
    sign_initiative,
    sign_recall,
    start_initiative,
    withdraw_signature,
)
from frombelow.web.api.accounts import REFUSALS
from frombelow.web.api.elections import caller, member_of
from frombelow.web.api.text import Text
from frombelow.web.identifiers import new_id
from frombelow.web.queries import petitions

router = Router(tags=["petitions"])


class PetitionOut(Schema):
    id: str
    kind: Literal["recall", "initiative"]
    council: str
    delegate: str | None
    constituent: str | None
    title: str | None = Field(description="an initiative's motion title")
    text: str = Field(description="a recall's reason, an initiative's motion text")
    started_by: str
    started_at: datetime
    signatures: int
    needed: int
    electorate: int
    status: str
    signed: bool = Field(description="whether the caller has signed")
    poll: str | None = Field(description="the recall vote it opened")
    motion: str | None = Field(description="the motion the initiative placed")


class PetitionIn(Schema):
    kind: Literal["recall", "initiative"]
    council: Text = Field(min_length=1, max_length=200, description="where the delegate sits / whose agenda")
    delegate: Text | None = Field(None, max_length=200, description="for a recall: the delegate's member id")
    reason: Text = Field("", max_length=5000, description="for a recall")
    title: Text = Field("", max_length=300, description="for an initiative: its motion's title")
    text: Text = Field("", max_length=20000, description="for an initiative: its motion's text")


def petition_out(petition_id: str, member: str | None) -> PetitionOut:
    row = petitions.find(petition_id)
    if row is None:
        raise NotFound(f"there is no petition {petition_id!r}")
    data, recall = row.data, petitions.kind_of(row) == "recall"
    return PetitionOut(
        id=row.key,
        kind=petitions.kind_of(row),
        council=data["council"],
        delegate=data["delegate"] if recall else None,
        constituent=data["constituent"] if recall else None,
        title=None if recall else data["motion_title"],
        text=data["reason"] if recall else data["text"],
        started_by=data["started_by"],
        started_at=datetime.fromisoformat(data["started_at"]),
        signatures=len(data["signatures"]),
        needed=data["needed"],
        electorate=data["electorate"],
        status=data["status"],
        signed=member is not None and member in data["signatures"],
        poll=data.get("poll") if recall else None,
        motion=None if recall else data.get("motion"),
    )


@router.post("/petitions", response={200: PetitionOut, **REFUSALS}, summary="Start a recall petition or an initiative")
def post_petition(request: HttpRequest, body: PetitionIn) -> PetitionOut:
    member = member_of(request)
    if body.kind == "recall":
        if not body.delegate:
            raise InvalidCommand("a recall petition names the delegate: give 'delegate', their member id")
        petition_id = new_id("recall")
        open_recall_petition.run(member, petition_id, body.council, body.delegate, reason=body.reason)
    else:
        petition_id = new_id("initiative", body.title)
        start_initiative.run(member, petition_id, body.council, body.title, body.text)
    return petition_out(petition_id, member)


@router.get(
    "/petitions/{id:petition_id}",
    response={200: PetitionOut, **REFUSALS},
    auth=None,
    summary="A petition and its signatures",
)
def get_petition(request: HttpRequest, petition_id: str) -> PetitionOut:
    return petition_out(petition_id, caller(request))


@router.post("/petitions/{id:petition_id}/signatures", response={200: PetitionOut, **REFUSALS}, summary="Sign")
def post_signature(request: HttpRequest, petition_id: str) -> PetitionOut:
    member = member_of(request)
    row = petitions.find(petition_id)
    if row is None:
        raise NotFound(f"there is no petition {petition_id!r}")
    (sign_recall if petitions.kind_of(row) == "recall" else sign_initiative).run(member, petition_id)
    return petition_out(petition_id, member)


@router.delete(
    "/petitions/{id:petition_id}/signatures", response={200: PetitionOut, **REFUSALS}, summary="Withdraw my signature"
)
def delete_signature(request: HttpRequest, petition_id: str) -> PetitionOut:
    member = member_of(request)
    withdraw_signature.run(member, petition_id)
    return petition_out(petition_id, member)
