"""A member votes: a secret ballot goes into the poll's box and they get a receipt; a public vote is recorded by name.

A secret ballot: a voting token is issued to the member and used at once, in the same
transaction as the ballot's slot and the roll's ``ballot cast`` event, so the token never
leaves the server and one member gets one ballot (the roll's row per member is unique).
The receipt is returned once the transaction has committed: the ballot is then durable.
"""

from __future__ import annotations

from collections.abc import Sequence

from frombelow.ballotbox import BallotBox, Receipt
from frombelow.federation import decide
from frombelow.federation.errors import NotAllowed
from frombelow.federation.events import Event
from frombelow.federation.voting import CastBallot, poll
from frombelow.web import recording


def run(member: str, poll_id: str, marks: Sequence[str]) -> Receipt | None:
    """The receipt of a secret ballot; None for a public vote (its record is the receipt)."""
    given: list[Receipt] = []

    def cast(state, at) -> list[Event]:
        current = poll(state, poll_id)
        if not current.secret:
            return decide(state, CastBallot(member, at, poll_id, tuple(marks)))
        if member in current.turnout:
            raise NotAllowed(f"you have voted on {current.question} already: each member votes once")
        box = BallotBox(state, poll_id, recording.box(poll_id))
        token = box.issue(state, member)
        events, receipt = box.cast(state, token, marks, at)
        given[:] = [receipt]  # a batch that fails as a whole runs this again
        return events

    recording.record(cast)
    return given[0] if given else None
