"""A member signs an initiative; at its threshold the motion goes on the agenda."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.initiative import SignInitiative
from frombelow.web import recording


def run(member: str, initiative: str) -> list[Event]:
    return recording.run(lambda at: SignInitiative(member, at, initiative))
