"""The ledger's store on the database: ``ledger.stores.Store`` over ``LedgerEntry`` rows.

Only inserts: the store has no way to change or remove a row (and in production the
database role cannot either; see docs/operating.md). Rows are written inside the
action's transaction, so an entry is durable exactly when the command's other rows are.

``DatabaseStore(deferred=True)`` is the recording's: it holds what is appended until
``flush``, which inserts it all in two statements (entries, then checkpoints) just before
the transaction commits, so a batch of commands costs the same two statements as one.
"""

from __future__ import annotations

import json

from django.db import connection

from frombelow.web.models import LedgerCheckpoint, LedgerEntry, LedgerHead


class DatabaseStore:
    def __init__(self, deferred: bool = False) -> None:
        self.deferred = deferred
        self._entries: list[LedgerEntry] = []
        self._checkpoints: list[LedgerCheckpoint] = []

    def size(self) -> int:
        last = LedgerEntry.objects.order_by("-index").values_list("index", flat=True).first()
        return (0 if last is None else last + 1) + len(self._entries)

    def append(self, entry: bytes) -> None:
        data = entry.decode("utf-8")
        self._entries.append(LedgerEntry(index=_index(data), kind=json.loads(data)["event"]["kind"], data=data))
        if not self.deferred:
            self.flush()

    def read(self, start: int, stop: int) -> list[bytes]:
        self._require_flushed()
        if stop - start <= 1000:  # catching up on another process's batch, before every batch: written out
            table, index = connection.ops.quote_name(LedgerEntry._meta.db_table), connection.ops.quote_name("index")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT data FROM {table} WHERE {index} >= %s AND {index} < %s ORDER BY {index}", [start, stop]
                )
                return [data.encode("utf-8") for (data,) in cursor.fetchall()]
        rows = LedgerEntry.objects.filter(index__gte=start, index__lt=stop).order_by("index")
        return [data.encode("utf-8") for data in rows.values_list("data", flat=True).iterator(chunk_size=5000)]

    def append_checkpoint(self, checkpoint: bytes) -> None:
        data = checkpoint.decode("utf-8")
        self._checkpoints.append(LedgerCheckpoint(size=json.loads(data)["size"], data=data))
        if not self.deferred:
            self.flush()

    def checkpoints(self, start: int = 0) -> list[bytes]:
        self._require_flushed()
        # Written out: every batch of commands asks for the checkpoints signed since its last.
        table, limit = connection.ops.quote_name(LedgerCheckpoint._meta.db_table), connection.ops.no_limit_value()
        everything = "" if limit is None else f" LIMIT {limit}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT data FROM {table} ORDER BY size{everything} OFFSET %s", [start])
            return [data.encode("utf-8") for (data,) in cursor.fetchall()]

    def flush(self) -> None:
        """Insert what was appended: the entries before the checkpoints that cover them."""
        if self._entries:  # written out, sent once for all rows: every batch of commands does this
            table, columns = LedgerEntry._meta.db_table, ", ".join(map(connection.ops.quote_name, _ENTRY))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES (%s, %s, %s)",
                    [(e.index, e.kind, e.data) for e in self._entries],
                )
        LedgerCheckpoint.objects.bulk_create(self._checkpoints)
        self.discard()

    def discard(self) -> None:
        """Forget what was appended and not flushed (its transaction is being rolled back)."""
        self._entries, self._checkpoints = [], []

    def _require_flushed(self) -> None:
        if self._entries or self._checkpoints:
            raise RuntimeError("read the ledger table after flushing what was appended to it")


def locked_size() -> int:
    """The ledger's size, from its head row, locked until the transaction ends (every writer takes
    it first). Written out, as ``set_size``: every batch of commands runs both."""
    lock = connection.ops.for_update_sql() if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size FROM {_head()} WHERE id = 1 {lock}")
        return cursor.fetchone()[0]


def set_size(size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_head()} SET size = %s WHERE id = 1", [size])


_ENTRY = ("index", "kind", "data")


def _head() -> str:
    return connection.ops.quote_name(LedgerHead._meta.db_table)


def _index(data: str) -> int:
    # An entry in canonical form ends with ,"index":N,"previous":"<64 hex>"}
    return int(data[data.rindex('"index":') + 8 : data.rindex(',"previous"')])
