"""The marks-to-rows builder every vendor reader shares: spellings, stand-ins, overvotes, limits, errors."""

from __future__ import annotations

import pytest

from frombelow.tally.ballots import UNDECLARED_WRITE_IN
from frombelow.tally.errors import BallotFileError
from frombelow.tally.formats.cvr_marks import WRITE_IN, BallotRows
from frombelow.tally.formats.source import Source

SOURCE = Source("cvr", b"")


def test_config_fixes_the_candidates_and_write_ins_come_last() -> None:
    rows = BallotRows(SOURCE, {"a": "Ann", "Bo": "Bo"}, undeclared_write_in_label="UWI")
    rows.add([(1, rows.candidate("UWI")), (2, rows.candidate("a"))], precinct="P1")
    ballots = rows.ballots()
    assert ballots.candidates == ("Ann", "Bo", UNDECLARED_WRITE_IN)  # Bo unmarked, still a candidate
    assert ballots.marks(0) == [frozenset({2}), frozenset({0})]
    assert ballots.tags["precinct"].tolist() == ["P1"] and "batch" not in ballots.tags


def test_without_a_config_write_ins_come_after_names_marked_later() -> None:
    rows = BallotRows(SOURCE)
    rows.add([(1, WRITE_IN), (2, rows.candidate("Ann"))])
    rows.add([(1, rows.candidate("Bo"))])
    assert rows.ballots().candidates == ("Ann", "Bo", UNDECLARED_WRITE_IN)


def test_overvote_label_is_every_declared_candidate_and_shares_a_group() -> None:
    rows = BallotRows(SOURCE, {"Ann": "Ann", "Bo": "Bo"}, overvote_label="OVER")
    rows.add([(1, rows.candidate("Ann")), (1, rows.candidate("Bo"))])
    rows.add([(2, rows.candidate("OVER"))])
    ballots = rows.ballots()
    assert ballots.overvotes == (frozenset({0, 1}),)
    assert ballots.marks(0) == [frozenset({0, 1})] and ballots.marks(1) == [frozenset(), frozenset({0, 1})]


def test_errors_name_the_record_and_the_mark() -> None:
    rows = BallotRows(SOURCE, {"Ann": "Ann"}, max_rankings=2)
    with pytest.raises(BallotFileError, match="cell D3: 'Zed' is not a candidate") as caught:
        rows.candidate("Zed", "cell D3", 3)
    assert caught.value.line == 3
    with pytest.raises(BallotFileError, match="CVR\\[4\\]: a mark at rank 3, beyond the 2 rankings allowed"):
        rows.add([(3, 0)], "CVR[4]")
    with pytest.raises(BallotFileError, match="line 7: rank 0 is not between 1"):
        rows.add([(0, 0)], line=7)
