"""Factions: parties and tendencies across a federation, changed only by their own members.

Any member may found a faction (becoming its first member); members join and leave by
their own act only, and only the faction's members amend its platform or dissolve it.
No council, at any level, can act on a faction.

Choices made here:

- A member may belong to several factions: tendencies overlap in a real union, and
  membership of a faction gives no vote of its own. Where one-per-member matters (a
  candidate on one slate of a list election) the election capability enforces it.
- A member who leaves the federation leaves every faction they belong to, by the same
  act (``leaving``: ``membership.leave`` appends its ``FactionLeft`` events), so a
  faction's ``members`` are exactly its current members, and their number is
  ``len(faction.members)``, with no scan.
- Dissolution is by the members: each supports it by their own act, and when more than
  half of the current members support it "the count" dissolves the faction. The count
  is taken when support is given and when a member leaves the faction or the federation
  (leaving can tip the balance); the last member leaving also dissolves it. A dissolved
  faction stays in the record (its id is never reused) but no one can act on it; its
  name becomes free.

State: ``state.factions`` (id -> ``Faction``; members and supporters are Maps of member
id -> True), ``state.factions_of`` (member id -> Map(faction id -> True): the live
factions they belong to) and ``state.faction_names`` ((federation, casefolded name) ->
the live faction holding it).

Dissent statements (``dissent.py``): any current member of a faction speaks for it
(``speaks_for``) to attach one statement to a decision of its federation. The statement
belongs to the decision, not to the faction, so dissolving a faction never erases it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from immutables import Map

from frombelow.federation.codec import require_aware
from frombelow.federation.commands import Command
from frombelow.federation.errors import InvalidCommand, NotAllowed, look_up
from frombelow.federation.events import THE_COUNT, Event
from frombelow.federation.state import Faction, State

# --- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundFaction(Command):
    faction: str
    name: str
    platform: str


@dataclass(frozen=True)
class JoinFaction(Command):
    faction: str


@dataclass(frozen=True)
class LeaveFaction(Command):
    faction: str


@dataclass(frozen=True)
class AmendPlatform(Command):
    faction: str
    text: str


@dataclass(frozen=True)
class SupportDissolution(Command):
    faction: str


@dataclass(frozen=True)
class WithdrawSupport(Command):
    faction: str


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactionFounded(Event):
    kind: ClassVar[str] = "faction founded"
    faction: str
    federation: str
    name: str
    platform: str


@dataclass(frozen=True)
class FactionJoined(Event):
    kind: ClassVar[str] = "faction joined"
    faction: str  # the actor is the one who joins: no one joins for another


@dataclass(frozen=True)
class FactionLeft(Event):
    kind: ClassVar[str] = "faction left"
    faction: str


@dataclass(frozen=True)
class PlatformAmended(Event):
    kind: ClassVar[str] = "faction platform amended"
    faction: str
    platform: str


@dataclass(frozen=True)
class DissolutionSupported(Event):
    kind: ClassVar[str] = "faction dissolution supported"
    faction: str


@dataclass(frozen=True)
class DissolutionSupportWithdrawn(Event):
    kind: ClassVar[str] = "faction dissolution support withdrawn"
    faction: str


@dataclass(frozen=True)
class FactionDissolved(Event):
    kind: ClassVar[str] = "faction dissolved"
    faction: str
    members: tuple[str, ...]  # its members at the count, sorted, so anyone can check it
    supporters: tuple[str, ...]  # those of them supporting dissolution


# --- reading the state ---------------------------------------------------------------------


def current_members(state: State, faction: Faction) -> frozenset[str]:
    """The faction's members (all of them still members of its federation)."""
    return frozenset(faction.members)


def live_faction(state: State, faction_id: str) -> Faction:
    faction = look_up(state.factions, faction_id, "faction")
    if faction.dissolved_at is not None:
        raise NotAllowed(f"{faction.name} has been dissolved")
    return faction


