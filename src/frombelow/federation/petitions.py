"""Petitions: members signing, from below, to make something happen.

Two kinds share this mechanism: a recall petition (``recall.py``) and an initiative
(``initiative.py``). ``state.petitions`` maps a petition id to a ``recall.RecallPetition``
or an ``initiative.Initiative`` (each with a ``kind``); the ids are shared and never reused.

- Who may sign, and how many must, are fixed when the petition starts: the size of its
  electorate and the signatures needed are recorded in the event that starts it, so a
  count is checked against the numbers the signers saw.
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


def signatures_needed(share: Fraction, electorate: int) -> int:
    """``share`` of the electorate, rounded up, and never fewer than one signature."""
    return max(1, math.ceil(share * electorate))


def reaches(found: Any, signatures: int) -> bool:
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
    return dataclasses.replace(state, petitions=state.petitions.set(petition_id, updated))


def add(state: State, new: Any) -> State:
    return dataclasses.replace(state, petitions=state.petitions.set(new.id, new))


def add_signature(state: State, petition_id: str, member_id: str) -> State:
    return update(state, petition_id, signatures=state.petitions[petition_id].signatures | {member_id})


def signature_withdrawn(state: State, event: SignatureWithdrawn) -> State:
    return update(state, event.petition, signatures=state.petitions[event.petition].signatures - {event.actor})


DECIDERS = {WithdrawSignature: withdraw_signature}
APPLIERS = {SignatureWithdrawn: signature_withdrawn}
