"""A member signs a recall petition; at its threshold the recall vote opens."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.recall import SignRecall
from frombelow.web import recording


def run(member: str, petition: str) -> list[Event]:
    return recording.run(lambda at: SignRecall(member, at, petition))
