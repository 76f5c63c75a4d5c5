"""A simulated federation: a realistic record to try the tools on, without a server.

    events, ballots = simulate(seed=1917, members=240, weeks=30)
    write_demo_bundle("demo-bundle", seed=1917)        # what `frombelow export --demo` writes

A metalworkers' federation: a congress, two districts (North, South), three locals in
each. Founders invite members until there are ``members``; factions form and recruit;
seats are apportioned; then week by week, through two terms of half a year: every
council elects its delegates from the bottom up (secret STV ballots), locals vote on
motions (secret), districts take weighted public roll calls on motions their locals
have mandated, some delegates break their mandate and face a recall vote, members
petition to recall delegates, object to district decisions until a referendum of the
district decides, put initiatives on a district's agenda, record dissent; decisions take
effect after the veto window; vacated seats are filled by by-elections; members move,
leave and join.

Everything goes through the federation core (``execute``), so every event obeys the
rules; a command the rules refuse is simply not recorded. Secret ballots are kept apart
from the record as a ballot box would: the box hands them, shuffled, to ``ClosePoll``,
and they are returned as published, per poll. The same seed gives the same history,
byte for byte (time is simulated; the demo key is derived from the seed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frombelow.ballotbox import BallotBox, MemoryBoxStore
from frombelow.federation import RuleBroken, State, decide, replay
from frombelow.federation.apportionment import ApportionSeats
from frombelow.federation.charter import Charter
from frombelow.federation.commands import Command, FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.dissent import RecordDissent
from frombelow.federation.elections import AcceptNomination, Nominate, OpenElection, StartTerm
from frombelow.federation.events import THE_COUNT, CouncilPlan, Event
from frombelow.federation.factions import FoundFaction, JoinFaction
from frombelow.federation.initiative import SignInitiative, StartInitiative
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.recall import PetitionRecall, SignRecall
from frombelow.federation.veto import ObjectToDecision, TakeEffect
from frombelow.federation.voting import Ballot, CastBallot, ClosePoll

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FEDERATION = "metal"
RECEIPTS_FILE = "demo-receipts.tsv"  # poll id, tab, receipt (commitment:nonce), a line per ballot
DISTRICTS = {"north": ("local-1", "local-2", "local-3"), "south": ("local-4", "local-5", "local-6")}
CHARTER = Charter(delegate_seats=3, weighted_roll_calls=True, term_days=182)
WEEK = timedelta(days=7)
TURNOUT = 0.7
FACTIONS = (("left", "Left Unity", "All power to the locals"), ("broad", "Broad Left", "One union, many voices"))


def simulate(seed: int = 1917, members: int = 240, weeks: int = 30) -> tuple[list[Event], dict[str, list[Ballot]]]:
    """The events of a simulated federation, in order, and the ballots each secret poll's box published."""
    federation = run(seed, members, weeks)
    return [event for batch in federation.batches for event in batch], federation.published


def run(
    seed: int = 1917, members: int = 240, weeks: int = 30, start: datetime = START, charter: Charter = CHARTER
) -> Federation:
    """The simulation itself, keeping each command's events apart (``batches``)."""
    federation = Federation(random.Random(seed), start=start)
    federation.found(charter)
    while len(federation.state.members) < members:
        federation.grow()
    for faction in FACTIONS:
        federation.faction(*faction)
    for council in ("north", "south", "congress"):
        federation.run(ApportionSeats(THE_COUNT, federation.now(), council))
    for week in range(weeks):
        if week % 26 == 0:
            federation.term()
        federation.week()
    federation.advance(WEEK)
    federation.close_due()
    return federation


def write_demo_bundle(directory: Path | str, seed: int = 1917, members: int = 240, weeks: int = 30) -> Path:
    """Simulate, record every command's events in a ledger signed with the demo key, export a bundle."""
    from frombelow.ledger import bundles, log, signing  # the demo stands above the ledger, as the CLI does

    federation = run(seed, members, weeks)
    ledger = log.Ledger(signer=signing.Signer.from_seed(f"frombelow demo {seed}".encode()))
    for batch in federation.batches:
        ledger.record(batch, batch[-1].at)
    if ledger.unsigned:
        ledger.checkpoint(federation.batches[-1][-1].at)
    written = bundles.write_bundle(directory, ledger, federation.published)
    # Only voters hold receipts; the simulated voters' are kept beside the record to try `recount --receipt`.
    kept = [f"{poll}\t{receipt}" for poll, receipts in sorted(federation.receipts.items()) for receipt in receipts]
    (written / RECEIPTS_FILE).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return written


