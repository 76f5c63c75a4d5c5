"""Ballots as BLT, readable by OpenSTV, eSTV and ``frombelow tally``."""

from __future__ import annotations

from frombelow.tally.ballots import Ballots


def dumps(ballots: Ballots, seats: int | None = None) -> str:
    lines = [f"{len(ballots.candidates)} {seats or ballots.seats or 1}"]
    if ballots.withdrawn:
        lines.append(" ".join(str(-(c + 1)) for c in sorted(ballots.withdrawn)))
    for marks, weight in ballots.compress().rankings():
        ranks = ["=".join(str(c + 1) for c in sorted(m)) if m else "-" for m in marks]
        lines.append(" ".join([str(weight), *ranks, "0"]))
    lines.append("0")
    lines.extend(_quoted(name) for name in ballots.candidates)
    lines.append(_quoted(ballots.title))
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'
