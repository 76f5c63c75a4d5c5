"""A member nominates someone (themselves included) to stand in an election of their council."""

from __future__ import annotations

from frombelow.federation.elections import Nominate
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, election: str, nominee: str, faction: str | None = None) -> list[Event]:
    return recording.run(lambda at: Nominate(member, at, election, nominee, faction))
