"""Configs RCTab would refuse are refused, naming the config file and the field.

Each check of RCTab's ContestConfig validation (validateOutputSettings,
validateCvrFileSources, validateCandidates, validateRules) is tried on a real
regression case's config with one field changed; the unchanged cases all load.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from frombelow.tally import rctab
from frombelow.tally.errors import BallotFileError
from frombelow.tally.rctab.rules import count_options

CASES = Path(__file__).resolve().parents[4] / "shared" / "conformance" / "rctab"

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="shared conformance material not present")

Change = Callable[[dict[str, Any]], object]

ESS = "tiebreak_seed_test"  # ES&S, single seat, overvoteLabel "overvote", alwaysSkipToNextRank
ESS_PRECINCTS = "precinct_example"  # ES&S, tabulateByPrecinct with precinctColumnIndex 1
ESS_DELIMITER = "exhaust_if_multiple_continuing"  # ES&S, overvoteDelimiter "|"
CDF = "test_set_1_exhaust_at_overvote"  # CDF JSON, single seat, random tiebreak
STV = "test_set_multi_winner_whole_threshold"  # CDF, multiWinnerAllowMultipleWinnersPerRound, 3 seats
PERCENTAGE = "multi_seat_bottoms_up_with_static_threshold"  # bottomsUpUsingPercentageThreshold, 0 seats
SEQUENTIAL = "sequential_with_batch"  # multiPassIrv, 3 seats, batchElimination
CSV = "generic_csv_test"
DOMINION = "dominion_alaska"
HART = "hart_travis_county_officers"
CLEAR_BALLOT = "clear_ballot_kansas_primary"


def all_cases() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(p.name for p in CASES.iterdir() if (p / f"{p.name}_config.json").is_file())


def write_config(tmp_path: Path, case: str, change: Change) -> Path:
    """The case's config with one change, written to tmp_path with its CVR paths made absolute."""
    config = json.loads((CASES / case / f"{case}_config.json").read_text(encoding="utf-8-sig"))
    for source in config["cvrFileSources"]:
        source["filePath"] = str((CASES / case / source["filePath"]).resolve())
    change(config)
    path = tmp_path / f"{case}_config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(BallotFileError) as caught:
        count_options(rctab.load(path))
    assert caught.value.source == str(path)
    assert str(path) in str(caught.value)
    return caught.value.problem


def rules(**fields: Any) -> Change:
    return lambda c: c["rules"].update(fields)


def drop_rule(name: str) -> Change:
    return lambda c: c["rules"].pop(name)


def source(**fields: Any) -> Change:
    return lambda c: c["cvrFileSources"][0].update(fields)


def both(*changes: Change) -> Change:
    return lambda c: [change(c) for change in changes]


@pytest.mark.parametrize("case", all_cases())
def test_every_conformance_config_passes_rctabs_checks(case: str) -> None:
    contest = rctab.load(CASES / case / f"{case}_config.json")
    count_options(contest)