def belongs(state: State, faction: Faction, member_id: str) -> bool:
    """Whether one member currently belongs to the faction (no scan of its members)."""
    member = state.members.get(member_id)
    return member_id in faction.members and member is not None and member.federation == faction.federation


def speaks_for(state: State, faction_id: str, member_id: str) -> Faction:
    """The faction, if ``member_id`` is one of its current members; otherwise a refusal."""
    faction = live_faction(state, faction_id)
    state.member(member_id)
    if not belongs(state, faction, member_id):
        raise NotAllowed(f"only members of {faction.name} may do this")
    return faction


def _dissolution(faction: Faction, members: Map, supporters: Map, at: datetime) -> list[Event]:
    """ "The count" dissolves the faction when more than half its members support it, or none are left.

    ``members`` and ``supporters`` are as they will be (supporters are always members).
    """
    if members and 2 * len(supporters) <= len(members):
        return []
    return [FactionDissolved(THE_COUNT, at, faction.id, tuple(sorted(members)), tuple(sorted(supporters)))]


def _name_key(federation: str, name: str) -> tuple[str, str]:
    return (federation, name.casefold())


# --- deciding ------------------------------------------------------------------------------


def found_faction(state: State, command: FoundFaction) -> list[FactionFounded]:
    require_aware(command.at)
    member = state.member(command.actor)
    name = command.name.strip()
    if not command.faction.strip():
        raise InvalidCommand("a faction needs an id")
    if not name:
        raise InvalidCommand("a faction needs a name")
    if not command.platform.strip():
        raise InvalidCommand("a faction needs a platform saying what it stands for")
    if command.faction in state.factions:
        raise InvalidCommand(f"a faction {command.faction!r} exists or existed already; choose another id")
    other = state.faction_names.get(_name_key(member.federation, name))
    if other is not None:
        raise InvalidCommand(f"there is a faction named {state.factions[other].name} already")
    return [FactionFounded(command.actor, command.at, command.faction, member.federation, name, command.platform)]


def join_faction(state: State, command: JoinFaction) -> list[FactionJoined]:
    require_aware(command.at)
    faction = live_faction(state, command.faction)
    member = state.member(command.actor)
    if member.federation != faction.federation:
        raise NotAllowed(f"{faction.name} is a faction of another federation")
    if belongs(state, faction, member.id):
        raise InvalidCommand(f"you are a member of {faction.name} already")
    return [FactionJoined(command.actor, command.at, faction.id)]


def leave_faction(state: State, command: LeaveFaction) -> list[Event]:
    require_aware(command.at)
    faction = speaks_for(state, command.faction, command.actor)
    return _left(faction, command.actor, command.at)


def _left(faction: Faction, member_id: str, at: datetime) -> list[Event]:
    left: list[Event] = [FactionLeft(member_id, at, faction.id)]
    remaining, supporters = faction.members.delete(member_id), faction.supporters
    if member_id in supporters:
        supporters = supporters.delete(member_id)
    return left + _dissolution(faction, remaining, supporters, at)


def leaving(state: State, member_id: str, at: datetime) -> list[Event]:
    """The events of a member leaving the federation: they leave each faction they belong to."""
    return [e for f in sorted(state.factions_of.get(member_id, Map())) for e in _left(state.factions[f], member_id, at)]


def amend_platform(state: State, command: AmendPlatform) -> list[PlatformAmended]:
    require_aware(command.at)
    faction = speaks_for(state, command.faction, command.actor)
    if not command.text.strip():
        raise InvalidCommand("a platform cannot be empty")
    if command.text == faction.platform:
        raise InvalidCommand(f"the platform of {faction.name} says that already")
    return [PlatformAmended(command.actor, command.at, faction.id, command.text)]


