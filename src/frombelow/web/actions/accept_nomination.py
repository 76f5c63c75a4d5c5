"""A nominee accepts their nomination: only then do they stand."""

from __future__ import annotations

from frombelow.federation.elections import AcceptNomination
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, election: str) -> list[Event]:
    return recording.run(lambda at: AcceptNomination(member, at, election))
