"""Recall: a delegate's constituent (or the members below it) petitions, votes in secret, and
takes the delegate back; the seat is vacated and a by-election called. No one above can."""

import dataclasses
import json
from functools import cache

import pytest
from box import Box
from electing import run_term
from founding import TREE, at, invite_and_join
from immutables import Map

from frombelow.federation import InvalidCommand, NotAllowed, NotFound, RuleBroken, State, execute, replay
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import Command, FoundFederation
from frombelow.federation.councils import ProposeSplit
from frombelow.federation.elections import Nominate, OpenElection, Resign, StartTerm
from frombelow.federation.events import Event, from_json, to_json
from frombelow.federation.petitions import WithdrawSignature
from frombelow.federation.recall import (
    DelegateRecalled,
    PetitionRecall,
    RecallVoteCalled,
    SignRecall,
    call_recall_vote,
    open_recall_vote,
)
from frombelow.federation.voting import CastBallot, ClosePoll, recount

REASON = "She voted for the concessions contract."
LOCAL_1 = ("ann", "eve", "fay", "gus", "hal")


@cache
def seated(**charter: object) -> tuple[State, float]:
    """Local 1 has five members (ann, eve, fay, gus, hal), the other locals their founder.

    One seat per constituent: ann sits in North District for Local 1 and in the congress for
    North; bo in North for Local 2; cy and di in South, and cy in the congress for South.
    """
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    charter = Charter(delegate_seats=2, **charter)  # type: ignore[arg-type]
    state, _ = execute(State(), FoundFederation("ann", at(0), "metal", "Metalworkers", charter, TREE, founders))
    for n, newcomer in enumerate(LOCAL_1[1:]):
        state = invite_and_join(state, "ann", "local-1", newcomer, 1 + 2 * n)
    return run_term(state, 10)


@pytest.fixture
def box() -> Box:
    state, _ = seated()
    return Box(state)


def hour() -> float:
    return seated()[1]


def refused(box: Box, command: Command, error: type[RuleBroken], match: str) -> None:
    before = box.state
    with pytest.raises(error, match=match):
        box.run(command)
    assert box.state is before


def petition(
    actor: str = "eve", council: str = "north", delegate: str = "ann", hours: float = 1, **more: object
) -> PetitionRecall:
    """A petition given ``hours`` after the term's elections."""
    return PetitionRecall(
        actor,
        at(hour() + hours),
        more.pop("petition", "p1"),
        council,
        delegate,
        reason=REASON,
        **more,  # type: ignore[arg-type]
    )


def vote(box: Box, poll: str, marks: dict[str, str], hours: float) -> list[Event]:
    for voter, choice in marks.items():
        box.run(CastBallot(voter, at(hours), poll, (choice,)))
    return box.run(ClosePoll("the count", at(hours + 24 * 8), poll))


def test_the_founding_term_seats_whom_these_tests_expect(box: Box) -> None:
    seats = {(d.council, d.member): d.constituent for d in box.state.delegates.values()}
    assert seats[("north", "ann")] == "local-1" and seats[("congress", "ann")] == "north"
    assert seats[("congress", "cy")] == "south" and seats[("north", "bo")] == "local-2"


def test_members_of_the_local_petition_and_at_the_threshold_a_secret_recall_vote_opens(box: Box) -> None:
    (started,) = box.run(petition())
    assert started.kind == "recall petition started" and (started.electorate, started.needed) == (5, 2)  # 1/4 of 5
    p = box.state.petitions["p1"]
    assert (p.kind, p.constituent, p.scope, p.status, set(p.signatures)) == (
        "recall petition",
        "local-1",
        "council",
        "collecting signatures",
        {"eve"},
    )
    events = box.run(SignRecall("fay", at(hour() + 2), "p1"))
    assert [e.kind for e in events] == ["recall petition signed", "recall vote called", "poll opened"]
    called, opened = events[1], events[2]
    assert called.actor == opened.actor == "the count" and called.petition == "p1" and REASON in called.cause
    poll = box.state.polls[opened.poll]
    # The poll's subject is the recall vote, which names the seat and its term.
    assert (poll.council, poll.purpose, poll.subject, poll.secret) == ("local-1", "recall", poll.id, True)
    vote_ = box.state.recalls[poll.id]
    assert (vote_.council, vote_.delegate, vote_.constituent, vote_.term, vote_.polls) == (
        "north",
        "ann",
        "local-1",
        1,
        (poll.id,),
    )
    assert poll.question == "Recall ann from North District?" and set(poll.electorate) == set(LOCAL_1)
    assert box.state.petitions["p1"].status == "put to the vote" and box.state.petitions["p1"].poll == poll.id


