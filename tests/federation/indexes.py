"""The capabilities' own indexes, checked against what they index (the property test calls this)."""

from __future__ import annotations

from frombelow.federation.recall import RecallPetition
from frombelow.federation.state import State


def pairs(index: object) -> set[tuple[object, object]]:
    """A Map of Maps as (outer key, inner key) pairs."""
    return {(k, inner) for k, inners in index.items() for inner in inners}  # type: ignore[attr-defined]


def capabilities_agree(state: State) -> None:
    recall_petitions = {
        ((p.council, p.delegate, p.term), p.id) for p in state.petitions.values() if isinstance(p, RecallPetition)
    }
    assert pairs(state.recall_petitions) == recall_petitions
    for vote in state.recalls.values():
        assert all(state.polls[p].subject == vote.id for p in vote.polls)
    in_force = {(m.council, m.item, m.motion) for m in state.mandates.values() if m.in_force}
    assert {(k, i, state.mandates_in_force[k][i]) for k, i in pairs(state.mandates_in_force)} == in_force
    objections = {m.id for m in state.motions.values() if m.kind == "objection"}
    assert set(state.objection_motions) == objections
    live = [f for f in state.factions.values() if f.dissolved_at is None]
    assert pairs(state.factions_of) == {(m, f.id) for f in live for m in f.members}
    assert all(m in state.members for f in live for m in f.members)
    assert dict(state.faction_names) == {(f.federation, f.name.casefold()): f.id for f in live}
    pending = {(m.amends, m.id) for m in state.motions.values() if m.amends and m.status == "on the agenda"}
    assert pairs(state.pending_amendments) == pending
    assert pairs(state.elections_by_term) == {((e.council, e.term), e.id) for e in state.elections.values()}
    voting = [p for p in state.proposals.values() if p.status == "voting"]
    assert dict(state.under_proposal) == {c: p.id for p in voting for c in (*p.councils, *(q for q, _ in p.parts))}
    assert all(state.members[s.member].council == c == s.council for c, s in state.secretaries.items())
    assert set(state.secretary_nominations) == {m.id for m in state.motions.values() if m.kind == "secretary"}
