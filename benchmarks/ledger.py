"""Time the ledger on a simulated federation: a million events recorded, proofs, verify.

    .venv/bin/python benchmarks/ledger.py [--quick] [--events N] [--seed S] [--sample K] [--no-pymerkle]

The events are a real federation's: ``federation.py``'s driver (``build``) founds a
federation and governs it (members joining, moving and leaving, factions, terms with
secret elections at every level, motions, mandates, recalls, referendums) until it has
recorded N events (1 M by default, 50 k with ``--quick``); building them is not timed.

Then, timed:

- **Ledger**: every event recorded in a ``Ledger`` over a ``MemoryStore`` as the
  platform records them (``Ledger.record``: canonical JSON entry, hash chain, Merkle
  leaf, and a signed checkpoint whenever ``checkpoints.due`` says so: after each closed
  election, and every 1,000 entries), the bundle written to a temporary directory
  (``write_bundle``, with the ballots of every secret poll counted), and the bundle
  verified (``verify``; the command ``frombelow verify DIR`` in a process of its own,
  its imports and its exit included, which the goal is for; and ``verify(thorough=True)``,
  which also decodes and re-encodes every event).
- **Merkle tree** (``frombelow.ledger.merkle``) over the same entries: built one leaf at
  a time (``Tree.append``) and in bulk (``Tree.of``), the root at every checkpoint's
  size, inclusion proofs of a seeded sample of entries (K, 10,000 by default) and their
  verification, and consistency proofs from each checkpoint to the next and their
  verification.
- **Baselines**: ``hashlib.sha256`` of every entry, bare (the floor for hashing the
  leaves); a Merkle root alone computed level by level with bare ``hashlib`` (the floor
  for a tree); and pymerkle (PyPI, ``InmemoryTree``, RFC 9162 hashing) doing the same
  work as the Merkle rows, its roots checked equal to ours at every checkpoint.

Progress goes to stderr, the tables to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from federation import build

from frombelow.federation.events import Event
from frombelow.federation.voting import PollCounted, PollOpened
from frombelow.ledger import Ledger, MemoryStore, Signer, verify, write_bundle
from frombelow.ledger.merkle import Tree, leaf_hash, verify_consistency, verify_inclusion

VERIFY_GOAL = 10.0  # seconds, for a bundle of 1 M events, with the command
COMMAND = "frombelow verify DIR (the command, wall)"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(rows: list[tuple[str, int, float]], phase: str, items: int, work: Callable[[], Any]) -> Any:
    progress(f"  {phase} ({items:,})")
    begin = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - begin
    rows.append((phase, items, seconds))
    progress(f"    {seconds:.2f} s")
    return result


def record(history: list[Event]) -> Ledger:
    ledger = Ledger(MemoryStore(), Signer.from_seed(bytes(32)))
    for event in history:
        ledger.record((event,), event.at)
    ledger.checkpoint(history[-1].at)  # the tail since the last one, so the bundle is all signed
    return ledger


def published_ballots(history: list[Event]) -> dict[str, tuple]:
    """The ballots every secret poll's box published when it was counted (poll id -> ballots)."""
    secret = {e.poll for e in history if isinstance(e, PollOpened) and e.secret}
    return {e.poll: e.ballots for e in history if isinstance(e, PollCounted) and e.poll in secret and e.ballots}


def ledger_rows(rows: list[tuple[str, int, float]], history: list[Event]) -> tuple[list[bytes], list[int], Any, str]:
    """Record, write and verify; return the entries' bytes, the checkpoints' sizes,
    verify's report and a line of facts about the bundle."""
    n = len(history)
    ballots = published_ballots(history)
    elections = sum(1 for e in history if e.kind == "election decided")
    ledger = timed(rows, "Ledger.record (entry, chain, Merkle leaf, checkpoints)", n, lambda: record(history))
    sizes = [c.size for c in ledger.checkpoints()]
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as temporary:
        bundle = Path(temporary) / "bundle"
        timed(rows, "write_bundle", n, lambda: write_bundle(bundle, ledger, ballots))
        megabytes = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 2**20
        report = timed(rows, "verify (bundle)", n, lambda: verify(bundle))
        timed(rows, COMMAND, n, lambda: verify_command(bundle))
        thorough = timed(
            rows, "verify (bundle, thorough: every event decoded)", n, lambda: verify(bundle, thorough=True)
        )
    assert report.entries == thorough.entries == n and report.root == ledger.root().hex(), report.summary()
    facts = (
        f"{len(sizes):,} checkpoints (after each of {elections:,} elections decided, and every 1,000 entries); "
        f"bundle {megabytes:.0f} MiB with {len(ballots):,} ballot files"
    )
    return ledger.store.read(0, n), sizes, report, facts


