"""A federation's charter: the rules it governs itself by.

Every field has the default a union or a co-operative federation would expect; a
charter is changed only by amendment (``amendment.py``): a supermajority of the
congress, then ratification from below.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

from frombelow.apportion import MAX_SEATS, METHODS
from frombelow.federation.errors import InvalidCommand
from frombelow.tally import METHODS as TALLY_METHODS
from frombelow.tally import method as tally_method

Threshold = Literal["simple", "two-thirds", "absolute"]
THRESHOLDS: tuple[str, ...] = get_args(Threshold)
MandatePolicy = Literal["binding", "recall-trigger", "advisory"]
MANDATE_POLICIES: tuple[str, ...] = get_args(MandatePolicy)
RecallMode = Literal["vote", "immediate"]
RECALL_MODES: tuple[str, ...] = get_args(RecallMode)
Inviters = Literal["members", "secretary"]
INVITERS: tuple[str, ...] = get_args(Inviters)
# Kinds of election, each with its own method.
ELECTION_KINDS = ("delegates", "by-election")


@dataclass(frozen=True)
class Charter:
    # How long an invitation to join a base council stays valid.
    invitation_days: int = 14
    # Who issues a base council's invitations: any of its members, or its elected secretary
    # (any member while it has none: ``secretaries.py``).
    invitations_by: Inviters = "members"
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
    # (kind of election, tally method): STV for a constituent's delegates, IRV when a
    # single vacated seat is filled (several vacancies are filled by the delegates' method,
    # which therefore may not elect a single candidate, as IRV does). A list method
    # (dhondt, sainte-lague, hare, droop) makes the election one between factions' slates.
    election_methods: tuple[tuple[str, str], ...] = (("delegates", "stv"), ("by-election", "irv"))
    # A term of office, and how many terms in a row one may sit for the same seat (0: no limit).
    term_days: int = 365
    term_limit: int = 2
    nomination_days: int = 7
    voting_days: int = 7
    # Share of those entitled to vote who must take part for a motion's vote to count.
    quorum: Fraction = Fraction(1, 2)
    # Ordinary motions pass by this threshold unless the motion asks for a stricter one.
    motion_threshold: Threshold = "simple"
    # Weight a delegate's roll-call vote by the members their constituent represents.
    weighted_roll_calls: bool = False
    # Share of the electorate whose signatures open a recall vote; "immediate" instead
    # removes the delegate as soon as a majority of the electorate has signed.
    recall_threshold: Fraction = Fraction(1, 4)
    recall_mode: RecallMode = "vote"
    mandate_policy: MandatePolicy = "recall-trigger"
    # Share of the members below a council who must sign to put a motion on its agenda.
    initiative_threshold: Fraction = Fraction(1, 20)
    # Days a delegate council's decision waits before taking effect, and the share of the
    # members below it, or of its constituent councils, whose objection sends it to a
    # referendum of its whole subtree.
    veto_days: int = 14
    veto_member_share: Fraction = Fraction(1, 10)
    veto_council_share: Fraction = Fraction(1, 3)
    # The congress's vote on a charter amendment.
    amendment_threshold: Threshold = "two-thirds"

    def __post_init__(self) -> None:
        for name, low, high in (
            ("invitation_days", 1, 365),
            ("term_days", 1, 3650),
            ("term_limit", 0, 100),
            ("nomination_days", 1, 365),
            ("voting_days", 1, 365),
            ("veto_days", 0, 365),
        ):
            _whole(getattr(self, name), name.replace("_", " "), low, high)
        _share(self.split_merge_threshold, "the share needed to split or merge a council", Fraction(1, 2))
        for name in ("quorum", "recall_threshold", "initiative_threshold", "veto_member_share", "veto_council_share"):
            _share(getattr(self, name), f"the {name.replace('_', ' ')}", Fraction(0))
        for name, value, allowed in (
            ("motion threshold", self.motion_threshold, THRESHOLDS),
            ("amendment threshold", self.amendment_threshold, THRESHOLDS),
            ("mandate policy", self.mandate_policy, MANDATE_POLICIES),
            ("recall mode", self.recall_mode, RECALL_MODES),
            ("issuer of invitations", self.invitations_by, INVITERS),
        ):
            if value not in allowed:
                raise InvalidCommand(f"unknown {name} {value!r}; use one of {', '.join(allowed)}")
        methods = dict(self.election_methods)
        if sorted(methods) != sorted(ELECTION_KINDS) or len(methods) != len(self.election_methods):
            raise InvalidCommand(f"the charter names one election method for each of: {', '.join(ELECTION_KINDS)}")
        for kind, method in self.election_methods:
            if method not in TALLY_METHODS:
                raise InvalidCommand(
                    f"unknown election method {method!r} for {kind}; use one of {', '.join(TALLY_METHODS)}"
                )
            # A constituent's delegates are several seats; a by-election with several vacancies
            # uses the "delegates" method too (``elections._called``), so only it must fill several.
            if kind == "delegates" and tally_method(method).single_winner:
                raise InvalidCommand(
                    f"{method} elects one candidate: a constituent's delegates need a method that fills "
                    "several seats (such as stv)"
                )
        self._check_apportionment()
        # Held as Fractions so that equal charters write equal JSON.
        for name in (
            "split_merge_threshold",
            "quorum",
            "recall_threshold",
            "initiative_threshold",
            "veto_member_share",
            "veto_council_share",
        ):
            object.__setattr__(self, name, Fraction(getattr(self, name)))

    def _check_apportionment(self) -> None:
        for council, seats in (("", self.delegate_seats), *self.delegate_seats_by_council):
            where = f" of {council!r}" if council else ""
            _whole(seats, f"the seats{where}", 1, MAX_SEATS)
        if len(dict(self.delegate_seats_by_council)) != len(self.delegate_seats_by_council):
            raise InvalidCommand("the charter names a council's seats twice")
        if self.apportionment_method not in METHODS:
            raise InvalidCommand(
                f"unknown apportionment method {self.apportionment_method!r}; use one of {', '.join(METHODS)}"
            )
        _whole(self.minimum_seats, "the minimum seats", 0, MAX_SEATS)
        if len(dict(self.constituent_weights)) != len(self.constituent_weights):
            raise InvalidCommand("the charter names a council's weight twice")
        for council, weight in self.constituent_weights:
            if isinstance(weight, bool) or not isinstance(weight, (int, Fraction)) or weight <= 0:
                raise InvalidCommand(f"the weight of {council!r} must be a positive number, not {weight!r}")
        weights = tuple((council, Fraction(weight)) for council, weight in self.constituent_weights)
        object.__setattr__(self, "constituent_weights", weights)

    def seats_of(self, council: str) -> int:
        return dict(self.delegate_seats_by_council).get(council, self.delegate_seats)

    def weight_of(self, council: str) -> Fraction:
        return dict(self.constituent_weights).get(council, Fraction(1))

    def method_for(self, kind: str) -> str:
        return dict(self.election_methods)[kind]


def _whole(value: object, what: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidCommand(f"{what} must be a whole number from {low} to {high}, not {value!r}")


def _share(value: object, what: str, low: Fraction) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)) or not low <= value <= 1:
        raise InvalidCommand(f"{what} must be a fraction from {low} to 1, not {value!r}")
