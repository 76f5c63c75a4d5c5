"""Events (and commands) as plain JSON data and back, without loss.

Dataclass fields may be ``str``, ``int``, ``bool``, ``None``, ``Fraction`` (written
"2/3"), timezone-aware ``datetime`` (ISO 8601 in UTC), tuples of these, or nested
dataclasses. ``canonical`` writes sorted keys and no spaces, so equal events give equal
bytes (the ledger hashes them).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from frombelow.federation.errors import InvalidCommand


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    return value


def from_data(kind: Any, data: Any) -> Any:
    """Rebuild a value of type ``kind`` (a type hint) from ``to_data``'s output."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        return from_data(next(o for o in options if o is not type(None)), data)
    if origin is tuple:
        items = typing.get_args(kind)
        if len(items) == 2 and items[1] is Ellipsis:  # tuple[X, ...]
            return tuple(from_data(items[0], x) for x in data)
        return tuple(from_data(item, x) for item, x in zip(items, data, strict=True))  # tuple[X, Y]
    if dataclasses.is_dataclass(kind):
        return kind(**{name: from_data(hint, data[name]) for name, hint in _fields(kind)})
    if kind is datetime:
        return datetime.fromisoformat(data)  # Python 3.11 reads the "Z" suffix
    if kind is Fraction:
        return Fraction(data)
    return data


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's field names with their resolved types (resolving is slow: once per class)."""
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))


def canonical(value: Any) -> str:
    return json.dumps(to_data(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def require_aware(at: datetime, what: str = "the time") -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidCommand(f"{what} must carry a time zone")


def in_utc(at: datetime) -> str:
    """A time as refusals show it: in UTC, as the record keeps it, whatever zone it came in."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
