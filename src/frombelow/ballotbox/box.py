"""A secret poll's ballot box: who voted is kept apart from what they voted, and anyone can recount.

    box = BallotBox(state, poll_id, JsonlBoxStore(directory), revote=True)
    token = box.issue(state, member)                          # to that member, and to no one else
    tokens = box.issue_all(state)                             # or to every voter at once: member -> token
    events, receipt = box.cast(state, token, ("yes",), at)    # events: the roll's BallotCast
    receipt = box.revote(state, token, receipt, ("no",), at)  # before the close, if allowed
    events, published = box.close(state, at)                  # PollCounted, publishing the box
    check_receipt(published, receipt)                         # the voter's ballot, as counted

- Eligibility: a random token per (member, poll), issued only to the poll's electorate;
  the roll keeps its SHA-256 and the member's id, never the token.
- Casting goes through the federation's rules (``decide(state, CastBallot(...))``): the
  poll must be open, the member entitled and the marks valid. The roll records that the
  member voted (the token is used; the ``BallotCast`` event names the member, not the
  ballot). The ballot goes into a random empty slot of the box with no member id, no
  time and no token (``stores.py``). The receipt is handed back only once the store has
  the ballot durably.
- Revoting, when the box allows it: the voter presents their token and the receipt of
  their current ballot; the ballot is replaced where it lies, under a new receipt.
  Nothing is recorded of it: the record says only that the member voted, once.
- Closing hands the box's ballots, shuffled, with their receipt commitments, to the
  federation's ``ClosePoll``; ``PollCounted`` publishes them and the count.

Like ``decide``, ``cast`` and ``close`` return events and leave ``state`` alone: the
platform records them (ledger, projection) in the same transaction as the box's write,
and applies them. One member, one ballot (invariant 5): each token is claimed once,
atomically (``BoxStore.claim``), before its ballot is stored; should the store fail
afterwards the claim is released, and should the process die between the two the member
has lost their vote, never gained a second one.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import random
import secrets
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from fractions import Fraction

from frombelow.ballotbox.receipts import NONCE_BYTES, Receipt, commitment, is_hex
from frombelow.ballotbox.stores import BoxStore, Holder, StoredBallot
from frombelow.federation import State, decide
from frombelow.federation.errors import InvalidCommand, NotAllowed
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.voting import COUNTED_BY_COUNCIL, Ballot, CastBallot, ClosePoll, Poll, PollCounted, poll

_SYSTEM = secrets.SystemRandom()  # the operating system's randomness (os.urandom)


def token_digest(token: str) -> str:
    """What the roll keeps of a token: its SHA-256 (hex) over its UTF-8 text."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def revote_key(token: str, nonce: bytes) -> str:
    """The key under which the box finds a ballot to replace: only the voter holds both halves."""
    return hashlib.sha256(b"frombelow revote\x00" + token.encode("utf-8") + nonce).hexdigest()


