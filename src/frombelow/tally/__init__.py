"""The counting engine: ballots in, a result with every round explained out.

    >>> from frombelow import tally
    >>> ballots = tally.read("ward.blt")
    >>> result = tally.count(ballots, "stv", seats=3)
    >>> result.winners

Pure Python and numpy; nothing here knows about councils, Django or the ledger.
"""

from __future__ import annotations

from frombelow.tally.ballots import Ballots, PartyVotes
from frombelow.tally.errors import BallotFileError, CountError, TallyError
from frombelow.tally.formats import read
from frombelow.tally.methods import METHODS, method
from frombelow.tally.options import Options
from frombelow.tally.result import Result, Round, Tie, Transfer
from frombelow.tally.tiebreak import TieBreak

__all__ = [
    "METHODS",
    "BallotFileError",
    "Ballots",
    "CountError",
    "Options",
    "PartyVotes",
    "Result",
    "Round",
    "TallyError",
    "Tie",
    "TieBreak",
    "Transfer",
    "count",
    "read",
]


MAX_SEATS = 10_000


def count(
    election: Ballots | PartyVotes,
    method_name: str,
    seats: int | None = None,
    options: Options | None = None,
) -> Result:
    """Count ``election`` by ``method_name`` for ``seats`` (default: the file's, else 1)."""
    chosen = method(method_name)
    options = options or Options()
    if seats is None:
        seats = 1 if chosen.single_winner else (election.seats or 1)
    if not 1 <= seats <= MAX_SEATS:
        raise CountError(f"seats must be between 1 and {MAX_SEATS}, not {seats}")
    if chosen.kind == "list":
        if isinstance(election, Ballots):
            from frombelow.tally.methods.party_list import first_preferences

            election = first_preferences(election, options)
        if sum(election.votes) == 0:
            raise CountError("empty election: no votes to share seats by")
    else:
        if isinstance(election, PartyVotes):
            raise CountError(f"{method_name} counts ballots, but this file holds party vote totals")
        if election.total == 0:
            raise CountError("empty election: no ballots to count")
        options.tiebreak.check_candidates(election.candidates)
        standing = len(election.candidates) - len(election.withdrawn)
        if seats > standing and not chosen.seats_beyond_candidates:
            raise CountError(f"{seats} seats but only {standing} candidates stand")
    return chosen.count(election, seats, options)
