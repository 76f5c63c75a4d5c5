"""RCTab's regression cases counted by the engine alone, round by round.

The config's rules are mapped onto ``Options`` here (the smallest mapping, so that the
engine's rules are checked independently of the config loader); the ballots come from
RCTab's CDF JSON exports (``*_expected_cdf_cvr.json``) or, for the small ES&S cases that
exercise one rule each, from the workbook through the ES&S reader. Every round is
compared with RCTab's expected report: tally, threshold, inactive ballots by cause, who
was elected or eliminated, and every transfer, as exact decimals.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from frombelow.tally import Ballots, Options, Result, TieBreak, read
from frombelow.tally.ballots import combine
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
    "bottomsUp": "bottoms-up",
    "bottomsUpUsingPercentageThreshold": "bottoms-up",
    "multiPassIrv": "sequential-irv",
}
# Small ES&S cases, one rule (or tie-break mode) each.
ESS_CASES = (
    "continue_tabulation_test",
    "continue_until_two_threshold_freeze",
    "continue_until_two_with_batch_elimination_test",
    "duplicate_test",
    "excluded_test",
    "exhaust_if_multiple_continuing",
    "first_round_determines_threshold_test",
    "first_round_determines_threshold_tiebreaker_test",
    "minneapolis_multi_seat_threshold",
    "more_winners_than_candidates",
    "multi_seat_bottoms_up_with_cutoff_eliminate",
    "multi_seat_bottoms_up_with_dynamic_threshold",
    "multi_seat_bottoms_up_with_static_threshold",
    "multi_seat_uwi_test",
    "sequential_with_batch",
    "sequential_with_continue_until_two",
    "skip_to_next_test",
    "stop_tabulation_early_test",
    "test_set_allow_only_one_winner_per_round",
    "test_set_overvote_delimiter",
    "test_set_treat_blank_as_undeclared_write_in",
    "tiebreak_generate_permutation_test",
    "tiebreak_previous_round_counts_then_random_test",
    "tiebreak_seed_test",
    "tiebreak_use_permutation_in_config_test",
    "uwi_cannot_win_test",
)
SOURCE_FIELDS = {
    "firstVoteColumnIndex": "first_vote_column",
    "firstVoteRowIndex": "first_vote_row",
    "idColumnIndex": "id_column",
    "precinctColumnIndex": "precinct_column",
    "overvoteLabel": "overvote_label",
    "skippedRankLabel": "skipped_rank_label",
    "undeclaredWriteInLabel": "undeclared_write_in_label",
    "overvoteDelimiter": "overvote_delimiter",
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


def config(case: str) -> dict[str, Any]:
    return json.loads(next((CASES / case).glob("*_config.json")).read_text())


def ess_ballots(case: str) -> Ballots:
    """The case's workbook(s) read as the config describes, excluded candidates withdrawn."""
    raw = config(case)
    spellings = {}
    for candidate in raw["candidates"]:
        for spelling in (candidate["name"], candidate.get("code"), *candidate.get("aliases", [])):
            if spelling:
                spellings[spelling] = candidate["name"]
    parts = []
    for source in raw["cvrFileSources"]:
        options: dict[str, Any] = {"candidates": spellings}
        for key, name in SOURCE_FIELDS.items():
            if source.get(key) not in ("", None):
                options[name] = int(source[key]) if name.endswith(("column", "row")) else source[key]
        options["treat_blank_as_undeclared_write_in"] = bool(source.get("treatBlankAsUndeclaredWriteIn"))
        parts.append(read(str(CASES / case / source["filePath"]), "ess", **options))
    ballots = combine(parts)
    order = [c["name"] for c in raw["candidates"]]
    order += [c for c in ballots.candidates if c not in order]
    if ballots.candidates != tuple(order):
        tags = ballots.tags  # the same rows in the same order: only the candidates' numbering changes
        ballots = combine([Ballots(tuple(order), ballots.ranks[:0], ballots.weights[:0]), ballots])
        ballots = ballots.replace(tags=tags)
    excluded = {c["name"] for c in raw["candidates"] if c.get("excluded")}
    return ballots.replace(withdrawn=frozenset(i for i, c in enumerate(ballots.candidates) if c in excluded))


def plan(case: str) -> tuple[str, int, Options]:
    config_ = config(case)
    rules = config_["rules"]
    names = tuple(c["name"] for c in config_["candidates"])
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
        stop_after_round=int(rules["stopTabulationEarlyAfterRound"])
        if rules.get("stopTabulationEarlyAfterRound")
        else None,
        one_winner_per_round=rules["winnerElectionMode"] == "multiWinnerAllowOnlyOneWinnerPerRound",
        bottoms_up_share=Fraction(rules["multiSeatBottomsUpPercentageThreshold"])
        if rules["winnerElectionMode"] == "bottomsUpUsingPercentageThreshold"
        else None,
        cutoff_elimination=bool(rules.get("cutoffElimination")),
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


def expected_reports(case: str) -> list[dict[str, Any]]:
    single = CASES / case / f"{case}_expected_detailed_report.json"
    if single.exists():
        return [json.loads(single.read_text())]
    passes = sorted((CASES / case).glob(f"{case}_*_expected_detailed_report.json"))
    return [json.loads(p.read_text()) for p in passes]


def expected(report: dict[str, Any]) -> list[dict[str, Any]]:
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


def check(case: str, ballots: Ballots) -> Result:
    name, seats, options = plan(case)
    result = method(name).count(ballots, seats, options)
    results = list(result.details.get("passes", [result]))
    reports = expected_reports(case)
    assert len(results) == len(reports)
    for result_, report in zip(results, reports, strict=True):
        want = expected(report)
        got = rendered(result_)
        assert len(got) == len(want)
        for number, (g, w) in enumerate(zip(got, want, strict=True), 1):
            assert g == w, f"round {number}"
    return result


@pytest.mark.parametrize("case", cdf_cases())
def test_cdf_case_counts_as_rctab(case: str) -> None:
    check(case, read(str(CASES / case / f"{case}_expected_cdf_cvr.json"), "cdf-json"))


@pytest.mark.parametrize("case", ESS_CASES)
def test_ess_case_counts_as_rctab(case: str) -> None:
    if not (CASES / case).is_dir():
        pytest.skip(f"RCTab case {case} not available")
    pytest.importorskip("openpyxl")
    check(case, ess_ballots(case))


@pytest.mark.parametrize(("case", "tag"), [("minneapolis_multi_seat_threshold", "precinct")])
def test_slices_count_as_rctab_tabulates_by_precinct(case: str, tag: str) -> None:
    """Each slice report: the whole count's decisions, the slice's own votes and transfers."""
    if not (CASES / case).is_dir():
        pytest.skip(f"RCTab case {case} not available")
    pytest.importorskip("openpyxl")
    name, seats, options = plan(case)
    result = method(name).count(ess_ballots(case), seats, replace(options, slices=(tag,)))
    folder = CASES / case / f"Tabulate by {tag.capitalize()}"
    reports = sorted(folder.glob(f"{case}_expected_*_{tag}_detailed_report.json"))
    assert reports
    for path in reports:
        label = path.name[len(f"{case}_expected_") : -len(f"_{tag}_detailed_report.json")]
        got = rendered(Result("slice", seats, (), (), result.details["slices"][tag][label]))
        assert got == expected(json.loads(path.read_text())), label
