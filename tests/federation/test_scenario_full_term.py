"""A three-level federation through a whole term, every rule of the core in play.

The Metalworkers found a congress over North and South District councils over four
locals. Members join by invitation; a term starts and the seats are apportioned; each
level elects its delegates (Local 1 and North by contested secret STV counts). Local 1
mandates its delegates to reject the employers' offer; Ann votes for it in North's roll
call anyway, which opens a recall vote in Local 1: she is recalled and a by-election
seats Hal. North's decision to accept the offer is vetoed by its members and overturned
by a referendum of North's whole subtree. An initiative from Local 3 puts the
thirty-two-hour week on the congress's agenda, where it carries against the Rank and
File tendency, whose dissent stays attached to the decision; it takes effect after the
veto window. Finally the congress amends the charter, and the members ratify it from
below. The history then replays, from its JSON, to the very same state.
"""

import dataclasses
from fractions import Fraction

from box import Box
from founding import TREE, at

from frombelow.federation import replay
from frombelow.federation.amendment import ProposeCharterAmendment
from frombelow.federation.charter import Charter
from frombelow.federation.commands import FoundFederation
from frombelow.federation.dissent import RecordDissent
from frombelow.federation.elections import AcceptNomination, Nominate, OpenElection, StartTerm
from frombelow.federation.events import Event, from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction
from frombelow.federation.initiative import SignInitiative, StartInitiative
from frombelow.federation.mandates import ProposeMandate, record
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.veto import ObjectToDecision, TakeEffect
from frombelow.federation.voting import CastBallot, ClosePoll, recount

CHARTER = Charter(
    delegate_seats=3,
    delegate_seats_by_council=(("congress", 4),),
    initiative_threshold=Fraction(1, 4),
    veto_member_share=Fraction(1, 3),
)
JOINING = {  # base council -> (inviter, newcomers)
    "local-1": ("ann", ["eve", "fay", "gus", "hal", "ida"]),
    "local-2": ("bo", ["jo", "kim"]),
    "local-3": ("cy", ["lee", "max", "ned"]),
    "local-4": ("di", ["oz", "pat"]),
}
LOCAL_1 = ["ann", "eve", "fay", "gus", "hal", "ida"]
NORTH_MEMBERS = [*LOCAL_1, "bo", "jo", "kim"]
DAY = 24


def last(box: Box, kind: str, **fields: object) -> Event:
    return next(
        e for e in reversed(box.history) if e.kind == kind and all(getattr(e, k) == v for k, v in fields.items())
    )


def vote(box: Box, poll: str, marks: dict[str, tuple[str, ...]], hours: float) -> None:
    for voter, choice in marks.items():
        box.run(CastBallot(voter, at(hours), poll, choice))


def election_of(box: Box, constituent: str, by_election: bool = False) -> str:
    return last(box, "election called", constituent=constituent, by_election=by_election).election


def nominate(box: Box, election: str, candidates: list[str], hours: float, by: str | None) -> None:
    """Each candidate nominates themselves, or is nominated ``by`` an elector and accepts."""
    for candidate in candidates:
        box.run(Nominate(by or candidate, at(hours), election, candidate))
        if by not in (None, candidate):
            box.run(AcceptNomination(candidate, at(hours), election))


def contested(
    box: Box, election: str, candidates: list[str], rankings: dict, hours: float, by: str | None = None
) -> None:
    """Candidates are nominated; once nominations close the election opens and every elector votes."""
    nominate(box, election, candidates, hours, by)
    chosen = box.state.elections[election]
    opening = max(hours + 1, (chosen.nominations_close_at - at(0)).total_seconds() / 3600)
    box.run(OpenElection(next(iter(rankings)), at(opening), election))
    vote(box, chosen.poll, rankings, opening + 1)
    box.run(ClosePoll(next(iter(rankings)), at(opening + 2), chosen.poll))


def unopposed(box: Box, constituent: str, candidates: list[str], hours: float, by: str | None = None) -> OpenElection:
    """No more candidates than seats are nominated; the command opening the election (which seats them)."""
    election = election_of(box, constituent)
    nominate(box, election, candidates, hours, by)
    opening = max(hours + 1, (box.state.elections[election].nominations_close_at - at(0)).total_seconds() / 3600)
    return OpenElection(by or candidates[0], at(opening), election)


