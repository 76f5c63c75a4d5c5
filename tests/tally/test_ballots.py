"""Ballots: building from names, and compression that loses no voter."""

import numpy as np
import pytest

from frombelow.tally import Ballots, CountError


def multiset(ballots: Ballots) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    for marks, weight in ballots.rankings():
        key = tuple(tuple(sorted(m)) for m in marks)
        out[key] = out.get(key, 0) + weight
    return out


@pytest.mark.parametrize("candidates", [4, 40])  # 40 × depth 40 does not pack into an int64: the other path
def test_compress_merges_identical_rows_and_keeps_every_voter(candidates: int) -> None:
    rng = np.random.default_rng(candidates)
    depth = min(candidates, 40)
    base = rng.integers(-1, candidates, size=(50, depth)).astype(np.int32)
    rows = base[rng.integers(0, 50, size=2000)]
    weights = rng.integers(1, 4, size=2000)
    ballots = Ballots(tuple(f"C{i}" for i in range(candidates)), rows, weights)
    packed = ballots.compress()
    assert len(packed.ranks) == len(np.unique(rows, axis=0))
    assert packed.total == ballots.total
    assert multiset(packed) == multiset(ballots)


def test_compress_of_unit_weights_counts_voters() -> None:
    ballots = Ballots.from_rankings(("A", "B"), [["A"], ["B", "A"], ["A"], [{"A", "B"}], ["A"]])
    packed = ballots.compress()
    assert sorted(packed.weights.tolist()) == [1, 1, 3]
    assert multiset(packed) == {((0,),): 3, ((1,), (0,)): 1, ((0, 1),): 1}


def test_from_rankings_reads_names_sets_and_skips() -> None:
    ballots = Ballots.from_rankings(("A", "B", "C"), [["B", None, {"A", "C"}]], [2])
    assert ballots.marks(0) == [frozenset({1}), frozenset(), frozenset({0, 2})]
    assert ballots.total == 2


def test_a_candidate_named_twice_is_refused() -> None:
    with pytest.raises(CountError, match="named twice"):
        Ballots(("A", "A"), np.zeros((1, 1)), np.ones(1))


def test_tags_slice_the_ballots_and_compress_drops_them() -> None:
    ballots = Ballots.from_rankings(("A", "B"), [["A"], ["B"], ["A"]], tags={"precinct": ["p1", "p2", "p1"]})
    by_precinct = ballots.slices("precinct")
    assert {name: part.total for name, part in by_precinct.items()} == {"p1": 2, "p2": 1}
    assert by_precinct["p2"].marks(0) == [frozenset({1})]
    packed = ballots.compress()
    assert packed.total == 3 and not packed.tags
    with pytest.raises(CountError, match="no batch labels"):
        ballots.slices("batch")
    with pytest.raises(CountError, match="2 labels for 3 ballots"):
        Ballots.from_rankings(("A",), [["A"]] * 3, tags={"precinct": ["p1", "p2"]})


def test_combine_unites_candidates_overvotes_and_tags() -> None:
    from frombelow.tally.ballots import combine

    first = Ballots.from_rankings(("A", "B"), [["A", {"A", "B"}]], tags={"precinct": ["p1"]})
    second = Ballots.from_rankings(("B", "C"), [["C", "B"], [{"B", "C"}]], tags={"precinct": ["p2", "p2"]})
    both = combine([first, second])
    assert both.candidates == ("A", "B", "C")
    assert both.marks(0) == [frozenset({0}), frozenset({0, 1})]
    assert both.marks(1) == [frozenset({2}), frozenset({1})]
    assert both.marks(2) == [frozenset({1, 2})]
    assert both.tags["precinct"].tolist() == ["p1", "p2", "p2"]
