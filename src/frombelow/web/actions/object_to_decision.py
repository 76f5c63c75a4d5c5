"""A member objects to a decision in its veto window; enough objections call a referendum."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.veto import ObjectToDecision
from frombelow.web import recording


def run(member: str, decision: str) -> list[Event]:
    return recording.run(lambda at: ObjectToDecision(member, at, decision))
