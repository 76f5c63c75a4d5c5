"""A faction's member amends its platform."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.factions import AmendPlatform
from frombelow.web import recording


def run(member: str, faction: str, text: str) -> list[Event]:
    return recording.run(lambda at: AmendPlatform(member, at, faction, text))
