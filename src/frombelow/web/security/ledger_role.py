"""The PostgreSQL role the application connects as: it appends to the ledger and can never rewrite it.

Run as the tables' owner after each migration (``frombelow manage grant_application_role ROLE``);
the database, not the code, then refuses an UPDATE, DELETE or TRUNCATE of a ledger row.
"""

from __future__ import annotations

from psycopg import sql

from frombelow.web.models import LedgerCheckpoint, LedgerEntry

APPEND_ONLY = (LedgerEntry, LedgerCheckpoint)


def grants(role: str) -> list[sql.Composed]:
    """The statements, in order: everything the application needs, then the ledger made append-only."""
    who = sql.Identifier(role)
    ledger = sql.SQL(", ").join(sql.Identifier(model._meta.db_table) for model in APPEND_ONLY)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(ledger, who),
    ]
