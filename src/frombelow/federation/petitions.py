"""Petitions: members signing, from below, to make something happen.

Two kinds share this mechanism: a recall petition (``recall.py``) and an initiative
(``initiative.py``). ``state.petitions`` maps a petition id to a ``recall.RecallPetition``
or an ``initiative.Initiative`` (each with a ``kind``); the ids are shared and never reused.
A petition's ``signatures`` is a Map(member id -> True): one signature adds a node, not a copy.

- How many may sign, and how many must, are fixed when the petition starts: the size of
  its electorate and the signatures needed are recorded in the event that starts it, so a
  count is checked against the numbers the signers saw. Who may sign is checked when they
  sign (one who has moved away since the start may not; one who has moved in may).
- Every share of a whole the federation's rules ask for (signatures of a petition, yes
  votes to split or merge, objections that call a referendum) is reached by one rule,
  ``needed``: at least the share of the whole, rounded up, and never fewer than one.
- Signing is a public act (unlike a ballot): the record says who signed. One signature
  per person; whoever signed may withdraw their signature while the petition is still
  collecting (once it has done its work, a withdrawal would change nothing).
- A signature stands as given: one who signed and later left still counted when they signed.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, NotFound
from frombelow.federation.events import Event
from frombelow.federation.state import State

COLLECTING = "collecting signatures"


@dataclass(frozen=True)
class WithdrawSignature(Command):
    petition: str


@dataclass(frozen=True)
class SignatureWithdrawn(Event):
    kind: ClassVar[str] = "petition signature withdrawn"
    petition: str


# --- reading the state ---------------------------------------------------------------------


def petition(state: State, petition_id: str, kind: type | None = None) -> Any:
    """The petition (of ``kind``, if given: ``RecallPetition`` or ``Initiative``), or a refusal."""
    found = state.petitions.get(petition_id)
    if found is None or (kind is not None and not isinstance(found, kind)):
        what = "petition" if kind is None else kind.kind
        raise NotFound(f"there is no {what} {petition_id!r}")
    return found


def collecting(found: Any) -> None:
    if found.status != COLLECTING:
        raise NotAllowed(f"{found.title} is {found.status}: it takes no more signatures")


def check_new_id(state: State, petition_id: str) -> None:
    if not petition_id.strip():
        raise InvalidCommand("a petition needs an id")
    if petition_id in state.petitions:
        raise InvalidCommand(f"a petition {petition_id!r} exists or existed already; choose another id")


def check_unsigned(found: Any, member_id: str) -> None:
    if member_id in found.signatures:
        raise InvalidCommand(f"you have signed {found.title} already")


MAJORITY = Fraction(1, 2)


def needed(share: Fraction, total: int, *, more_than: bool = False) -> int:
    """The fewest of ``total`` that reach ``share`` of it: the one rule for every share the rules ask for.

    At least ``share × total``, rounded up (a quarter of 10 needs 3), and never fewer than one,
    so nothing is reached with no one for it. ``more_than`` asks for more than the share: a
    majority (more than half) of 4 is 3, of 5 is 3.
    """
    exact = share * total
    return max(1, math.floor(exact) + 1 if more_than else math.ceil(exact))


def reached(count: int, share: Fraction, total: int, *, more_than: bool = False) -> bool:
    """Whether ``count`` of ``total`` reaches ``share`` of it (``needed``)."""
    return count >= needed(share, total, more_than=more_than)


def reaches(found: Any, signatures: int) -> bool:
    """Whether a petition with ``signatures`` has the number it needed when it started."""
    return signatures >= found.needed


# --- deciding ------------------------------------------------------------------------------


def withdraw_signature(state: State, command: WithdrawSignature) -> list[SignatureWithdrawn]:
    require_aware(command.at)
    found = petition(state, command.petition)
    if command.actor not in found.signatures:
        raise InvalidCommand(f"you have not signed {found.title}")
    collecting(found)
    return [SignatureWithdrawn(command.actor, command.at, found.id)]


# --- applying ------------------------------------------------------------------------------


def update(state: State, petition_id: str, **changes: object) -> State:
    updated = dataclasses.replace(state.petitions[petition_id], **changes)
    return state.updated(petitions=state.petitions.set(petition_id, updated))


def add(state: State, new: Any) -> State:
    return state.updated(petitions=state.petitions.set(new.id, new))


def add_signature(state: State, petition_id: str, member_id: str) -> State:
    return update(state, petition_id, signatures=state.petitions[petition_id].signatures.set(member_id, True))


def signature_withdrawn(state: State, event: SignatureWithdrawn) -> State:
    return update(state, event.petition, signatures=state.petitions[event.petition].signatures.delete(event.actor))


DECIDERS = {WithdrawSignature: withdraw_signature}
APPLIERS = {SignatureWithdrawn: signature_withdrawn}
