"""A member leaves a faction."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.factions import LeaveFaction
from frombelow.web import recording


def run(member: str, faction: str) -> list[Event]:
    return recording.run(lambda at: LeaveFaction(member, at, faction))
