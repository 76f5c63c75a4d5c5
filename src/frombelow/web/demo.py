"""The demo federation ``make run`` serves: the simulated metalworkers' federation, brought up to now.

Its history (``frombelow.demo``: three levels, several hundred members, factions, two
terms of STV elections with published ballots, mandated roll calls, recalls) is
simulated so that it ends just before today, then two things are left under way: a
by-election in Local 1 whose nominations have closed, ready to open its ranked vote,
and a recall petition gathering signatures. Its charter leaves invitations to each
local's secretary, and each local has just elected one (ana in Local 1, clara in Local 6).
Every member gets an account with a made-up name; the logins in ``LOGINS`` have a password.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from frombelow import demo
from frombelow.federation import State
from frombelow.federation.elections import AcceptNomination, CallByElection, Nominate, OpenElection, Resign
from frombelow.federation.mandates import ProposeMandate
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.recall import PetitionRecall, SignRecall
from frombelow.federation.secretaries import ProposeSecretary, secretary
from frombelow.ledger.log import Ledger
from frombelow.web import recording
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import Account, LedgerHead
from frombelow.web.projector import project

PASSWORD = "councils-1917"
SEED = 1917
MEMBERS = 300
WEEKS = 30
CHARTER = dataclasses.replace(demo.CHARTER, invitations_by="secretary")
ITEM = "strike-fund"  # the district motion under a mandate
STRIKE_FUND = "Each local pays two per cent of dues into a federation strike fund."
PETITION = "petition-demo"
# Made-up names for the simulated members: 20 x 16 of them, so no two members of the demo share one.
FIRST = (
    "Amara", "Bruno", "Carmen", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Kemal", "Lena", "Marta", "Nikolai", "Olga", "Pablo", "Rosa", "Samir", "Tereza", "Yusuf",
)  # fmt: skip
LAST = (
    "Arendt", "Bauer", "Costa", "Duarte", "Engel", "Fischer", "Garcia", "Horvat",
    "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
)  # fmt: skip
# The demo logins' own names (their usernames are their first names).
NAMES = {"ana": "Ana Ortiz", "boris": "Boris Volkov", "clara": "Clara Weber"}


@dataclass(frozen=True)
class Login:
    username: str
    member: str
    what: str  # who they are in the demo, for the README and the console


LOGINS: list[Login] = []  # filled by ``load``


def load() -> list[Login]:
    """Simulate, record the history in the (empty) ledger table, write the projections and the accounts."""
    if LedgerHead.objects.get(pk=1).size:
        raise ValueError("the database holds a ledger already: the demo loads into an empty one")
    now = timezone.now().replace(second=0, microsecond=0)
    federation = demo.run(SEED, MEMBERS, WEEKS, start=now - timedelta(weeks=WEEKS + 18), charter=CHARTER)
    under_way(federation)
    if federation.now() >= now:
        raise RuntimeError("the simulated history ran past today: start it earlier")
    if federation.boxes:
        raise RuntimeError(f"the simulation left secret polls open: {sorted(federation.boxes)}")
    with transaction.atomic():
        ledger = Ledger(DatabaseStore(), recording.signer())
        for batch in federation.batches:
            ledger.record(batch, batch[-1].at)
        if ledger.unsigned:
            ledger.checkpoint(federation.batches[-1][-1].at)
        LedgerHead.objects.filter(pk=1).update(size=ledger.size)
        project(State(), federation.state)
        logins = _accounts(federation.state, federation)
    recording.forget()
    _today(federation.state, logins)
    LOGINS[:] = logins
    return logins


def _today(state: State, logins: list[Login]) -> None:
    """What opens on the platform itself: the by-election's ranked vote and the district's roll call."""
    ana = next(login.member for login in logins if login.username == "ana")
    election = next(e for e in state.elections.values() if e.constituent == "local-1" and not e.decided)
    recording.run(lambda at: OpenElection(ana, at, election.id))
    boris = next(login.member for login in logins if login.username == "boris")
    recording.run(lambda at: CallVote(boris, at, ITEM))


def under_way(federation: demo.Federation) -> None:
    """A by-election in Local 1 ready to open, and a recall petition below its threshold."""
    for _ in range(2):  # the seats the simulation left vacant are filled: nominations, then the vote
        federation.by_election_business()
        federation.advance(demo.WEEK + timedelta(hours=1))
    federation.close_due()
    state = federation.state
    seat = next(d for d in state.seated("north") if d.constituent == "local-1")
    events = federation.run(Resign(seat.member, federation.now(), "north"))
    called = [e.election for e in events if e.kind == "election called"]
    if not called:
        voter = state.roll("local-1")[0]
        events = federation.run(CallByElection(voter, federation.now(), "north", "local-1"))
        called = [e.election for e in events if e.kind == "election called"]
    election = called[0]
    standing = [m for m in federation.state.roll("local-1") if not federation.state.held.get(m)][:4]
    for nominee in standing:
        if federation.run(Nominate(standing[0], federation.now(), election, nominee)):
            federation.run(AcceptNomination(nominee, federation.now(), election))
    seat = next(
        d for d in federation.state.seated("south") + federation.state.seated("north") if d.constituent != "local-1"
    )
    signers = federation.state.roll(seat.constituent)
    petition = PETITION
    reason = "Broke our mandate"
    federation.run(PetitionRecall(signers[0], federation.now(), petition, seat.council, seat.member, "council", reason))
    for signer in signers[1:4]:
        federation.run(SignRecall(signer, federation.now(), petition))
    _mandated_item(federation)
    _secretaries(federation)
    charter = federation.state.federations[demo.FEDERATION].charter
    federation.advance(timedelta(days=max(charter.nomination_days, charter.voting_days), hours=1))
    federation.close_due()
    unelected = [local for local in federation.locals() if secretary(federation.state, local) is None]
    if unelected:
        raise RuntimeError(f"the demo's locals elected no secretary: {unelected}")


def _mandated_item(federation: demo.Federation) -> None:
    """A motion in South District on which a local has mandated its delegate; its roll call opens today."""
    state = federation.state
    delegate = min(state.seated("south"), key=lambda d: d.member)
    federation.run(ProposeMotion(delegate.member, federation.now(), ITEM, "south", "Strike fund", STRIKE_FUND))
    roll = state.roll(delegate.constituent)
    mandate = f"{ITEM}-mandate"
    federation.run(ProposeMandate(roll[0], federation.now(), mandate, delegate.constituent, ITEM, "yes", "Fund it"))
    federation.run(CallVote(roll[-1], federation.now(), mandate))
    poll = federation.state.polls[f"vote on {mandate}"]
    for voter in sorted(poll.electorate.keys()):
        federation.cast(poll.id, voter, ("yes",) if federation.rng.random() < 0.8 else ("no",))


def _secretaries(federation: demo.Federation) -> None:
    """Each local elects its secretary by a secret vote of its own: ana in Local 1 and clara in Local 6 (so the
    demo logins invite newcomers), the first on the roll elsewhere. Their ballots are closed with the rest."""
    serving = {login.member for login in _demo_logins(federation.state) if login.username in ("ana", "clara")}
    for local in federation.locals():
        roll = federation.state.roll(local)
        nominee = next((m for m in roll if m in serving), roll[0])
        motion = f"secretary-{local}"
        federation.run(
            ProposeSecretary(roll[0], federation.now(), motion, local, nominee, "Keeps our roll and minutes")
        )
        federation.run(CallVote(roll[-1], federation.now(), motion))
        poll = federation.state.polls[f"vote on {motion}"]
        for voter in sorted(poll.electorate.keys()):
            federation.cast(poll.id, voter, ("yes",) if federation.rng.random() < 0.8 else ("no",))


def _accounts(state: State, federation: demo.Federation) -> list[Login]:
    """An account for every member (made-up names); a password for the demo logins."""
    users = get_user_model()
    rng = random.Random(SEED)
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(names)
    members = sorted(state.members.keys())
    chosen = _demo_logins(state)
    people = []
    for n, member in enumerate(members):
        login = next((c for c in chosen if c.member == member), None)
        username = login.username if login else f"member{n + 1}"
        user = users(username=username)
        if login:
            user.set_password(PASSWORD)
        else:
            user.set_unusable_password()
        name = (
            NAMES[login.username]
            if login
            else names[n % len(names)] + ("" if n < len(names) else f" {n // len(names) + 1}")
        )
        people.append((user, member, name))
    users.objects.bulk_create([user for user, _, _ in people])
    saved = {u.username: u for u in users.objects.filter(username__in=[u.username for u, _, _ in people])}
    Account.objects.bulk_create(
        Account(user=saved[user.username], member=member, display_name=name) for user, member, name in people
    )
    return chosen


def _demo_logins(state: State) -> list[Login]:
    local_1 = state.roll("local-1")
    delegate = min(state.seated("south"), key=lambda d: d.member)  # the one mandated on ITEM
    petitioned = state.petitions[PETITION]
    signer = next(m for m in state.roll(petitioned.constituent) if m not in petitioned.signatures)
    where = state.councils[petitioned.constituent].name
    return [
        Login("ana", local_1[-1], "the secretary of Local 1, where a by-election is about to open"),
        Login("boris", delegate.member, f"{state.councils[delegate.constituent].name}'s delegate in South District"),
        Login("clara", signer, f"the secretary of {where}, where a recall petition is gathering signatures"),
    ]
