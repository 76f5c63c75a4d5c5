"""The text the API takes, in every body field: no control character but tab, newline and carriage return.

PostgreSQL's text cannot hold a NUL (psycopg refuses it: DataError) where SQLite stores one, so the two
databases answered differently; the other control characters are no use in a name, title, reason or id.
A pattern, so the OpenAPI document says it and a request breaking it is the 400 invalid_input the
document predicts. Its syntax reads alike in Rust's regex (pydantic), ECMA-262 (OpenAPI, JSON Schema)
and Python's re (schemathesis, hypothesis); ``$`` passing a trailing newline in Python's re is harmless,
newline being allowed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 but tab (\x09), newline (\x0a), carriage return (\x0d)
PATTERN = rf"^[^{CONTROL_CHARACTERS}]*$"

Text = Annotated[str, StringConstraints(pattern=PATTERN)]