REFUSED: list[tuple[str, str, Change, str]] = [
    # --- whole numbers as RCTab reads them (Java's Long.parseLong)
    ("winners-fraction", ESS, rules(numberOfWinners="2.7"), "rules.numberOfWinners: must be a whole number"),
    ("winners-float", ESS, rules(numberOfWinners=1.0), "rules.numberOfWinners: must be a whole number"),
    ("winners-boolean", ESS, rules(numberOfWinners=True), "rules.numberOfWinners: must be a whole number"),
    ("winners-negative", ESS, rules(numberOfWinners="-1"), "rules.numberOfWinners: must be a whole number"),
    ("winners-missing", ESS, rules(numberOfWinners=""), "rules.numberOfWinners: missing"),
    # --- numberOfWinners against winnerElectionMode
    ("multi-winner-mode-one-seat", STV, rules(numberOfWinners="1"), "rules.winnerElectionMode: cannot be"),
    (
        "one-winner-per-round-one-seat",
        STV,
        rules(numberOfWinners="1", winnerElectionMode="multiWinnerAllowOnlyOneWinnerPerRound"),
        "rules.winnerElectionMode: cannot be",
    ),
    ("multi-pass-one-seat", SEQUENTIAL, rules(numberOfWinners="1"), "rules.winnerElectionMode: cannot be"),
    ("bottoms-up-one-seat", ESS, rules(winnerElectionMode="bottomsUp"), "rules.winnerElectionMode: cannot be"),
    ("zero-seats-not-percentage", ESS, rules(numberOfWinners="0"), "rules.numberOfWinners: can be 0 only"),
    ("percentage-with-seats", PERCENTAGE, rules(numberOfWinners="2"), "rules.numberOfWinners: must be 0"),
    (
        "percentage-missing",
        PERCENTAGE,
        rules(multiSeatBottomsUpPercentageThreshold=""),
        "rules.multiSeatBottomsUpPercentageThreshold: missing",
    ),
    (
        "percentage-out-of-range",
        PERCENTAGE,
        rules(multiSeatBottomsUpPercentageThreshold="101"),
        "rules.multiSeatBottomsUpPercentageThreshold: must be a whole number from 1 to 100",
    ),
    (
        "percentage-zero-in-any-mode",
        ESS,
        rules(multiSeatBottomsUpPercentageThreshold="0"),
        "rules.multiSeatBottomsUpPercentageThreshold: must be a whole number from 1 to 100",
    ),
    ("percentage-batch-elimination", PERCENTAGE, rules(batchElimination=True), "rules.batchElimination: cannot"),
    # --- options that only fit some counts
    ("batch-elimination-multi-seat", STV, rules(batchElimination=True), "rules.batchElimination: cannot"),
    (
        "continue-until-two-multi-seat",
        STV,
        rules(continueUntilTwoCandidatesRemain=True),
        "rules.continueUntilTwoCandidatesRemain: cannot",
    ),
    ("hare-single-seat", ESS, rules(hareQuota=True), "rules.hareQuota: cannot be true"),
    (
        "non-integer-threshold-single-seat",
        ESS,
        rules(nonIntegerWinningThreshold=True),
        "rules.nonIntegerWinningThreshold: cannot be true",
    ),
    ("hare-multi-pass", SEQUENTIAL, rules(hareQuota=True), "rules.hareQuota: cannot be true"),
    ("hare-and-non-integer", STV, rules(hareQuota=True, nonIntegerWinningThreshold=True), "rules.hareQuota"),
    # --- ranges
    ("decimals-zero", ESS, rules(decimalPlacesForVoteArithmetic="0"), "rules.decimalPlacesForVoteArithmetic"),
    ("decimals-21", ESS, rules(decimalPlacesForVoteArithmetic="21"), "rules.decimalPlacesForVoteArithmetic"),
    ("decimals-missing", ESS, drop_rule("decimalPlacesForVoteArithmetic"), "rules.decimalPlacesForVoteArithmetic"),
    ("max-rankings-zero", ESS, rules(maxRankingsAllowed="0"), "rules.maxRankingsAllowed: must be 'max'"),
    ("max-rankings-word", ESS, rules(maxRankingsAllowed="all"), "rules.maxRankingsAllowed: must be 'max'"),
    ("max-rankings-missing", ESS, rules(maxRankingsAllowed=""), "rules.maxRankingsAllowed: missing"),
    ("max-skipped-negative", ESS, rules(maxSkippedRanksAllowed="-1"), "rules.maxSkippedRanksAllowed: must be"),
    ("max-skipped-missing", ESS, drop_rule("maxSkippedRanksAllowed"), "rules.maxSkippedRanksAllowed: missing"),
    ("stop-after-round-zero", ESS, rules(stopTabulationEarlyAfterRound="0"), "rules.stopTabulationEarlyAfterRound"),
    ("minimum-votes-fraction", ESS, rules(minimumVoteThreshold="1.5"), "rules.minimumVoteThreshold: must be"),
    ("minimum-votes-too-high", ESS, rules(minimumVoteThreshold="1000001"), "rules.minimumVoteThreshold: must be"),
    ("seed-out-of-range", ESS, rules(randomSeed="140737488355328"), "rules.randomSeed: must be a whole number"),
    ("seed-fraction-any-mode", STV, rules(randomSeed="1.5"), "rules.randomSeed: must be a whole number"),
    ("seed-missing-for-random", ESS, rules(randomSeed=""), "rules.randomSeed: tiebreakMode random needs"),
    # --- CVR sources
    (
        "overvote-label-with-exhaust-if-multiple",
        ESS,
        rules(overvoteRule="exhaustIfMultipleContinuing"),
        "cvrFileSources[0].overvoteLabel: an overvoteLabel needs",
    ),
    (
        "overvote-label-and-delimiter",
        ESS,
        source(overvoteDelimiter="|"),
        "cvrFileSources[0].overvoteDelimiter: overvoteDelimiter and overvoteLabel",
    ),
    ("delimiter-letters", ESS_DELIMITER, source(overvoteDelimiter="or"), "cvrFileSources[0].overvoteDelimiter"),
    ("delimiter-backslash", ESS_DELIMITER, source(overvoteDelimiter="\\|"), "cvrFileSources[0].overvoteDelimiter"),
    (
        "exhaust-if-multiple-without-delimiter",
        ESS_DELIMITER,
        source(overvoteDelimiter=""),
        "cvrFileSources[0].overvoteDelimiter: missing",
    ),
    ("column-fraction", ESS, source(firstVoteColumnIndex="2.7"), "cvrFileSources[0].firstVoteColumnIndex: must be"),
    ("column-too-far", ESS, source(firstVoteColumnIndex="1001"), "cvrFileSources[0].firstVoteColumnIndex: must be"),
    ("column-missing", ESS, source(firstVoteColumnIndex=""), "cvrFileSources[0].firstVoteColumnIndex: missing"),
    ("row-too-far", ESS, source(firstVoteRowIndex="100001"), "cvrFileSources[0].firstVoteRowIndex: must be"),
    ("row-missing-csv", CSV, source(firstVoteRowIndex=""), "cvrFileSources[0].firstVoteRowIndex: missing"),
    ("id-column-zero", ESS, source(idColumnIndex="0"), "cvrFileSources[0].idColumnIndex: must be"),
    ("precinct-column-boolean", ESS, source(precinctColumnIndex=True), "cvrFileSources[0].precinctColumnIndex"),
    ("column-for-cdf", CDF, source(firstVoteColumnIndex="2"), "cvrFileSources[0].firstVoteColumnIndex: must not"),
    ("delimiter-for-dominion", DOMINION, source(overvoteDelimiter="|"), "cvrFileSources[0].overvoteDelimiter"),
    ("overvote-label-for-hart", HART, source(overvoteLabel="over"), "cvrFileSources[0].overvoteLabel: must not"),
    ("skipped-label-for-cdf", CDF, source(skippedRankLabel="skip"), "cvrFileSources[0].skippedRankLabel: must not"),
    (
        "blank-as-write-in-for-clear-ballot",
        CLEAR_BALLOT,
        source(treatBlankAsUndeclaredWriteIn=True),
        "cvrFileSources[0].treatBlankAsUndeclaredWriteIn: cannot be true",
    ),
    ("contest-id-missing-cdf", CDF, source(contestId=""), "cvrFileSources[0].contestId: missing"),
    ("contest-id-missing-dominion", DOMINION, source(contestId=" "), "cvrFileSources[0].contestId: missing"),
    ("contest-id-missing-hart", HART, source(contestId=""), "cvrFileSources[0].contestId: missing"),
    ("contest-id-missing-clear-ballot", CLEAR_BALLOT, source(contestId=""), "cvrFileSources[0].contestId: missing"),
    ("contest-id-for-ess", ESS, source(contestId="1"), "cvrFileSources[0].contestId: must not"),
    ("contest-id-for-csv", CSV, source(contestId="1"), "cvrFileSources[0].contestId: must not"),
    (
        "cdf-suffix",
        CDF,
        lambda c: c["cvrFileSources"][0].update(filePath=c["cvrFileSources"][0]["filePath"] + ".txt"),
        "cvrFileSources[0].filePath: a CDF file must end",
    ),
    (
        "duplicate-file",
        ESS,
        lambda c: c["cvrFileSources"].append(dict(c["cvrFileSources"][0])),
        "cvrFileSources[1].filePath: ",
    ),
    ("missing-file", ESS, source(filePath="/nonexistent/cvr.xlsx"), "cvrFileSources[0].filePath: no such file"),
    ("reserved-label", ESS, source(skippedRankLabel="Exhausted"), "cvrFileSources[0].skippedRankLabel: 'Exhausted'"),
    (
        "label-twice",
        ESS,
        source(skippedRankLabel="OVERVOTE"),
        "cvrFileSources[0].overvoteLabel: 'overvote' is also the skippedRankLabel",
    ),
    (
        "precinct-tabulation-cdf",
        CDF,
        lambda c: c["outputSettings"].update(tabulateByPrecinct=True),
        "outputSettings.tabulateByPrecinct: RCTab cannot",
    ),
    (
        "precinct-tabulation-without-column",
        ESS_PRECINCTS,
        source(precinctColumnIndex=""),
        "cvrFileSources[0].precinctColumnIndex: missing",
    ),
    # --- candidates and output settings
    (
        "all-excluded",
        ESS,
        lambda c: [candidate.update(excluded=True) for candidate in c["candidates"]],
        "candidates: every candidate is excluded",
    ),
    ("reserved-name", ESS, lambda c: c["candidates"][0].update(name="Uncounted"), "candidates[0]: 'Uncounted'"),
    (
        "name-is-a-label",
        ESS,
        lambda c: c["candidates"][1].update(aliases=["Undervote"]),
        "candidates[1]: 'Undervote' is also a source's skippedRankLabel",
    ),
    (
        "contest-name-missing",
        ESS,
        lambda c: c["outputSettings"].update(contestName=" "),
        "outputSettings.contestName: missing",
    ),
    ("version-missing", ESS, lambda c: c.pop("tabulatorVersion"), "tabulatorVersion: missing"),
]


@pytest.mark.parametrize(("case", "change", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_config_rctab_refuses_is_refused_naming_the_field(
    tmp_path: Path, case: str, change: Change, message: str
) -> None:
    assert message in refusal(write_config(tmp_path, case, change))


@pytest.mark.parametrize(
    ("case", "change"),
    [
        (CSV, source(idColumnIndex="1", precinctColumnIndex="2")),  # generic_csv_test has them (RCTab 1.3 refused)
        (STV, rules(numberOfWinners="5", maxRankingsAllowed="MAX")),  # more seats than candidates; any case of "max"
        (ESS, rules(maxSkippedRanksAllowed="Unlimited", randomSeed="-140737488355328")),
        (SEQUENTIAL, rules(continueUntilTwoCandidatesRemain=True)),  # multiPassIrv may
        (ESS, rules(numberOfWinners=1, decimalPlacesForVoteArithmetic=20, stopTabulationEarlyAfterRound="+3")),
    ],
)
def test_what_rctab_accepts_is_accepted(tmp_path: Path, case: str, change: Change) -> None:
    count_options(rctab.load(write_config(tmp_path, case, change)))
