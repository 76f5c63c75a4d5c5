"""Property: any history of a federation replays to the same state; refusals change nothing.

A hypothesis state machine plays a federation's life with commands mostly chosen to be
valid in the current state (joining by invitation, motions in councils one sits in,
votes in open polls, closing them when their time is up, …), mixed with arbitrary
ones. Every command either produces events or is refused with a reason and leaves the
state untouched; at every step the history so far replays from nothing (and from its
JSON) to the very same state.
"""

from datetime import timedelta

from box import Box
from founding import at, founding
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from frombelow.federation import RuleBroken, replay
from frombelow.federation.commands import IssueInvitation, Join, Leave
from frombelow.federation.events import from_json, to_json
from frombelow.federation.factions import FoundFaction, JoinFaction, SupportDissolution
from frombelow.federation.motions import CallVote, ProposeAmendment, ProposeMotion
from frombelow.federation.voting import QUESTION, CastBallot, ClosePoll

NEWCOMERS = [f"m{i:02d}" for i in range(40)]
choice = st.integers(0, 10**6)


class FederationLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.box = Box()
        self.box.run(founding())
        self.hours = 1.0
        self.serial = 0

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
            voters = sorted(self.box.state.polls[poll].electorate.keys())
            self.attempt(CastBallot(self.pick(voters, n // 5), self.now(0.1), poll, marks))

    @rule(n=choice, wait=st.booleans())
    def close(self, n: int, wait: bool) -> None:
        poll = self.pick([p.id for p in self.box.state.polls.values() if p.counted is None], n)
        if poll:
            if wait:
                self.hours = max(self.hours, (self.box.state.polls[poll].closes_at - at(0)) / timedelta(hours=1))
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

    def teardown(self) -> None:
        for kind in {e.kind for e in self.box.history}:
            event(kind)  # --hypothesis-show-statistics: how often each kind of event was reached


FederationLife.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_federation_life = FederationLife.TestCase
