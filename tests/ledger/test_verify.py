"""``verify`` on bundles the server itself signed: invariants 3 (verifiable count) and 4
(nothing rewritten) at the ledger's level, and what verify reports.

Here the forger holds the instance's key (a dishonest server): signatures all verify,
so only the recount, the roll and the checkpoints a member kept can catch it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from histories import KEY, demo_bundle, lines_of, record, tiny_history

from frombelow import demo
from frombelow.federation.codec import canonical, to_data
from frombelow.federation.events import Event, MemberLeft, from_json
from frombelow.federation.voting import Ballot, BallotCast, PollCounted, PollOpened, recount_published
from frombelow.ledger import checkpoints
from frombelow.ledger.bundles import read_bundle, write_bundle
from frombelow.ledger.entries import GENESIS
from frombelow.ledger.log import Ledger
from frombelow.ledger.merkle import Tree
from frombelow.ledger.verifying import VerificationFailed, verify


def signed_by_the_server(directory: Path, batches: list[list[Event]], ballots: dict[str, list[Ballot]]) -> Path:
    return write_bundle(directory, record(batches, every=3), ballots)


def counted_index(batches: list[list[Event]]) -> int:
    flat = [e for batch in batches for e in batch]
    return next(i for i, e in enumerate(flat) if e.kind == "poll counted")


def replaced(batches: list[list[Event]], kind: str, change: dict) -> list[list[Event]]:
    return [[dataclasses.replace(e, **change) if e.kind == kind else e for e in batch] for batch in batches]


# --- invariant 3: every count recomputed from its ballots --------------------------------------


def test_every_count_of_a_simulated_federation_is_recomputed_from_its_ballots() -> None:
    bundle = read_bundle(demo_bundle())
    entries = bundle.ledger.entries()
    opened = {e.event.poll: e.event for e in entries if isinstance(e.event, PollOpened)}
    counted = [e.event for e in entries if isinstance(e.event, PollCounted)]
    assert verify(bundle.directory).recounted == len(counted) > 100
    secret = [c for c in counted if opened[c.poll].secret and c.ballots]
    assert {c.poll for c in secret} == set(bundle.ballots)
    for count in secret:  # anyone recounts from the published files, not only from the record
        from_file = dataclasses.replace(count, ballots=bundle.ballots[count.poll])
        assert recount_published(opened[count.poll], from_file) == count
    methods = {opened[c.poll].method for c in counted}
    assert {"stv", "question"} <= methods
    assert any(o.weighted for o in opened.values())  # weighted roll calls recounted on the opening's total weight


def test_a_falsified_result_signed_by_the_server_is_caught_by_the_recount(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    forged = replaced(batches, "poll counted", {"outcome": "lost"})
    with pytest.raises(VerificationFailed, match="does not follow from its ballots: it published outcome") as caught:
        verify(signed_by_the_server(tmp_path, forged, ballots))
    assert caught.value.index == counted_index(batches)


def test_a_ballot_swapped_in_the_count_is_caught_by_the_recount(tmp_path: Path) -> None:
    batches, _ = tiny_history()
    counted = next(e for b in batches for e in b if e.kind == "poll counted")
    stuffed = tuple(sorted((*counted.ballots[:-1], Ballot(("no",))), key=lambda b: b.marks))
    forged = replaced(batches, "poll counted", {"ballots": stuffed})
    with pytest.raises(VerificationFailed, match='it published outcome "carried", the ballots give "lost"') as caught:
        verify(signed_by_the_server(tmp_path, forged, {"vote on m1": list(stuffed)}))
    assert caught.value.index == counted_index(batches)


def test_a_ballot_dropped_from_count_and_result_alike_is_caught_by_the_roll(tmp_path: Path) -> None:
    batches, _ = tiny_history()
    counted = next(e for b in batches for e in b if e.kind == "poll counted")
    kept = tuple(b for b in counted.ballots if b.marks != ("no",))
    opened = next(e for b in batches for e in b if e.kind == "poll opened")
    poll = recount_published(opened, dataclasses.replace(counted, ballots=kept))  # a count consistent with itself
    forged = replaced(batches, "poll counted", {f.name: getattr(poll, f.name) for f in dataclasses.fields(poll)})
    with pytest.raises(VerificationFailed, match="3 members voted in 'vote on m1' but its count holds 2 ballots"):
        verify(signed_by_the_server(tmp_path, forged, {"vote on m1": list(kept)}))


def test_a_vote_recorded_in_a_poll_not_open_is_caught(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    late = [[BallotCast("dee", batches[-1][-1].at, "vote on m1")]]
    with pytest.raises(VerificationFailed, match="which is not open") as caught:
        verify(signed_by_the_server(tmp_path, batches + late, ballots))
    assert caught.value.index == sum(len(b) for b in batches)


def test_a_count_of_a_poll_never_opened_is_caught(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    without = [[e for e in batch if e.kind != "poll opened"] for batch in batches]
    without = [[e for e in batch if e.kind != "ballot cast"] for batch in without]
    with pytest.raises(VerificationFailed, match="which no entry before it opened"):
        verify(signed_by_the_server(tmp_path, [b for b in without if b], ballots))


def test_published_ballots_must_be_the_ballots_counted(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    other = {"vote on m1": [Ballot(("no",)), Ballot(("no",)), Ballot(("yes",))]}
    with pytest.raises(VerificationFailed, match="does not hold the ballots 'vote on m1' was counted from"):
        verify(signed_by_the_server(tmp_path / "a", batches, other))
    with pytest.raises(VerificationFailed, match="are not published in ballots/"):
        verify(signed_by_the_server(tmp_path / "b", batches, {}))
    with pytest.raises(VerificationFailed, match="which no entry counts"):
        verify(signed_by_the_server(tmp_path / "c", batches, {**ballots, "vote on m9": []}))


# --- invariant 4: nothing rewritten -------------------------------------------------------------


def test_history_rewritten_and_signed_again_is_caught_by_a_checkpoint_kept_from_before(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    honest = signed_by_the_server(tmp_path / "honest", batches, ballots)
    kept = checkpoints.read(lines_of(honest / "checkpoints.jsonl")[1].rstrip(b"\n"))  # a member kept this one
    # The server rewrites who joined, and signs the whole record again with its own key.
    rewritten = replaced(batches, "member joined", {"member": "someone else"})
    forged = signed_by_the_server(tmp_path / "forged", rewritten, ballots)
    verify(forged)  # consistent in itself
    with pytest.raises(VerificationFailed, match="does not extend the checkpoint you kept"):
        verify(forged, kept=[kept])
    assert verify(honest, kept=[kept]).entries == 12


def test_a_correction_extends_the_record_so_kept_checkpoints_still_hold(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    honest = signed_by_the_server(tmp_path / "before", batches, ballots)
    kept = [checkpoints.read(line.rstrip(b"\n")) for line in lines_of(honest / "checkpoints.jsonl")]
    last = batches[-1][-1].at
    corrected = [*batches, [MemberLeft("cy", last, "cy", "local-1")]]  # a new event; nothing before it changes
    later = signed_by_the_server(tmp_path / "after", corrected, ballots)
    assert verify(later, kept=kept).entries == 13
    shorter = signed_by_the_server(tmp_path / "shorter", batches[:-2], {})
    with pytest.raises(VerificationFailed, match="fewer than the 12 of the checkpoint you kept"):
        verify(shorter, kept=kept)


def test_a_checkpoint_kept_must_be_signed_by_the_key(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    bundle = signed_by_the_server(tmp_path, batches, ballots)
    kept = checkpoints.read(lines_of(bundle / "checkpoints.jsonl")[0].rstrip(b"\n"))
    with pytest.raises(VerificationFailed, match="not signed by this key"):
        verify(bundle, kept=[dataclasses.replace(kept, size=kept.size - 1)])


# --- canonical bytes ----------------------------------------------------------------------------


def test_entries_not_in_canonical_form_pass_by_their_hashes_and_fail_a_thorough_check(tmp_path: Path) -> None:
    # A server writing entries with spaces (not canonical), hashing and signing them as written.
    batches, ballots = tiny_history()
    bundle = signed_by_the_server(tmp_path, batches, ballots)
    tree, head, lines = Tree(), GENESIS, []
    for line in lines_of(bundle / "events.jsonl"):
        fields = json.loads(line)
        data = json.dumps({**fields, "previous": head}, sort_keys=True).encode()
        lines.append(data + b"\n")
        tree.append(data)
        head = hashlib.sha256(data).hexdigest()
    (bundle / "events.jsonl").write_bytes(b"".join(lines))
    signed = checkpoints.sign(KEY, tree.size, tree.root().hex(), head, batches[-1][-1].at)
    (bundle / "checkpoints.jsonl").write_bytes(signed.to_bytes() + b"\n")
    assert verify(bundle).entries == 12  # the bytes are bound by their hashes: integrity holds
    with pytest.raises(VerificationFailed, match="not the canonical JSON") as caught:
        verify(bundle, thorough=True)
    assert caught.value.index == 0


# --- what verify reports ------------------------------------------------------------------------


def test_verify_reports_what_it_checked(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    report = verify(signed_by_the_server(tmp_path, batches, ballots), thorough=True)
    assert (report.entries, report.checkpoints, report.recounted, report.ballot_files) == (12, 4, 1, 1)
    assert report.key_id == KEY.key_id and report.signed_at == batches[-1][-1].at
    assert report.summary().startswith("intact: 12 entries, hash chain and Merkle root")
    assert "4 checkpoints signed by key" in report.summary() and "every event decoded" in report.summary()


def test_a_bundle_missing_a_file_is_refused(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    bundle = signed_by_the_server(tmp_path, batches, ballots)
    (bundle / "public_key.pem").write_bytes(b"not a key")
    with pytest.raises(VerificationFailed, match="holds no Ed25519 public key"):
        verify(bundle)
    (bundle / "public_key.pem").unlink()
    with pytest.raises(VerificationFailed, match="the bundle has no public_key.pem") as caught:
        verify(bundle)
    assert caught.value.index is None and str(caught.value) == "the bundle has no public_key.pem"


def test_an_empty_ledger_checkpointed_verifies(tmp_path: Path) -> None:
    ledger = Ledger(signer=KEY)
    ledger.checkpoint(tiny_history()[0][0][0].at)
    assert verify(write_bundle(tmp_path, ledger)).entries == 0


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_is_the_same_for_the_same_seed_and_its_ballots_are_those_counted(tmp_path: Path) -> None:
    events, ballots = demo.simulate(seed=7, members=60, weeks=6)
    again, _ = demo.simulate(seed=7, members=60, weeks=6)
    assert [canonical(to_data(e)) for e in events] == [canonical(to_data(e)) for e in again]
    assert events != demo.simulate(seed=8, members=60, weeks=6)[0]
    counted = {e.poll: e for e in events if isinstance(e, PollCounted)}
    for poll, published in ballots.items():
        assert sorted(published, key=repr) == sorted(counted[poll].ballots, key=repr)
    first = demo.write_demo_bundle(tmp_path / "a", seed=7, members=60, weeks=6)
    second = demo.write_demo_bundle(tmp_path / "b", seed=7, members=60, weeks=6)
    for name in ("events.jsonl", "checkpoints.jsonl", "public_key.pem"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert verify(first).entries == len(events)
    kinds = {from_json(json.loads(line)["event"]).kind for line in lines_of(first / "events.jsonl")}
    assert {"poll counted", "election decided", "vote cast", "ballot cast", "delegate recalled"} <= kinds


# --- helpers in other processes -----------------------------------------------------------------


def test_helper_processes_give_the_same_answers(tmp_path: Path) -> None:
    batches, ballots = tiny_history()
    counted = next(e for b in batches for e in b if e.kind == "poll counted")
    not_text = Ballot((("yes",),))  # type: ignore[arg-type] - a mark that is a list in the JSON
    cases = {
        "honest": (batches, ballots),
        "falsified": (replaced(batches, "poll counted", {"outcome": "lost"}), ballots),
        "ballots file": (batches, {"vote on m1": [Ballot(("no",))] * 3}),
        "ballots unpublished": (batches, {}),
        "ballot dropped": (replaced(batches, "poll counted", {"ballots": counted.ballots[1:]}), ballots),
        "opening unreadable": (replaced(batches, "poll opened", {"quorum": "a half"}), ballots),
        "count unreadable": (replaced(batches, "poll counted", {"ballots": (*counted.ballots[:2], "x")}), ballots),
        "mark not text": (replaced(batches, "poll counted", {"ballots": (*counted.ballots[:2], not_text)}), ballots),
    }
    for name, (history, published) in cases.items():
        bundle = signed_by_the_server(tmp_path / name.replace(" ", "-"), history, published)
        answers = []
        for workers in (0, 1):
            try:
                answers.append(verify(bundle, workers=workers).summary())
            except VerificationFailed as fault:
                answers.append((fault.index, fault.what, fault.checkpoint))
        assert answers[0] == answers[1], name
        assert (name == "honest") == isinstance(answers[0], str), (name, answers[0])
