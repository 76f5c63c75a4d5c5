"""The logins, kept apart from the public record: ``frombelow export-accounts FILE`` and ``restore --accounts FILE``.

A bundle holds no account: who a member is (their login, their name) is not public. The
accounts file is a JSON object readable by its owner only (it holds password hashes):

    {"format": "frombelow accounts 1", "key_id": <the ledger's signing key id, or null>,
     "logins": [{"username", "password" (Django's hash), "email", "first_name", "last_name",
                 "is_active", "is_staff", "is_superuser", "date_joined", "last_login",
                 "member" (or null: a login that is no member), "display_name"}, ...]}

API tokens are not carried: they are issued again (a token's holder asks for a new one).
Sessions are not either: everyone logs in again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from frombelow.ledger import checkpoints
from frombelow.web.models import Account, LedgerCheckpoint
from frombelow.web.operations import Refused

FORMAT = "frombelow accounts 1"
TEXTS = ("username", "password", "email", "first_name", "last_name")
FLAGS = ("is_active", "is_staff", "is_superuser")
TIMES = ("date_joined", "last_login")


@dataclass(frozen=True)
class Logins:
    """An accounts file, read and checked."""

    key_id: str | None
    logins: list[dict[str, Any]]


@dataclass(frozen=True)
class Loaded:
    logins: int
    accounts: int
    unknown: tuple[str, ...]  # usernames whose member the record does not know: not restored

    def summary(self) -> str:
        said = (
            f"restored {self.logins:,} logins, {self.accounts:,} of them members' accounts; API tokens are issued again"
        )
        if self.unknown:
            said += (
                f"\nnot restored, their member unknown to the record (they joined after the bundle): "
                f"{', '.join(self.unknown)}: invite them again"
            )
        return said


def export(path: Path) -> int:
    """Write every login to ``path`` (a new file, mode 0600); returns how many."""
    accounts = {
        user: (member, name) for user, member, name in Account.objects.values_list("user_id", "member", "display_name")
    }
    logins = [_login(user, *accounts.get(user.pk, (None, ""))) for user in get_user_model().objects.order_by("pk")]
    last = LedgerCheckpoint.objects.order_by("-size").values_list("data", flat=True).first()
    document = {
        "format": FORMAT,
        "key_id": checkpoints.read(last.encode("utf-8")).key_id if last else None,
        "logins": logins,
    }
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Refused(f"{path}: exists already; export-accounts writes a new file") from None
    except OSError as error:
        raise Refused(f"{path}: cannot write: {error.strerror or error}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1)
        file.write("\n")
    return len(logins)


def read(path: Path) -> Logins:
    """The logins in ``path``, checked field by field; ``Refused`` naming what is wrong."""
    try:
        document = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise Refused(f"{path}: cannot read: {error.strerror or error}") from None
    except ValueError as error:
        raise Refused(f"{path}: not an accounts file (not JSON: {error})") from None
    if type(document) is not dict or document.get("format") != FORMAT or type(document.get("logins")) is not list:
        raise Refused(f"{path}: not an accounts file (frombelow export-accounts writes one)")
    key = document.get("key_id")
    if key is not None and type(key) is not str:
        raise Refused(f"{path}: its key_id is not text")
    usernames: set[str] = set()
    members: set[str] = set()
    for number, login in enumerate(document["logins"], start=1):
        problem = _problem(login, usernames, members)
        if problem:
            raise Refused(f"{path}: login {number}: {problem}")
        usernames.add(login["username"])
        members.add(login["member"])
    return Logins(key, document["logins"])


def load(logins: Logins, members: Collection[str]) -> Loaded:
    """Make the logins (password hashes as they were) and the accounts of ``members``, in the caller's transaction."""
    users = get_user_model()
    known, unknown = [], []
    for login in logins.logins:
        (known if login["member"] is None or login["member"] in members else unknown).append(login)
    users.objects.bulk_create(
        users(
            **{field: login[field] for field in (*TEXTS, *FLAGS)},
            **{field: login[field] and datetime.fromisoformat(login[field]) for field in TIMES},
        )
        for login in known
    )
    made = dict(users.objects.values_list("username", "pk"))
    accounts = [
        Account(user_id=made[login["username"]], member=login["member"], display_name=login["display_name"])
        for login in known
        if login["member"] is not None
    ]
    Account.objects.bulk_create(accounts)
    return Loaded(len(known), len(accounts), tuple(login["username"] for login in unknown))


def _login(user: Any, member: str | None, display_name: str) -> dict[str, Any]:
    times = {field: getattr(user, field) and getattr(user, field).isoformat() for field in TIMES}
    texts_and_flags = {field: getattr(user, field) for field in (*TEXTS, *FLAGS)}
    return {**texts_and_flags, **times, "member": member, "display_name": display_name}


def _problem(login: Any, usernames: set[str], members: set[str]) -> str | None:
    if type(login) is not dict:
        return "not an object"
    missing = {*TEXTS, *FLAGS, *TIMES, "member", "display_name"} - login.keys()
    if missing:
        return f"it has no {', '.join(sorted(missing))}"
    if not all(type(login[field]) is str for field in (*TEXTS, "display_name")):
        return f"its {', '.join(TEXTS)} and display_name are text"
    if not 0 < len(login["username"]) <= 150 or login["username"] in usernames:
        return f"username {login['username']!r} is empty, longer than 150 characters or given twice"
    if len(login["display_name"]) > 200:
        return "its display_name is longer than 200 characters"
    if not all(type(login[field]) is bool for field in FLAGS):
        return f"its {', '.join(FLAGS)} are true or false"
    if login["member"] is not None and (type(login["member"]) is not str or not 0 < len(login["member"]) <= 200):
        return "its member is a member id or null"
    if login["member"] is not None and login["member"] in members:
        return f"member {login['member']!r} has another login already"
    for field in TIMES:
        if login[field] is None:
            continue
        try:
            if type(login[field]) is not str or datetime.fromisoformat(login[field]).tzinfo is None:
                raise ValueError
        except ValueError:
            return f"its {field} is not a time with its zone (ISO 8601)"
    if login["date_joined"] is None:
        return "its date_joined is missing"
    return None
