"""A base council's secretary: elected by its own members, replaced by a later election, gone with
their membership; with ``invitations_by="secretary"`` the only one who invites while there is one."""

import dataclasses

import pytest
from box import Box
from founding import at
from hypothesis import given, settings
from hypothesis import strategies as st
from seated import join, seated, vote_on

from frombelow.federation import InvalidCommand, NotAllowed, RuleBroken, replay
from frombelow.federation.charter import Charter
from frombelow.federation.commands import IssueInvitation, Join, Leave, Move
from frombelow.federation.councils import ProposeSplit
from frombelow.federation.events import THE_COUNT, from_json, to_json
from frombelow.federation.secretaries import ProposeSecretary, SecretaryElected, SecretaryElectionLapsed, secretary
from frombelow.federation.voting import CastBallot, ClosePoll

BY_SECRETARY = Charter(invitations_by="secretary")


def local_1(charter: Charter | None = None) -> tuple[Box, float]:
    """Local 1 has ann (its delegate to North District), eve and fay; Local 2 has bo and gus."""
    box, hours = seated(charter)
    hours = join(box, hours, ("eve", "local-1"), ("fay", "local-1"), ("gus", "local-2"))
    return box, hours


def elect(box: Box, hours: float, nominee: str, motion: str, by: str = "ann", council: str = "local-1") -> float:
    """``by`` proposes ``nominee`` as secretary of ``council``, and its members carry it."""
    box.run(ProposeSecretary(by, at(hours), motion, council, nominee, "Keeps good minutes."))
    _, hours = vote_on(box, motion, hours + 1)
    return hours


def refused(box: Box, command: object, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)  # type: ignore[arg-type]
    assert box.state is before


def test_a_council_elects_its_secretary_by_a_motion_of_its_own() -> None:
    box, hours = local_1()
    proposed = box.run(ProposeSecretary("ann", at(hours), "s1", "local-1", "eve", "Keeps good minutes."))
    assert [e.kind for e in proposed] == ["motion proposed", "secretary proposed"]
    motion = box.state.motions["s1"]
    assert (motion.kind, motion.title, motion.council) == ("secretary", "Elect eve secretary of Local 1", "local-1")
    assert secretary(box.state, "local-1") is None  # not before the members have voted
    counted, _ = vote_on(box, "s1", hours + 1)
    assert [e.kind for e in counted] == ["poll counted", "motion carried", "secretary elected"]
    assert counted[-1] == SecretaryElected(THE_COUNT, counted[-1].at, "local-1", "eve", "s1", None)
    assert secretary(box.state, "local-1") == "eve"
    assert box.state.decisions["s1"].status == "in effect"


def test_a_lost_motion_elects_no_one() -> None:
    box, hours = local_1()
    box.run(ProposeSecretary("ann", at(hours), "s1", "local-1", "eve", "Keeps good minutes."))
    counted, _ = vote_on(box, "s1", hours + 1, others="no")
    assert [e.kind for e in counted] == ["poll counted", "motion lost"]
    assert secretary(box.state, "local-1") is None


def test_a_later_election_replaces_the_secretary() -> None:
    box, hours = local_1()
    hours = elect(box, hours, "eve", "s1")
    box.run(ProposeSecretary("fay", at(hours), "s2", "local-1", "fay", "Eve asked to stand down."))
    counted, _ = vote_on(box, "s2", hours + 1)
    assert counted[-1].replaces == "eve"  # type: ignore[attr-defined]
    assert secretary(box.state, "local-1") == "fay"
    assert box.state.secretaries["local-1"].motion == "s2"


