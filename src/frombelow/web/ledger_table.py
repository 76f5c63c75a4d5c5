"""The ledger's store on the database: ``ledger.stores.Store`` over ``LedgerEntry`` rows.

Only inserts: the store has no way to change or remove a row (and in production the
database role cannot either; see docs/operating.md). Rows are written inside the
action's transaction, so an entry is durable exactly when the command's other rows are.
"""

from __future__ import annotations

import json

from frombelow.web.models import LedgerCheckpoint, LedgerEntry


class DatabaseStore:
    def size(self) -> int:
        last = LedgerEntry.objects.order_by("-index").values_list("index", flat=True).first()
        return 0 if last is None else last + 1

    def append(self, entry: bytes) -> None:
        data = entry.decode("utf-8")
        LedgerEntry.objects.create(index=_index(data), kind=json.loads(data)["event"]["kind"], data=data)

    def read(self, start: int, stop: int) -> list[bytes]:
        rows = LedgerEntry.objects.filter(index__gte=start, index__lt=stop).order_by("index")
        return [data.encode("utf-8") for data in rows.values_list("data", flat=True).iterator(chunk_size=5000)]

    def append_checkpoint(self, checkpoint: bytes) -> None:
        LedgerCheckpoint.objects.create(size=json.loads(checkpoint)["size"], data=checkpoint.decode("utf-8"))

    def checkpoints(self) -> list[bytes]:
        return [data.encode("utf-8") for data in LedgerCheckpoint.objects.values_list("data", flat=True)]


def _index(data: str) -> int:
    # An entry in canonical form ends with ,"index":N,"previous":"<64 hex>"}
    return int(data[data.rindex('"index":') + 8 : data.rindex(',"previous"')])
