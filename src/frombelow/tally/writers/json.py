"""A result as one JSON object (the command line's ``--json``)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from frombelow.tally.result import Result, Round
from frombelow.tally.writers.numbers import number


def result_dict(result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {
        "method": result.method,
        "seats": result.seats,
        "winners": list(result.winners),
        "ranking": list(result.ranking),
        "rounds": [round_dict(r) for r in result.rounds],
        "ties": [
            {"round": t.round, "purpose": t.purpose, "among": list(t.among), "chosen": t.chosen, "rule": t.rule}
            for t in result.ties
        ],
        "tiebreak": result.tiebreak,
    }
    if result.details:
        out["details"] = _detail(result.details)
    return out


def _detail(value: Any) -> Any:
    """Details as JSON data: whole results (a sequential count's passes), rounds (slices),
    mappings, sequences, sets (sorted), numpy arrays and vote numbers."""
    if isinstance(value, Result):
        return result_dict(value)
    if isinstance(value, Round):
        return round_dict(value)
    if hasattr(value, "items"):
        return {str(key): _detail(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return _detail(value.tolist())
    if isinstance(value, (frozenset, set)):
        return [_detail(item) for item in sorted(value)]
    if isinstance(value, (list, tuple)):
        return [_detail(item) for item in value]
    return number(value)


def round_dict(r: Round) -> dict[str, Any]:
    out: dict[str, Any] = {
        "round": r.number,
        "tally": {name: number(v) for name, v in r.tally.items()},
        "quota": number(r.quota) if r.quota is not None else None,
        "elected": list(r.elected),
        "eliminated": list(r.eliminated),
        "transfers": [{"from": t.source, "to": t.target, "votes": number(t.amount)} for t in r.transfers],
        "exhausted": number(r.exhausted),
    }
    if r.inactive:
        out["inactive"] = {cause: number(v) for cause, v in r.inactive.items()}
    if r.note:
        out["note"] = r.note
    return out


def dumps(result: Result) -> str:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=2)