def test_a_carried_recall_vote_recalls_the_delegate_vacates_the_seat_and_calls_a_by_election(box: Box) -> None:
    box.run(petition())
    box.run(SignRecall("fay", at(hour() + 2), "p1"))
    poll = box.state.petitions["p1"].poll
    events = vote(box, poll, {"eve": "yes", "fay": "yes", "gus": "yes", "ann": "no"}, hour() + 3)
    assert [e.kind for e in events][:4] == ["poll counted", "delegate recalled", "seat vacated", "election called"]
    recalled = events[1]
    assert isinstance(recalled, DelegateRecalled) and recalled.actor == "the count"
    assert (recalled.council, recalled.delegate, recalled.constituent, recalled.poll) == (
        "north",
        "ann",
        "local-1",
        poll,
    )
    assert ("north", "ann") not in box.state.delegates and ("congress", "ann") in box.state.delegates
    assert box.state.petitions["p1"].status == "recalled"
    by_election = box.state.elections[events[3].election]
    assert by_election.by_election and by_election.constituent == "local-1"
    assert recount(box.state.polls[poll], events[0]) == events[0]  # anyone can check the count
    # A recalled delegate is petitioned against no more.
    refused(box, petition(petition="p2", hours=4 + 24 * 8), NotAllowed, "ann does not sit in North District")


@pytest.mark.parametrize(
    ("marks", "outcome"),
    [({"eve": "yes", "fay": "no", "gus": "no", "ann": "no"}, "lost"), ({"eve": "yes"}, "no quorum")],
)
def test_a_recall_vote_lost_or_short_of_quorum_keeps_the_delegate(box: Box, marks: dict, outcome: str) -> None:
    box.run(petition())
    box.run(SignRecall("fay", at(hour() + 2), "p1"))
    poll = box.state.petitions["p1"].poll
    events = vote(box, poll, marks, hour() + 3)
    assert [e.kind for e in events] == ["poll counted", "recall lost"] and events[1].outcome == outcome
    assert ("north", "ann") in box.state.delegates and box.state.petitions["p1"].status == "lost"
    # The seat can be petitioned against again.
    box.run(petition(petition="p2", actor="gus", hours=4 + 24 * 8))
    assert box.state.petitions["p2"].status == "collecting signatures"


def test_in_immediate_mode_more_than_half_of_the_electorate_signing_recalls_at_once() -> None:
    box = Box(seated(recall_mode="immediate")[0])
    (started,) = box.run(petition())
    assert started.mode == "immediate" and started.needed == 3  # more than half of 5
    assert box.run(SignRecall("fay", at(hour() + 2), "p1"))[0].kind == "recall petition signed"
    events = box.run(SignRecall("gus", at(hour() + 3), "p1"))
    assert [e.kind for e in events][:4] == [
        "recall petition signed",
        "delegate recalled",
        "seat vacated",
        "election called",
    ]
    assert (events[1].poll, events[1].petition) == (None, "p1")
    assert ("north", "ann") not in box.state.delegates and box.state.petitions["p1"].status == "recalled"
    assert not [p for p in box.state.polls.values() if p.purpose == "recall"]  # no vote was held