@pytest.mark.parametrize(
    ("command", "error", "match"),
    [
        (ProposeSecretary("ann", at(0), "s1", "local-1", "gus", "Why."), NotAllowed, "'gus' is not"),
        (ProposeSecretary("ann", at(0), "s1", "local-1", "nobody", "Why."), NotAllowed, "must be one of its members"),
        (ProposeSecretary("ann", at(0), "s1", "north", "ann", "Why."), NotAllowed, "delegate council: it admits no"),
        (ProposeSecretary("ann", at(0), "s1", "local-1", "eve", "  "), InvalidCommand, "needs a text"),
        (ProposeSecretary("ann", at(0), "  ", "local-1", "eve", "Why."), InvalidCommand, "needs an id"),
        (ProposeSecretary("ann", at(0), "s1", "local-9", "eve", "Why."), RuleBroken, "no council 'local-9'"),
    ],
)
def test_a_secretary_is_one_of_the_councils_own_members(command: ProposeSecretary, error: type, match: str) -> None:
    box, hours = local_1()
    refused(box, dataclasses.replace(command, at=at(hours)), error, match)


def test_invariant_1_only_the_council_itself_elects_its_secretary() -> None:
    """No council above (not its delegate in North District, not the congress), no sibling, no member of
    another council, and not the count, may put a secretary on Local 1's agenda."""
    box, hours = local_1()
    assert box.state.delegates[("north", "bo")]  # bo sits in North District, above Local 1
    for actor in ("bo", "gus", "cy", "di"):
        refused(
            box,
            ProposeSecretary(actor, at(hours), "s1", "local-1", actor if actor == "bo" else "eve", "From above."),
            NotAllowed,
            "only members of Local 1 may elect its secretary",
        )
    refused(box, ProposeSecretary(THE_COUNT, at(hours), "s1", "local-1", "eve", "Why."), RuleBroken, "the count")
    # Only a carried secretary motion of the council itself seats one: no other event names a secretary.
    hours = elect(box, hours, "eve", "s1")
    assert dict(box.state.secretaries).keys() == {"local-1"}


def test_a_nominee_who_moved_away_before_the_count_is_not_elected() -> None:
    box, hours = local_1()
    box.run(ProposeSecretary("ann", at(hours), "s1", "local-1", "eve", "Keeps good minutes."))
    box.run(IssueInvitation("bo", at(hours + 1), "local-2", "an-invitation-for-eve-to-local-2"))
    box.run(Move("eve", at(hours + 2), "an-invitation-for-eve-to-local-2"))
    counted, _ = vote_on(box, "s1", hours + 3)
    lapsed = counted[-1]
    assert isinstance(lapsed, SecretaryElectionLapsed)
    assert lapsed.reason == "eve is no longer a member of Local 1"
    assert secretary(box.state, "local-1") is None


@pytest.mark.parametrize("how", ["leave", "move", "split"])
def test_the_role_ends_when_the_secretary_leaves_the_council(how: str) -> None:
    box, hours = local_1()
    start, box.history = box.state, []
    hours = elect(box, hours, "eve", "s1")
    if how == "leave":
        box.run(Leave("eve", at(hours)))
    elif how == "move":
        box.run(IssueInvitation("bo", at(hours), "local-2", "an-invitation-for-eve-to-local-2"))
        box.run(Move("eve", at(hours + 1), "an-invitation-for-eve-to-local-2"))
    else:
        parts = (("local-1e", "Local 1 East"), ("local-1w", "Local 1 West"))
        split = (("ann", "local-1e"), ("eve", "local-1e"), ("fay", "local-1w"))
        box.run(ProposeSplit("ann", at(hours), "p1", "local-1", parts, split))
        poll = next(p for p in box.state.polls.values() if p.purpose == "split")
        for voter in sorted(poll.electorate):
            box.run(CastBallot(voter, at(hours + 1), poll.id, ("yes",)))
        box.run(ClosePoll(THE_COUNT, at(hours + 2), poll.id))
        assert box.state.councils["local-1"].closed_at is not None
    assert secretary(box.state, "local-1") is None
    assert "local-1" not in box.state.secretaries
    assert replay((from_json(to_json(e)) for e in box.history), start) == box.state  # the same at every replay


def test_someone_else_leaving_or_moving_keeps_the_secretary() -> None:
    box, hours = local_1()
    hours = elect(box, hours, "eve", "s1")
    box.run(Leave("fay", at(hours)))
    box.run(IssueInvitation("eve", at(hours + 1), "local-1", "an-invitation-for-gus-to-local-1"))
    box.run(Move("gus", at(hours + 2), "an-invitation-for-gus-to-local-1"))  # gus moves in: eve stays secretary
    assert secretary(box.state, "local-1") == "eve"


