"""Apportionment: a delegate council's seats shared among its constituents by members represented."""

import json
from fractions import Fraction

import pytest
from electing import hours_of, run_term
from founding import TREE, at, invite_and_join
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow import apportion as apportion_library
from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.apportionment import ApportionSeats, SeatsApportioned, indices, represented
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import FoundFederation, IssueInvitation, Join, Leave
from frombelow.federation.events import CouncilPlan, Event, from_json, to_json

FOUNDERS = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))

# After founding (one member in each local) five join Local 1, one Local 2 and two Local 3:
# Local 1: 6, Local 2: 2, Local 3: 3, Local 4: 1, so North represents 8 and South 4.
NEWCOMERS = (
    ("ann", "local-1", "eve"),
    ("ann", "local-1", "fay"),
    ("ann", "local-1", "gus"),
    ("ann", "local-1", "hal"),
    ("ann", "local-1", "ida"),
    ("bo", "local-2", "jo"),
    ("cy", "local-3", "kim"),
    ("cy", "local-3", "lou"),
)


def founded_with(charter: Charter) -> tuple[State, list[Event]]:
    return execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", charter, TREE, FOUNDERS))


def grown(state: State) -> State:
    """The three-level federation after the newcomers joined."""
    for hours, (inviter, council, newcomer) in enumerate(NEWCOMERS, start=1):
        state = invite_and_join(state, inviter, council, newcomer, 2 * hours)
    return state


def grown_with_history(charter: Charter) -> tuple[State, list[Event]]:
    """As ``grown``, keeping every event (the same commands ``invite_and_join`` runs)."""
    state, history = founded_with(charter)
    for hours, (inviter, council, newcomer) in enumerate(NEWCOMERS, start=1):
        code = f"code-for-{newcomer}-{council}-0123456789"
        state, issued = execute(state, IssueInvitation(inviter, at(2 * hours), council, code))
        state, joined = execute(state, Join(newcomer, at(2 * hours + 1), code))
        history += issued + joined
    assert state == grown(founded_with(charter)[0])
    return state, history


def test_members_represented_are_the_whole_subtree(founded: State) -> None:
    state = grown(founded)
    assert represented(state, state.council("congress")) == {"north": 8, "south": 4}
    assert represented(state, state.council("north")) == {"local-1": 6, "local-2": 2}
    assert represented(state, state.council("south")) == {"local-3": 3, "local-4": 1}


def test_the_congress_seats_are_shared_by_webster_hand_checked(founded: State) -> None:
    state = grown(founded)
    state, (event,) = execute(state, ApportionSeats("the count", at(100), "congress"))
    # 10 seats for 12 members: a divisor of 1.2 gives North 8/1.2 = 6.67 -> 7, South 4/1.2 = 3.33 -> 3.
    assert isinstance(event, SeatsApportioned)
    assert event.seats == (("north", 7), ("south", 3))
    assert event.represented == (("north", 8), ("south", 4))
    assert event.weights == (("north", Fraction(1)), ("south", Fraction(1)))
    assert event.method == "webster"
    # Members 66.667% / 33.333%, seats 70% / 30%: both indices are 10/3 points.
    assert (event.gallagher, event.loosemore_hanby) == ("3.333", "3.333")
    assert state.apportionments["congress"] == event


def test_a_district_by_the_charters_seats_and_minimum() -> None:
    charter = Charter(delegate_seats_by_council=(("south", 4),), minimum_seats=1, apportionment_method="jefferson")
    state = grown(founded_with(charter)[0])
    state, (event,) = execute(state, ApportionSeats("kim", at(100), "south"))
    # 4 seats, Local 3 has 3 members and Local 4 one; each starts with its minimum seat, then
    # D'Hondt: 3/2 = 1.5 > 1/2, then 3/3 = 1 > 1/2 -> Local 3 takes both.
    assert event.seats == (("local-3", 3), ("local-4", 1))
    assert event.actor == "kim"
    # Members 75% / 25%, seats 75% / 25%: exactly proportional.
    assert (event.gallagher, event.loosemore_hanby) == ("0.000", "0.000")


def test_a_council_with_no_members_in_a_constituent_still_gives_it_its_minimum() -> None:
    state = grown(founded_with(Charter(delegate_seats=5))[0])
    state, _ = execute(state, Leave("di", at(90)))  # Local 4's only member
    _, (event,) = execute(state, ApportionSeats("cy", at(100), "south"))
    assert event.represented == (("local-3", 3), ("local-4", 0))
    assert event.seats == (("local-3", 4), ("local-4", 1))


