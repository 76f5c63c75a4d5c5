"""What an id can hold: no control character (``identifiers.new_id`` makes slugs, a member is m-<hex>, the
operator names councils). So a path or filter naming an id with one names nothing, and the pages and the
API answer as for any id that does not exist without asking the database: PostgreSQL's text cannot hold
a NUL, and psycopg refuses even to look one up (DataError).

``<id:…>`` and ``<slashed_id:…>`` (election and poll ids hold slashes) are the path converters for ids:
a path holding a control character matches no route, so it is a 404. Importing this module registers them.
"""

from __future__ import annotations

import re

from django.urls import register_converter
from django.urls.converters import StringConverter

_CONTROL_CHARACTERS = r"\x00-\x1f"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")


def names_nothing(text: str) -> bool:
    """Whether no id, kind or name could be ``text``: it holds a control character."""
    return _CONTROL.search(text) is not None


class IdConverter(StringConverter):
    regex = f"[^/{_CONTROL_CHARACTERS}]+"


class SlashedIdConverter(StringConverter):
    regex = f"[^{_CONTROL_CHARACTERS}]+"


register_converter(IdConverter, "id")
register_converter(SlashedIdConverter, "slashed_id")
