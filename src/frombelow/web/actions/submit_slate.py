"""A faction's members put up its list of candidates in a list election."""

from __future__ import annotations

from frombelow.federation.elections import SubmitSlate
from frombelow.federation.events import Event
from frombelow.web import recording


def run(member: str, election: str, faction: str, candidates: tuple[str, ...]) -> list[Event]:
    return recording.run(lambda at: SubmitSlate(member, at, election, faction, candidates))
