"""Members petition to put a motion on the agenda of a council above them."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.initiative import StartInitiative
from frombelow.web import recording


def run(member: str, initiative: str, council: str, title: str, text: str) -> list[Event]:
    return recording.run(lambda at: StartInitiative(member, at, initiative, council, title, text))
