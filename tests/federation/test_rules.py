"""The core's own checks on every command (``rules.decide``): time only moves forward, and a
time too late to count a deadline from is refused, not a crash."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from founding import at, found
from immutables import Map
from seated import join, seated

from frombelow.federation import InvalidCommand, NotAllowed, State, execute, replay
from frombelow.federation.commands import IssueInvitation
from frombelow.federation.elections import StartTerm
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.voting import CastBallot, ClosePoll


def test_no_command_is_dated_before_the_last_recorded_event() -> None:
    """A ballot dated inside the voting period is refused once anything later has been recorded."""
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    box.run(CallVote("eve", at(hours + 1), "b1"))
    box.run(IssueInvitation("ann", at(hours + 200), "local-1", "an-invitation-after-the-deadline"))
    assert box.state.clock == at(hours + 200)
    before = box.state
    late = CastBallot("eve", at(hours + 100), "vote on b1", ("yes",))  # before closes_at (hours + 169)
    message = r"dated before the last recorded event \(2026-05-.* UTC\): it is dated 2026-05-.* UTC"
    with pytest.raises(InvalidCommand, match=message):
        box.run(late)
    assert box.state is before
    # At the very time of the last event is not before it; the vote itself is closed by then.
    with pytest.raises(NotAllowed, match="the vote on Dues is closed"):
        box.run(CastBallot("eve", at(hours + 200), "vote on b1", ("yes",)))
    assert replay(box.history, seated()[0].state).clock == box.state.clock


@pytest.mark.parametrize(
    "command",
    [
        IssueInvitation("ann", datetime(9999, 12, 30, tzinfo=UTC), "local-1", "an-invitation-at-the-end-of-time"),
        StartTerm("ann", datetime(9999, 12, 30, tzinfo=UTC), "metal"),
    ],
)
def test_a_time_too_late_to_count_a_deadline_from_is_refused(command: object) -> None:
    state = found()
    with pytest.raises(InvalidCommand, match="9999-12-30 00:00 UTC is too late a time"):
        execute(state, command)  # type: ignore[arg-type]


def test_refusals_show_times_in_utc_whatever_zone_the_command_came_in() -> None:
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    called = at(hours + 1).astimezone(timezone(timedelta(hours=2)))
    box.run(CallVote("eve", called, "b1"))
    closes = at(hours + 1 + 7 * 24)
    with pytest.raises(NotAllowed, match=f"stays open until {closes:%Y-%m-%d %H:%M} UTC"):
        box.run(ClosePoll("the count", at(hours + 2), "vote on b1"))


def test_state_updated_is_dataclasses_replace_only_faster() -> None:
    state = State()
    assert state.updated(events=3, polls=Map(a=1)) == dataclasses.replace(state, events=3, polls=Map(a=1))
    assert state.events == 0  # the original is untouched
    with pytest.raises(TypeError, match="no field 'nonsense'"):
        state.updated(nonsense=1)
