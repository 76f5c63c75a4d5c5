"""Polls as pages show them: who may vote, turnout, the count's rounds and the charts drawn from them.

A poll's row holds its choices and, once counted, its count without the ballots. Whether
the member looking may vote (the electorate fixed at opening, who has voted) is read off
the federation's state: the row keeps only how many.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from frombelow import tally
from frombelow.federation.voting import QUESTION_METHOD
from frombelow.web import clock, recording
from frombelow.web.actions import settle
from frombelow.web.models import PollRow, VoteRow
from frombelow.web.queries import people

RANKED_METHODS = (
    "irv",
    "stv",
    "stv-meek",
    "stv-rctab",
    "bottoms-up",
    "sequential-irv",
    "schulze",
    "ranked-pairs",
    "borda",
)
TRANSFER_METHODS = ("irv", "stv", "stv-meek", "stv-rctab", "bottoms-up", "sequential-irv")
EXHAUSTED = "exhausted"


def ballot_kind(method: str) -> str:
    """How a ballot is marked: "question" (yes/no/abstain), "ranked", "approval", "single" or "list"."""
    if method == QUESTION_METHOD:
        return "question"
    if method in RANKED_METHODS:
        return "ranked"
    if method == "approval":
        return "approval"
    return "list" if tally.method(method).kind == "list" else "single"


@dataclass(frozen=True)
class Round:
    number: int
    tally: list[tuple[str, str, str]]  # (choice, its name, votes)
    elected: list[str]
    excluded: list[str]


@dataclass(frozen=True)
class PollView:
    row: PollRow
    kind: str  # ballot_kind
    choices: list[tuple[str, str]]  # (choice, as shown)
    open: bool
    may_vote: bool  # the member looking is in the electorate, still entitled, and has not voted
    voted: bool
    totals: list[tuple[str, str, str]] = field(default_factory=list)  # (choice, as shown, votes)
    elected: list[str] = field(default_factory=list)  # as shown
    rounds: list[Round] = field(default_factory=list)
    chart: dict | None = None  # ECharts data: {"type": "sankey"|"hemicycle", ...}
    votes: list[dict] = field(default_factory=list)  # a public roll call: each vote beside its mandate


def find(poll_id: str) -> PollRow | None:
    """The poll, counted first if its time is up (the count falls due whoever looks)."""
    row = PollRow.objects.filter(id=poll_id).first()
    if row is not None and not row.counted and row.closes_at <= clock.now():
        settle.run()
        row = PollRow.objects.filter(id=poll_id).first()
    return row


def view(row: PollRow, member: str | None, labels: dict[str, str] | None = None) -> PollView:
    """``labels``: how to show a choice (a faction's name for a slate); candidates get people's names."""
    data = row.data
    choices = list(data["choices"])
    kind = ballot_kind(row.method)
    shown = dict(labels or {})
    if kind != "question":
        shown = {**people.names(c for c in choices if c not in shown), **shown}
    shown = {c: shown.get(c, c) for c in choices}
    is_open = not row.counted and row.closes_at > clock.now()
    voted, may_vote = _standing(row, member, is_open)
    count = data.get("count") or {}
    totals = [(c, shown.get(c, c), v) for c, v in count.get("totals", [])]
    rounds = [
        Round(
            r["number"],
            [(c, shown.get(c, c), v) for c, v in r["tally"]],
            [shown.get(c, c) for c in r["elected"]],
            [shown.get(c, c) for c in r["excluded"]],
        )
        for r in count.get("rounds", [])
    ]
    elected = [shown.get(c, c) for c in count.get("elected", [])]
    chart = None
    if row.counted and row.method in TRANSFER_METHODS and count.get("rounds"):
        chart = sankey(count["rounds"], shown)
    elif row.counted and kind == "list" and count.get("elected"):
        chart = hemicycle(count["elected"], shown)
    votes = [] if row.secret else roll_call(row.id)
    return PollView(
        row, kind, [(c, shown[c]) for c in choices], is_open, may_vote, voted, totals, elected, rounds, chart, votes
    )


def _standing(row: PollRow, member: str | None, is_open: bool) -> tuple[bool, bool]:
    if member is None:
        return False, False
    poll = recording.state().polls.get(row.id)
    if poll is None:
        return False, False
    voted = member in poll.turnout
    return voted, is_open and not voted and member in poll.electorate


def roll_call(poll_id: str) -> list[dict]:
    """A public vote's record: who voted how, beside the mandate their constituent gave."""
    votes = list(VoteRow.objects.filter(poll=poll_id).order_by("member"))
    named = people.names(v.member for v in votes)
    return [
        {
            "member": v.member,
            "name": named[v.member],
            "cast": list(v.cast),
            "asked": list(v.asked),
            "weight": v.weight,
            "mandate": v.mandate,
            "position": v.position,
            "policy": v.policy,
            "deviated": v.deviated,
        }
        for v in votes
    ]


def sankey(rounds: list[dict], shown: dict[str, str]) -> dict:
    """Vote transfers between consecutive rounds, derived from their tallies.

    A candidate's node in round r carries their votes; a candidate who continues keeps
    what they had (or, elected with a surplus, what they keep). What was given up (an
    excluded candidate's votes, a surplus) goes to those who gained, in proportion to their
    gains; what no one gained is exhausted. The round table is the exact record: this is a picture of it.
    """
    nodes: dict[str, dict] = {}
    links: list[dict] = []

    def node(choice: str, number: int) -> str:
        name = f"{shown.get(choice, choice)} · {number}"
        nodes.setdefault(name, {"name": name, "depth": number - 1})
        return name

    for before, after in itertools.pairwise(rounds):
        was = {c: Decimal(v) for c, v in before["tally"]}
        after_ = {c: Decimal(v) for c, v in after["tally"]}
        given = {c: was[c] - after_.get(c, Decimal(0)) for c in was if was[c] > after_.get(c, Decimal(0))}
        gained = {c: after_[c] - was.get(c, Decimal(0)) for c in after_ if after_[c] > was.get(c, Decimal(0))}
        for choice, votes in was.items():
            if choice in after_ and min(votes, after_[choice]) > 0:
                links.append(
                    _link(node(choice, before["number"]), node(choice, after["number"]), min(votes, after_[choice]))
                )
        lost = sum(given.values(), Decimal(0))
        if lost <= 0:
            continue
        exhausted = max(lost - sum(gained.values(), Decimal(0)), Decimal(0))
        for source, amount in given.items():
            for target, gain in gained.items():
                links.append(_link(node(source, before["number"]), node(target, after["number"]), amount * gain / lost))
            if exhausted > 0:
                into = node(EXHAUSTED, after["number"])
                links.append(_link(node(source, before["number"]), into, amount * exhausted / lost))
    for choice, votes in rounds[0]["tally"] if len(rounds) == 1 else []:
        node(choice, rounds[0]["number"])
    return {"type": "sankey", "nodes": list(nodes.values()), "links": [link for link in links if link["value"] > 0]}


def _link(source: str, target: str, value: Decimal) -> dict:
    return {"source": source, "target": target, "value": float(round(value, 5))}


def hemicycle(elected: list[str], shown: dict[str, str]) -> dict:
    """Seats won by each slate, for a half-circle of seats (a list count names a slate once per seat)."""
    seats = Counter(elected)
    return {"type": "hemicycle", "seats": [{"name": shown.get(c, c), "value": n} for c, n in seats.most_common()]}