@dataclass
class Federation:
    rng: random.Random
    state: State = field(default_factory=State)
    batches: list[list[Event]] = field(default_factory=list)  # each accepted command's events
    refused: int = 0
    published: dict[str, list[Ballot]] = field(default_factory=dict)  # poll -> ballots as the box published them
    boxes: dict[str, BallotBox] = field(default_factory=dict)  # open secret polls' ballot boxes
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)  # poll -> member -> voting token
    receipts: dict[str, list[str]] = field(default_factory=dict)  # poll -> the receipts voters were given
    open_polls: dict[str, datetime] = field(default_factory=dict)  # poll -> when it closes
    waiting: list[str] = field(default_factory=list)  # decisions in their veto window
    by_elections: list[str] = field(default_factory=list)  # called, not yet open
    roll_calls: list[str] = field(default_factory=list)  # district motions whose locals have mandated
    minutes: int = 0
    serial: int = 0
    start: datetime = START  # when the simulated history begins

    # --- running commands -----------------------------------------------------------------

    def now(self) -> datetime:
        self.minutes += 1  # one command a minute: each command's events share a time no other command has
        return self.start + timedelta(minutes=self.minutes)

    def advance(self, by: timedelta) -> None:
        self.minutes += int(by / timedelta(minutes=1))

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def run(self, command: Command) -> list[Event]:
        try:
            events = decide(self.state, command)
        except RuleBroken:
            self.refused += 1
            return []
        return self.record(events)

    def record(self, events: list[Event]) -> list[Event]:
        """Apply one command's events and keep them as a batch (one ledger record)."""
        self.state = replay(events, self.state)
        self.batches.append(events)
        for event in events:
            if event.kind == "poll opened":
                self.open_polls[event.poll] = event.closes_at
                if event.secret:  # the box, with a token for each voter, as the platform would give them
                    box = BallotBox(self.state, event.poll, MemoryBoxStore(), randomness=self.rng)
                    self.boxes[event.poll], self.tokens[event.poll] = box, box.issue_all(self.state)
            elif event.kind == "poll counted":
                self.open_polls.pop(event.poll, None)
            elif event.kind == "election called" and event.by_election:
                self.by_elections.append(event.election)
            elif event.kind == "motion carried":
                decision = self.state.decisions.get(event.motion)
                if decision is not None and decision.status == "waiting for the veto window":
                    self.waiting.append(event.motion)
        return events

    # --- members --------------------------------------------------------------------------

    def found(self, charter: Charter = CHARTER) -> None:
        plans = [CouncilPlan("congress", "Congress", None)]
        founders = []
        for district, locals_ in DISTRICTS.items():
            plans.append(CouncilPlan(district, f"{district.title()} District", "congress"))
            for local in locals_:
                plans.append(CouncilPlan(local, f"Local {local.split('-')[1]}", district))
                founders.append((f"founder-{local}", local))
        name = "Metalworkers' Federation"
        self.run(FoundFederation(founders[0][0], self.now(), FEDERATION, name, charter, tuple(plans), tuple(founders)))

    def locals(self) -> list[str]:
        return [local for locals_ in DISTRICTS.values() for local in locals_]

    def invite(self, local: str) -> str | None:
        roll = self.state.roll(local)
        if not roll:
            return None
        code = self.fresh("invitation") + f"-{self.rng.getrandbits(64):016x}"
        return code if self.run(IssueInvitation(self.rng.choice(roll), self.now(), local, code)) else None

    def grow(self) -> None:
        code = self.invite(self.rng.choice(self.locals()))
        if code:
            self.run(Join(self.fresh("m"), self.now(), code))

    def churn(self) -> None:
        """A member moves to another local, or leaves and someone new joins."""
        member = self.rng.choice(sorted(self.state.members.keys()))
        if self.rng.random() < 0.5:
            code = self.invite(self.rng.choice(self.locals()))
            if code:
                self.run(Move(member, self.now(), code))
        elif len(self.state.roll(self.state.members[member].council)) > 3:
            self.run(Leave(member, self.now()))
            self.grow()

    def faction(self, faction: str, name: str, platform: str) -> None:
        everyone = sorted(self.state.members.keys())
        self.run(FoundFaction(self.rng.choice(everyone), self.now(), faction, name, platform))
        for member in self.rng.sample(everyone, len(everyone) // 4):
            self.run(JoinFaction(member, self.now(), faction))

    # --- votes, with the box --------------------------------------------------------------

    def vote(self, poll_id: str, turnout: float = TURNOUT) -> None:
        """Those entitled vote: some members in a secret poll, every delegate in a roll call."""
        poll = self.state.polls[poll_id]
        for voter in sorted(poll.electorate.keys()):
            if poll.secret and self.rng.random() > turnout:
                continue
            if poll.method == "question":
                marks = (self.rng.choices(("yes", "no", "abstain"), (6, 3, 1))[0],)
            elif poll.method in ("stv", "irv"):
                marks = tuple(self.rng.sample(poll.choices, self.rng.randint(1, min(4, len(poll.choices)))))
            else:
                marks = (self.rng.choice(poll.choices),)
            if poll.secret:
                self.cast(poll_id, voter, marks)
            else:
                self.run(CastBallot(voter, self.now(), poll_id, marks))

    def cast(self, poll_id: str, voter: str, marks: tuple[str, ...]) -> None:
        """A secret ballot through the box: the roll's event in the record, the ballot in the box."""
        try:
            events, receipt = self.boxes[poll_id].cast(self.state, self.tokens[poll_id][voter], marks, self.now())
        except RuleBroken:
            self.refused += 1
            return
        self.record(events)
        self.receipts.setdefault(poll_id, []).append(f"{receipt.commitment}:{receipt.nonce}")

    def close_due(self) -> None:
        now = self.now()
        for poll_id, closes_at in sorted(self.open_polls.items(), key=lambda item: (item[1], item[0])):
            poll = self.state.polls[poll_id]
            if closes_at > now and len(poll.turnout) < len(poll.electorate):
                continue
            if not poll.secret:
                self.run(ClosePoll(THE_COUNT, self.now(), poll_id))
                continue
            try:  # the box publishes the ballots shuffled, with their receipts' commitments
                events, published = self.boxes.pop(poll_id).close(self.state, self.now())
            except RuleBroken:
                self.refused += 1
                continue
            self.record(events)
            self.published[poll_id] = list(published)

    # --- a term: every council elects its delegates, from the bottom up ------------------

    def term(self) -> None:
        started = self.run(StartTerm(THE_COUNT, self.now(), FEDERATION))
        elections = [e.election for e in started if e.kind == "election called"]
        for level in (self.locals(), list(DISTRICTS)):  # locals elect to districts, districts to the congress
            now_electing = [e for e in elections if self.state.elections[e].constituent in level]
            for election in now_electing:
                self.nominate(election)
            self.advance(WEEK)  # nominations close
            for election in now_electing:
                self.open_and_vote(election)
            self.advance(WEEK)
            self.close_due()

    def nominate(self, election_id: str) -> None:
        election = self.state.elections[election_id]
        constituent = self.state.councils[election.constituent]
        if constituent.kind == "base":
            roll = self.state.roll(constituent.id)
            for member in self.rng.sample(roll, min(len(roll), election.seats + 2)):
                self.run(Nominate(member, self.now(), election_id, member))
            return
        electors = [d.member for d in self.state.seated(constituent.id)]
        under = [m.id for m in self.state.members_under(constituent.id)]
        for nominee in self.rng.sample(under, min(len(under), election.seats + 2)):
            if electors and self.run(Nominate(self.rng.choice(electors), self.now(), election_id, nominee)):
                self.run(AcceptNomination(nominee, self.now(), election_id))

    def open_and_vote(self, election_id: str) -> None:
        self.run(OpenElection(THE_COUNT, self.now(), election_id))
        poll = self.state.elections[election_id].poll
        if poll in self.state.polls:
            self.vote(poll, turnout=0.8)

    # --- a week of business ---------------------------------------------------------------

    def week(self) -> None:
        self.close_due()
        self.take_effect()
        self.by_election_business()
        for motion in self.roll_calls:
            self.roll_call(motion)
        self.roll_calls = []
        for local in self.rng.sample(self.locals(), 2):
            self.local_motion(local)
        self.district_motion(self.rng.choice(list(DISTRICTS)))
        if self.rng.random() < 0.3:
            self.recall_petition(self.rng.choice(list(DISTRICTS)))
        if self.waiting and self.rng.random() < 0.5:
            self.object(self.waiting[self.rng.randrange(len(self.waiting))])
        if self.rng.random() < 0.15:
            self.initiative(self.rng.choice(list(DISTRICTS)))
        self.dissent()
        for _ in range(6):
            self.churn()
        self.advance(WEEK)

    def local_motion(self, local: str) -> None:
        roll = self.state.roll(local)
        motion = self.fresh("motion")
        proposed = len(roll) > 1 and self.run(
            ProposeMotion(roll[0], self.now(), motion, local, "Local business", "Act")
        )
        if proposed and self.run(CallVote(roll[-1], self.now(), motion)):
            self.vote(f"vote on {motion}")

    def district_motion(self, district: str) -> None:
        delegates = self.state.seated(district)
        if not delegates:
            return
        motion = self.fresh("motion")
        proposer = self.rng.choice(delegates).member
        if not self.run(ProposeMotion(proposer, self.now(), motion, district, "District business", "We resolve")):
            return
        for local in sorted({d.constituent for d in delegates}):
            roll = self.state.roll(local)
            mandate = self.fresh("mandate")
            position = self.rng.choice(("yes", "no"))
            proposed = roll and self.run(ProposeMandate(roll[0], self.now(), mandate, local, motion, position, "Ours"))
            if proposed and self.run(CallVote(roll[-1], self.now(), mandate)):
                self.vote(f"vote on {mandate}")
        self.roll_calls.append(motion)  # the district votes once the mandates are decided

    def roll_call(self, motion: str) -> None:
        """Every delegate votes in public; a few against their local's mandate (which may open a recall vote)."""
        council = self.state.motions[motion].council
        delegates = self.state.seated(council)
        if not delegates or not self.run(CallVote(delegates[0].member, self.now(), motion)):
            return
        poll = self.state.polls[f"vote on {motion}"]
        for voter in sorted(poll.electorate.keys()):
            marks = (self.rng.choice(("yes", "yes", "no")),)
            for event in self.run(CastBallot(voter, self.now(), poll.id, marks)):
                if event.kind == "poll opened" and event.purpose == "recall":
                    self.vote(event.poll)

    def recall_petition(self, district: str) -> None:
        seats = [d for d in self.state.seated(district) if self.state.councils[d.constituent].kind == "base"]
        if not seats:
            return
        seat = self.rng.choice(seats)
        signers = self.state.roll(seat.constituent)
        petition = self.fresh("petition")
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

    def by_election_business(self) -> None:
        now = self.now()
        for election in list(self.by_elections):
            called = self.state.elections.get(election)
            if called is None or called.decided:
                self.by_elections.remove(election)
            elif not called.nominations:
                self.nominate(election)
            elif called.nominations_close_at <= now:
                self.by_elections.remove(election)
                self.open_and_vote(election)

    def object(self, decision: str) -> None:
        """Members below object until a referendum of the district's subtree is called, then vote in it."""
        under = [m.id for m in self.state.members_under(self.state.decisions[decision].council)]
        for member in self.rng.sample(under, len(under)):
            opened = [
                e.poll for e in self.run(ObjectToDecision(member, self.now(), decision)) if e.kind == "poll opened"
            ]
            if opened:
                self.vote(opened[0], turnout=0.5)
                return

    def take_effect(self) -> None:
        now = self.now()
        for decision in list(self.waiting):
            if self.state.decisions[decision].status != "waiting for the veto window":
                self.waiting.remove(decision)
            elif self.state.decisions[decision].takes_effect_at <= now:
                self.waiting.remove(decision)
                self.run(TakeEffect(THE_COUNT, self.now(), decision))

    def initiative(self, district: str) -> None:
        under = [m.id for m in self.state.members_under(district)]
        initiative = self.fresh("initiative")
        if not self.run(StartInitiative(under[0], self.now(), initiative, district, "From below", "Put this to us")):
            return
        for signer in under[1:]:
            events = self.run(SignInitiative(signer, self.now(), initiative))
            if any(e.kind == "initiative placed on the agenda" for e in events):
                return

    def dissent(self) -> None:
        decided = sorted(self.state.decisions.keys())
        if not decided or self.rng.random() < 0.5:
            return
        faction = self.rng.choice([f for f, *_ in FACTIONS])
        members = sorted(self.state.factions[faction].members.keys()) if faction in self.state.factions else []
        if members:
            text = "We opposed this, and say why"
            self.run(RecordDissent(self.rng.choice(members), self.now(), faction, self.rng.choice(decided), text))