def test_with_invitations_by_secretary_only_the_secretary_invites() -> None:
    box, hours = local_1(BY_SECRETARY)
    hours = elect(box, hours, "eve", "s1")
    refused(
        box,
        IssueInvitation("fay", at(hours), "local-1", "a-long-secret-invitation-code"),
        NotAllowed,
        "only the secretary of Local 1, eve, may invite people to join it",
    )
    box.run(IssueInvitation("eve", at(hours), "local-1", "a-long-secret-invitation-code"))
    box.run(Join("hal", at(hours + 1), "a-long-secret-invitation-code"))
    assert box.state.members["hal"].council == "local-1"
    # The secretary of Local 1 still invites to no other council.
    refused(
        box,
        IssueInvitation("eve", at(hours + 2), "local-2", "another-secret-invitation-code"),
        NotAllowed,
        "only members of Local 2",
    )


def test_a_council_without_a_secretary_lets_any_member_invite() -> None:
    """A new council must be able to grow before it elects anyone; nor does its secretary's leaving shut it."""
    box, hours = local_1(BY_SECRETARY)
    box.run(IssueInvitation("fay", at(hours), "local-1", "an-invitation-before-any-election"))
    hours = elect(box, hours + 1, "eve", "s1")
    box.run(Leave("eve", at(hours)))
    box.run(IssueInvitation("fay", at(hours + 1), "local-1", "an-invitation-after-eve-left"))


def test_by_default_every_member_invites_whoever_is_secretary() -> None:
    box, hours = local_1()
    hours = elect(box, hours, "eve", "s1")
    box.run(IssueInvitation("fay", at(hours), "local-1", "a-long-secret-invitation-code"))


def test_the_charter_names_who_issues_invitations() -> None:
    with pytest.raises(InvalidCommand, match="unknown issuer of invitations 'clerk'; use one of members, secretary"):
        Charter(invitations_by="clerk")  # type: ignore[arg-type]
    assert Charter().invitations_by == "members"


STEPS = st.lists(
    st.tuples(st.sampled_from(["elect", "leave", "move", "invite"]), st.sampled_from(["ann", "eve", "fay", "hal"])),
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(steps=STEPS)
def test_property_the_secretary_is_always_a_member_and_the_only_one_inviting(steps: list[tuple[str, str]]) -> None:
    """Whatever Local 1 does (elect, lose members to leaving and moving, invite), its secretary is one of its
    members, only they invite while they hold the role (anyone when none does), and the history replays."""
    box, hours = local_1(BY_SECRETARY)
    hours = join(box, hours, ("hal", "local-1"))
    start, box.history = box.state, []
    for n, (step, who) in enumerate(steps):
        hours += 3
        held, present = secretary(box.state, "local-1"), box.state.members.get(who)
        in_local_1 = present is not None and present.council == "local-1"
        try:
            if step == "elect":
                proposer = min(box.state.roll("local-1"), default=who)
                box.run(ProposeSecretary(proposer, at(hours), f"s{n}", "local-1", who, "Why."))
                _, hours = vote_on(box, f"s{n}", hours + 1)
                assert secretary(box.state, "local-1") == who
            elif step == "leave":
                box.run(Leave(who, at(hours)))
            elif step == "move":
                box.run(IssueInvitation("bo", at(hours), "local-2", f"an-invitation-to-local-2-{n:04d}"))
                box.run(Move(who, at(hours + 1), f"an-invitation-to-local-2-{n:04d}"))
            else:
                box.run(IssueInvitation(who, at(hours), "local-1", f"an-invitation-to-local-1-{n:04d}"))
                assert in_local_1 and held in (None, who)
        except RuleBroken:
            assert step != "elect" or not in_local_1
            assert step != "invite" or not in_local_1 or held not in (None, who)
        elected = box.state.secretaries.get("local-1")
        assert elected is None or box.state.members[elected.member].council == "local-1"
    assert replay((from_json(to_json(e)) for e in box.history), start) == box.state