def test_weights_change_the_seats_and_are_recorded() -> None:
    # South's members count two and a half times North's: populations 8 and 4 x 5/2 = 10.
    charter = Charter(constituent_weights=(("south", Fraction(5, 2)),))
    state = grown(founded_with(charter)[0])
    state, (event,) = execute(state, ApportionSeats("ann", at(100), "congress"))
    # 10 seats for 18 weighted members: a divisor of 1.8 gives 8/1.8 = 4.44 -> 4, 10/1.8 = 5.56 -> 6.
    assert event.seats == (("north", 4), ("south", 6))
    assert event.represented == (("north", 8), ("south", 4))  # members themselves, unweighted
    assert event.weights == (("north", Fraction(1)), ("south", Fraction(5, 2)))
    # Indices measure distance from the charter's own (weighted) proportion: 44.444% / 55.556% vs 40% / 60%.
    assert (event.gallagher, event.loosemore_hanby) == ("4.444", "4.444")
    unweighted = grown(founded_with(Charter())[0])
    _, (plain,) = execute(unweighted, ApportionSeats("ann", at(100), "congress"))
    assert plain.seats != event.seats


def test_the_latest_apportionment_is_kept(founded: State) -> None:
    state = grown(founded)
    state, (first,) = execute(state, ApportionSeats("the count", at(100), "congress"))
    state = invite_and_join(state, "di", "local-4", "max", 101)
    state = invite_and_join(state, "di", "local-4", "ned", 103)
    state, (second,) = execute(state, ApportionSeats("the count", at(110), "congress"))
    assert second.represented == (("north", 8), ("south", 6))
    assert state.apportionments["congress"] == second != first


def test_seats_are_apportioned_again_only_between_terms(founded: State) -> None:
    """Invariant 1: no one re-shares a council's seats mid-term (a by-election or a weighted roll call
    would go by the new share); each term's start apportions them, and between terms anyone may ask."""
    state, hours = run_term(grown(founded), 100)
    before = state
    with pytest.raises(NotAllowed, match="term 1 runs until 2027-05-.* UTC: seats are apportioned again at the start"):
        execute(state, ApportionSeats("cy", at(hours), "north"))
    with pytest.raises(NotAllowed, match="seats are apportioned again at the start of each term"):
        execute(state, ApportionSeats("the count", at(hours), "north"))
    assert state is before
    ended = hours_of(state.terms["metal"].ends_at)
    _, (event,) = execute(state, ApportionSeats("cy", at(ended), "north"))
    assert event.seats == state.apportionments["north"].seats


def test_indices_are_exact_and_agree_with_the_library() -> None:
    populations, seats = {"a": 1, "b": 1, "c": 1}, {"a": 2, "b": 1, "c": 1}
    # Gaps 50/3, -25/3, -25/3 points: LH = 50/3, Gallagher = sqrt(1875/9) = 14.4338...
    assert indices(populations, seats) == ("14.434", "16.667")
    assert f"{apportion_library.gallagher(populations, seats):.3f}" == "14.434"
    assert f"{apportion_library.loosemore_hanby(populations, seats):.3f}" == "16.667"


@pytest.mark.parametrize(
    ("command", "error", "message"),
    [
        (ApportionSeats("ann", at(100), "local-1"), InvalidCommand, "no seats to share"),
        (ApportionSeats("ann", at(100), "atlantis"), NotFound, "no council 'atlantis'"),
        (ApportionSeats("zed", at(100), "congress"), NotFound, "'zed' is not a member"),
        (ApportionSeats("ann", at(100).replace(tzinfo=None), "congress"), InvalidCommand, "time zone"),
    ],
)
def test_refusals_change_nothing(founded: State, command: ApportionSeats, error: type, message: str) -> None:
    state = grown(founded)
    before = state
    with pytest.raises(error, match=message):
        execute(state, command)
    assert state is before and state == before and not state.apportionments


def test_more_minimum_seats_than_seats_is_refused() -> None:
    state = grown(founded_with(Charter(delegate_seats_by_council=(("north", 5),), minimum_seats=3))[0])
    with pytest.raises(InvalidCommand, match="too few to give each of its 2 constituents the charter's minimum of 3"):
        execute(state, ApportionSeats("ann", at(100), "north"))
    # The congress, at the default of 10 seats, can give each of its two districts three.
    execute(state, ApportionSeats("ann", at(100), "congress"))


def test_a_member_of_another_federation_may_not_ask(founded: State) -> None:
    state = grown(founded)
    tree = (
        CouncilPlan("bakers-congress", "Bakers' Congress", None),
        CouncilPlan("bakery-1", "Bakery 1", "bakers-congress"),
    )
    state, _ = execute(
        state, FoundFederation("pat", at(50), "bakers", "Bakers", Charter(), tree, (("pat", "bakery-1"),))
    )
    with pytest.raises(NotAllowed, match="only members of Congress's federation"):
        execute(state, ApportionSeats("pat", at(100), "congress"))


