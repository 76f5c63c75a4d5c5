"""A nominee withdraws before the vote opens."""

from __future__ import annotations

from frombelow.federation.elections import WithdrawNomination
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, election: str) -> list[Event]:
    return recording.run(lambda at: WithdrawNomination(member, at, election))