class BallotBox:
    """The box of one secret poll, on ``store`` (one store per poll)."""

    def __init__(
        self, state: State, poll_id: str, store: BoxStore, revote: bool = False, randomness: random.Random = _SYSTEM
    ) -> None:
        """``randomness``: the operating system's by default; a seeded generator only to
        replay a simulation (``frombelow.demo``): with one, tokens and receipts are guessable."""
        current = poll(state, poll_id)
        if not current.secret:
            raise InvalidCommand(
                f"the vote on {current.question} is a public roll call: its votes are recorded by name, in no box"
            )
        self.poll = poll_id
        self.store = store
        self.randomness = randomness
        self.revote_allowed = revote
        self._lock = threading.Lock()  # one cast, revote or close of this box at a time in this process
        store.make_slots(len(current.electorate), _largest(current))

    # --- eligibility -----------------------------------------------------------------------

    def issue(self, state: State, member: str) -> str:
        """A voting token for ``member``: give it to them alone; the roll keeps only its digest."""
        return self.issue_all(state, [member])[member]

    def issue_all(self, state: State, members: Iterable[str] | None = None) -> dict[str, str]:
        """Tokens for ``members`` (by default every voter who has none yet), all or none: member -> token."""
        current = poll(state, self.poll)
        if current.counted is not None:
            raise NotAllowed(f"the vote on {current.question} is closed")
        with self._lock:
            if members is None:
                members = [m for m in current.electorate if not self.store.holds_token(m)]
            members = list(dict.fromkeys(members))
            for member in members:
                if member not in current.electorate:
                    where = state.council(current.council).name
                    raise NotAllowed(
                        f"voting tokens for {current.question} go only to those entitled to vote in {where} "
                        "when the vote opened"
                    )
                if self.store.holds_token(member):
                    raise NotAllowed(f"{member} has been given a voting token for {current.question} already")
            tokens = {
                member: base64.urlsafe_b64encode(self.randomness.randbytes(32)).rstrip(b"=").decode()
                for member in members
            }
            self.store.issue({token_digest(token): member for member, token in tokens.items()})
        return tokens

    # --- casting ---------------------------------------------------------------------------

    def cast(self, state: State, token: str, marks: Sequence[str], at: datetime) -> tuple[list[Event], Receipt]:
        """Put a ballot in the box: the roll's events (``BallotCast``) and the voter's receipt."""
        current = poll(state, self.poll)
        marks = _marks(marks)
        with self._lock:
            digest, holder = self._holder(current, token)
            if holder.voted:
                raise self._used(current)
            events = decide(state, CastBallot(holder.member, at, self.poll, marks))
            ballot = Ballot(marks, _group(current, holder.member))
            nonce = self.randomness.randbytes(NONCE_BYTES)
            receipt = Receipt(self.poll, commitment(nonce, ballot), nonce.hex())
            vacancies = self.store.vacancies()
            if not vacancies:  # one slot per voter: only a store out of step with the roll gets here
                raise InvalidCommand(f"the box for {current.question} is full: the count cannot take more ballots")
            slot = self.store.vacancy(self.randomness.randrange(vacancies))
            if not self.store.claim(digest):  # another process used the token meanwhile
                raise self._used(current)
            try:
                self.store.put(slot, self._stored(ballot, receipt, token, nonce))
            except BaseException:
                self.store.release(digest)
                raise
        return events, receipt

    def revote(self, state: State, token: str, previous: Receipt, marks: Sequence[str], at: datetime) -> Receipt:
        """Replace the ballot ``previous`` was given for; the new receipt replaces it too."""
        current = poll(state, self.poll)
        if not self.revote_allowed:
            raise NotAllowed(f"the vote on {current.question} does not allow a ballot to be changed once cast")
        if previous.poll != self.poll:
            raise InvalidCommand(f"this receipt is for another vote, not the vote on {current.question}")
        if not is_hex(previous.nonce, NONCE_BYTES):
            raise InvalidCommand(f"a receipt's nonce is {2 * NONCE_BYTES} hexadecimal characters")
        marks = _marks(marks)
        with self._lock:
            _, holder = self._holder(current, token)
            if not holder.voted:
                raise NotAllowed(f"you have not voted on {current.question} with this token yet: cast your ballot")
            # The core's rules for a ballot (open, still entitled, valid marks), as if not yet cast.
            decide(_as_if_not_voted(state, current, holder.member), CastBallot(holder.member, at, self.poll, marks))
            slot = self.store.find(revote_key(token, bytes.fromhex(previous.nonce)))
            if slot is None:
                raise NotAllowed(
                    "this receipt is not the one last given for this token's ballot: present your latest receipt"
                )
            ballot = Ballot(marks, _group(current, holder.member))
            nonce = self.randomness.randbytes(NONCE_BYTES)
            receipt = Receipt(self.poll, commitment(nonce, ballot), nonce.hex())
            # In place: one write replaces the ballot, so there are never two for one voter.
            self.store.put(slot, self._stored(ballot, receipt, token, nonce))
        return receipt

    # --- closing ---------------------------------------------------------------------------

    def close(self, state: State, at: datetime, actor: str = THE_COUNT) -> tuple[list[Event], tuple[Ballot, ...]]:
        """The ``ClosePoll`` events for the box's ballots, and the ballots as ``PollCounted`` publishes them."""
        with self._lock:
            ballots = [Ballot(b.marks, b.group, Fraction(1), b.receipt) for b in self.store.ballots()]
            self.randomness.shuffle(ballots)
            events = decide(state, ClosePoll(actor, at, self.poll, tuple(ballots)))
        counted = events[0]
        assert isinstance(counted, PollCounted)
        return events, counted.ballots

    # --- helpers ---------------------------------------------------------------------------

    def _holder(self, current: Poll, token: str) -> tuple[str, Holder]:
        """The token's digest and whom the roll says it was issued to."""
        digest = token_digest(token) if isinstance(token, str) else ""
        holder = self.store.holder(digest) if digest else None
        if holder is None:
            raise NotAllowed(f"this is not a voting token for {current.question}: check it was copied whole")
        return digest, holder

    def _used(self, current: Poll) -> NotAllowed:
        change = " (to change your ballot, present your receipt with it)" if self.revote_allowed else ""
        return NotAllowed(f"this voting token has been used: each member votes once on {current.question}{change}")

    def _stored(self, ballot: Ballot, receipt: Receipt, token: str, nonce: bytes) -> StoredBallot:
        key = revote_key(token, nonce) if self.revote_allowed else ""
        return StoredBallot(ballot.marks, ballot.group, receipt.commitment, key)


def _marks(marks: Sequence[str]) -> tuple[str, ...]:
    if isinstance(marks, str) or not isinstance(marks, Sequence):
        raise InvalidCommand("a ballot's marks are a list of choices, e.g. ['yes'], or candidates in order")
    return tuple(marks)


def _group(current: Poll, member: str) -> str:
    """The base council a ballot names: only where the count is by council (voting.COUNTED_BY_COUNCIL)."""
    return current.electorate[member].group if current.purpose in COUNTED_BY_COUNCIL else ""


def _largest(current: Poll) -> StoredBallot:
    """A ballot at least as long as any this poll can hold, to size the box's slots."""
    groups = [v.group for v in current.electorate.values()] if current.purpose in COUNTED_BY_COUNCIL else [""]
    group = max(groups, key=lambda g: len(g.encode("utf-8")))
    return StoredBallot(current.choices, group, "0" * 64, "0" * 64)


def _as_if_not_voted(state: State, current: Poll, member: str) -> State:
    if member not in current.turnout:
        return state
    undone = dataclasses.replace(current, turnout=current.turnout.delete(member))
    return state.updated(polls=state.polls.set(current.id, undone))
