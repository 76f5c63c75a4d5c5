"""Every projection table's rows, comparable between a live database and a rebuilt one."""

from __future__ import annotations

import json

from frombelow.web.models import PROJECTION_MODELS


def snapshot() -> dict[str, list[str]]:
    tables = {}
    for model in PROJECTION_MODELS:
        columns = [f.attname for f in model._meta.concrete_fields if not f.auto_created]
        rows = model.objects.values_list(*columns)
        tables[model.__name__] = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
    return tables
