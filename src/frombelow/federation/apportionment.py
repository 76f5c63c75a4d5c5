"""Apportionment: a delegate council's seats shared among its constituents.

Each constituent (a council directly below) gets seats in proportion to the members it
represents, all the members of its subtree, by the charter's method with
``frombelow.apportion``. A charter may count a constituent's members with a weight; then
the populations apportioned are members × weight, and the event records the weight per
member of every constituent (1 where the charter sets none), so no inequality is hidden.

Apportioning decides nothing new: it is a computation anyone in the federation (or the
count) may ask for, and the event records its result for the term. So it is asked for only
before the first term or between terms: each term's start apportions every council again,
and that share stands all term (by-elections and weighted roll calls go by it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import ClassVar

from frombelow.apportion import ApportionmentError, apportion
from frombelow.federation.codec import in_utc, require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Council, State

INDEX_PLACES = 3  # Gallagher and Loosemore-Hanby are shown to a thousandth of a point


@dataclass(frozen=True)
class ApportionSeats(Command):
    council: str  # the delegate council whose seats are shared


@dataclass(frozen=True)
class SeatsApportioned(Event):
    kind: ClassVar[str] = "seats apportioned"
    council: str
    seats: tuple[tuple[str, int], ...]  # (constituent, seats)
    represented: tuple[tuple[str, int], ...]  # (constituent, members of its subtree)
    weights: tuple[tuple[str, Fraction], ...]  # (constituent, weight per member)
    method: str
    # Distance from the charter's own proportion (members × weight), in percentage points,
    # as decimal strings: floats don't belong in events.
    gallagher: str
    loosemore_hanby: str


# --- counting ------------------------------------------------------------------------------


def represented(state: State, council: Council) -> dict[str, int]:
    """Members each constituent of ``council`` represents: all the members of its subtree."""
    # A closed council has no seats to fill: children() leaves it out.
    return {c.id: state.count_under(c.id) for c in sorted(state.children(council.id), key=lambda c: c.id)}


def weighted_populations(members: dict[str, int], weights: dict[str, Fraction]) -> dict[str, int]:
    """Members × weight, scaled by one common factor to whole numbers.

    ``apportion`` takes whole populations; multiplying every population by the same
    number changes no method's seats, no tie and no index, so this is exact.
    """
    scale = math.lcm(*(w.denominator for w in weights.values()))
    return {c: int(n * weights[c] * scale) for c, n in members.items()}


def _decimal(value: Fraction) -> str:
    """``value`` rounded half up to INDEX_PLACES decimals."""
    scale = 10**INDEX_PLACES
    thousandths = math.floor(value * scale + Fraction(1, 2))
    return f"{thousandths // scale}.{thousandths % scale:0{INDEX_PLACES}d}"


def _root_decimal(square: Fraction) -> str:
    """sqrt(``square``) rounded half up to INDEX_PLACES decimals, exactly (no float)."""
    scaled = square * 10 ** (2 * INDEX_PLACES)
    whole = math.isqrt(scaled.numerator // scaled.denominator)  # floor(sqrt(scaled))
    if 4 * scaled >= (2 * whole + 1) ** 2:  # sqrt(scaled) >= whole + 1/2
        whole += 1
    scale = 10**INDEX_PLACES
    return f"{whole // scale}.{whole % scale:0{INDEX_PLACES}d}"


def indices(populations: dict[str, int], seats: dict[str, int]) -> tuple[str, str]:
    """Gallagher and Loosemore-Hanby, in percentage points, computed exactly."""
    people, house = sum(populations.values()), sum(seats.values())
    gaps = [Fraction(100 * populations[c], people) - Fraction(100 * seats[c], house) for c in populations]
    return _root_decimal(sum((g * g for g in gaps), Fraction(0)) / 2), _decimal(sum(abs(g) for g in gaps) / 2)


# --- deciding ------------------------------------------------------------------------------


def apportion_seats(state: State, command: ApportionSeats) -> list[SeatsApportioned]:
    require_aware(command.at)
    council = state.council(command.council)
    if command.actor != THE_COUNT and state.member(command.actor).federation != council.federation:
        raise NotAllowed(f"only members of {council.name}'s federation may ask for its seats to be apportioned")
    term = state.terms.get(council.federation)  # an elections.Term (read here: elections imports this module)
    if term is not None and command.at < term.ends_at:
        raise NotAllowed(
            f"term {term.number} runs until {in_utc(term.ends_at)}: seats are apportioned again at the start of each term"
        )
    return [seats_shared(state, council, command.actor, command.at)]


def seats_shared(state: State, council: Council, actor: str, at: datetime) -> SeatsApportioned:
    """The event sharing ``council``'s seats among its constituents now (a new term uses it too)."""
    if council.kind == "base":
        raise InvalidCommand(f"{council.name} is a base council: it sends delegates but has no seats to share")
    charter = state.federations[council.federation].charter
    seats, minimum = charter.seats_of(council.id), charter.minimum_seats
    members = represented(state, council)
    if minimum * len(members) > seats:
        raise InvalidCommand(
            f"{council.name} has {seats} seats: too few to give each of its {len(members)} constituents "
            f"the charter's minimum of {minimum}"
        )
    if sum(members.values()) == 0:
        raise InvalidCommand(f"no members are represented in {council.name} yet: there is nothing to apportion")
    weights = {c: charter.weight_of(c) for c in members}
    populations = weighted_populations(members, weights)
    try:
        result = apportion(populations, seats, charter.apportionment_method, min_seats=minimum)
    except ApportionmentError as error:  # the checks above should leave none; never let one escape unnamed
        raise InvalidCommand(f"the seats of {council.name} cannot be apportioned: {error}") from None
    shares = dict(result.seats)
    gallagher, loosemore_hanby = indices(populations, shares)
    return SeatsApportioned(
        actor,
        at,
        council.id,
        tuple((c, shares[c]) for c in members),
        tuple(members.items()),
        tuple(weights.items()),
        charter.apportionment_method,
        gallagher,
        loosemore_hanby,
    )


# --- applying ------------------------------------------------------------------------------


def seats_apportioned(state: State, event: SeatsApportioned) -> State:
    return state.updated(apportionments=state.apportionments.set(event.council, event))


DECIDERS = {ApportionSeats: apportion_seats}
APPLIERS = {SeatsApportioned: seats_apportioned}