def verify_command(bundle: Path) -> None:
    """``frombelow verify`` as a member runs it: the venv's command, in a process of its own."""
    command = Path(sys.executable).with_name("frombelow")
    subprocess.run([str(command), "verify", str(bundle)], check=True, capture_output=True)


def append_each(data: list[bytes]) -> Tree:
    tree = Tree()
    for entry in data:
        tree.append(entry)
    return tree


def bare_root(data: list[bytes]) -> bytes:
    """RFC 6962's root with nothing but hashlib: leaves, then pairs level by level, an odd
    node carried up (which is where the RFC's split puts it)."""
    sha256 = hashlib.sha256
    level = [sha256(b"\x00" + entry).digest() for entry in data]
    while len(level) > 1:
        pairs = [sha256(b"\x01" + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
        level = pairs + level[-1:] if len(level) & 1 else pairs
    return level[0]


def merkle_rows(
    rows: list[tuple[str, int, float]], data: list[bytes], sizes: list[int], sample: list[int]
) -> dict[str, float]:
    n = len(data)
    tree = timed(rows, "Tree.append, one entry at a time", n, lambda: append_each(data))
    bulk = timed(rows, "Tree.of, all entries in bulk", n, lambda: Tree.of(data))
    assert bulk.root() == tree.root()
    del bulk
    roots = timed(rows, "root at every checkpoint's size", len(sizes), lambda: [tree.root(s) for s in sizes])
    proofs = timed(
        rows, "inclusion proof (sampled entries)", len(sample), lambda: [tree.inclusion_proof(i) for i in sample]
    )
    root = tree.root()
    ok = timed(
        rows,
        "verify_inclusion",
        len(sample),
        lambda: all(verify_inclusion(data[i], i, n, p, root) for i, p in zip(sample, proofs, strict=True)),
    )
    assert ok, "an inclusion proof failed"
    steps = list(itertools.pairwise(sizes))
    consistency = timed(
        rows,
        "consistency proof, checkpoint to the next",
        len(steps),
        lambda: [tree.consistency_proof(a, b) for a, b in steps],
    )
    at = dict(zip(sizes, roots, strict=True))
    ok = timed(
        rows,
        "verify_consistency",
        len(steps),
        lambda: all(verify_consistency(a, b, at[a], at[b], p) for (a, b), p in zip(steps, consistency, strict=True)),
    )
    assert ok, "a consistency proof failed"
    return dict(zip(sizes, roots, strict=True))


def pymerkle_rows(
    rows: list[tuple[str, int, float]], data: list[bytes], sizes: list[int], sample: list[int], ours: dict[int, bytes]
) -> None:
    import pymerkle  # a bench extra: pip install -e '.[bench]'

    n = len(data)

    def append_each_peer() -> Any:
        peer = pymerkle.InmemoryTree(algorithm="sha256")
        for entry in data:
            peer.append_entry(entry)
        return peer

    peer = timed(rows, "pymerkle: append_entry, one at a time", n, append_each_peer)
    roots = timed(
        rows, "pymerkle: root at every checkpoint's size", len(sizes), lambda: [peer.get_root(s) for s in sizes]
    )
    assert roots == [ours[s] for s in sizes], "pymerkle's roots differ from ours"
    proofs = timed(
        rows,
        "pymerkle: inclusion proof (sampled entries)",
        len(sample),
        lambda: [peer.prove_inclusion(i + 1) for i in sample],
    )
    root = peer.get_root()

    def check_inclusions() -> None:
        for i, proof in zip(sample, proofs, strict=True):
            pymerkle.verify_inclusion(leaf_hash(data[i]), root, proof)  # raises if it fails

    timed(rows, "pymerkle: verify_inclusion", len(sample), check_inclusions)
    steps = list(itertools.pairwise(sizes))
    consistency = timed(
        rows,
        "pymerkle: consistency proof, checkpoint to the next",
        len(steps),
        lambda: [peer.prove_consistency(a, b) for a, b in steps],
    )

    def check_consistencies() -> None:
        for (a, b), proof in zip(steps, consistency, strict=True):
            pymerkle.verify_consistency(ours[a], ours[b], proof)

    timed(rows, "pymerkle: verify_consistency", len(steps), check_consistencies)


SIDE_BY_SIDE = [  # (operation, our phase, pymerkle's phase)
    ("append one leaf at a time", "Tree.append, one entry at a time", "pymerkle: append_entry, one at a time"),
    ("root at every checkpoint", "root at every checkpoint's size", "pymerkle: root at every checkpoint's size"),
    ("inclusion proof", "inclusion proof (sampled entries)", "pymerkle: inclusion proof (sampled entries)"),
    ("verify an inclusion proof", "verify_inclusion", "pymerkle: verify_inclusion"),
    (
        "consistency proof",
        "consistency proof, checkpoint to the next",
        "pymerkle: consistency proof, checkpoint to the next",
    ),
    ("verify a consistency proof", "verify_consistency", "pymerkle: verify_consistency"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50 k events")
    parser.add_argument("--seed", type=int, default=1917)
    parser.add_argument("--sample", type=int, default=10_000, help="entries whose inclusion is proved")
    parser.add_argument("--no-pymerkle", action="store_true", help="skip the pymerkle baseline")
    args = parser.parse_args()
    events = 50_000 if args.quick else args.events

    progress(f"building a federation's record of {events:,} events (federation.py's driver, not timed)")
    begin = time.perf_counter()
    history = build(events, args.seed).history  # the driver's state is dropped: only the events are needed
    build_seconds = time.perf_counter() - begin
    progress(f"built {len(history):,} events in {build_seconds:.0f} s")

    rows: list[tuple[str, int, float]] = []
    progress("ledger")
    data, sizes, report, facts = ledger_rows(rows, history)
    del history
    n = len(data)
    verify_seconds = next(s for phase, _, s in rows if phase == COMMAND)

    progress("Merkle tree")
    rng = random.Random(args.seed)
    sample = sorted(rng.randrange(n) for _ in range(args.sample)) + [0, n - 1]
    ours = merkle_rows(rows, data, sizes, sample)

    progress("baselines")
    timed(rows, "hashlib.sha256 of every entry (floor: leaves)", n, lambda: [hashlib.sha256(d).digest() for d in data])
    bare = timed(rows, "hashlib: root alone, level by level (floor: a tree)", n, lambda: bare_root(data))
    assert bare == ours[n], "the bare root differs from the tree's"
    if not args.no_pymerkle:
        pymerkle_rows(rows, data, sizes, sample, ours)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"\n{n:,} events ({build_seconds:.0f} s to build with federation.py's driver, not timed); "
        f"{facts}; "
        f"{len(sample):,} inclusion proofs; Python {platform.python_version()}, peak memory {peak:.1f} GiB\n"
    )
    print("| phase | items | seconds | µs per item |")
    print("|---|---|---|---|")
    for phase, items, seconds in rows:
        print(f"| {phase} | {items:,} | {seconds:.3f} | {seconds / items * 1e6:.2f} |")
    timings = {phase: (items, seconds) for phase, items, seconds in rows}
    if not args.no_pymerkle:
        print("\n| operation | items | frombelow s | pymerkle s | pymerkle ÷ frombelow |")
        print("|---|---|---|---|---|")
        for operation, mine, theirs in SIDE_BY_SIDE:
            items, ours_s = timings[mine]
            _, theirs_s = timings[theirs]
            print(f"| {operation} | {items:,} | {ours_s:.3f} | {theirs_s:.3f} | {theirs_s / ours_s:.1f}× |")
        print("\npymerkle's root equals ours at every checkpoint.")
    goal = VERIFY_GOAL * n / 1_000_000
    print(
        f"\nfrombelow verify: {verify_seconds:.1f} s for {n:,} events "
        f"(goal {VERIFY_GOAL:.0f} s per million, {goal:.1f} s here): {'met' if verify_seconds < goal else 'NOT met'}"
    )
    print(f"verify's report: {report.summary()}")


if __name__ == "__main__":
    main()
