"""The counting methods, one module each, by their command-line names."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from frombelow.tally.errors import CountError

Kind = Literal["ranked", "list"]


@dataclass(frozen=True)
class Method:
    name: str
    module: str
    function: str
    kind: Kind  # "ranked" counts Ballots; "list" counts PartyVotes (first preferences of ballots)
    summary: str
    single_winner: bool = False  # elects one unless more seats are asked for explicitly
    # Takes more seats than candidates and elects everyone standing, as RCTab does
    seats_beyond_candidates: bool = False

    @property
    def count(self) -> Callable:
        return getattr(importlib.import_module(f"frombelow.tally.methods.{self.module}"), self.function)


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("plurality", "plurality", "count", "ranked", "most first preferences; several seats: the top N"),
        Method("approval", "approval", "count", "ranked", "every marked candidate is approved; most approvals win"),
        Method("irv", "irv", "count", "ranked", "instant-runoff: exclude the last until one has a majority", True),
        Method("stv", "stv", "count", "ranked", "STV, Weighted Inclusive Gregory Method (Scottish rules)"),
        Method("stv-meek", "stv_meek", "count", "ranked", "STV, Meek's method"),
        Method(
            "stv-rctab",
            "stv_rctab",
            "count",
            "ranked",
            "STV with fractional surplus transfer, as RCTab counts",
            seats_beyond_candidates=True,
        ),
        Method(
            "bottoms-up", "stv_rctab", "bottoms_up", "ranked", "eliminate the last until only the seats' number remain"
        ),
        Method(
            "sequential-irv", "sequential_irv", "count", "ranked", "IRV once per seat, each winner left out of the next"
        ),
        Method("schulze", "schulze", "count", "ranked", "Schulze (beatpath) Condorcet method"),
        Method("ranked-pairs", "ranked_pairs", "count", "ranked", "Tideman's ranked pairs Condorcet method"),
        Method("borda", "borda", "count", "ranked", "Borda count (n-1 points for a first preference …)"),
        Method("dhondt", "party_list", "dhondt", "list", "party list, D'Hondt highest averages"),
        Method("sainte-lague", "party_list", "sainte_lague", "list", "party list, Sainte-Laguë highest averages"),
        Method("hare", "party_list", "hare", "list", "party list, largest remainder with the Hare quota"),
        Method("droop", "party_list", "droop", "list", "party list, largest remainder with the Droop quota"),
    )
}


def method(name: str) -> Method:
    try:
        return METHODS[name]
    except KeyError:
        raise CountError(f"unknown method {name!r}; use one of {', '.join(METHODS)}") from None
