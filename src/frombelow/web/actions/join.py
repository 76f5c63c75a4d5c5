"""A newcomer accepts an invitation: an account, and membership of the inviting base council.

The login and the membership are made in one transaction: either both exist or neither.
The member's id is random: their name stays in the account, out of the public record.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from frombelow.federation import decide
from frombelow.federation.commands import Join
from frombelow.federation.errors import InvalidCommand
from frombelow.web import recording
from frombelow.web.models import Account


def run(code: str, username: str, display_name: str, password: str) -> str:
    """The new member's id."""
    username, display_name = username.strip(), display_name.strip()
    if not username or len(username) > 150 or not username.replace("-", "").replace("_", "").isalnum():
        raise InvalidCommand("a username is 1 to 150 letters, digits, '-' or '_'")
    if not display_name or len(display_name) > 200:
        raise InvalidCommand("your name is 1 to 200 characters")
    users = get_user_model()
    try:
        validate_password(password, users(username=username))
    except ValidationError as error:
        raise InvalidCommand("password: " + " ".join(error.messages)) from None
    member = f"m-{secrets.token_hex(8)}"

    def join(state, at):
        events = decide(state, Join(member, at, code))
        if users.objects.filter(username=username).exists():
            raise InvalidCommand(f"the username {username!r} is taken: choose another")
        user = users.objects.create_user(username=username, password=password)
        Account.objects.create(user=user, member=member, display_name=display_name)
        return events

    recording.record(join)
    return member