def test_nothing_to_apportion_when_no_member_is_represented() -> None:
    tree = (CouncilPlan("c", "Congress", None), CouncilPlan("a", "A", "c"), CouncilPlan("b", "B", "c"))
    state, _ = execute(State(), FoundFederation("ann", at(0), "f", "F", Charter(), tree, (("ann", "a"),)))
    state, _ = execute(state, Leave("ann", at(1)))
    with pytest.raises(InvalidCommand, match="no members are represented"):
        execute(state, ApportionSeats("the count", at(2), "c"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"delegate_seats": 0}, "seats must be a whole number"),
        ({"delegate_seats_by_council": (("north", 0),)}, "seats of 'north'"),
        ({"delegate_seats_by_council": (("north", 3), ("north", 4))}, "seats twice"),
        ({"apportionment_method": "lottery"}, "unknown apportionment method"),
        ({"minimum_seats": -1}, "minimum seats"),
        ({"constituent_weights": (("south", Fraction(0)),)}, "positive number"),
        ({"constituent_weights": (("south", Fraction(2)), ("south", Fraction(3)))}, "weight twice"),
    ],
)
def test_a_charter_with_impossible_apportionment_rules_is_refused(fields: dict, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        Charter(**fields)


def test_the_default_charter_apportions_by_webster_with_one_seat_each() -> None:
    charter = Charter()
    assert (charter.apportionment_method, charter.minimum_seats, charter.seats_of("congress")) == ("webster", 1, 10)
    assert charter.weight_of("anything") == 1


def test_events_round_trip_through_json_and_replay_gives_the_same_state() -> None:
    charter = Charter(
        delegate_seats_by_council=(("north", 4),),
        constituent_weights=(("south", Fraction(5, 2)), ("local-1", 3)),
    )
    state, history = grown_with_history(charter)
    for council in ("congress", "north", "south"):
        state, new = execute(state, ApportionSeats("the count", at(200), council))
        history += new
    assert len(state.apportionments) == 3
    for event in history:
        data = json.loads(json.dumps(to_json(event)))
        assert from_json(data) == event
        assert canonical(from_json(data)) == canonical(event)
    assert replay(history) == state
    assert replay(from_json(json.loads(json.dumps(to_json(e)))) for e in history) == state
    # The charter's weights survive the founding event's round trip as exact fractions.
    founded = from_json(json.loads(json.dumps(to_json(history[0]))))
    assert founded.charter.constituent_weights == (("south", Fraction(5, 2)), ("local-1", Fraction(3)))


def test_a_refused_apportionment_is_a_rule_broken() -> None:
    assert issubclass(InvalidCommand, RuleBroken)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["local-1", "local-2", "local-3", "local-4"]), max_size=20),
    st.sampled_from(sorted(apportion_library.METHODS)),
    st.integers(2, 12),
    st.integers(0, 1),
    st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=6),
)
def test_any_membership_shares_exactly_the_seats(
    joins: list[str], method: str, seats: int, minimum: int, weight: Fraction
) -> None:
    charter = Charter(
        delegate_seats=seats,
        apportionment_method=method,
        minimum_seats=minimum,
        constituent_weights=(("south", weight),),
    )
    state, history = founded_with(charter)
    inviters = {council: member for member, council in FOUNDERS}
    for n, council in enumerate(joins):
        code = f"code-number-{n:04d}-for-{council}"
        for command in (
            IssueInvitation(inviters[council], at(2 * n + 1), council, code),
            Join(f"m{n}", at(2 * n + 2), code),
        ):
            state, new = execute(state, command)
            history += new
    state, (event,) = execute(state, ApportionSeats("the count", at(1000), "congress"))
    history.append(event)
    shares = dict(event.seats)
    assert sum(shares.values()) == seats and min(shares.values()) >= minimum
    members = dict(event.represented)
    assert sum(members.values()) == 4 + len(joins)
    # The same as weighting with fractions by hand and asking the library directly.
    scale = weight.denominator
    direct = apportion_library.apportion(
        {"north": members["north"] * scale, "south": int(members["south"] * weight * scale)},
        seats,
        method,
        min_seats=minimum,
    )
    assert dict(direct.seats) == shares
    # The event's exact indices, rounded to a thousandth, against the library's floats.
    assert abs(direct.loosemore_hanby - float(event.loosemore_hanby)) <= 0.0006
    assert abs(direct.gallagher - float(event.gallagher)) <= 0.0006
    assert replay(history) == state
