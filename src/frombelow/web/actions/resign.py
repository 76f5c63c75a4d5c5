"""A delegate gives up their seat; a by-election fills it."""

from __future__ import annotations

from frombelow.federation.elections import Resign
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, council: str) -> list[Event]:
    return recording.run(lambda at: Resign(member, at, council))
