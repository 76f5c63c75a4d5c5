"""Someone who sits in the council calls the vote on a motion (a roll call in a delegate council)."""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.federation.motions import CallVote
from frombelow.web import recording


def run(member: str, motion: str) -> list[Event]:
    return recording.run(lambda at: CallVote(member, at, motion))
