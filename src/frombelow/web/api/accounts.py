"""API: who I am, tokens, joining by invitation, invitations, leaving."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from frombelow.web.actions import issue_api_token, issue_invitation, join, leave
from frombelow.web.api.text import Text
from frombelow.web.queries import people

router = Router(tags=["accounts"])


class Refusal(Schema):
    """Every error: a code to branch on and a message written for people."""

    code: str
    message: str


REFUSALS = {400: Refusal, 401: Refusal, 403: Refusal, 404: Refusal, 409: Refusal}


class FactionRef(Schema):
    id: str
    name: str


class SeatOut(Schema):
    council: str
    council_name: str
    constituent: str
    constituent_name: str
    term: int
    since: datetime


class MeOut(Schema):
    id: str
    name: str
    council: str | None = Field(description="their base council; null once they have left")
    factions: list[FactionRef]
    seats: list[SeatOut]


class TokenRequest(Schema):
    username: Text = Field(min_length=1, max_length=150)
    password: Text = Field(min_length=1)
    name: Text = Field("", max_length=100, description="what the token is for")


class TokenOut(Schema):
    token: str = Field(description="shown once: keep it")
    expires_at: datetime


class JoinRequest(Schema):
    code: Text = Field(min_length=1, description="the invitation code (the last part of its /join/ link)")
    username: Text = Field(min_length=1, max_length=150)
    name: Text = Field(min_length=1, max_length=200, description="the name other members see")
    password: Text = Field(min_length=10)


class JoinOut(Schema):
    member: str
    council: str


class InvitationRequest(Schema):
    council: Text = Field(min_length=1, description="the base council the invitee joins: your own")


class InvitationOut(Schema):
    code: str = Field(description="shown once; only its digest is recorded")
    link: str
    council: str


class LeaveRequest(Schema):
    confirm: Literal[True] = Field(description="true: leave the federation, its factions and every seat held")


class LeaveOut(Schema):
    member: str
    left: bool


def acting_member(request: HttpRequest) -> str:
    """The member the token's login is (a refusal, 403, for a login that is not one)."""
    return people.acting(request.auth).id


@router.get("/me", response={200: MeOut, **REFUSALS}, summary="Who I am: my council, factions and seats")
def me(request: HttpRequest) -> dict:
    found = people.acting(request.auth)
    return {
        "id": found.id,
        "name": found.name,
        "council": found.council,
        "factions": people.factions_of(found.id),
        "seats": people.seats(found.id),
    }


@router.post(
    "/tokens",
    auth=None,
    response={201: TokenOut, **REFUSALS, 429: Refusal},  # 429: too many failed logins (security.throttling)
    summary="Make an API token with a password",
)
def make_token(request: HttpRequest, payload: TokenRequest) -> Status:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"code": "wrong_credentials", "message": "that username and password do not match"})
    token = issue_api_token.run(user, payload.name)
    return Status(201, {"token": token, "expires_at": people.tokens(user)[0].expires_at})  # the newest is this one


@router.post(
    "/join", auth=None, response={201: JoinOut, **REFUSALS}, summary="Accept an invitation: a login and membership"
)
def join_by_invitation(request: HttpRequest, payload: JoinRequest) -> Status:
    council = people.invitation(payload.code).council
    member = join.run(payload.code, payload.username, payload.name, payload.password)
    return Status(201, {"member": member, "council": council})


@router.post("/invitations", response={201: InvitationOut, **REFUSALS}, summary="Invite someone to my base council")
def invite(request: HttpRequest, payload: InvitationRequest) -> Status:
    code = issue_invitation.run(acting_member(request), payload.council)
    link = request.build_absolute_uri(reverse("join", args=[code]))
    return Status(201, {"code": code, "link": link, "council": payload.council})


@router.post("/leave", response={200: LeaveOut, **REFUSALS}, summary="Leave the federation")
def leave_federation(request: HttpRequest, payload: LeaveRequest) -> dict:
    member = acting_member(request)
    leave.run(member)
    return {"member": member, "left": True}
