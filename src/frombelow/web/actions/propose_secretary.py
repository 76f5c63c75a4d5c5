"""A member of a base council proposes one of its members as its secretary: a motion its members vote on."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.secretaries import ProposeSecretary
from frombelow.web import recording


def run(member: str, motion: str, council: str, nominee: str, text: str) -> list[Event]:
    return recording.run(lambda at: ProposeSecretary(member, at, motion, council, nominee, text))
