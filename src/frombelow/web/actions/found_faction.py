"""Members found a faction (a party or tendency) with its platform."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.factions import FoundFaction
from frombelow.web import recording


def run(member: str, faction: str, name: str, platform: str) -> list[Event]:
    return recording.run(lambda at: FoundFaction(member, at, faction, name, platform))
