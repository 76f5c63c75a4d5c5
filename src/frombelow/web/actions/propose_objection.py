"""A constituent council's motion to object, as a council, to a decision of the council above."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.veto import ProposeObjection
from frombelow.web import recording


def run(member: str, motion: str, council: str, decision: str, text: str) -> list[Event]:
    return recording.run(lambda at: ProposeObjection(member, at, motion, council, decision, text))
