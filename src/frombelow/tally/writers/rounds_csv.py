"""A result as CSV: for ranked methods a row per candidate, a column per round, then the
outcome; for party lists a row per party with its votes and seats."""

from __future__ import annotations

import csv
import io

from frombelow.tally.result import Result
from frombelow.tally.writers.numbers import number


def dumps(result: Result) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    if "seats" in result.details and "votes" in result.details:
        out.writerow(["party", "votes", "seats"])
        for party, votes in result.details["votes"].items():
            out.writerow([party, number(votes), result.details["seats"].get(party, 0)])
        return buffer.getvalue()
    rounds = result.rounds
    out.writerow(["candidate", *(f"round {r.number}" for r in rounds), "outcome"])
    fate: dict[str, str] = {}
    for r in rounds:
        for name in r.elected:
            fate[name] = f"elected in round {r.number}"
        for name in r.eliminated:
            fate[name] = f"excluded in round {r.number}"
    for name in result.candidates:
        cells = [number(r.tally[name]) if name in r.tally else "" for r in rounds]
        out.writerow([name, *cells, fate.get(name, "elected" if name in result.winners else "")])
    if any(r.exhausted for r in rounds):
        out.writerow(["exhausted", *(number(r.exhausted) for r in rounds), ""])
    if any(r.quota is not None for r in rounds):
        out.writerow(["quota", *(number(r.quota) if r.quota is not None else "" for r in rounds), ""])
    return buffer.getvalue()
