"""A result for people reading a terminal: the round table, then a bar chart of the last round."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from frombelow.tally.result import Result, Round, Votes
from frombelow.tally.writers.numbers import number

BAR_WIDTH = 40


def render(result: Result, title: str = "") -> str:
    lines: list[str] = []
    heading = f"{result.method} count, {result.seats} seat{'s' if result.seats != 1 else ''}"
    lines.append(f"{title} — {heading}" if title else heading)
    lines.append("")
    if "seats" in result.details and "votes" in result.details:
        lines.extend(_seat_chart(result.details["votes"], result.details["seats"]))
        lines.append("")
    elif result.rounds:
        lines.extend(_round_table(result))
        lines.append("")
        lines.extend(_chart(result.rounds[-1], result.winners))
        lines.append("")
    for tie in result.ties:
        lines.append(
            f"Tie in round {tie.round} ({tie.purpose}) among {', '.join(tie.among)}: {tie.chosen} — {tie.rule}"
        )
    if result.ties:
        lines.append("")
    if "seats" in result.details:
        won = {party: n for party, n in result.details["seats"].items() if n}
        lines.append("Seats: " + (", ".join(f"{party} {n}" for party, n in won.items()) or "none"))
    else:
        lines.append("Elected: " + (", ".join(result.winners) if result.winners else "no one"))
    if result.ranking and len(result.ranking) > len(result.winners):
        lines.append("Ranking: " + " > ".join(result.ranking))
    lines.append(f"Tie-break rule: {result.tiebreak}" if result.tiebreak else "")
    return "\n".join(line for line in lines).rstrip() + "\n"


def _round_table(result: Result) -> list[str]:
    rounds = result.rounds
    names = [n for n in result.candidates if any(n in r.tally for r in rounds)]
    header = ["Candidate", *(f"R{r.number}" for r in rounds)]
    rows = [[name, *(_fmt(r.tally[name]) if name in r.tally else "" for r in rounds)] for name in names]
    rows.append(["Exhausted", *(_fmt(r.exhausted) for r in rounds)])
    if any(r.quota is not None for r in rounds):
        rows.append(["Quota", *(_fmt(r.quota) if r.quota is not None else "" for r in rounds)])
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    out = []
    for i, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[j]) for j, cell in enumerate(row[1:], 1)]
        out.append("  ".join(cells).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    for r in rounds:
        # A method's own note says more than the bare lists, so it stands in for them.
        events = [f"elected {', '.join(r.elected)}"] if r.elected else []
        events += [f"excluded {', '.join(r.eliminated)}"] if r.eliminated else []
        events = [r.note] if r.note else events
        if events:
            out.append(f"R{r.number}: " + "; ".join(events))
    return out


def _chart(last: Round, winners: tuple[str, ...]) -> list[str]:
    values = {name: Fraction(str(v)) if isinstance(v, Decimal) else Fraction(v) for name, v in last.tally.items()}
    top = max(values.values(), default=Fraction(0))
    if top <= 0:
        return []
    width = max(len(name) for name in values)
    out = [f"Round {last.number}:"]
    for name, value in sorted(values.items(), key=lambda item: -item[1]):
        bar = "█" * max(1 if value > 0 else 0, int(BAR_WIDTH * value / top))
        mark = " ✓" if name in winners else ""
        out.append(f"  {name.ljust(width)}  {bar} {_fmt(last.tally[name])}{mark}")
    if last.quota is not None and Fraction(str(last.quota)) <= top:
        position = int(BAR_WIDTH * Fraction(str(last.quota)) / top)
        out.append(f"  {' ' * width}  {' ' * position}^ quota {_fmt(last.quota)}")
    return out


def _seat_chart(votes: dict[str, Votes], seats: dict[str, int]) -> list[str]:
    """Votes and seats side by side per party, with a bar of seats (one block a seat)."""
    total_votes = sum(Fraction(v) for v in votes.values()) or 1
    total_seats = sum(seats.values()) or 1
    width = max(len(party) for party in votes)
    out = [f"{'Party'.ljust(width)}  {'votes':>12}  {'votes %':>7}  {'seats':>5}  {'seats %':>7}"]
    for party in sorted(votes, key=lambda p: (-seats.get(p, 0), -Fraction(votes[p]))):
        n = seats.get(party, 0)
        share = float(100 * Fraction(votes[party]) / total_votes)
        out.append(
            f"{party.ljust(width)}  {_fmt(votes[party]):>12}  {share:>7.2f}  {n:>5}"
            f"  {100 * n / total_seats:>7.2f}  {'█' * n}"
        )
    return out


def _fmt(value: Votes) -> str:
    shown = number(value)
    return f"{shown:,}" if isinstance(shown, int) else str(shown)
