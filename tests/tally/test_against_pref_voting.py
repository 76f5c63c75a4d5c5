"""frombelow's winners agree with pref_voting's on a few hundred random small profiles.

Compared only where pref_voting names a single winner and frombelow broke no tie: the
two libraries settle ties differently (pref_voting returns every tied winner). Ballots
are truncated Plackett–Luce rankings, so pref_voting reads them as a ``ProfileWithTies``
(unranked candidates left out); pairwise methods use its *extended* strict preference,
a ranked candidate beating an unranked one, as frombelow does. Borda is compared on
complete rankings only, where the Borda variants for truncated ballots do
not differ.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pref_voting = pytest.importorskip("pref_voting")

from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path, ranked_pairs
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import borda, plurality

from frombelow import tally
from frombelow.tally import Ballots

PROFILES = 300
NAMES = tuple("ABCDEF")


def random_profiles(
    complete: bool, seed: int, candidates: tuple[int, int] = (3, 6), voters_range: tuple[int, int] = (3, 40)
) -> list[tuple[int, list[list[int]]]]:
    """Seeded truncated (or complete) Plackett–Luce profiles: 3–6 candidates, 3–40 voters."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(PROFILES):
        n = int(rng.integers(candidates[0], candidates[1] + 1))
        voters = int(rng.integers(voters_range[0], voters_range[1] + 1))
        support = np.log(rng.dirichlet(np.ones(n)))
        orders = np.argsort(-(support + rng.gumbel(size=(voters, n))), axis=1)
        lengths = np.full(voters, n) if complete else rng.integers(1, n + 1, size=voters)
        out.append((n, [[int(c) for c in order[:k]] for order, k in zip(orders, lengths)]))
    return out


def ours(n: int, rankings: list[list[int]], method: str) -> str | None:
    """frombelow's winner, or None when it had to break a tie."""
    ballots = Ballots.from_rankings(NAMES[:n], [[NAMES[c] for c in r] for r in rankings])
    result = tally.count(ballots, method, 1)
    return None if result.ties else result.winners[0]


def theirs(winners: list[int]) -> str | None:
    return NAMES[winners[0]] if len(winners) == 1 else None


def with_ties(n: int, rankings: list[list[int]]) -> ProfileWithTies:
    profile = ProfileWithTies(
        [{c: r + 1 for r, c in enumerate(ranking)} for ranking in rankings], candidates=list(range(n))
    )
    profile.use_extended_strict_preference()
    return profile


CASES = {
    "irv": lambda n, rankings: instant_runoff(with_ties(n, rankings)),
    "schulze": lambda n, rankings: beat_path(with_ties(n, rankings)),
    "plurality": lambda n, rankings: plurality(with_ties(n, rankings)),
}


def compare(method: str, pref_voting_winners, profiles: list[tuple[int, list[list[int]]]]) -> int:
    compared = 0
    disagreements = []
    for n, rankings in profiles:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = theirs(pref_voting_winners(n, rankings))
        if expected is None:
            continue
        got = ours(n, rankings, method)
        if got is None:
            continue
        compared += 1
        if got != expected:
            disagreements.append((rankings, got, expected))
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[0]}"
    return compared


@pytest.mark.parametrize("method", list(CASES))
def test_truncated_ballots_agree_with_pref_voting(method: str) -> None:
    compared = compare(method, CASES[method], random_profiles(complete=False, seed=11))
    assert compared > PROFILES // 2, "too few profiles had a unique winner to compare"


def distinct_margins(n: int, rankings: list[list[int]]) -> bool:
    """No two majorities of the same size (nor a zero margin): then ranked pairs needs no tie order."""
    profile = with_ties(n, rankings)
    margins = [abs(profile.margin(a, b)) for a in range(n) for b in range(a + 1, n)]
    return 0 not in margins and len(set(margins)) == len(margins)


def test_ranked_pairs_agrees_with_pref_voting() -> None:
    # pref_voting tries every order of equal margins (exponential), so only profiles with
    # distinct margins are compared; more voters make those common.
    profiles = [
        p for p in random_profiles(False, seed=14, candidates=(3, 5), voters_range=(30, 300)) if distinct_margins(*p)
    ]
    compared = compare("ranked-pairs", lambda n, rankings: ranked_pairs(with_ties(n, rankings)), profiles)
    assert compared > PROFILES // 4


def test_borda_on_complete_rankings_agrees_with_pref_voting() -> None:
    # ProfileWithTies scores Borda symmetrically (places below minus places above), which
    # on complete rankings orders candidates as the usual n-1, n-2, … points do.
    compared = compare("borda", lambda n, rankings: borda(with_ties(n, rankings)), random_profiles(True, seed=12))
    assert compared > PROFILES // 2


def test_irv_on_complete_rankings_agrees_with_pref_voting() -> None:
    compared = compare("irv", lambda n, rankings: instant_runoff(Profile(rankings)), random_profiles(True, seed=13))
    assert compared > PROFILES // 2
