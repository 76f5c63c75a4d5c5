"""A member joins a faction."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.factions import JoinFaction
from frombelow.web import recording


def run(member: str, faction: str) -> list[Event]:
    return recording.run(lambda at: JoinFaction(member, at, faction))
