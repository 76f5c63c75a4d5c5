"""Its proposer takes a motion off the agenda before the vote."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.motions import WithdrawMotion
from frombelow.web import recording


def run(member: str, motion: str) -> list[Event]:
    return recording.run(lambda at: WithdrawMotion(member, at, motion))
