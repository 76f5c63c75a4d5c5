"""The governing part of the federation benchmark: terms, elections, motions, mandates,
roll calls, recalls, referendums, initiatives and dissent, week by week.

Used by ``benchmarks/federation.py``: its ``Driver`` runs the commands (and times only
``execute``); this module decides what a federation of 100 k members does in a week, and
keeps the secret ballots apart from the record as the ballot box would.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from frombelow.federation.dissent import RecordDissent
from frombelow.federation.elections import AcceptNomination, Nominate, OpenElection, StartTerm
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.initiative import SignInitiative, StartInitiative
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.recall import PetitionRecall, SignRecall
from frombelow.federation.veto import ObjectToDecision, TakeEffect
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll

# A week's business, for a federation of 1,000 locals (scaled down with fewer members).
LOCAL_MOTIONS = 60
DISTRICT_MOTIONS = 12
MANDATE_SHARE = 0.5  # of a district motion's constituent locals, those that mandate their delegates
RECALL_PETITIONS = 3
TURNOUT = 0.6  # of those entitled, who vote in a base council or a subtree
DEVIATION = 0.15  # of mandated delegates, those who vote against their mandate
INITIATIVE_EVERY = 8  # weeks
WEEK = timedelta(days=7)


@dataclass
class Governance:
    driver: Any  # benchmarks/federation.py's Driver
    federation: str
    ballots: dict[str, list[Ballot]] = field(default_factory=lambda: defaultdict(list))  # the box
    open_polls: dict[str, datetime] = field(default_factory=dict)  # poll id -> when it closes
    roll_calls_due: list[str] = field(default_factory=list)  # district motions whose mandates are being decided
    decisions: list[str] = field(default_factory=list)  # carried decisions of delegate councils
    called: list[str] = field(default_factory=list)  # by-elections called this week
    nominated: list[str] = field(default_factory=list)  # by-elections whose nominations close this week
    weeks: int = 0
    serial: int = 0

    @property
    def state(self) -> Any:
        return self.driver.state

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def run(self, command: Any) -> list[Event]:
        events = self.driver.run(command) or []
        for event in events:
            if event.kind == "poll opened":
                self.open_polls[event.poll] = event.closes_at
            elif event.kind == "poll counted":
                self.open_polls.pop(event.poll, None)
            elif event.kind == "election called" and event.by_election:
                self.called.append(event.election)
            elif event.kind == "motion carried":
                decided = self.state.decisions.get(event.motion)
                if decided is not None and decided.status == "waiting for the veto window":
                    self.decisions.append(event.motion)
        return events

    def under(self, council: str) -> list[str]:
        return [m.id for m in self.state.members_under(council)]

    def advance(self, by: timedelta) -> None:
        self.driver.hours += by / timedelta(hours=1)

    def now(self) -> datetime:
        return self.driver.now()

    # --- votes, with the box ---------------------------------------------------------------

    def vote(self, poll_id: str, turnout: float = TURNOUT) -> None:
        """Those entitled vote: a share of members in a secret poll, every delegate in a roll call."""
        poll = self.state.polls[poll_id]
        rng = self.driver.rng
        for voter in poll.electorate:
            if not poll.secret or rng.random() < turnout:
                if poll.method == "question":
                    marks = (rng.choices(("yes", "no", "abstain"), (6, 3, 1))[0],)
                else:
                    marks = tuple(rng.sample(poll.choices, min(3, len(poll.choices))))
                if self.run(CastBallot(voter, self.now(), poll_id, marks)) and poll.secret:
                    self.ballots[poll_id].append(Ballot(marks))

    def close_due(self) -> None:
        now = self.now()
        for poll_id, closes_at in sorted(self.open_polls.items(), key=lambda p: p[1]):
            poll = self.state.polls[poll_id]
            if closes_at <= now or len(poll.turnout) == len(poll.electorate):
                ballots = tuple(self.ballots.pop(poll_id, ())) if poll.secret else ()
                self.run(ClosePoll(THE_COUNT, now, poll_id, ballots))

    # --- a term: every council elects its delegates, from the bottom up -------------------

    def term(self) -> None:
        started = self.run(StartTerm(THE_COUNT, self.now(), self.federation))
        called = [e for e in started if e.kind == "election called"]
        levels: dict[int, list[str]] = defaultdict(list)
        for event in called:
            levels[len(self.state.ancestors(event.constituent))].append(event.election)
        for depth in sorted(levels, reverse=True):
            for election in levels[depth]:
                self.nominate(election)
            if depth == max(levels):
                self.advance(WEEK)  # the base councils' nominations close
            for election in levels[depth]:
                self.run(OpenElection(THE_COUNT, self.now(), election))
                poll = self.state.elections[election].poll
                if poll in self.state.polls:
                    self.vote(poll, turnout=0.8)
            self.advance(WEEK)
            self.close_due()

    def nominate(self, election_id: str) -> None:
        chosen = self.state.elections[election_id]
        constituent = self.state.councils[chosen.constituent]
        rng = self.driver.rng
        if constituent.kind == "base":
            roll = self.state.roll(constituent.id)
            for member in rng.sample(roll, min(len(roll), chosen.seats + 2)):
                self.run(Nominate(member, self.now(), election_id, member))
            return
        electors = [d.member for d in self.state.seated(constituent.id)]
        under = self.under(constituent.id)
        for nominee in rng.sample(under, min(len(under), chosen.seats + 1)):
            if self.run(Nominate(rng.choice(electors), self.now(), election_id, nominee)):
                self.run(AcceptNomination(nominee, self.now(), election_id))

    # --- a week of business ---------------------------------------------------------------

    def week(self, locals_: list[str], districts: list[str], regions: list[str]) -> None:
        rng = self.driver.rng
        self.close_due()
        self.take_effect()
        for election in self.nominated:  # by-elections called last week: nominations have closed
            self.run(OpenElection(THE_COUNT, self.now(), election))
            if self.state.elections[election].poll in self.state.polls:
                self.vote(self.state.elections[election].poll, turnout=0.8)
        self.nominated, self.called = self.called, []
        for election in self.nominated:
            self.nominate(election)
        for motion in self.roll_calls_due:  # mandates decided last week: the district votes
            self.roll_call(motion)
        self.roll_calls_due = []
        for local in rng.sample(locals_, min(len(locals_), LOCAL_MOTIONS)):
            self.local_motion(local)
        for district in rng.sample(districts, min(len(districts), DISTRICT_MOTIONS)):
            self.district_motion(district)
        for district in rng.sample(districts, min(len(districts), RECALL_PETITIONS)):
            self.recall_petition(district)
        now = self.now()
        waiting = [d for d in self.decisions if self.state.decisions[d].takes_effect_at > now]  # take_effect ran
        if waiting:
            self.object(rng.choice(waiting))
        if self.weeks % INITIATIVE_EVERY == 0:
            self.initiative(rng.choice(regions))
        self.dissent()
        self.weeks += 1

    def local_motion(self, local: str) -> None:
        roll = self.state.roll(local)
        if len(roll) < 2:
            return
        motion = self.fresh("motion-")
        if self.run(ProposeMotion(roll[0], self.now(), motion, local, "Local business", "We resolve to act")):
            self.run(CallVote(roll[-1], self.now(), motion))
            self.vote(f"vote on {motion}")

    def district_motion(self, district: str) -> None:
        delegates = self.state.seated(district)
        if not delegates:
            return
        motion = self.fresh("motion-")
        proposer = self.driver.rng.choice(delegates).member
        if not self.run(ProposeMotion(proposer, self.now(), motion, district, "District business", "We resolve")):
            return
        for local in {d.constituent for d in delegates}:
            if self.driver.rng.random() < MANDATE_SHARE and self.state.councils[local].kind == "base":
                roll = self.state.roll(local)
                mandate = self.fresh("mandate-")
                position = self.driver.rng.choice(("yes", "no"))
                if roll and self.run(ProposeMandate(roll[0], self.now(), mandate, local, motion, position, "Do so")):
                    self.run(CallVote(roll[-1], self.now(), mandate))
                    self.vote(f"vote on {mandate}")
        self.roll_calls_due.append(motion)

    def roll_call(self, motion: str) -> None:
        """Every delegate votes in public; a few against their constituent's mandate."""
        council = self.state.motions[motion].council
        delegates = self.state.seated(council)
        if not delegates or not self.run(CallVote(delegates[0].member, self.now(), motion)):
            return
        poll = self.state.polls[f"vote on {motion}"]
        rng = self.driver.rng
        for voter in poll.electorate:
            marks = (rng.choice(("yes", "yes", "no")),)
            if rng.random() < DEVIATION:
                marks = ("no",) if marks == ("yes",) else ("yes",)
            for event in self.run(CastBallot(voter, self.now(), poll.id, marks)):
                if event.kind == "poll opened" and event.purpose == "recall":
                    self.vote(event.poll)  # a recall-trigger mandate broken: the local votes

    def recall_petition(self, district: str) -> None:
        delegates = [d for d in self.state.seated(district) if self.state.councils[d.constituent].kind == "base"]
        if not delegates:
            return
        seat = self.driver.rng.choice(delegates)
        signers = self.state.roll(seat.constituent)
        petition = self.fresh("petition-")
        if not signers or not self.run(
            PetitionRecall(signers[0], self.now(), petition, district, seat.member, "council", "Broke the mandate")
        ):
            return
        for signer in signers[1:]:
            events = self.run(SignRecall(signer, self.now(), petition))
            opened = [e.poll for e in events if e.kind == "poll opened"]
            if opened:
                self.vote(opened[0])
                return
            if any(e.kind == "delegate recalled" for e in events):
                return

    def object(self, decision: str) -> None:
        """Members below object until a referendum of the subtree is called, and then vote in it."""
        council = self.state.decisions[decision].council
        under = self.under(council)
        for member in self.driver.rng.sample(under, min(len(under), 400)):
            events = self.run(ObjectToDecision(member, self.now(), decision))
            if not events:
                return
            opened = [e.poll for e in events if e.kind == "poll opened"]
            if opened:
                self.vote(opened[0], turnout=0.3)
                return

    def take_effect(self) -> None:
        now = self.now()
        for decision in list(self.decisions):
            decided = self.state.decisions[decision]
            if decided.status != "waiting for the veto window":  # sent to a referendum, which settles it
                self.decisions.remove(decision)
            elif decided.takes_effect_at <= now:
                self.decisions.remove(decision)
                self.run(TakeEffect(THE_COUNT, now, decision))

    def initiative(self, region: str) -> None:
        under = self.under(region)
        if not under:
            return
        initiative = self.fresh("initiative-")
        starter = under[0]
        self.run(StartInitiative(starter, self.now(), initiative, region, "From below", "Put this to the region"))
        for signer in under[1:]:
            if any(
                e.kind == "initiative placed on the agenda"
                for e in self.run(SignInitiative(signer, self.now(), initiative))
            ):
                return

    def dissent(self) -> None:
        pick = self.driver.a_faction_member()
        decided = list(self.state.decisions.keys())
        if pick is not None and decided:
            faction, member = pick
            text = "We opposed this and say why"
            self.run(RecordDissent(member, self.now(), faction, self.driver.rng.choice(decided), text))
