"""An amendment to a motion on the agenda: the motion's text as it would read."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.motions import ProposeAmendment
from frombelow.web import recording


def run(member: str, amendment: str, motion: str, text: str) -> list[Event]:
    return recording.run(lambda at: ProposeAmendment(member, at, amendment, motion, text))
