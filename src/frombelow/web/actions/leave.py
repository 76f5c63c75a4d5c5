"""A member leaves the federation."""

from __future__ import annotations

from frombelow.federation.commands import Leave
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str) -> list[Event]:
    return recording.run(lambda at: Leave(member, at))
