"""A constituent council's motion to mandate its delegates on an item of the council above."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.mandates import ProposeMandate
from frombelow.web import recording


def run(member: str, mandate: str, council: str, item: str, position: str, text: str) -> list[Event]:
    return recording.run(lambda at: ProposeMandate(member, at, mandate, council, item, position, text))
