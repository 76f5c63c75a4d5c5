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
from collections.abc import Callable
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
    return _reader(kind)(data)


@functools.cache
def _reader(kind: Any) -> Callable[[Any], Any]:
    """The function reading data of type ``kind``, worked out once per type hint (the ledger's
    verifier and replays from JSON read millions of values of a few dozen types)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        read = _reader(next(o for o in options if o is not type(None)))
        if type(None) in options:
            return lambda data: None if data is None else read(data)
        return read
    if origin is tuple:
        items = typing.get_args(kind)
        if len(items) == 2 and items[1] is Ellipsis:  # tuple[X, ...]
            item = _reader(items[0])
            return tuple if item is _as_is else lambda data: tuple([item(x) for x in data])
        readers = tuple(_reader(item) for item in items)  # tuple[X, Y]
        return lambda data: tuple(read(x) for read, x in zip(readers, data, strict=True))
    if dataclasses.is_dataclass(kind):
        fields = tuple((name, _reader(hint)) for name, hint in _fields(kind))
        return lambda data: kind(**{name: read(data[name]) for name, read in fields})
    if kind is datetime:
        return datetime.fromisoformat  # Python 3.11 reads the "Z" suffix
    if kind is Fraction:
        return Fraction
    return _as_is


def _as_is(data: Any) -> Any:
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