def test_members_of_a_whole_subtree_recall_their_district_s_delegate_to_the_congress(box: Box) -> None:
    (started,) = box.run(petition(council="congress", scope="subtree"))  # eve, of Local 1, below North
    assert (started.constituent, started.electorate, started.needed) == ("north", 6, 2)  # Local 1 and Local 2
    events = box.run(SignRecall("bo", at(hour() + 2), "p1"))  # bo, of Local 2, below North too
    opened = events[-1]
    assert (opened.council, opened.scope, opened.secret) == ("north", "subtree", True)
    poll = box.state.polls[opened.poll]
    assert set(poll.electorate) == {*LOCAL_1, "bo"}  # no one from the South, nor anyone above
    assert poll.question == "Recall ann from Congress?"
    events = vote(box, poll.id, {"eve": "yes", "fay": "yes", "bo": "yes", "gus": "no"}, hour() + 3)
    assert [e.kind for e in events][:3] == ["poll counted", "delegate recalled", "seat vacated"]
    assert ("congress", "ann") not in box.state.delegates and ("north", "ann") in box.state.delegates


def test_the_delegates_of_a_delegate_council_recall_its_delegate_to_the_council_above(box: Box) -> None:
    events = box.run(petition(actor="bo", council="congress"))  # bo sits in North; North has 2 delegates
    assert [e.kind for e in events] == ["recall petition started", "recall vote called", "poll opened"]
    assert events[0].needed == 1 and events[2].secret  # a recall vote is secret, even among delegates
    assert set(box.state.polls[events[2].poll].electorate) == {"ann", "bo"}
    refused(box, SignRecall("eve", at(hour() + 2), "p1"), NotAllowed, "takes no more signatures")
    refused(box, petition(actor="eve", council="congress", petition="p2"), NotAllowed, "only delegates seated in North")


def test_signatures_may_be_withdrawn_while_the_petition_collects(box: Box) -> None:
    box.run(petition())
    (withdrawn,) = box.run(WithdrawSignature("eve", at(hour() + 2), "p1"))
    assert withdrawn.kind == "petition signature withdrawn" and box.state.petitions["p1"].signatures == Map()
    refused(box, WithdrawSignature("eve", at(hour() + 3), "p1"), InvalidCommand, "you have not signed")
    assert box.run(SignRecall("fay", at(hour() + 3), "p1"))[-1].kind == "recall petition signed"  # 1 of 2
    assert box.run(SignRecall("eve", at(hour() + 4), "p1"))[-1].kind == "poll opened"  # signing again counts
    refused(box, WithdrawSignature("fay", at(hour() + 5), "p1"), NotAllowed, "takes no more signatures")
    refused(box, WithdrawSignature("fay", at(hour() + 5), "p9"), NotFound, "there is no petition 'p9'")


def test_petition_refusals_change_nothing(box: Box) -> None:
    refused(box, petition(petition=" "), InvalidCommand, "a petition needs an id")
    refused(box, petition(scope="everyone"), InvalidCommand, "of the council or of its subtree")
    refused(box, petition(delegate="eve"), NotAllowed, "eve does not sit in North District")
    refused(box, petition(council="nowhere"), NotFound, "no council 'nowhere'")
    refused(box, petition(actor="zed"), NotFound, "'zed' is not a member")
    refused(box, dataclasses.replace(petition(), reason="  "), InvalidCommand, "needs a reason")
    refused(box, dataclasses.replace(petition(), at=at(0).replace(tzinfo=None)), InvalidCommand, "time zone")
    box.run(petition())
    refused(box, petition(petition="p1", actor="fay"), InvalidCommand, "'p1' exists or existed already")
    refused(box, petition(petition="p2", actor="fay"), InvalidCommand, r"recall ann from north \(p1\) is collecting")
    box.run(petition(petition="p2", actor="fay", scope="subtree"))  # one petition per scope
    box.run(SignRecall("gus", at(hour() + 2), "p1"))  # the vote opens
    refused(box, petition(petition="p3", actor="hal", hours=3), NotAllowed, "a vote to recall ann is open already")


