"""Invariant 3: verifiable count. Anyone recomputes every result from the published
ballots and gets the same answer; ties are broken reproducibly by a published rule.

Every ``PollCounted`` publishes the ballots (sorted: the order of casting is not kept)
and the outcome; ``voting.recount`` recounts them, and so does the standalone tabulator
(``frombelow tally``) from a BLT file written from them.
"""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from box import Box
from founding import at, founding

from frombelow import tally
from frombelow.federation.charter import Charter
from frombelow.federation.elections import Nominate, OpenElection, StartTerm
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll, recount, tiebreak_seed
from frombelow.tally.writers import blt

VOTERS = ["ann", *(f"p{i}" for i in range(11))]  # local-1's twelve members
CANDIDATES = ["ann", "p0", "p1", "p2", "p3"]
# Rankings giving an STV count with a surplus and exclusions, and no ties (quota 5 of 12).
RANKINGS = [
    *[("ann", "p1")] * 3, *[("ann", "p2")] * 2, ("ann", "p0"), *[("p0",)] * 3, *[("p1", "p0")] * 2, ("p2", "p1"),
]  # fmt: skip


def local_1_elects(rankings: list[tuple[str, ...]], order: list[int] | None = None) -> Box:
    """Local 1 (twelve members) elects its two seats in North District by STV, in the given casting order."""
    box = Box()
    box.run(founding(Charter(delegate_seats=3)))
    for i, newcomer in enumerate(VOTERS[1:]):
        box.join("ann", "local-1", newcomer, 1 + 2 * i)
    box.run(StartTerm("the count", at(30), "metal"))
    election = next(e for e in box.state.elections.values() if e.constituent == "local-1")
    assert election.seats == 2
    for candidate in CANDIDATES:
        box.run(Nominate(candidate, at(31), election.id, candidate))
    box.run(OpenElection("ann", at(30 + 24 * 8), election.id))
    poll = box.state.elections[election.id].poll
    for i in order or range(len(rankings)):
        box.run(CastBallot(VOTERS[i], at(30 + 24 * 8 + 1), poll, rankings[i]))
    box.run(ClosePoll("ann", at(30 + 24 * 15 + 2), poll))  # after the voting period
    return box


def counted(box: Box) -> list:
    return [e for e in box.history if e.kind == "poll counted"]


def test_every_published_count_recounts_the_same() -> None:
    box = local_1_elects(RANKINGS)
    box.run(ProposeMotion("ann", at(400), "m1", "local-1", "Strike fund", "Raise dues by 1%"))
    box.run(CallVote("p0", at(401), "m1"))
    for voter, choice in zip(VOTERS, ["yes", "no", "yes", "abstain", "yes", "yes", "no"], strict=False):
        box.run(CastBallot(voter, at(402), "vote on m1", (choice,)))
    box.run(ClosePoll("p0", at(401 + 24 * 7), "vote on m1"))
    results = counted(box)
    assert [r.outcome for r in results] == ["elected", "carried"]
    for result in results:
        assert recount(box.state.polls[result.poll], result) == result
    election = results[0]
    assert len(election.rounds) > 1 and election.elected == ("ann", "p1")


def test_the_standalone_tabulator_recounts_an_election_from_its_published_ballots(tmp_path: Path) -> None:
    box = local_1_elects(RANKINGS)
    result = counted(box)[0]
    poll = box.state.polls[result.poll]
    ballots = tally.Ballots.from_rankings(poll.choices, [b.marks for b in result.ballots], seats=poll.seats)
    path = tmp_path / "local-1.blt"
    path.write_text(blt.dumps(ballots), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "frombelow.cli", "tally", str(path), "--method", poll.method, "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    again = json.loads(done.stdout)
    assert tuple(again["winners"]) == result.elected
    assert [r["elected"] for r in again["rounds"]] == [list(r.elected) for r in result.rounds]
    assert [{k: str(v) for k, v in r["tally"].items()} for r in again["rounds"]] == [
        dict(r.tally) for r in result.rounds
    ]


def test_the_order_of_casting_leaves_no_trace_in_the_published_count() -> None:
    first = counted(local_1_elects(RANKINGS))[0]
    reversed_order = counted(local_1_elects(RANKINGS, order=list(reversed(range(len(RANKINGS))))))[0]
    assert first.ballots == reversed_order.ballots and first == dataclasses.replace(reversed_order, at=first.at)


@pytest.mark.parametrize("index", range(len(RANKINGS)))
def test_a_changed_ballot_is_caught_by_a_recount(index: int) -> None:
    box = local_1_elects(RANKINGS)
    result = counted(box)[0]
    ballots = list(result.ballots)
    marks = ballots[index].marks
    ballots[index] = Ballot(marks[1:] + marks[:1] if len(marks) > 1 else ("p3" if marks != ("p3",) else "p2",))
    tampered = dataclasses.replace(result, ballots=tuple(ballots))
    assert recount(box.state.polls[result.poll], tampered) != result


def test_ties_are_broken_by_the_published_rule_and_the_same_way_every_time() -> None:
    # Every candidate equal on every round: only the drawn lot decides.
    tied = [("ann",), ("p0",), ("p1",), ("p2",), ("p3",), ("ann",), ("p0",), ("p1",), ("p2",), ("p3",)]
    box = local_1_elects(tied)
    result = counted(box)[0]
    poll = box.state.polls[result.poll]
    seed = tiebreak_seed(poll.id)
    assert str(seed) in result.tiebreak
    assert recount(poll, result) == result
    assert counted(local_1_elects(tied))[0].elected == result.elected
    # The rule is frombelow.tally's, seeded as published: anyone can draw the same lots.
    ballots = tally.Ballots.from_rankings(poll.choices, [b.marks for b in result.ballots])
    options = tally.Options(tiebreak=tally.TieBreak("previous-rounds", seed=seed))
    assert tally.count(ballots, poll.method, seats=poll.seats, options=options).winners == result.elected
