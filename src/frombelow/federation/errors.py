"""Refusals a member can understand: each says what rule the command breaks."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any


class RuleBroken(Exception):
    """A command the federation's rules refuse. Nothing changes."""


class NotAllowed(RuleBroken):
    """The one acting has no right to do this (e.g. acting on another council's affairs)."""


class NotFound(RuleBroken):
    """The command names a federation, council, member or invitation that does not exist."""


class InvalidCommand(RuleBroken):
    """The command itself is malformed (an empty name, a time without a time zone, …)."""


def look_up(mapping: Mapping[Any, Any], key: Hashable, what: str) -> Any:
    """``mapping[key]``, or ``NotFound`` saying "there is no {what} {key!r}"."""
    try:
        return mapping[key]
    except KeyError:
        raise NotFound(f"there is no {what} {key!r}") from None