def test_signing_refusals_change_nothing(box: Box) -> None:
    box.run(petition())
    refused(box, SignRecall("eve", at(hour() + 2), "p1"), InvalidCommand, "signed the petition to recall ann")
    refused(box, SignRecall("fay", at(hour() + 2), "p9"), NotFound, "there is no recall petition 'p9'")
    refused(box, SignRecall("zed", at(hour() + 2), "p1"), NotFound, "'zed' is not a member")
    refused(box, SignRecall("bo", at(hour() + 2), "p1"), NotAllowed, "only members of Local 1 may sign a petition")
    refused(box, SignRecall("fay", at(0).replace(tzinfo=None), "p1"), InvalidCommand, "time zone")
    box.run(Resign("ann", at(hour() + 3), "north"))
    refused(box, SignRecall("fay", at(hour() + 4), "p1"), NotAllowed, "ann no longer holds the seat in North District")


def test_a_delegate_recalled_by_one_petition_lapses_the_others(box: Box) -> None:
    box.run(petition(petition="p1", actor="eve", scope="subtree"))
    box.run(petition(petition="p2", actor="fay"))
    box.run(SignRecall("gus", at(hour() + 2), "p2"))
    vote(box, box.state.petitions["p2"].poll, dict.fromkeys(LOCAL_1, "yes"), hour() + 3)
    assert box.state.petitions["p2"].status == "recalled" and box.state.petitions["p1"].status == "lapsed"
    refused(box, SignRecall("hal", at(hour() + 24 * 12), "p1"), NotAllowed, "is lapsed: it takes no more signatures")


def test_a_mandate_s_recall_vote_opens_once_and_a_petition_reaching_its_threshold_joins_it(box: Box) -> None:
    seat = box.state.delegates[("north", "ann")]
    cause = "voted against Local 1's mandate on the strike fund"
    events = open_recall_vote(box.state, seat, at(hour() + 1), "the count", cause)
    assert [e.kind for e in events] == ["recall vote called", "poll opened"] and events[0].petition is None
    box.state = replay(events, box.state)
    poll = events[1].poll
    assert open_recall_vote(box.state, seat, at(hour() + 2), "the count", cause) == []  # one vote at a time
    refused(box, petition(), NotAllowed, "a vote to recall ann is open already")
    # A petition of the council reaching its threshold now would join the open vote.
    (joined,) = call_recall_vote(box.state, seat, at(hour() + 3), "the count", "a petition", "council", "p9")
    assert isinstance(joined, RecallVoteCalled) and joined.poll == poll
    events = vote(box, poll, dict.fromkeys(LOCAL_1, "yes"), hour() + 3)
    assert events[1].kind == "delegate recalled" and events[1].petition is None
    not_seated = box.state.delegates.get(("north", "ann"))
    assert not_seated is None
    with pytest.raises(NotAllowed, match="ann does not sit in North District"):
        open_recall_vote(box.state, seat, at(hour() + 24 * 12), "the count", cause)


def test_a_recall_vote_counted_after_the_delegate_left_the_seat_is_lost_as_no_longer_seated(box: Box) -> None:
    box.run(petition())
    box.run(SignRecall("fay", at(hour() + 2), "p1"))
    poll = box.state.petitions["p1"].poll
    box.run(CastBallot("eve", at(hour() + 3), poll, ("yes",)))
    box.run(Resign("ann", at(hour() + 4), "north"))
    events = vote(box, poll, {"fay": "yes", "gus": "yes"}, hour() + 5)
    assert [e.kind for e in events] == ["poll counted", "recall lost"] and events[
        1
    ].outcome == "no longer seated for that term"


# --- invariant 1: no one above the constituent recalls its delegate --------------------------


