"""``frombelow manage grant_application_role ROLE``: what the application's PostgreSQL role may do, ledger append-only."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from frombelow.web.security import ledger_role


class Command(BaseCommand):
    help = (
        "Grant the PostgreSQL role the application connects as what it needs on every table, "
        "and revoke UPDATE, DELETE and TRUNCATE on the ledger's tables. Run it as the tables' owner "
        "after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role in the application's DATABASE_URL")

    def handle(self, *args: object, role: str, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "roles and grants are PostgreSQL's: on SQLite, whoever can write the file can rewrite it"
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in ledger_role.grants(role):
                cursor.execute(statement.as_string(connection.connection))
        self.stdout.write(f"{role} may append to the ledger and may not update, delete or truncate it")
