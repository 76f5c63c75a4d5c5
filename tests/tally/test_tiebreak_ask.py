"""RCTab's interactive tie-break modes: the count stops and says what to decide, and how."""

from __future__ import annotations

import pytest

from frombelow.tally import Ballots, CountError, Options, TieBreak, count
from frombelow.tally.tiebreak import MODES


def test_the_asking_modes_are_rules() -> None:
    assert {"ask", "previous-rounds-then-ask"} <= set(MODES)
    assert "administrator" in TieBreak(mode="ask").describe()


def test_ask_stops_at_the_tie_naming_round_purpose_and_tied() -> None:
    with pytest.raises(CountError) as error:
        TieBreak(mode="ask").choose(["Cy", "Ann", "Bob"], lowest=True, round=3, purpose="exclude")
    message = str(error.value)
    assert message.startswith("Round 3: Ann, Bob and Cy are tied")
    assert "who is excluded" in message
    assert "draw lots" in message
    assert '--tiebreak list "Ann,Bob,Cy"' in message
    assert "listed last is excluded" in message


def test_ask_for_election_says_the_first_listed_wins() -> None:
    with pytest.raises(CountError, match="who is elected.*listed first is chosen"):
        TieBreak(mode="ask").choose(["A", "B"], lowest=False, round=1, purpose="elect")


def test_previous_rounds_then_ask_decides_by_earlier_rounds_when_it_can() -> None:
    rule = TieBreak(mode="previous-rounds-then-ask")
    chosen, tie = rule.choose(
        ["A", "B"], lowest=True, round=3, purpose="exclude", history=[{"A": 4, "B": 4}, {"A": 5, "B": 6}]
    )
    assert chosen == "A"
    assert tie.rule == "previous rounds: fewest votes in round 2"


def test_previous_rounds_then_ask_asks_only_about_those_still_tied() -> None:
    rule = TieBreak(mode="previous-rounds-then-ask")
    history = [{"A": 4, "B": 4, "C": 9}, {"A": 5, "B": 5, "C": 5}]
    with pytest.raises(CountError) as error:
        rule.choose(["A", "B", "C"], lowest=True, round=3, purpose="exclude", history=history)
    message = str(error.value)
    assert message.startswith("Round 3: A and B are tied")
    assert "equal votes in every earlier round" in message
    assert '--tiebreak previous-rounds-then-list "A,B"' in message


def test_a_count_under_ask_stops_only_when_a_tie_must_be_broken() -> None:
    tied = Ballots.from_rankings(("A", "B", "C"), [["A"]] * 4 + [["B", "A"]] * 2 + [["C", "A"]] * 2)
    with pytest.raises(CountError, match="Round 1: B and C are tied"):
        count(tied, "irv", 1, Options(tiebreak=TieBreak(mode="ask"), rctab=True))
    clear = Ballots.from_rankings(("A", "B", "C"), [["A"]] * 4 + [["B", "A"]] * 3 + [["C", "A"]] * 2)
    assert count(clear, "irv", 1, Options(tiebreak=TieBreak(mode="ask"), rctab=True)).winners == ("A",)
