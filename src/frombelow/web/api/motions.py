"""API: motions (propose, amend, mandate, call the vote, withdraw) and objections to decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from frombelow.federation.errors import NotFound
from frombelow.web.actions import (
    call_vote,
    object_to_decision,
    propose_amendment,
    propose_mandate,
    propose_motion,
    withdraw_motion,
)
from frombelow.web.api.accounts import REFUSALS
from frombelow.web.api.elections import PollOut, caller, member_of, poll_out
from frombelow.web.api.text import Text
from frombelow.web.identifiers import new_id
from frombelow.web.queries import motions

router = Router(tags=["motions"])


class DecisionOut(Schema):
    motion: str
    council: str
    status: str
    carried_at: datetime
    takes_effect_at: datetime
    objections: int = Field(description="members who objected")
    councils_objecting: list[str]
    referendum: str | None


class MandateOut(Schema):
    constituent: str
    position: str
    policy: str


class MotionOut(Schema):
    id: str
    council: str
    kind: str
    title: str
    text: str
    threshold: str
    status: str
    proposed_by: str
    proposed_at: datetime
    amends: str | None
    initiative: str | None
    amendments: list[str]
    poll: PollOut | None
    decision: DecisionOut | None
    my_mandate: MandateOut | None = Field(description="the mandate the calling delegate carries into this vote")


class MotionIn(Schema):
    council: Text = Field(min_length=1, max_length=200)
    title: Text = Field(min_length=1, max_length=300)
    text: Text = Field(min_length=1, max_length=20000)


class AmendmentIn(Schema):
    text: Text = Field(min_length=1, max_length=20000, description="the motion's text as the amendment would have it")


class MandateIn(Schema):
    council: Text = Field(min_length=1, max_length=200, description="your council, whose delegates it instructs")
    position: Literal["yes", "no", "abstain"]
    text: Text = Field(min_length=1, max_length=20000, description="why")


def motion_out(motion_id: str, member: str | None) -> MotionOut:
    row = motions.find(motion_id)
    if row is None:
        raise NotFound(f"there is no motion {motion_id!r}")
    view = motions.view(row, member)
    data = row.data
    return MotionOut(
        id=row.id,
        council=row.council,
        kind=row.kind,
        title=row.title,
        text=data["text"],
        threshold=data["threshold"],
        status=row.status,
        proposed_by=data["proposed_by"],
        proposed_at=row.proposed_at,
        amends=data.get("amends"),
        initiative=data.get("initiative"),
        amendments=[a.id for a in view.amendments],
        poll=poll_out(view.poll) if view.poll else None,
        decision=_decision(view) if view.decision else None,
        my_mandate=MandateOut(**vars(view.my_mandate)) if view.my_mandate else None,
    )


def _decision(view: motions.MotionView) -> DecisionOut:
    decision, objections = view.decision, view.objections or {}
    return DecisionOut(
        motion=decision.motion,
        council=decision.council,
        status=decision.status,
        carried_at=decision.carried_at,
        takes_effect_at=decision.takes_effect_at,
        objections=objections.get("members", 0),
        councils_objecting=objections.get("councils", []),
        referendum=objections.get("referendum"),
    )


@router.post("/motions", response={200: MotionOut, **REFUSALS}, summary="Propose a motion in a council I sit in")
def post_motion(request: HttpRequest, body: MotionIn) -> MotionOut:
    member = member_of(request)
    motion_id = new_id("motion", body.title)
    propose_motion.run(member, motion_id, body.council, body.title, body.text)
    return motion_out(motion_id, member)


@router.get(
    "/motions/{id:motion_id}",
    response={200: MotionOut, **REFUSALS},
    auth=None,
    summary="A motion, its vote and decision",
)
def get_motion(request: HttpRequest, motion_id: str) -> MotionOut:
    return motion_out(motion_id, caller(request))


@router.post("/motions/{id:motion_id}/vote-call", response={200: MotionOut, **REFUSALS}, summary="Call the vote")
def post_vote_call(request: HttpRequest, motion_id: str) -> MotionOut:
    member = member_of(request)
    call_vote.run(member, motion_id)
    return motion_out(motion_id, member)


@router.post("/motions/{id:motion_id}/withdraw", response={200: MotionOut, **REFUSALS}, summary="Withdraw my motion")
def post_withdraw(request: HttpRequest, motion_id: str) -> MotionOut:
    member = member_of(request)
    withdraw_motion.run(member, motion_id)
    return motion_out(motion_id, member)


@router.post(
    "/motions/{id:motion_id}/amendments",
    response={200: MotionOut, **REFUSALS},
    summary="Propose an amendment (returns it)",
)
def post_amendment(request: HttpRequest, motion_id: str, body: AmendmentIn) -> MotionOut:
    member = member_of(request)
    amendment = new_id("amendment", motion_id)
    propose_amendment.run(member, amendment, motion_id, body.text)
    return motion_out(amendment, member)


@router.post(
    "/motions/{id:motion_id}/mandates",
    response={200: MotionOut, **REFUSALS},
    summary="Propose a mandate on this item (returns it)",
)
def post_mandate(request: HttpRequest, motion_id: str, body: MandateIn) -> MotionOut:
    member = member_of(request)
    mandate = new_id("mandate", motion_id)
    propose_mandate.run(member, mandate, body.council, motion_id, body.position, body.text)
    return motion_out(mandate, member)


@router.post(
    "/decisions/{id:decision_id}/objections",
    response={200: MotionOut, **REFUSALS},
    summary="Object to a decision in its veto window",
)
def post_objection(request: HttpRequest, decision_id: str) -> MotionOut:
    member = member_of(request)
    object_to_decision.run(member, decision_id)
    return motion_out(decision_id, member)
