"""Every RCTab case whose ballots RCTab exported as CDF JSON, counted by the engine alone.

The config's rules are mapped onto ``Options`` here (the smallest mapping, so that the
engine's rules are checked independently of the config loader), the ballots read from
``*_expected_cdf_cvr.json``, and every round compared with RCTab's expected report:
tally, threshold, inactive ballots by cause, who was elected or eliminated, and every
transfer, as exact decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from frombelow.tally import Options, Result, TieBreak, read
from frombelow.tally.methods import method
from frombelow.tally.result import RESIDUAL_SURPLUS

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "rctab"
OVERVOTE = {
    "exhaustImmediately": "exhaust",
    "alwaysSkipToNextRank": "skip",
    "exhaustIfMultipleContinuing": "exhaust-if-multiple-continuing",
}
METHOD = {
    "singleWinnerMajority": "irv",
    "multiWinnerAllowOnlyOneWinnerPerRound": "stv-rctab",
    "multiWinnerAllowMultipleWinnersPerRound": "stv-rctab",
}
CAUSES = {
    "overvotes": "overvotes",
    "skipped rankings": "skippedRankings",
    "repeated rankings": "repeatedRankings",
    "exhausted": "exhaustedChoices",
    "final round surplus": "finalRoundSurplus",
}


def cdf_cases() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(
        p.parent.name
        for p in CASES.glob("test_set_*/*_expected_cdf_cvr.json")
        if json.loads(next(p.parent.glob("*_config.json")).read_text())["rules"]["winnerElectionMode"] in METHOD
    )


def plan(case: str) -> tuple[str, int, Options]:
    config = json.loads(next((CASES / case).glob("*_config.json")).read_text())
    rules = config["rules"]
    names = tuple(c["name"] for c in config["candidates"])
    seed = int(rules.get("randomSeed") or 0)
    tiebreak = {
        "useCandidateOrder": TieBreak("list", order=names),
        "random": TieBreak("java-random", seed=seed),
        "previousRoundCountsThenRandom": TieBreak("previous-rounds-then-java-random", seed=seed),
        "generatePermutation": TieBreak("java-permutation", seed=seed, order=names),
    }[rules["tiebreakMode"]]
    skipped = rules.get("maxSkippedRanksAllowed")
    options = Options(
        tiebreak=tiebreak,
        overvote=OVERVOTE[rules["overvoteRule"]],  # type: ignore[arg-type]
        max_skipped_ranks=None if skipped == "unlimited" else int(skipped),
        duplicates="exhaust" if rules.get("exhaustOnDuplicateCandidate") else "skip",
        batch_elimination=bool(rules.get("batchElimination")),
        continue_until_two=bool(rules.get("continueUntilTwoCandidatesRemain")),
        decimals=int(rules["decimalPlacesForVoteArithmetic"]),
        quota="droop-decimal" if rules.get("nonIntegerWinningThreshold") else "droop",
        rctab=True,
        first_round_threshold=bool(rules.get("doesFirstRoundDetermineThreshold")),
        minimum_votes=Fraction(rules.get("minimumVoteThreshold") or 0),
        one_winner_per_round=rules["winnerElectionMode"] == "multiWinnerAllowOnlyOneWinnerPerRound",
    )
    return METHOD[rules["winnerElectionMode"]], int(rules["numberOfWinners"]), options


def rendered(result: Result) -> list[dict[str, Any]]:
    rounds = []
    for r in result.rounds:
        inactive = dict.fromkeys(("overvotes", "skippedRankings", "repeatedRankings", "exhaustedChoices"), Decimal(0))
        for cause, amount in r.inactive.items():
            if cause in CAUSES:  # "blank" ballots are RCTab's undervotes, outside this table
                inactive[CAUSES[cause]] = Decimal(amount)
        actions = []
        for kind, who in [("elected", c) for c in r.elected] + [("eliminated", c) for c in r.eliminated]:
            moved: dict[str, Decimal] = {}
            for t in r.transfers:
                if t.source == who:
                    key = t.target or ("residual surplus" if t.cause == RESIDUAL_SURPLUS else "exhausted")
                    moved[key] = moved.get(key, Decimal(0)) + Decimal(t.amount)
            actions.append((kind, who, sorted(moved.items())))
        rounds.append(
            {
                "tally": {c: Decimal(v) for c, v in r.tally.items()},
                "threshold": Decimal(r.quota),
                "inactive": inactive,
                "actions": sorted(actions),
            }
        )
    return rounds


def expected(case: str) -> list[dict[str, Any]]:
    report = json.loads((CASES / case / f"{case}_expected_detailed_report.json").read_text())
    rounds = []
    for r in report["results"]:
        inactive = {k: Decimal(v) for k, v in r["inactiveBallots"].items()}
        if not inactive.get("finalRoundSurplus"):
            inactive.pop("finalRoundSurplus", None)
        actions = []
        for action in r["tallyResults"]:
            kind = "elected" if "elected" in action else "eliminated"
            moved = sorted((k, Decimal(v)) for k, v in action["transfers"].items())
            actions.append((kind, action[kind], moved))
        rounds.append(
            {
                "tally": {c: Decimal(v) for c, v in r["tally"].items()},
                "threshold": Decimal(r["threshold"]),
                "inactive": inactive,
                "actions": sorted(actions),
            }
        )
    return rounds


@pytest.mark.parametrize("case", cdf_cases())
def test_cdf_case_counts_as_rctab(case: str) -> None:
    ballots = read(str(CASES / case / f"{case}_expected_cdf_cvr.json"), "cdf-json")
    name, seats, options = plan(case)
    result = method(name).count(ballots, seats, options)
    want = expected(case)
    got = rendered(result)
    assert len(got) == len(want)
    for number, (g, w) in enumerate(zip(got, want, strict=True), 1):
        assert g == w, f"round {number}"