def support_dissolution(state: State, command: SupportDissolution) -> list[Event]:
    require_aware(command.at)
    faction = speaks_for(state, command.faction, command.actor)
    if command.actor in faction.supporters:
        raise InvalidCommand(f"you support dissolving {faction.name} already")
    supported: list[Event] = [DissolutionSupported(command.actor, command.at, faction.id)]
    supporters = faction.supporters.set(command.actor, True)
    return supported + _dissolution(faction, faction.members, supporters, command.at)


def withdraw_support(state: State, command: WithdrawSupport) -> list[DissolutionSupportWithdrawn]:
    require_aware(command.at)
    faction = speaks_for(state, command.faction, command.actor)
    if command.actor not in faction.supporters:
        raise InvalidCommand(f"you do not support dissolving {faction.name}")
    return [DissolutionSupportWithdrawn(command.actor, command.at, faction.id)]


# --- applying ------------------------------------------------------------------------------


def _update(state: State, faction_id: str, **changes: object) -> State:
    faction = dataclasses.replace(state.factions[faction_id], **changes)
    return state.updated(factions=state.factions.set(faction_id, faction))


def _belonging(state: State, member_id: str, faction_id: str, belongs: bool) -> State:
    """Keep ``state.factions_of`` in step with a faction's members."""
    held = state.factions_of.get(member_id, Map())
    held = held.set(faction_id, True) if belongs else held.delete(faction_id)
    factions_of = state.factions_of.set(member_id, held) if held else state.factions_of.delete(member_id)
    return state.updated(factions_of=factions_of)


def faction_founded(state: State, event: FactionFounded) -> State:
    members = Map({event.actor: True})
    faction = Faction(event.faction, event.federation, event.name, event.platform, event.actor, event.at, members)
    names = state.faction_names.set(_name_key(event.federation, event.name), event.faction)
    state = state.updated(factions=state.factions.set(event.faction, faction), faction_names=names)
    return _belonging(state, event.actor, event.faction, True)


def faction_joined(state: State, event: FactionJoined) -> State:
    state = _update(state, event.faction, members=state.factions[event.faction].members.set(event.actor, True))
    return _belonging(state, event.actor, event.faction, True)


def faction_left(state: State, event: FactionLeft) -> State:
    faction = state.factions[event.faction]
    supporters = faction.supporters.delete(event.actor) if event.actor in faction.supporters else faction.supporters
    state = _update(state, event.faction, members=faction.members.delete(event.actor), supporters=supporters)
    return _belonging(state, event.actor, event.faction, False)


def platform_amended(state: State, event: PlatformAmended) -> State:
    return _update(state, event.faction, platform=event.platform)


def dissolution_supported(state: State, event: DissolutionSupported) -> State:
    return _update(state, event.faction, supporters=state.factions[event.faction].supporters.set(event.actor, True))


def dissolution_support_withdrawn(state: State, event: DissolutionSupportWithdrawn) -> State:
    return _update(state, event.faction, supporters=state.factions[event.faction].supporters.delete(event.actor))


def faction_dissolved(state: State, event: FactionDissolved) -> State:
    faction = state.factions[event.faction]
    state = _update(state, event.faction, dissolved_at=event.at)
    for member in faction.members:  # they belong to it no more: it is gone
        state = _belonging(state, member, faction.id, False)
    names = state.faction_names.delete(_name_key(faction.federation, faction.name))
    return state.updated(faction_names=names)


DECIDERS = {
    FoundFaction: found_faction,
    JoinFaction: join_faction,
    LeaveFaction: leave_faction,
    AmendPlatform: amend_platform,
    SupportDissolution: support_dissolution,
    WithdrawSupport: withdraw_support,
}
APPLIERS = {
    FactionFounded: faction_founded,
    FactionJoined: faction_joined,
    FactionLeft: faction_left,
    PlatformAmended: platform_amended,
    DissolutionSupported: dissolution_supported,
    DissolutionSupportWithdrawn: dissolution_support_withdrawn,
    FactionDissolved: faction_dissolved,
}