@pytest.mark.parametrize(
    ("actor", "council", "delegate", "scope", "message"),
    [
        # The congress's other delegates cannot touch North's delegate to the congress.
        ("cy", "congress", "ann", "council", "only delegates seated in North District may petition"),
        ("cy", "congress", "ann", "subtree", "only members under North District may petition"),
        # North District's delegates (bo, for Local 2) cannot recall Local 1's delegate to North.
        ("bo", "north", "ann", "council", "only members of Local 1 may petition to recall its delegate"),
        ("bo", "north", "ann", "subtree", "only members under Local 1 may petition"),
        # Nor can the South's delegate to the congress recall a delegate in the South from Local 4.
        ("cy", "south", "di", "council", "only members of Local 4 may petition"),
    ],
)
def test_no_one_above_or_beside_the_constituent_petitions_to_recall_its_delegate(
    box: Box, actor: str, council: str, delegate: str, scope: str, message: str
) -> None:
    refused(box, petition(actor=actor, council=council, delegate=delegate, scope=scope), NotAllowed, message)


def test_no_one_above_signs_a_recall_petition_nor_votes_in_the_recall(box: Box) -> None:
    box.run(petition(council="congress", scope="subtree"))
    for outsider in ("cy", "di"):  # delegates in the congress beside North, and members of the South
        refused(box, SignRecall(outsider, at(hour() + 2), "p1"), NotAllowed, "only members under North District")
    events = box.run(SignRecall("fay", at(hour() + 2), "p1"))
    poll = events[-1].poll
    refused(box, CastBallot("cy", at(hour() + 3), poll, ("yes",)), NotAllowed, "only those entitled to vote")


# --- the record ------------------------------------------------------------------------------


def test_every_recall_event_round_trips_through_json_and_replays_to_the_same_state() -> None:
    for mode in ("vote", "immediate"):
        start, hours = seated(recall_mode=mode)
        box = Box(start)
        box.run(petition(scope="subtree", council="congress"))
        box.run(petition(petition="p2", actor="fay"))
        box.run(WithdrawSignature("fay", at(hours + 2), "p2"))
        box.run(SignRecall("gus", at(hours + 2), "p2"))
        for signer in ("hal", "eve", "fay"):
            box.run(SignRecall(signer, at(hours + 3), "p2"))
            if box.state.petitions["p2"].status != "collecting signatures":
                break
        if mode == "vote":
            vote(box, box.state.petitions["p2"].poll, {"eve": "no"}, hours + 4)  # no quorum
            box.run(SignRecall("bo", at(hours + 24 * 9), "p1"))
            vote(box, box.state.petitions["p1"].poll, dict.fromkeys(LOCAL_1, "yes"), hours + 24 * 9)
        kinds = {e.kind for e in box.history}
        assert {"recall petition started", "recall petition signed", "delegate recalled", "seat vacated"} <= kinds
        assert "petition signature withdrawn" in kinds
        assert {"recall vote called", "recall lost"} <= kinds if mode == "vote" else "poll opened" not in kinds
        for event in box.history:
            assert from_json(json.loads(canonical(to_json(event)))) == event
        assert replay(box.history, start) == box.state


# --- a closed constituent's delegates stay answerable ----------------------------------------

EAST_WEST = (("local-1e", "Local 1 East"), ("local-1w", "Local 1 West"))


def split_local_1() -> tuple[Box, float]:
    """Local 1 splits (ann, eve, fay to Local 1 East; gus, hal to West); ann still sits in North for Local 1."""
    state, hours = seated(delegate_seats_by_council=(("north", 3),))  # room for a third constituent
    box = Box(state)
    assignment = (("ann", "local-1e"), ("eve", "local-1e"), ("fay", "local-1e"), ("gus", "local-1w"))
    box.run(ProposeSplit("eve", at(hours + 1), "s1", "local-1", EAST_WEST, (*assignment, ("hal", "local-1w"))))
    for member in LOCAL_1:
        box.run(CastBallot(member, at(hours + 2), "split s1 in local-1", ("yes",)))
    box.run(ClosePoll("the count", at(hours + 3), "split s1 in local-1"))
    assert box.state.councils["local-1"].closed_at is not None
    assert box.state.delegates[("north", "ann")].constituent == "local-1"
    box.history = []
    return box, hours + 4


