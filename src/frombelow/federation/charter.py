"""A federation's charter: the rules it governs itself by.

Only the fields the core enforces today are here; each later capability adds its own
(apportionment, elections, recall, mandates, veto), with a default a union would expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from frombelow.federation.errors import InvalidCommand


@dataclass(frozen=True)
class Charter:
    # How long an invitation to join a base council stays valid.
    invitation_days: int = 14
    # Share of a council's members who must vote for it to split or merge.
    split_merge_threshold: Fraction = Fraction(1, 2)
    # Secret ballots in base councils (delegate councils always vote by public roll call).
    secret_voting_in_base_councils: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.invitation_days <= 365:
            raise InvalidCommand("an invitation must stay valid between 1 and 365 days")
        if not Fraction(1, 2) <= self.split_merge_threshold <= 1:
            raise InvalidCommand("splitting or merging a council needs at least half of its members")
