"""Ids for what members create (motions, petitions, factions, mandates): readable and unguessable."""

from __future__ import annotations

import re
import secrets


def new_id(prefix: str, title: str = "") -> str:
    """``prefix`` and a slug of ``title`` (if any), with a random suffix: e.g. ``motion-strike-fund-3fa9c1``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    return "-".join(part for part in (prefix, slug, secrets.token_hex(3)) if part)
