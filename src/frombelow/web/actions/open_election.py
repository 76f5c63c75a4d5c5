"""Once nominations have closed, a member of the electing council opens the vote."""

from __future__ import annotations

from frombelow.federation.elections import OpenElection
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, election: str) -> list[Event]:
    return recording.run(lambda at: OpenElection(member, at, election))
