"""The role the application connects as cannot rewrite the ledger: PostgreSQL itself refuses it.

On a scratch database of its own, migrated by the owner as an operator would, the test runs
``frombelow manage grant_application_role`` for a fresh role, connects as that role and finds that it
appends ledger entries and checkpoints but cannot UPDATE, DELETE or TRUNCATE them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from frombelow.web.models import LedgerCheckpoint, LedgerEntry, LedgerHead

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="roles and grants are PostgreSQL's; on SQLite whoever can write the file can rewrite it",
)
CLI = "from frombelow.cli import main; raise SystemExit(main())"


def _url(database: str, user: str | None = None) -> str:
    given = connection.settings_dict
    who = user or given["USER"]
    password = f":{given['PASSWORD']}" if given["PASSWORD"] and user is None else ""
    return f"postgresql://{who}{password}@{given['HOST'] or '127.0.0.1'}:{given['PORT'] or 5432}/{database}"


@pytest.fixture
def scratch() -> Iterator[str]:
    """A database and a login role of the same fresh name, dropped afterwards."""
    name = f"security_ledger_{secrets.token_hex(4)}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _as_owner(database: str, *argv: str) -> None:
    env = {**os.environ, "DATABASE_URL": _url(database), "DJANGO_SETTINGS_MODULE": "frombelow.web.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CLI, "manage", *argv], check=False, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _table(model: type) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


@ON_POSTGRESQL
def test_the_application_role_appends_to_the_ledger_and_cannot_rewrite_it(scratch: str):
    _as_owner(scratch, "migrate", "--no-input")
    _as_owner(scratch, "grant_application_role", scratch)
    with psycopg.connect(_url(scratch, user=scratch), autocommit=True) as app:
        entries, checkpoints = _table(LedgerEntry), _table(LedgerCheckpoint)
        app.execute(sql.SQL("INSERT INTO {} (index, kind, data) VALUES (0, 'founded', '{{}}')").format(entries))
        app.execute(sql.SQL("INSERT INTO {} (size, data) VALUES (1, '{{}}')").format(checkpoints))
        app.execute(sql.SQL("UPDATE {} SET size = 1").format(_table(LedgerHead)))  # the rest it may change
        for table in (entries, checkpoints):
            for rewrite in ("UPDATE {} SET data = 'forged'", "DELETE FROM {}", "TRUNCATE {}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                    app.execute(sql.SQL(rewrite).format(table))
        assert app.execute(sql.SQL("SELECT data FROM {}").format(entries)).fetchall() == [("{}",)]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="what the command says on SQLite")
def test_the_grant_command_says_sqlite_has_no_roles():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_application_role", "frombelow")
