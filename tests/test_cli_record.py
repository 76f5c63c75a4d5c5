"""The record's commands as anyone runs them: export --demo, verify, recount, proof."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from frombelow.demo import write_demo_bundle


def frombelow(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "frombelow.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bundle = tmp_path_factory.mktemp("record") / "demo"
    done = frombelow("export", "--demo", bundle)
    assert done.returncode == 0, done.stderr
    assert "signed checkpoints; try: frombelow verify" in done.stdout
    return bundle


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "copy"))


def test_export_demo_writes_a_bundle_that_verifies(demo: Path) -> None:
    done = frombelow("verify", demo)
    assert done.returncode == 0, done.stderr
    assert "intact:" in done.stdout and "counts recomputed from their ballots" in done.stdout
    assert len((demo / "events.jsonl").read_bytes().splitlines()) > 5_000
    assert len(list((demo / "ballots").glob("*.jsonl"))) > 20


def test_verify_names_the_first_bad_entry_of_an_altered_bundle(copy: Path) -> None:
    lines = (copy / "events.jsonl").read_bytes().splitlines(keepends=True)
    lines[1234] = lines[1234].replace(b'"at":"2026', b'"at":"2027', 1)
    (copy / "events.jsonl").write_bytes(b"".join(lines))
    done = frombelow("verify", copy)
    assert done.returncode == 1
    assert "NOT INTACT: entry 1234" in done.stderr and done.stdout == ""


def test_verify_refuses_a_key_other_than_the_instance_s(demo: Path) -> None:
    done = frombelow("verify", demo, "--key", "0123456789abcdef")
    assert done.returncode == 1 and "not the instance's key 0123456789abcdef" in done.stderr


def test_recount_lists_the_votes_and_recounts_one_with_its_rounds(demo: Path) -> None:
    listed = frombelow("recount", demo)
    assert listed.returncode == 0
    first = listed.stdout.splitlines()[0]
    assert first.startswith("'election ") and "(election, stv)" in first
    election = first.split("'")[1].removeprefix("election ")
    done = frombelow("recount", demo, election)
    assert done.returncode == 0, done.stderr
    assert "R1" in done.stdout and "Elected:" in done.stdout
    assert "the published count is recomputed exactly from its ballots" in done.stdout
    data = json.loads(frombelow("recount", demo, election, "--json").stdout)
    assert data["agrees"] and data["rounds"]["winners"] == data["published"]["elected"]


def test_recount_catches_a_count_that_its_ballots_do_not_give(copy: Path) -> None:
    lines = (copy / "events.jsonl").read_bytes().splitlines(keepends=True)
    counted = next(i for i, line in enumerate(lines) if b'"outcome":"carried"' in line)
    lines[counted] = lines[counted].replace(b'"outcome":"carried"', b'"outcome":"lost"', 1)
    (copy / "events.jsonl").write_bytes(b"".join(lines))
    poll = json.loads(lines[counted])["event"]["poll"]
    done = frombelow("recount", copy, poll)
    assert done.returncode == 1 and "is NOT what its ballots give" in done.stderr
    assert "DIFFERS" in done.stdout


def test_proof_prints_an_inclusion_proof_that_checks_and_a_changed_one_that_does_not(
    demo: Path, tmp_path: Path
) -> None:
    done = frombelow("proof", demo, 100)
    assert done.returncode == 0, done.stderr
    proof = json.loads(done.stdout)
    assert proof["index"] == 100 and proof["audit_path"]
    path = tmp_path / "proof.json"
    path.write_text(done.stdout)
    checked = frombelow("proof", "--check", path)
    assert checked.returncode == 0 and "holds: entry 100" in checked.stdout
    proof["audit_path"][0] = "00" * 32
    path.write_text(json.dumps(proof))
    refused = frombelow("proof", "--check", path)
    assert refused.returncode == 1 and "does NOT hold: the audit path" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("verify", "no-such-bundle"), "no-such-bundle: no such bundle"),
        (("recount", "DEMO", "no-such-election"), "no counted vote 'no-such-election'"),
        (("recount", "DEMO", "--receipt", "ab12"), "--receipt needs the ELECTION"),
        (("proof", "DEMO", 10**9), "there is no entry 1000000000"),
        (("proof", "DEMO"), "proof needs a BUNDLE and an entry INDEX"),
        (("export", "--demo", "DEMO"), "not empty"),
        (("export", "DEMO"), "not empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(demo: Path, args: tuple, message: str) -> None:
    done = frombelow(*(demo if a == "DEMO" else a for a in args))
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_the_hand_check_of_docs_verify_md_accepts_a_real_proof(demo: Path, tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "verify.md"
    blocks = re.findall(r"```python\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)
    script = tmp_path / "check.py"
    script.write_text(next(b for b in blocks if "audit_path" in b), encoding="utf-8")
    for index in (0, 100, 4095, len((demo / "events.jsonl").read_bytes().splitlines()) - 1):
        (tmp_path / "proof.json").write_text(frombelow("proof", demo, index).stdout)
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (index, done.stderr)
    proof = json.loads((tmp_path / "proof.json").read_text())
    proof["entry"] = proof["entry"].replace('"index"', '"index" ', 1)
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "AssertionError" in done.stderr


def test_a_voter_finds_their_receipt_in_the_count_and_a_forged_one_is_not(demo: Path) -> None:
    poll, receipt = (demo / "demo-receipts.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    done = frombelow("recount", demo, poll, "--receipt", receipt)
    assert done.returncode == 0, done.stderr
    assert f"receipt {receipt}: in the count, as the ballot" in done.stdout
    commitment, nonce = receipt.split(":")
    forged = f"{commitment}:{'0' * len(nonce)}"  # the commitment, but not the nonce that opens it
    refused = frombelow("recount", demo, poll, "--receipt", forged)
    assert refused.returncode == 1 and "is NOT in the count" in refused.stderr


def test_a_kept_checkpoint_catches_a_history_rewritten_and_signed_again(demo: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.jsonl"
    kept.write_bytes(b"".join((demo / "checkpoints.jsonl").read_bytes().splitlines(keepends=True)[:3]))
    assert frombelow("verify", demo, "--kept", kept).returncode == 0
    # Another history signed with the same key (the demo's key comes from its seed): intact on its own,
    # but it does not extend what a member kept.
    other = write_demo_bundle(tmp_path / "other", seed=1917, members=200)
    assert frombelow("verify", other).returncode == 0
    done = frombelow("verify", other, "--kept", kept)
    assert done.returncode == 1 and "NOT INTACT" in done.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not a checkpoint\n")
    refused = frombelow("verify", demo, "--kept", bad)
    assert refused.returncode == 2 and f"{bad}, line 1: not a checkpoint" in refused.stderr
