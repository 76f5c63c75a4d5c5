"""A member of a constituent council calls a by-election for its vacant seats."""

from __future__ import annotations

from frombelow.federation.elections import CallByElection
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, council: str, constituent: str) -> list[Event]:
    return recording.run(lambda at: CallByElection(member, at, council, constituent))
