"""Count the polls whose time is up and bring decisions past their veto window into effect.

Every action settles first; this runs it alone, for pages showing a result that fell due
and for ``frombelow tick`` (run it from cron every minute or so).
"""

from __future__ import annotations

from frombelow.federation.events import Event
from frombelow.web import recording


def run() -> list[Event]:
    return recording.record(lambda _state, _at: [])
