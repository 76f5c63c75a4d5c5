"""Members who elected a delegate (or, by scope, a whole subtree) petition to recall them."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.recall import PetitionRecall
from frombelow.web import recording


def run(
    member: str, petition: str, council: str, delegate: str, scope: str = "council", reason: str = ""
) -> list[Event]:
    return recording.run(lambda at: PetitionRecall(member, at, petition, council, delegate, scope, reason))
