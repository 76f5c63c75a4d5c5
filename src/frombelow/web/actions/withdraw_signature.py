"""A member takes their signature off a petition still gathering them."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.petitions import WithdrawSignature
from frombelow.web import recording


def run(member: str, petition: str) -> list[Event]:
    return recording.run(lambda at: WithdrawSignature(member, at, petition))
