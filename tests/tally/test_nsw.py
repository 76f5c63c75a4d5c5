"""All 279 New South Wales district elections (2015, 2019, 2023) counted by IRV.

The official count stops at the first round where a candidate has more than half of
the continuing votes; the README's table gives winner, rounds and final share.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from frombelow import tally

NSW = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "preflib" / "nswla"
ROW = re.compile(r"^\| (\S+\.soi) \| (.+?) \| (\d+) \| (\d+) \| (.+?) \| (\d+) \| ([\d.]+) \|$", re.MULTILINE)


def official() -> list[tuple[str, ...]]:
    readme = NSW / "README.md"
    return ROW.findall(readme.read_text(encoding="utf-8")) if readme.exists() else []


def test_the_table_lists_every_district() -> None:
    if not NSW.is_dir():
        pytest.skip("shared conformance material not present")
    assert len(official()) == 279


@pytest.mark.parametrize("row", official(), ids=lambda row: row[1])
def test_irv_gives_the_official_winner(row: tuple[str, ...]) -> None:
    file, _contest, voters, candidates, winner, rounds, share = row
    ballots = tally.read(NSW / file)
    assert ballots.total == int(voters)
    assert len(ballots.candidates) == int(candidates)
    result = tally.count(ballots, "irv")
    assert result.winners == (winner,)
    assert len(result.rounds) == int(rounds)
    final = result.rounds[-1].tally
    measured = Decimal(100 * final[winner]) / Decimal(sum(final.values()))
    assert measured.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(share)
