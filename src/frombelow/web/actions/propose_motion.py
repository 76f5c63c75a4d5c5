"""Someone who sits in a council puts a motion on its agenda."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.motions import ProposeMotion
from frombelow.web import recording


def run(member: str, motion: str, council: str, title: str, text: str) -> list[Event]:
    return recording.run(lambda at: ProposeMotion(member, at, motion, council, title, text))
