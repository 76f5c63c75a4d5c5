"""Time the federation core on a federation of 100 k members and about 1 M events.

    .venv/bin/python benchmarks/federation.py [--quick] [--events N] [--seed S]

A congress, 10 regions, 100 districts and 1,000 locals are founded with one founder
per local; members then invite and join until the federation has events ÷ 10 members
(100 k for 1 M events), while seats are apportioned every 5,000 events. Then the
federation governs itself week by week (``federation_governance.py``): a term starts
every 52 weeks and every council elects its delegates from the bottom up (contested
secret STV counts); each week locals vote on motions, districts take roll calls on
motions their locals have mandated (some delegates deviate, opening recall votes),
members petition to recall delegates, object to district decisions until a referendum
of the district's subtree decides, sign initiatives onto a region's agenda, and factions
record dissent; decisions take effect after their veto window; recalled seats are filled
by by-elections. Around that, a seeded mix of moves, members leaving and new ones joining,
and factions founded, joined, left, amended and dissolved. Each command is decided and
applied by ``frombelow.federation.execute``; only those calls are timed. Then all events
are replayed from the empty state (timed) and the replayed state is checked equal to the
live one; and all events go through JSON and back (``events.to_json`` +
``codec.canonical``, then ``json.loads`` + ``events.from_json``, timed separately) and are
checked equal. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from federation_governance import WEEK, Governance

from frombelow.federation import RuleBroken, State, execute, replay
from frombelow.federation.apportionment import THE_COUNT, ApportionSeats
from frombelow.federation.charter import Charter
from frombelow.federation.codec import canonical
from frombelow.federation.commands import Command, FoundFederation, IssueInvitation, Join, Leave, Move
from frombelow.federation.events import CouncilPlan, Event, from_json, to_json
from frombelow.federation.factions import (
    AmendPlatform,
    FactionDissolved,
    FoundFaction,
    JoinFaction,
    LeaveFaction,
    SupportDissolution,
    WithdrawSupport,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
APPORTION_EVERY = 5_000
WEEKS_PER_TERM = 52
ACTIONS_PER_WEEK = 2_000
MAX_LIVE_FACTIONS = 150


class Pool:
    """A set with O(1) add, remove and random choice (the driver's own bookkeeping)."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self.index:
            self.index[item] = len(self.items)
            self.items.append(item)

    def remove(self, item: str) -> None:
        i = self.index.pop(item, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.index[last] = i

    def choice(self, rng: random.Random) -> str:
        return self.items[rng.randrange(len(self.items))]

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item: str) -> bool:
        return item in self.index


def tree() -> tuple[tuple[CouncilPlan, ...], list[str], list[str]]:
    """congress -> 10 regions -> 100 districts -> 1,000 locals; (plans, delegate ids, local ids)."""
    plans = [CouncilPlan("congress", "Congress", None)]
    locals_: list[str] = []
    for r in range(10):
        plans.append(CouncilPlan(f"r{r}", f"Region {r}", "congress"))
        for d in range(10):
            district = f"r{r}d{d}"
            plans.append(CouncilPlan(district, f"District {r}.{d}", f"r{r}"))
            for n in range(10):
                local = f"{district}l{n}"
                plans.append(CouncilPlan(local, f"Local {r}.{d}.{n}", district))
                locals_.append(local)
    delegates = [p.id for p in plans if p.id not in set(locals_)]
    return tuple(plans), delegates, locals_


@dataclass
class Driver:
    rng: random.Random
    state: State = field(default_factory=State)
    history: list[Event] = field(default_factory=list)
    seconds: float = 0.0  # in decide + apply only
    commands: int = 0
    refused: int = 0
    refusals: dict[str, int] = field(default_factory=dict)  # command -> times refused (the driver guessed wrong)
    counts: dict[str, int] = field(default_factory=dict)
    by_council: dict[str, Pool] = field(default_factory=dict)
    members: Pool = field(default_factory=Pool)
    council_of: dict[str, str] = field(default_factory=dict)
    factions: Pool = field(default_factory=Pool)  # live factions
    faction_members: dict[str, Pool] = field(default_factory=dict)
    faction_supporters: dict[str, set[str]] = field(default_factory=dict)
    factions_of: dict[str, set[str]] = field(default_factory=dict)
    next_id: int = 0
    hours: float = 0.0

    def now(self) -> datetime:
        self.hours += 0.01
        return START + timedelta(hours=self.hours)

    def fresh(self, prefix: str) -> str:
        self.next_id += 1
        return f"{prefix}{self.next_id}"

    def run(self, command: Command) -> list[Event] | None:
        self.commands += 1
        begin = time.perf_counter()
        try:
            self.state, new = execute(self.state, command)
        except RuleBroken:
            self.seconds += time.perf_counter() - begin
            self.refused += 1
            name = type(command).__name__
            self.refusals[name] = self.refusals.get(name, 0) + 1
            return None
        self.seconds += time.perf_counter() - begin
        self.history.extend(new)
        for event in new:
            self.counts[event.kind] = self.counts.get(event.kind, 0) + 1
            if isinstance(event, FactionDissolved):
                self.drop_faction(event.faction)
        return new

    # --- membership ---------------------------------------------------------------------

    def enter(self, member: str, council: str) -> None:
        self.members.add(member)
        self.by_council.setdefault(council, Pool()).add(member)
        self.council_of[member] = council

    def invite(self, council: str) -> str:
        inviter = self.by_council[council].choice(self.rng)
        code = self.fresh("invitation-code-") + "-0123456789abcdef"
        assert self.run(IssueInvitation(inviter, self.now(), council, code)) is not None
        return code

    def grow(self, locals_: list[str]) -> None:
        council = self.rng.choice(locals_)
        code = self.invite(council)
        member = self.fresh("m")
        assert self.run(Join(member, self.now(), code)) is not None
        self.enter(member, council)

    def move(self, locals_: list[str]) -> None:
        member = self.members.choice(self.rng)
        here = self.council_of[member]
        if len(self.by_council[here]) < 2:
            return  # keep every local with someone who can invite
        there = self.rng.choice(locals_)
        if there == here:
            return
        code = self.invite(there)
        assert self.run(Move(member, self.now(), code)) is not None
        self.by_council[here].remove(member)
        self.by_council[there].add(member)
        self.council_of[member] = there

    def churn(self, locals_: list[str]) -> None:
        member = self.members.choice(self.rng)
        here = self.council_of[member]
        if len(self.by_council[here]) < 2:
            return
        assert self.run(Leave(member, self.now())) is not None
        self.members.remove(member)
        self.by_council[here].remove(member)
        del self.council_of[member]
        for faction in self.factions_of.pop(member, set()):
            self.faction_members[faction].remove(member)
            self.faction_supporters[faction].discard(member)
        self.grow(locals_)

    # --- factions -----------------------------------------------------------------------

    def drop_faction(self, faction: str) -> None:
        self.factions.remove(faction)
        for member in self.faction_members.pop(faction).items:
            self.factions_of[member].discard(faction)
        del self.faction_supporters[faction]

    def found_faction(self) -> None:
        member = self.members.choice(self.rng)
        faction = self.fresh("f")
        command = FoundFaction(member, self.now(), faction, f"Tendency {faction}", "All power to the councils")
        if self.run(command) is not None:
            self.factions.add(faction)
            self.faction_members[faction] = Pool()
            self.faction_members[faction].add(member)
            self.faction_supporters[faction] = set()
            self.factions_of.setdefault(member, set()).add(faction)

    def join_faction(self) -> None:
        if not self.factions:
            return
        faction, member = self.factions.choice(self.rng), self.members.choice(self.rng)
        if member in self.faction_members[faction]:
            return
        if self.run(JoinFaction(member, self.now(), faction)) is not None:
            self.faction_members[faction].add(member)
            self.factions_of.setdefault(member, set()).add(faction)

    def a_faction_member(self) -> tuple[str, str] | None:
        if not self.factions:
            return None
        faction = self.factions.choice(self.rng)
        if not self.faction_members[faction]:
            return None
        return faction, self.faction_members[faction].choice(self.rng)

    def leave_faction(self) -> None:
        pick = self.a_faction_member()
        if pick is None:
            return
        faction, member = pick
        if self.run(LeaveFaction(member, self.now(), faction)) is not None and faction in self.factions:
            self.faction_members[faction].remove(member)
            self.faction_supporters[faction].discard(member)
            self.factions_of[member].discard(faction)

    def support(self) -> None:
        pick = self.a_faction_member()
        if pick is None:
            return
        faction, member = pick
        if member in self.faction_supporters[faction]:
            if self.run(WithdrawSupport(member, self.now(), faction)) is not None:
                self.faction_supporters[faction].discard(member)
        elif self.run(SupportDissolution(member, self.now(), faction)) is not None and faction in self.factions:
            self.faction_supporters[faction].add(member)

    def amend(self) -> None:
        pick = self.a_faction_member()
        if pick is not None:
            faction, member = pick
            self.run(AmendPlatform(member, self.now(), faction, f"Platform as of event {len(self.history)}"))

    def apportion(self, delegates: list[str]) -> None:
        actor = THE_COUNT if self.rng.random() < 0.5 else self.members.choice(self.rng)
        assert self.run(ApportionSeats(actor, self.now(), self.rng.choice(delegates))) is not None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(events: int, seed: int) -> Driver:
    plans, delegates, locals_ = tree()
    driver = Driver(random.Random(seed))
    founders = tuple((f"founder-{local}", local) for local in locals_)
    driver.run(FoundFederation(founders[0][0], START, "fed", "Federation", Charter(), plans, founders))
    for member, local in founders:
        driver.enter(member, local)
    target_members = max(events // 10, 2 * len(locals_))
    mix: list[tuple[float, Any]] = [
        (0.12, lambda: driver.move(locals_)),
        (0.10, lambda: driver.churn(locals_)),
        (0.50, driver.join_faction),
        (0.10, driver.leave_faction),
        (0.13, driver.support),
        (0.05, driver.amend),
    ]
    actions = [a for _, a in mix]
    weights = [w for w, _ in mix]
    next_apportionment = APPORTION_EVERY
    governance = Governance(driver, "fed")
    districts = [d for d in delegates if d.count("d") == 1]
    regions = [d for d in delegates if d.startswith("r") and "d" not in d]
    reported = 0
    begin = time.perf_counter()
    while len(driver.history) < events:
        if len(driver.members) < target_members:
            driver.grow(locals_)
            if len(driver.history) >= next_apportionment:
                driver.apportion(delegates)  # before the first term, anyone may ask for the seats' share
                next_apportionment += APPORTION_EVERY
        else:
            if governance.weeks % WEEKS_PER_TERM == 0:
                governance.term()
            governance.week(locals_, districts, regions)
            for _ in range(ACTIONS_PER_WEEK):  # members move, leave and join; factions live their lives
                if len(driver.factions) < MAX_LIVE_FACTIONS and driver.rng.random() < 0.002:
                    driver.found_faction()
                else:
                    driver.rng.choices(actions, weights)[0]()
            governance.advance(WEEK)
        if len(driver.history) - reported >= events // 20:
            reported = len(driver.history)
            progress(
                f"  {reported:>9,} events, {len(driver.members):,} members, {len(driver.factions)} live factions, "
                f"{time.perf_counter() - begin:.0f} s wall, {driver.seconds:.0f} s in execute"
            )
    return driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50 k events")
    parser.add_argument("--seed", type=int, default=1917)
    args = parser.parse_args()
    events = 50_000 if args.quick else args.events

    progress(f"building a federation of {events // 10:,} members over {events:,} events")
    driver = build(events, args.seed)
    history, live = driver.history, driver.state
    progress(f"built: {len(history):,} events from {driver.commands:,} commands ({driver.refused} refused)")

    progress("replaying from empty")
    begin = time.perf_counter()
    replayed = replay(history)
    replay_seconds = time.perf_counter() - begin
    assert replayed == live, "the replayed state differs from the live one"

    progress("JSON round trip")
    begin = time.perf_counter()
    texts = [canonical(to_json(e)) for e in history]
    encode_seconds = time.perf_counter() - begin
    begin = time.perf_counter()
    decoded = [from_json(json.loads(t)) for t in texts]
    decode_seconds = time.perf_counter() - begin
    assert decoded == history, "an event changed on its way through JSON"
    megabytes = sum(len(t.encode()) for t in texts) / 2**20

    n = len(history)
    rows = [
        ("decide + apply (execute)", driver.seconds),
        ("replay from empty", replay_seconds),
        ("to JSON (to_json + canonical)", encode_seconds),
        ("from JSON (json.loads + from_json)", decode_seconds),
    ]
    print(
        f"\n{n:,} events, {len(live.members):,} members, {len(live.councils):,} councils, "
        f"{len(live.factions):,} factions ({len(driver.factions)} live), {len(live.apportionments)} councils "
        f"apportioned; {driver.refused} commands refused; JSON {megabytes:.0f} MiB; "
        f"Python {platform.python_version()}, peak memory "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.1f} GiB\n"
    )
    print("| phase | events | seconds | µs per event |")
    print("|---|---|---|---|")
    for phase, seconds in rows:
        print(f"| {phase} | {n:,} | {seconds:.1f} | {seconds / n * 1e6:.1f} |")
    print("\nevents by kind: " + ", ".join(f"{kind} {count:,}" for kind, count in sorted(driver.counts.items())))
    print("commands refused, by command: " + ", ".join(f"{c} {n:,}" for c, n in sorted(driver.refusals.items())))
    print("replayed state equals the live state; every event equal after its JSON round trip")


if __name__ == "__main__":
    main()