def a_full_term() -> Box:
    """The whole story, checked as it goes; the box holds its history (invariant 2 scans it too)."""
    box = Box()
    founders = (("ann", "local-1"), ("bo", "local-2"), ("cy", "local-3"), ("di", "local-4"))
    box.run(FoundFederation("ann", at(0), "metal", "Metalworkers", CHARTER, TREE, founders))

    # --- members join by invitation; a tendency forms ------------------------------------
    hours = 1
    for council, (inviter, newcomers) in JOINING.items():
        for newcomer in newcomers:
            box.join(inviter, council, newcomer, hours)
            hours += 2
    assert len(box.state.members) == 16
    box.run(FoundFaction("eve", at(30), "rank-and-file", "Rank and File", "No concessions without a ballot"))
    for member in ("fay", "gus"):
        box.run(JoinFaction(member, at(31), "rank-and-file"))

    # --- a term starts: seats apportioned by members represented ---------------------------
    box.run(StartTerm("the count", at(40), "metal"))
    shares = {e.council: dict(e.seats) for e in box.history if e.kind == "seats apportioned"}
    assert shares == {
        "congress": {"north": 2, "south": 2},
        "north": {"local-1": 2, "local-2": 1},
        "south": {"local-3": 2, "local-4": 1},
    }
    north = last(box, "seats apportioned", council="north")
    assert dict(north.represented) == {"local-1": 6, "local-2": 3} and north.gallagher == "0.000"

    # --- elections at each level, from below ----------------------------------------------
    rankings = {
        "ann": ("ann", "eve"), "eve": ("eve", "fay"), "fay": ("fay", "eve"),
        "gus": ("eve", "ann"), "hal": ("ann", "fay"), "ida": ("ann", "eve"),
    }  # fmt: skip
    openings = [unopposed(box, "local-2", ["bo"], 41), unopposed(box, "local-3", ["cy", "lee"], 41)]
    openings.append(unopposed(box, "local-4", ["di"], 41))
    contested(box, election_of(box, "local-1"), ["ann", "eve", "fay"], rankings, 41)
    for opening in openings:  # once Local 1's count is in (time only moves forward)
        box.run(dataclasses.replace(opening, at=at(8 * DAY + 20)))
    local_1_count = last(box, "poll counted", poll=box.state.elections[election_of(box, "local-1")].poll)
    assert local_1_count.elected == ("ann", "eve") and local_1_count.rounds
    assert sorted(d.member for d in box.state.seated("north")) == ["ann", "bo", "eve"]

    hours = 8 * DAY + 30
    north_voters = {"ann": ("bo", "gus"), "bo": ("bo", "kim"), "eve": ("gus", "bo")}
    south = unopposed(box, "south", ["cy", "lee"], hours, by="cy")
    contested(box, election_of(box, "north"), ["bo", "gus", "kim"], north_voters, hours, by="bo")
    box.run(dataclasses.replace(south, at=at(hours + 3)))
    assert sorted(d.member for d in box.state.seated("congress")) == ["bo", "cy", "gus", "lee"]

    # --- a mandate, a deviating roll call, a recall and a by-election ----------------------
    hours = 10 * DAY
    box.run(ProposeMotion("bo", at(hours), "offer", "north", "Employers' offer", "Accept the 2% offer"))
    box.run(ProposeMandate("fay", at(hours + 1), "mandate-offer", "local-1", "offer", "no", "Reject the offer"))
    box.run(CallVote("fay", at(hours + 2), "mandate-offer"))
    vote(box, "vote on mandate-offer", {m: ("yes",) for m in LOCAL_1[1:]} | {"ann": ("no",)}, hours + 3)
    box.run(ClosePoll("fay", at(hours + 4), "vote on mandate-offer"))
    assert last(box, "mandate issued").position == "no"

    box.run(CallVote("bo", at(hours + 5), "offer"))
    vote(box, "vote on offer", {"ann": ("yes",), "bo": ("yes",)}, hours + 6)
    deviation = last(box, "mandate broken")
    assert (deviation.actor, deviation.item, deviation.position, deviation.cast) == ("ann", "offer", "no", ("yes",))
    recall_poll = last(box, "poll opened", purpose="recall")
    assert recall_poll.council == "local-1" and recall_poll.secret
    vote(box, "vote on offer", {"eve": ("no",)}, hours + 6)
    box.run(ClosePoll("bo", at(hours + 7), "vote on offer"))
    assert last(box, "motion carried").motion == "offer"
    assert box.state.decisions["offer"].status == "waiting for the veto window"
    assert [(r.item, r.cast, r.mandate.position, r.deviated) for r in record(box.state, "ann")] == [
        ("offer", ("yes",), "no", True)
    ]  # her record shows the vote beside the mandate she had

    recall_marks = {"eve": ("yes",), "fay": ("yes",), "gus": ("yes",), "hal": ("yes",), "ida": ("no",), "ann": ("no",)}
    vote(box, recall_poll.poll, recall_marks, hours + 8)
    box.run(ClosePoll("eve", at(hours + 9), recall_poll.poll))
    assert last(box, "delegate recalled").actor == "the count"
    assert ("north", "ann") not in box.state.delegates
    by_election = election_of(box, "local-1", by_election=True)
    contested(
        box,
        by_election,
        ["hal", "ida"],
        {m: ("hal", "ida") for m in LOCAL_1[:4]} | {"hal": ("hal",), "ida": ("ida",)},
        hours + 10,
    )
    assert ("north", "hal") in box.state.delegates

    # --- veto from below: North's members object, and a referendum overturns -----------------
    hours = 18 * DAY  # once the by-election is counted; the veto window runs 14 days
    for member in ("fay", "gus", "jo"):
        box.run(ObjectToDecision(member, at(hours), "offer"))
    referendum = last(box, "poll opened", purpose="referendum")
    assert referendum.scope == "subtree" and referendum.electorate == len(NORTH_MEMBERS)
    assert box.state.decisions["offer"].status == "in referendum"
    marks = {m: ("no",) for m in NORTH_MEMBERS[:6]} | {m: ("yes",) for m in NORTH_MEMBERS[6:]}
    vote(box, referendum.poll, marks, hours + 1)
    box.run(ClosePoll("jo", at(hours + 2), referendum.poll))
    assert box.state.decisions["offer"].status == "overturned"

    # --- an initiative from Local 3 reaches the congress; a tendency dissents ----------------
    hours = 19 * DAY
    box.run(StartInitiative("max", at(hours), "shorter-week", "congress", "Thirty-two hour week", "Campaign for it"))
    for member in ("ned", "oz", "pat"):
        box.run(SignInitiative(member, at(hours + 1), "shorter-week"))
    placed = last(box, "motion proposed", initiative="shorter-week")
    assert placed.council == "congress" and placed.actor == "the count"
    box.run(CallVote("cy", at(hours + 2), placed.motion))
    roll_call = {"bo": ("yes",), "cy": ("yes",), "lee": ("yes",), "gus": ("no",)}
    vote(box, f"vote on {placed.motion}", roll_call, hours + 3)
    box.run(ClosePoll("cy", at(hours + 4), f"vote on {placed.motion}"))
    assert [e.marks for e in box.history if e.kind == "vote cast" and e.poll == f"vote on {placed.motion}"] == list(
        roll_call.values()
    )  # a roll call: every delegate's vote is public
    text = "A shorter week without a ballot on pay is a concession"
    box.run(RecordDissent("gus", at(hours + 5), "rank-and-file", placed.motion, text))
    assert [d.text for d in box.state.dissents[placed.motion]] == [text]

    # --- the charter amended by the congress, ratified from below ---------------------------
    hours = 20 * DAY
    amended = dataclasses.replace(CHARTER, term_limit=3)
    box.run(ProposeCharterAmendment("cy", at(hours), "charter-1", "Three terms", "Allow three terms in a row", amended))
    box.run(CallVote("lee", at(hours + 1), "charter-1"))
    vote(box, "vote on charter-1", {"bo": ("yes",), "cy": ("yes",), "lee": ("yes",), "gus": ("no",)}, hours + 2)
    box.run(ClosePoll("lee", at(hours + 3), "vote on charter-1"))
    ratification = last(box, "poll opened", purpose="ratification")
    members = sorted(box.state.members.keys())
    assert ratification.electorate == 16
    no_voters = {"di", "oz", "pat", "ann"}  # Local 4 says no; Local 1, 2 and 3 say yes
    vote(box, ratification.poll, {m: ("no",) if m in no_voters else ("yes",) for m in members}, hours + 4)
    box.run(ClosePoll("lee", at(hours + 5), ratification.poll))
    assert box.state.federations["metal"].charter == amended

    # --- the initiative's decision takes effect once the veto window has passed ---------------
    box.run(TakeEffect("max", at(40 * DAY), placed.motion))
    assert box.state.decisions[placed.motion].status == "in effect"

    return box


def test_a_full_term_of_a_three_level_federation() -> None:
    box = a_full_term()
    # --- everything can be checked: recounts, and the record replays to the same state --------
    for counted in (e for e in box.history if e.kind == "poll counted"):
        assert recount(box.state.polls[counted.poll], counted) == counted
    assert replay(box.history) == box.state
    assert replay(from_json(to_json(e)) for e in box.history) == box.state
    kinds = {e.kind for e in box.history}
    assert {"delegate recalled", "seat vacated", "referendum called", "decision overturned", "charter amended",
            "initiative placed on the agenda", "dissent recorded", "mandate broken"} <= kinds  # fmt: skip
