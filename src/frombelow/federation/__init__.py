"""The rules of council democracy from below: commands in, events out, state from events.

    >>> from frombelow.federation import State, decide, apply, replay, execute
    >>> state, events = execute(State(), FoundFederation(...))

Pure Python: no Django, no I/O, no clock (time comes with each command).
"""

from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound, RuleBroken
from frombelow.federation.rules import apply, decide, execute, replay
from frombelow.federation.state import State

__all__ = ["InvalidCommand", "NotAllowed", "NotFound", "RuleBroken", "State", "apply", "decide", "execute", "replay"]