def test_the_members_of_a_closed_councils_heirs_petition_and_vote_to_recall_its_delegate() -> None:
    box, hours = split_local_1()
    start = box.state
    refused(
        box,
        PetitionRecall("bo", at(hours), "p1", "north", "ann", reason=REASON),
        NotAllowed,
        "Local 1 has closed: only members under Local 1 East or Local 1 West, where its members went, may petition",
    )
    (started,) = box.run(PetitionRecall("gus", at(hours), "p1", "north", "ann", reason=REASON))
    assert (started.constituent, started.electorate, started.needed) == ("local-1", 5, 2)
    events = box.run(SignRecall("fay", at(hours + 1), "p1"))
    assert [e.kind for e in events] == ["recall petition signed", "recall vote called", "poll opened", "poll opened"]
    called = events[1]
    vote_id = "recall 1 of ann from north"
    polls = (f"{vote_id} in local-1e", f"{vote_id} in local-1w")
    assert (called.poll, called.constituent, called.term, called.polls) == (vote_id, "local-1", 1, polls)
    assert [(e.council, set(box.state.polls[e.poll].electorate)) for e in events[2:]] == [
        ("local-1e", {"ann", "eve", "fay"}),
        ("local-1w", {"gus", "hal"}),
    ]
    # East alone would keep her (1 yes, 2 no); both councils together recall her (3 yes, 2 no).
    for voter, choice in (("ann", "no"), ("eve", "no"), ("fay", "yes"), ("gus", "yes"), ("hal", "yes")):
        box.run(CastBallot(voter, at(hours + 2), polls[voter in ("gus", "hal")], (choice,)))
    east = box.run(ClosePoll("the count", at(hours + 3), polls[0]))
    assert [e.kind for e in east] == ["poll counted"] and east[0].outcome == "lost"  # West is still voting
    west = box.run(ClosePoll("the count", at(hours + 3), polls[1]))
    assert [e.kind for e in west] == ["poll counted", "delegate recalled", "seat vacated"]  # no by-election
    assert west[1] == DelegateRecalled("the count", at(hours + 3), "north", "ann", "local-1", 1, vote_id, None)
    assert west[2].cause == "recalled by the vote of Local 1 East and Local 1 West"
    assert ("north", "ann") not in box.state.delegates and box.state.recalls[vote_id].decided
    assert box.state.petitions["p1"].status == "recalled"
    assert replay(box.history, start) == box.state
    for event in box.history:
        assert from_json(json.loads(canonical(to_json(event)))) == event


def test_a_recall_vote_acts_only_on_the_term_it_was_called_against() -> None:
    """ann is re-elected for term 2 while a recall vote against her term-1 seat is open: it lapses."""
    state, _ = seated(term_days=10, nomination_days=1)
    term_2 = 10 + 10 * 24  # the first term started at hour 10
    box = Box(state)
    box.run(PetitionRecall("eve", at(term_2 - 24), "p1", "north", "ann", reason=REASON))
    box.run(SignRecall("fay", at(term_2 - 23), "p1"))
    old_vote = box.state.petitions["p1"].poll
    box.run(StartTerm("the count", at(term_2), "metal"))
    box.run(Nominate("ann", at(term_2 + 1), "north/local-1/term-2", "ann"))
    box.run(OpenElection("ann", at(term_2 + 24), "north/local-1/term-2"))
    assert box.state.delegates[("north", "ann")].term == 2
    # The new term's seat is answerable to a new petition, even while the old vote is open.
    box.run(PetitionRecall("gus", at(term_2 + 25), "p2", "north", "ann", reason=REASON))
    assert box.state.petitions["p2"].term == 2
    events = vote(box, old_vote, dict.fromkeys(LOCAL_1, "yes"), term_2 + 26)
    assert [e.kind for e in events] == ["poll counted", "recall lost"]
    assert (events[1].term, events[1].outcome) == (1, "no longer seated for that term")
    assert box.state.delegates[("north", "ann")].term == 2 and box.state.petitions["p1"].status == "lost"
