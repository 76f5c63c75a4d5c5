"""How a refusal by the rules reads over HTTP: the same status for a page and for the API."""

from __future__ import annotations

from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound, RuleBroken


def status_of(refusal: RuleBroken) -> int:
    """404 for what doesn't exist, 403 for what the one acting may not do, 400 for a malformed command,
    409 for anything else the rules refuse as things stand (e.g. a vote already closed)."""
    if isinstance(refusal, NotFound):
        return 404
    if isinstance(refusal, NotAllowed):
        return 403
    if isinstance(refusal, InvalidCommand):
        return 400
    return 409


def code_of(refusal: RuleBroken) -> str:
    return {404: "not_found", 403: "not_allowed", 400: "invalid_command"}.get(status_of(refusal), "refused")
