"""The poll mechanism itself (``voting.py``): who may still vote, what a count publishes."""

from __future__ import annotations

import pytest
from founding import at
from seated import join, seated

from frombelow.federation import NotAllowed
from frombelow.federation.charter import Charter
from frombelow.federation.commands import Leave
from frombelow.federation.elections import Nominate, OpenElection, Resign
from frombelow.federation.motions import CallVote, ProposeMotion
from frombelow.federation.voting import CastBallot


def test_a_delegate_who_gave_up_the_seat_no_longer_votes_in_a_roll_call_nor_does_the_successor() -> None:
    box, hours = seated(Charter(nomination_days=1))
    hours = join(box, hours, ("eve", "local-1"))
    box.run(ProposeMotion("bo", at(hours), "n1", "north", "Strike", "Ballot on a strike."))
    box.run(CallVote("bo", at(hours + 1), "n1"))
    box.run(Resign("ann", at(hours + 2), "north"))
    before = box.state
    with pytest.raises(NotAllowed, match="you no longer hold the seat for Local 1 in North District"):
        box.run(CastBallot("ann", at(hours + 3), "vote on n1", ("yes",)))
    assert box.state is before
    box.run(CastBallot("bo", at(hours + 3), "vote on n1", ("yes",)))  # who still sits votes
    # eve fills the seat in a by-election while the vote is open: she was not seated when it opened.
    box.run(Nominate("eve", at(hours + 4), "north/local-1/term-1/by-election-1", "eve", None))
    box.run(OpenElection("eve", at(hours + 30), "north/local-1/term-1/by-election-1"))
    assert ("north", "eve") in box.state.delegates
    with pytest.raises(NotAllowed, match="only those entitled to vote in North District when this vote opened"):
        box.run(CastBallot("eve", at(hours + 31), "vote on n1", ("yes",)))


def test_a_member_who_left_no_longer_votes() -> None:
    box, hours = seated()
    hours = join(box, hours, ("eve", "local-1"), ("fay", "local-1"))
    box.run(ProposeMotion("eve", at(hours), "b1", "local-1", "Dues", "Raise dues."))
    box.run(CallVote("eve", at(hours + 1), "b1"))
    box.run(Leave("fay", at(hours + 2)))
    before = box.state
    with pytest.raises(NotAllowed, match="you are no longer a member, so you may not vote on Dues"):
        box.run(CastBallot("fay", at(hours + 3), "vote on b1", ("no",)))
    assert box.state is before and "fay" not in box.ballots.get("vote on b1", [])
