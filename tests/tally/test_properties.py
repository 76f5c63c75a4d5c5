"""Properties every count must have, checked on random small profiles (hypothesis).

Anonymity, neutrality, majority and Condorcet consistency, STV with one seat being IRV,
compression changing nothing, and D'Hondt being Jefferson's apportionment.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from frombelow import tally
from frombelow.apportion.divisor import jefferson
from frombelow.tally import Ballots, Options, PartyVotes, Result

FAST = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
NAMES = ("Ada", "Bo", "Cy", "Dee", "Eve")
RANKED = ("irv", "stv", "stv-meek", "schulze", "ranked-pairs", "borda", "plurality", "approval")


@st.composite
def profiles(draw: st.DrawFn, min_candidates: int = 2, max_candidates: int = 5) -> tuple[int, list[list[int]]]:
    """(number of candidates, rankings as candidate indices, truncated at random lengths)."""
    n = draw(st.integers(min_candidates, max_candidates))
    ranking = st.permutations(range(n)).flatmap(lambda order: st.integers(1, n).map(lambda k: list(order[:k])))
    return n, draw(st.lists(ranking, min_size=1, max_size=25))


def ballots_of(n: int, rankings: list[list[int]], names: tuple[str, ...] = NAMES) -> Ballots:
    return Ballots.from_rankings(names[:n], [[names[c] for c in r] for r in rankings])


def seats_for(method: str, n: int) -> int:
    return 2 if method in ("stv", "stv-meek", "borda", "plurality", "approval") and n >= 3 else 1


def outcome(result: Result) -> tuple:
    return result.winners, [dict(r.tally) for r in result.rounds], result.ties


# --- anonymity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", RANKED)
@FAST
@given(profile=profiles(), data=st.data())
def test_permuting_the_ballots_changes_nothing(method: str, profile: tuple[int, list[list[int]]], data) -> None:
    n, rankings = profile
    order = data.draw(st.permutations(range(len(rankings))))
    seats = seats_for(method, n)
    before = tally.count(ballots_of(n, rankings), method, seats)
    after = tally.count(ballots_of(n, [rankings[i] for i in order]), method, seats)
    assert outcome(after) == outcome(before)


# --- neutrality ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", RANKED)
@FAST
@given(profile=profiles(), data=st.data())
def test_renaming_the_candidates_renames_the_winners(method: str, profile: tuple[int, list[list[int]]], data) -> None:
    n, rankings = profile
    seats = seats_for(method, n)
    before = tally.count(ballots_of(n, rankings), method, seats)
    assume(before.ties == ())
    # Candidate c becomes renamed[c], and the candidates are listed in another order too.
    renamed = data.draw(st.permutations(("Zed", "Yan", "Xi", "Wu", "Val")))[:n]
    listed = data.draw(st.permutations(renamed))
    ballots = Ballots.from_rankings(listed, [[renamed[c] for c in r] for r in rankings])
    after = tally.count(ballots, method, seats)
    assume(after.ties == ())
    back = {renamed[i]: NAMES[i] for i in range(n)}
    # As sets: winners level on votes are listed in candidate order, which renaming changes.
    assert {back[w] for w in after.winners} == set(before.winners)


# --- majority and Condorcet ----------------------------------------------------------------------


@FAST
@given(profile=profiles(), data=st.data())
def test_a_majority_of_first_preferences_wins_irv(profile: tuple[int, list[list[int]]], data) -> None:
    n, rankings = profile
    favourite = data.draw(st.integers(0, n - 1))
    # More ballots put the favourite first than all the others together.
    tails = data.draw(
        st.lists(
            st.permutations([c for c in range(n) if c != favourite]),
            min_size=len(rankings) + 1,
            max_size=len(rankings) + 3,
        )
    )
    rankings = rankings + [[favourite, *tail[: data.draw(st.integers(0, n - 1))]] for tail in tails]
    result = tally.count(ballots_of(n, rankings), "irv", 1)
    assert result.winners == (NAMES[favourite],)
    assert len(result.rounds) == 1


def condorcet_winner(n: int, rankings: list[list[int]]) -> int | None:
    """The candidate beating every other head to head (ranked beats unranked), if any."""
    unranked = n
    place = np.full((len(rankings), n), unranked)
    for row, ranking in enumerate(rankings):
        for position, c in enumerate(ranking):
            place[row, c] = position
    beats = [[int((place[:, a] < place[:, b]).sum()) for b in range(n)] for a in range(n)]
    for a in range(n):
        if all(beats[a][b] > beats[b][a] for b in range(n) if b != a):
            return a
    return None


@pytest.mark.parametrize("method", ("schulze", "ranked-pairs"))
@FAST
@given(profile=profiles(min_candidates=3))
def test_a_condorcet_winner_wins(method: str, profile: tuple[int, list[list[int]]]) -> None:
    n, rankings = profile
    winner = condorcet_winner(n, rankings)
    assume(winner is not None)
    assert tally.count(ballots_of(n, rankings), method, 1).winners == (NAMES[winner],)


# --- STV with one seat is IRV --------------------------------------------------------------------


@pytest.mark.parametrize("method", ("stv", "stv-meek"))
@FAST
@given(profile=profiles())
def test_one_seat_stv_elects_the_irv_winner(method: str, profile: tuple[int, list[list[int]]]) -> None:
    n, rankings = profile
    ballots = ballots_of(n, rankings)
    irv = tally.count(ballots, "irv", 1)
    stv = tally.count(ballots, method, 1)
    assume(irv.ties == () and stv.ties == ())
    assert stv.winners == irv.winners


# --- compression ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", RANKED)
@FAST
@given(profile=profiles(), data=st.data())
def test_compressed_ballots_count_the_same(method: str, profile: tuple[int, list[list[int]]], data) -> None:
    n, rankings = profile
    # Repeat some ballots so that compress has identical rows to merge.
    rankings = rankings + data.draw(st.lists(st.sampled_from(rankings), max_size=10))
    ballots = ballots_of(n, rankings)
    compressed = ballots.compress()
    assert compressed.total == ballots.total and len(compressed.ranks) <= len(ballots.ranks)
    seats = seats_for(method, n)
    assert outcome(tally.count(compressed, method, seats)) == outcome(tally.count(ballots, method, seats))


# --- D'Hondt is Jefferson --------------------------------------------------------------------------


@FAST
@given(
    votes=st.lists(st.integers(0, 10_000), min_size=1, max_size=6).filter(lambda v: sum(v) > 0),
    seats=st.integers(1, 30),
)
def test_dhondt_is_jefferson(votes: list[int], seats: int) -> None:
    parties = tuple(f"list {i}" for i in range(len(votes)))
    result = tally.count(PartyVotes(parties, tuple(votes)), "dhondt", seats, Options())
    assume(result.ties == ())
    apportioned = jefferson(dict(zip(parties, votes)), seats)
    assert dict(result.details["seats"]) == dict(apportioned.seats)
    assert sum(result.details["seats"].values()) == seats
    # Sanity on the divisor: every party's seats are its votes over the divisor, rounded down.
    if apportioned.divisor:
        for party, won in apportioned.seats.items():
            assert won == int(Fraction(dict(zip(parties, votes))[party]) / apportioned.divisor)
