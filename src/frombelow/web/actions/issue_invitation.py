"""A member of a base council invites someone to join it: the code is shown once, only its digest is recorded."""

from __future__ import annotations

import secrets

from frombelow.federation.commands import IssueInvitation
from frombelow.web import recording


def run(member: str, council: str) -> str:
    """The invitation code, to give to the invitee (as a link)."""
    code = secrets.token_urlsafe(24)
    recording.run(lambda at: IssueInvitation(member, at, council, code))
    return code
