"""A federation's charter: the rules it governs itself by.

Only the fields the core enforces today are here; each later capability adds its own
(apportionment, elections, recall, mandates, veto), with a default a union would expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from frombelow.apportion import MAX_SEATS, METHODS
from frombelow.federation.errors import InvalidCommand


@dataclass(frozen=True)
class Charter:
    # How long an invitation to join a base council stays valid.
    invitation_days: int = 14
    # Share of a council's members who must vote for it to split or merge.
    split_merge_threshold: Fraction = Fraction(1, 2)
    # Secret ballots in base councils (delegate councils always vote by public roll call).
    secret_voting_in_base_councils: bool = True
    # Seats of a delegate council shared among its constituents: the default, and
    # (council id, seats) for councils that differ from it.
    delegate_seats: int = 10
    delegate_seats_by_council: tuple[tuple[str, int], ...] = ()
    # Webster (Sainte-Laguë) by default: of the divisor methods it favours neither large
    # nor small constituents (D'Hondt favours the large, Huntington-Hill and Adams the small).
    apportionment_method: str = "webster"
    # Every constituent sends at least this many delegates, however small.
    minimum_seats: int = 1
    # (council id, weight per member) for constituents counted unequally (default 1 each),
    # as the 1918 Soviet constitution counted a city voter five times a village voter.
    constituent_weights: tuple[tuple[str, Fraction], ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.invitation_days <= 365:
            raise InvalidCommand("an invitation must stay valid between 1 and 365 days")
        if not Fraction(1, 2) <= self.split_merge_threshold <= 1:
            raise InvalidCommand("splitting or merging a council needs at least half of its members")
        self._check_apportionment()

    def _check_apportionment(self) -> None:
        for council, seats in (("", self.delegate_seats), *self.delegate_seats_by_council):
            where = f" of {council!r}" if council else ""
            if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= MAX_SEATS:
                raise InvalidCommand(f"the seats{where} must be a whole number from 1 to {MAX_SEATS}, not {seats!r}")
        if len(dict(self.delegate_seats_by_council)) != len(self.delegate_seats_by_council):
            raise InvalidCommand("the charter names a council's seats twice")
        if self.apportionment_method not in METHODS:
            raise InvalidCommand(
                f"unknown apportionment method {self.apportionment_method!r}; use one of {', '.join(METHODS)}"
            )
        if isinstance(self.minimum_seats, bool) or not isinstance(self.minimum_seats, int) or self.minimum_seats < 0:
            raise InvalidCommand(f"the minimum seats must be a whole number of at least 0, not {self.minimum_seats!r}")
        if len(dict(self.constituent_weights)) != len(self.constituent_weights):
            raise InvalidCommand("the charter names a council's weight twice")
        for council, weight in self.constituent_weights:
            if isinstance(weight, bool) or not isinstance(weight, (int, Fraction)) or weight <= 0:
                raise InvalidCommand(f"the weight of {council!r} must be a positive number, not {weight!r}")
        # Held as Fractions so that equal charters write equal JSON.
        weights = tuple((council, Fraction(weight)) for council, weight in self.constituent_weights)
        object.__setattr__(self, "constituent_weights", weights)

    def seats_of(self, council: str) -> int:
        return dict(self.delegate_seats_by_council).get(council, self.delegate_seats)

    def weight_of(self, council: str) -> Fraction:
        return dict(self.constituent_weights).get(council, Fraction(1))
