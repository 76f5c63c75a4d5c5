"""A faction's member supports dissolving it: only its own members can."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.factions import SupportDissolution
from frombelow.web import recording


def run(member: str, faction: str) -> list[Event]:
    return recording.run(lambda at: SupportDissolution(member, at, faction))
