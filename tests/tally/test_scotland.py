"""All 1,070 Scottish council wards counted by the Scottish STV rules.

Every ward: the file's seats are filled and no vote is lost or made at any stage.
Five wards have golden files (``golden/scotland/*.json``): their stage tallies, checked
here three ways — against this engine, against a deliberately plain count written
below straight from rules 45–52 (one paper group at a time, in ``Decimal``), and
against the figures the councils declared where a published stage table was found.
"""

import json
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from frombelow import tally

SCOTLAND = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "scotland"
GOLDEN = Path(__file__).resolve().parent / "golden" / "scotland"
FIVE = Decimal("0.00001")

pytestmark = pytest.mark.skipif(not SCOTLAND.is_dir(), reason="shared conformance material not present")


def test_every_ward_fills_its_seats_and_conserves_votes() -> None:
    files = sorted(SCOTLAND.glob("*.blt"))
    assert len(files) == 1070
    for path in files:
        ballots = tally.read(path)
        result = tally.count(ballots, "stv")
        assert len(result.winners) == ballots.seats, path.name
        valid = result.details["valid votes"]
        for r in result.rounds:
            counted = sum(Fraction(str(v)) for v in r.tally.values()) + Fraction(str(r.exhausted))
            assert counted == valid, (path.name, r.number)


def goldens() -> list[Path]:
    return sorted(GOLDEN.glob("*.json"))


def test_at_least_five_golden_wards() -> None:
    assert len(goldens()) >= 5


@pytest.mark.parametrize("golden", goldens(), ids=lambda p: p.stem)
def test_golden_ward_matches_the_engine(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    result = tally.count(tally.read(SCOTLAND / expected["file"]), "stv")
    assert list(result.winners) == expected["winners"]
    assert str(result.rounds[0].quota) == expected["quota"]
    assert len(result.rounds) == len(expected["stages"])
    for r, stage in zip(result.rounds, expected["stages"]):
        assert {k: str(v) for k, v in r.tally.items()} == stage["tally"]
        assert list(r.elected) == stage["elected"] and list(r.eliminated) == stage["excluded"]
        assert str(r.inactive.get("lost to rounding", 0)) == stage["lost to rounding"]


@pytest.mark.parametrize("golden", goldens(), ids=lambda p: p.stem)
def test_golden_ward_matches_a_plain_count_from_the_rules(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    stages, winners = plain_scottish_count(tally.read(SCOTLAND / expected["file"]))
    assert set(winners) == set(expected["winners"])  # the order within a stage is the tie-break's
    for mine, stage in zip(stages, expected["stages"], strict=True):
        assert mine == {k: Decimal(v) for k, v in stage["tally"].items()}


@pytest.mark.parametrize("golden", goldens(), ids=lambda p: p.stem)
def test_golden_ward_agrees_with_the_declared_result(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    declared = expected["declared"]
    if declared["winners"] is not None:
        assert expected["winners"] == declared["winners"]
    for name, published in declared["stages"].items():
        for stage, figure in zip(expected["stages"], published):
            ours = Decimal(stage["tally"][name])
            # Published to whole votes or pennies, some rounded and some cut: one unit apart at most,
            # two where the golden file records a difference with its evidence.
            unit = Decimal(1).scaleb(Decimal(figure).as_tuple().exponent)
            allowed = 2 * unit if "differences" in declared else unit
            assert abs(ours - Decimal(figure)) < allowed, (name, stage["stage"], ours, figure)


def plain_scottish_count(ballots: tally.Ballots) -> tuple[list[dict[str, Decimal]], list[str]]:
    """Rules 45–52 done the slow, obvious way: a list of (preferences, papers, value)."""
    names = ballots.candidates
    parcels: dict[str, list[tuple[list[str], int, Decimal]]] = {name: [] for name in names}
    for marks, weight in ballots.rankings():
        prefs = [names[next(iter(m))] for m in marks if len(m) == 1]
        if prefs:
            parcels[prefs[0]].append((prefs[1:], weight, Decimal(1)))
    valid = sum(w for papers in parcels.values() for _, w, _ in papers)
    quota = Decimal(valid // (ballots.seats + 1) + 1)
    votes = {name: Decimal(sum(w for _, w, _ in parcels[name])) for name in names}
    continuing, elected, done, stages = list(names), [], set(), []

    def send(papers, value_of) -> None:
        for prefs, weight, value in papers:
            rest = [p for p in prefs if p in continuing]
            if rest:
                new = value_of(value)
                parcels[rest[0]].append((prefs[prefs.index(rest[0]) + 1 :], weight, new))
                votes[rest[0]] += new * weight

    while True:
        for name in sorted(continuing, key=lambda c: -votes[c]):
            if votes[name] >= quota:
                continuing.remove(name)
                elected.append(name)
        stages.append({c: votes[c] for c in names if c in continuing or c in elected})
        if len(elected) == ballots.seats:
            return stages, elected
        if len(continuing) == ballots.seats - len(elected):
            return stages, elected + sorted(continuing, key=lambda c: -votes[c])
        pending = [c for c in elected if c not in done and votes[c] > quota]
        if pending:
            top = max(votes[c] for c in pending)
            equal = [c for c in pending if votes[c] == top]
            for earlier in reversed(stages[:-1]):  # rule 49(2): most recent stage where they differed
                most = max(earlier[c] for c in equal)
                equal = [c for c in equal if earlier[c] == most]
            source = equal[0]
            surplus, total = votes[source] - quota, votes[source]
            done.add(source)
            send(parcels[source], lambda v, s=surplus, t=total: (s * v / t).quantize(FIVE, rounding=ROUND_DOWN))
            votes[source] = quota
        else:
            lowest = min(votes[c] for c in continuing)
            tied = [c for c in continuing if votes[c] == lowest]
            assert len(tied) == 1, "no golden ward has an exclusion tie"
            continuing.remove(tied[0])
            if len(continuing) == ballots.seats - len(elected):
                stages.pop()  # the engine reports this in the same stage
                stages.append({c: votes[c] for c in names if c in continuing or c in elected or c == tied[0]})
                return stages, elected + sorted(continuing, key=lambda c: -votes[c])
            send(parcels[tied[0]], lambda v: v)
            votes[tied[0]] = Decimal(0)
