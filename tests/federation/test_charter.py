"""A charter's own checks: settings no federation could govern itself by are refused."""

import pytest

from frombelow.federation import InvalidCommand
from frombelow.federation.charter import Charter


def test_a_charter_gives_a_constituents_delegates_no_method_that_elects_one() -> None:
    with pytest.raises(InvalidCommand, match="irv elects one candidate: a constituent's delegates need a method"):
        Charter(election_methods=(("delegates", "irv"), ("by-election", "irv")))
    Charter(election_methods=(("delegates", "stv"), ("by-election", "irv")))  # one seat: IRV fills it
