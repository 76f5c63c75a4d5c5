"""Property: any history of a federation replays to the same state; refusals change nothing.

A hypothesis state machine plays a federation's life with commands mostly chosen to be
valid in the current state (joining by invitation, motions in councils one sits in,
votes in open polls, closing them when their time is up, …), mixed with arbitrary
ones. Every command either produces events or is refused with a reason and leaves the
state untouched; at every step the history so far replays from nothing (and from its
JSON) to the very same state.
"""

from datetime import timedelta

import indexes
from box import Box
from founding import at, founding
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from frombelow.federation import RuleBroken, replay
from frombelow.federation.amendment import ProposeCharterAmendment
from frombelow.federation.charter import Charter
from frombelow.federation.commands import IssueInvitation, Join, Leave
from frombelow.federation.councils import ProposeMerge, ProposeSplit
from frombelow.federation.dissent import RecordDissent
from frombelow.federation.elections import AcceptNomination, Nominate, OpenElection, Resign, StartTerm
from frombelow.federation.events import from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction, SupportDissolution
from frombelow.federation.initiative import SignInitiative, StartInitiative
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import CallVote, ProposeAmendment, ProposeMotion
from frombelow.federation.petitions import WithdrawSignature
from frombelow.federation.recall import PetitionRecall, SignRecall
from frombelow.federation.secretaries import ProposeSecretary
from frombelow.federation.veto import ObjectToDecision, ProposeObjection, TakeEffect
from frombelow.federation.voting import QUESTION, QUESTION_METHOD, CastBallot, ClosePoll

NEWCOMERS = [f"m{i:02d}" for i in range(40)]
choice = st.integers(0, 10**6)


class FederationLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.box = Box()
        self.box.run(founding())
        self.hours = 1.0
        self.serial = 0
        self.first_term()

    def first_term(self) -> None:
        """Some members join and a first term seats delegates at every level (one candidate per seat share)."""
        for n, newcomer in enumerate(NEWCOMERS[:8]):
            self.box.join(("ann", "bo", "cy", "di")[n % 4], f"local-{1 + n % 4}", newcomer, self.now(2) and self.hours)
        self.box.run(StartTerm("the count", self.now(), "metal"))
        elections = sorted(
            self.box.state.elections.values(), key=lambda e: -len(self.box.state.ancestors(e.constituent))
        )
        state = self.box.state
        for chosen in elections:  # base councils' nominations close together; those above take them until opening
            if state.councils[chosen.constituent].kind == "base":
                first = state.roll(chosen.constituent)[0]
                self.box.run(Nominate(first, self.now(), chosen.id, first))
        self.until(elections[0].nominations_close_at)
        for chosen in elections:
            state = self.box.state
            elector = (state.roll(chosen.constituent) or [d.member for d in state.seated(chosen.constituent)])[0]
            if state.councils[chosen.constituent].kind == "delegate":
                self.box.run(Nominate(elector, self.now(), chosen.id, elector))
            self.box.run(OpenElection(elector, self.now(), chosen.id))
        assert self.box.state.seated("congress")

    # --- helpers ---------------------------------------------------------------------------

    def now(self, step: float = 1) -> object:
        self.hours += step
        return at(self.hours)

    def attempt(self, command: object) -> None:
        before = self.box.state
        try:
            self.box.run(command)
        except RuleBroken as refusal:
            assert str(refusal)
            assert self.box.state is before

    def pick(self, items: list, n: int) -> object:
        return sorted(items)[n % len(items)] if items else None

    @property
    def members(self) -> list[str]:
        return sorted(self.box.state.members.keys())

    # --- rules -----------------------------------------------------------------------------

    @rule(n=choice, who=st.sampled_from(NEWCOMERS))
    def join(self, n: int, who: str) -> None:
        inviter = self.pick(self.members, n)
        if inviter is None:
            return
        council = self.box.state.members[inviter].council
        self.serial += 1
        code = f"invitation-code-{self.serial:06d}"
        self.attempt(IssueInvitation(inviter, self.now(), council, code))
        self.attempt(Join(who, self.now(), code))

    @rule(n=choice)
    def leave(self, n: int) -> None:
        if len(self.members) > 2:
            self.attempt(Leave(self.pick(self.members, n), self.now()))

    @rule(n=choice, threshold=st.sampled_from([None, "simple", "two-thirds", "absolute"]))
    def propose(self, n: int, threshold: object) -> None:
        member = self.pick(self.members, n)
        if member is None:
            return
        self.serial += 1
        council = self.box.state.members[member].council
        self.attempt(ProposeMotion(member, self.now(), f"m{self.serial}", council, "Title", "Text", threshold))

    @rule(n=choice)
    def amend(self, n: int) -> None:
        motion = self.pick([m.id for m in self.box.state.motions.values() if m.amends is None], n)
        member = self.pick(self.members, n // 7)
        if motion and member:
            self.serial += 1
            self.attempt(ProposeAmendment(member, self.now(), f"a{self.serial}", motion, f"Text {self.serial}"))

    @rule(n=choice)
    def call_vote(self, n: int) -> None:
        motion = self.pick([m.id for m in self.box.state.motions.values() if m.status == "on the agenda"], n)
        member = self.pick(self.members, n // 3)
        if motion and member:
            self.attempt(CallVote(member, self.now(), motion))

    @rule(n=choice, marks=st.sampled_from([(c,) for c in QUESTION] + [(), ("maybe",)]))
    def cast(self, n: int, marks: tuple) -> None:
        polls = [p for p in self.box.state.polls.values() if p.counted is None]
        poll = self.pick([p.id for p in polls], n)
        if poll:
            current = self.box.state.polls[poll]
            if current.method != QUESTION_METHOD and marks:  # a ranking of some of the candidates
                marks = tuple(sorted(current.choices, key=lambda c: hash((c, n)))[: 1 + n % len(current.choices)])
            voters = sorted(current.electorate.keys())
            self.attempt(CastBallot(self.pick(voters, n // 5), self.now(0.1), poll, marks))

    @rule(n=choice, wait=st.booleans())
    def close(self, n: int, wait: bool) -> None:
        poll = self.pick([p.id for p in self.box.state.polls.values() if p.counted is None], n)
        if poll:
            if wait:
                self.until(self.box.state.polls[poll].closes_at)
            self.attempt(ClosePoll(self.pick(self.members, n) or "ann", self.now(), poll))

    @rule(n=choice, action=st.sampled_from(["found", "join", "dissolve"]))
    def faction(self, n: int, action: str) -> None:
        member = self.pick(self.members, n)
        if member is None:
            return
        if action == "found":
            self.serial += 1
            self.attempt(FoundFaction(member, self.now(), f"f{self.serial}", f"Tendency {self.serial}", "Platform"))
            return
        faction = self.pick(list(self.box.state.factions.keys()), n // 11)
        if faction:
            command = JoinFaction if action == "join" else SupportDissolution
            self.attempt(command(member, self.now(), faction))

    def seat(self, n: int) -> object:
        key = self.pick(list(self.box.state.delegates.keys()), n)
        return self.box.state.delegates[key] if key else None

    def until(self, moment: object) -> None:
        self.hours = max(self.hours, (moment - at(0)) / timedelta(hours=1))  # type: ignore[operator]

    @rule(n=choice)
    def start_term(self, n: int) -> None:
        self.attempt(StartTerm(self.pick([*self.members, "the count"], n), self.now(), "metal"))

    @rule(n=choice)
    def nominate(self, n: int) -> None:
        state = self.box.state
        election = self.pick([e.id for e in state.elections.values() if not e.decided], n)
        if election is None:
            return
        chosen = state.elections[election]
        nominee = self.pick([m.id for m in state.members_under(chosen.constituent)], n // 3)
        voters = state.roll(chosen.constituent) or [d.member for d in state.seated(chosen.constituent)]
        by = self.pick(voters, n // 7) or nominee
        if nominee:
            self.attempt(Nominate(by, self.now(), election, nominee))
            if by != nominee:
                self.attempt(AcceptNomination(nominee, self.now(), election))

    @rule(n=choice, wait=st.booleans())
    def open_election(self, n: int, wait: bool) -> None:
        election = self.pick([e.id for e in self.box.state.elections.values() if not e.decided], n)
        if election:
            if wait:
                self.until(self.box.state.elections[election].nominations_close_at)
            self.attempt(OpenElection(self.pick([*self.members, "the count"], n // 3), self.now(), election))

    @rule(n=choice)
    def resign(self, n: int) -> None:
        seat = self.seat(n)
        if seat:
            self.attempt(Resign(seat.member, self.now(), seat.council))

    @rule(n=choice, scope=st.sampled_from(["council", "subtree"]))
    def petition_recall(self, n: int, scope: str) -> None:
        seat, member = self.seat(n), self.pick(self.members, n // 3)
        if seat and member:
            self.serial += 1
            self.attempt(PetitionRecall(member, self.now(), f"p{self.serial}", seat.council, seat.member, scope, "why"))

    @rule(n=choice, how=st.sampled_from([SignRecall, SignInitiative, WithdrawSignature]))
    def sign(self, n: int, how: type) -> None:
        petition, member = self.pick(list(self.box.state.petitions.keys()), n), self.pick(self.members, n // 3)
        if petition and member:
            self.attempt(how(member, self.now(), petition))

    @rule(n=choice, council=st.sampled_from(["congress", "north", "south", "local-1"]))
    def initiative(self, n: int, council: str) -> None:
        member = self.pick(self.members, n)
        if member:
            self.serial += 1
            self.attempt(StartInitiative(member, self.now(), f"p{self.serial}", council, "Title", "Text"))

    @rule(n=choice, position=st.sampled_from(["yes", "no", "abstain"]))
    def mandate(self, n: int, position: str) -> None:
        state = self.box.state
        item, member = self.pick(list(state.motions.keys()), n), self.pick(self.members, n // 3)
        if item and member:
            self.serial += 1
            council = state.members[member].council if n % 2 else self.pick(list(state.benches.keys()), n) or "north"
            self.attempt(ProposeMandate(member, self.now(), f"m{self.serial}", council, item, position, "Text"))

    @rule(n=choice, how=st.sampled_from(["object", "council objects", "take effect", "dissent"]))
    def answer_a_decision(self, n: int, how: str) -> None:
        state = self.box.state
        decision, member = self.pick(list(state.decisions.keys()), n), self.pick(self.members, n // 3)
        if decision is None or member is None:
            return
        if how == "object":
            self.attempt(ObjectToDecision(member, self.now(), decision))
        elif how == "council objects":
            self.serial += 1
            council = state.members[member].council
            self.attempt(ProposeObjection(member, self.now(), f"m{self.serial}", council, decision, "Text"))
        elif how == "take effect":
            self.until(state.decisions[decision].takes_effect_at)
            self.attempt(TakeEffect(member, self.now(), decision))
        else:
            faction = self.pick(list(state.factions.keys()), n // 5)
            if faction:
                self.attempt(RecordDissent(member, self.now(), faction, decision, "We dissent"))

    @rule(n=choice, merge=st.booleans())
    def reshape(self, n: int, merge: bool) -> None:
        state = self.box.state
        member = self.pick(self.members, n)
        if member is None:
            return
        self.serial += 1
        council = state.members[member].council
        if merge:
            siblings = [c.id for c in state.children(state.councils[council].parent or "") if c.kind == "base"]
            others = tuple(sorted({council, self.pick(siblings, n // 3) or council}))
            self.attempt(ProposeMerge(member, self.now(), f"p{self.serial}", others, f"c{self.serial}", "Merged"))
            return
        roll = state.roll(council)
        parts = ((f"c{self.serial}a", "East"), (f"c{self.serial}b", "West"))
        assignment = tuple((m, parts[i % 2][0]) for i, m in enumerate(roll))
        self.attempt(ProposeSplit(member, self.now(), f"p{self.serial}", council, parts, assignment))

    @rule(n=choice)
    def propose_secretary(self, n: int) -> None:
        member = self.pick(self.members, n)
        if member:
            self.serial += 1
            council = self.box.state.members[member].council
            nominee = self.pick(self.box.state.roll(council) if n % 4 else self.members, n // 3)  # mostly one of theirs
            self.attempt(ProposeSecretary(member, self.now(), f"m{self.serial}", council, nominee, "Text"))

    @rule(n=choice)
    def amend_charter(self, n: int) -> None:
        member = self.pick(self.members, n)
        if member:
            self.serial += 1
            inviters = "secretary" if n % 2 else "members"
            charter = Charter(term_limit=1 + n % 4, voting_days=1 + n % 9, invitations_by=inviters)
            self.attempt(ProposeCharterAmendment(member, self.now(), f"m{self.serial}", "Title", "Text", charter))

    # --- what must always hold -------------------------------------------------------------

    @precondition(lambda self: len(self.box.history) % 4 == 0)
    @invariant()
    def history_replays(self) -> None:
        assert replay(self.box.history) == self.box.state
        assert replay(from_json(to_json(e)) for e in self.box.history) == self.box.state

    @invariant()
    def indexes_agree_with_what_they_index(self) -> None:
        state = self.box.state
        by_council: dict[str, list[str]] = {}
        for member in state.members.values():
            by_council.setdefault(member.council, []).append(member.id)
        assert {c: sorted(m) for c, m in by_council.items()} == {c: state.roll(c) for c in state.rolls if state.roll(c)}
        assert sorted(state.delegates.values(), key=repr) == sorted(
            (d for c in state.benches for d in state.seated(c)), key=repr
        )
        assert {(d.council, m) for m in state.held for d in state.seats_held(m)} == set(state.delegates.keys())
        open_below = {(c.parent, c.id) for c in state.councils.values() if c.parent and c.closed_at is None}
        assert {(p, c.id) for p in state.below for c in state.children(p)} == open_below
        indexes.capabilities_agree(state)

    def teardown(self) -> None:
        for kind in {e.kind for e in self.box.history}:
            event(kind)  # --hypothesis-show-statistics: how often each kind of event was reached


FederationLife.TestCase.settings = settings(max_examples=80, stateful_step_count=60, deadline=None)
test_federation_life = FederationLife.TestCase
