"""One command, one transaction: ledger, ballot box and projections move together, or not at all."""

from __future__ import annotations

import json
import shutil

import pytest

from frombelow.ballotbox import check_receipt
from frombelow.federation.errors import NotAllowed, NotFound
from frombelow.ledger.verifying import VerificationFailed, verify
from frombelow.web import recording
from frombelow.web.actions import cast_ballot, settle, sign_recall
from frombelow.web.export import export
from frombelow.web.models import BoxSlot, BoxToken, LedgerEntry, LedgerHead, PollRow
from frombelow.web.rebuild import rebuild
from tests.web.projections import snapshot

pytestmark = pytest.mark.django_db


def _by_election() -> PollRow:
    return PollRow.objects.get(purpose="election", counted=False)


def _everything() -> tuple:
    return (
        LedgerEntry.objects.count(),
        LedgerHead.objects.get(pk=1).size,
        BoxToken.objects.filter(voted=True).count(),
        BoxSlot.objects.filter(ballot__isnull=False).count(),
        snapshot(),
    )


def test_a_secret_ballot_goes_in_the_box_and_the_roll_records_only_that_the_member_voted(logins):
    poll = _by_election()
    choices = json.loads(json.dumps(poll.data))["choices"]
    receipt = cast_ballot.run(logins["ana"], poll.id, choices[:2])
    assert receipt is not None and receipt.poll == poll.id
    assert BoxToken.objects.get(poll=poll.id, member=logins["ana"]).voted
    ballot = BoxSlot.objects.get(poll=poll.id, ballot__contains=receipt.commitment).ballot
    assert logins["ana"] not in ballot  # the box's row names no member
    cast = LedgerEntry.objects.filter(kind="ballot cast").order_by("-index").first()
    assert logins["ana"] in cast.data and choices[0] not in cast.data  # the roll's entry names no choice
    assert PollRow.objects.get(id=poll.id).turnout == poll.turnout + 1


def test_a_second_ballot_is_refused_and_changes_nothing(logins):
    poll = _by_election()
    choices = poll.data["choices"]
    cast_ballot.run(logins["ana"], poll.id, choices[:1])
    before = _everything()
    with pytest.raises(NotAllowed, match="voted .* already"):
        cast_ballot.run(logins["ana"], poll.id, choices[1:2])
    assert _everything() == before


def test_a_ballot_in_someone_elses_election_is_refused_and_changes_nothing(logins):
    poll = _by_election()  # Local 1's; clara is in another local
    before = _everything()
    with pytest.raises(NotAllowed):
        cast_ballot.run(logins["clara"], poll.id, poll.data["choices"][:1])
    with pytest.raises(NotFound):
        cast_ballot.run(logins["clara"], "no such poll", ["x"])
    assert _everything() == before


def test_the_count_runs_when_the_vote_closes_and_the_receipt_is_in_it(logins, platform_clock):
    poll = _by_election()
    receipt = cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:3])
    platform_clock.advance(days=8)
    settle.run()
    counted = PollRow.objects.get(id=poll.id)
    assert counted.counted and counted.outcome
    published = recording.state().polls[poll.id].counted.ballots
    assert check_receipt(published, receipt) is not None


def test_rebuild_gives_the_projections_the_commands_wrote(logins, platform_clock):
    poll = _by_election()
    cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:2])
    sign_recall.run(logins["clara"], "petition-demo")
    cast_ballot.run(logins["boris"], "vote on strike-fund", ["no"])
    platform_clock.advance(days=8)
    settle.run()
    live = snapshot()
    rebuild()
    assert snapshot() == live


def test_export_then_verify_passes_and_a_tampered_export_fails(logins, tmp_path):
    poll = _by_election()
    cast_ballot.run(logins["ana"], poll.id, poll.data["choices"][:1])
    bundle = export(tmp_path / "bundle")
    report = verify(bundle)
    assert report.entries == LedgerHead.objects.get(pk=1).size
    tampered = tmp_path / "tampered"
    shutil.copytree(bundle, tampered)
    events = tampered / "events.jsonl"
    lines = events.read_bytes().split(b"\n")
    lines[100] = lines[100].replace(b'"at":"2', b'"at":"1', 1)
    events.write_bytes(b"\n".join(lines))
    with pytest.raises(VerificationFailed) as failure:
        verify(tampered)
    assert failure.value.index == 100
