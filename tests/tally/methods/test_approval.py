"""Approval: every mark approves, once; overvotes approve all their members."""

from frombelow.tally import Ballots, Options, TieBreak, count


def test_every_marked_candidate_is_approved_once() -> None:
    rows = [(4, ["A", "B"]), (3, [{"B", "C"}]), (2, ["C", None, "C"]), (1, [])]
    ballots = Ballots.from_rankings(("A", "B", "C", "D"), [r for _, r in rows], [w for w, _ in rows])
    result = count(ballots, "approval")
    (round_,) = result.rounds
    assert dict(round_.tally) == {"A": 4, "B": 7, "C": 5, "D": 0}
    assert dict(round_.inactive) == {"blank": 1}
    assert result.winners == ("B",)
    assert result.ranking == ("B", "C", "A", "D")


def test_several_seats_and_a_tie_for_the_last() -> None:
    ballots = Ballots.from_rankings(tuple("ABC"), [["A", "B"], ["A", "C"]])
    options = Options(tiebreak=TieBreak(mode="list", order=("C", "B", "A")))
    result = count(ballots, "approval", seats=2, options=options)
    assert result.winners == ("A", "C")
    assert [t.chosen for t in result.ties] == ["C"]


def test_withdrawn_candidates_are_not_counted() -> None:
    ballots = Ballots.from_rankings(tuple("ABC"), [["A", "B"], ["C"]], withdrawn={0})
    result = count(ballots, "approval")
    assert dict(result.rounds[0].tally) == {"B": 1, "C": 1}
    assert "A" not in result.ranking
