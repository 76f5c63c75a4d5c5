"""A faction records its dissent, which stays attached to the decision."""

from __future__ import annotations

from frombelow.federation.dissent import RecordDissent
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, faction: str, decision: str, text: str) -> list[Event]:
    return recording.run(lambda at: RecordDissent(member, at, faction, decision, text))
