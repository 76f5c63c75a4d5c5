"""Time frombelow's counts against pyrankvote, pref_voting and votekit on the same ballots.

    .venv/bin/python benchmarks/tally.py [--quick] [--max-size N]

Ballots are drawn once per size (seeded Plackett–Luce, truncated at a random length;
see ``generate.py``). frombelow compresses them (``Ballots.compress``: each distinct
ranking once, with its count; timed on its own) and counts the compressed ``Ballots``;
it is also timed counting the raw rows, one per voter. Each peer gets the same ballots
converted to its own input before the clock starts; peers that take weighted ballots
(pref_voting, votekit) get the distinct rankings with their counts, as frombelow does;
pyrankvote takes no weights, so it gets one ballot per voter. A peer that took over a minute, or
would by linear extrapolation from its last size, is skipped at larger sizes. Winners
are compared wherever both ran; a disagreement is marked with ``!``.
"""

from __future__ import annotations

import argparse
import gc
import glob
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import distinct, plackett_luce, write_blt

from frombelow import tally
from frombelow.tally.ballots import Ballots

LIMIT = 60.0  # seconds a peer may take before it is skipped at larger sizes
CONVERSION_LIMIT = 180.0  # a peer whose input would take longer than this to build is skipped too
SCOTLAND = Path(__file__).resolve().parents[1] / ".." / "shared" / "conformance" / "scotland"
SEED = 2024

IRV_SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
STV_SIZES = (1_000, 10_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class Case:
    method: str  # frombelow's method name
    candidates: int
    seats: int
    sizes: tuple[int, ...]


CASES = (
    Case("irv", 10, 1, IRV_SIZES),
    Case("schulze", 10, 1, IRV_SIZES),
    Case("stv", 20, 5, STV_SIZES),
)


# --- peers: each converts (ballots, distinct rows, counts) to its input, then counts --------------


@dataclass(frozen=True)
class Peer:
    name: str
    methods: dict[str, Callable[[object, int], set[str]]]  # method -> run(converted, seats) -> winners
    convert: Callable[[Ballots, np.ndarray, np.ndarray], object]


def _pyrankvote_input(ballots: Ballots, rows: np.ndarray, counts: np.ndarray) -> object:
    import pyrankvote

    people = [pyrankvote.Candidate(name) for name in ballots.candidates]
    distinct_ballots = [pyrankvote.Ballot(ranked_candidates=[people[c] for c in row if c >= 0]) for row in rows]
    # No weights in pyrankvote: one Ballot per voter (the same object repeated per distinct row).
    voters = [b for b, n in zip(distinct_ballots, counts.tolist()) for _ in range(n)]
    return people, voters


def _pyrankvote_irv(data: object, seats: int) -> set[str]:
    import pyrankvote

    people, voters = data
    return {c.name for c in pyrankvote.instant_runoff_voting(people, voters).get_winners()}


def _pyrankvote_stv(data: object, seats: int) -> set[str]:
    import pyrankvote

    people, voters = data
    return {c.name for c in pyrankvote.single_transferable_vote(people, voters, number_of_seats=seats).get_winners()}


def _pref_voting_input(ballots: Ballots, rows: np.ndarray, counts: np.ndarray) -> object:
    from pref_voting.profiles_with_ties import ProfileWithTies

    # Truncated ballots need ProfileWithTies: {candidate: rank}, unranked left out.
    rankings = [{int(c): r + 1 for r, c in enumerate(row) if c >= 0} for row in rows]
    return ProfileWithTies(rankings, rcounts=counts.tolist(), candidates=list(range(len(ballots.candidates))))


def _pref_voting_names(ballots: Ballots, winners: list[int]) -> set[str]:
    return {ballots.candidates[c] for c in winners}


def _pref_voting_irv(data: object, seats: int) -> list[int]:
    from pref_voting.iterative_methods import instant_runoff

    return instant_runoff(data)


def _pref_voting_schulze(data: object, seats: int) -> list[int]:
    from pref_voting.margin_based_methods import beat_path

    # A ranked candidate beats an unranked one, as frombelow reads truncated ballots; this
    # recomputes all pairwise supports, the bulk of the work, so it is inside the clock.
    data.use_extended_strict_preference()
    return beat_path(data)


def _pref_voting_stv(data: object, seats: int) -> list[int]:
    from pref_voting.proportional_methods import stv_scottish

    return stv_scottish(data, num_seats=seats)


def _votekit_input(ballots: Ballots, rows: np.ndarray, counts: np.ndarray) -> object:
    from votekit.ballot import RankBallot
    from votekit.pref_profile import RankProfile

    sets = [frozenset({name}) for name in ballots.candidates]
    voters = [
        RankBallot(ranking=tuple(sets[c] for c in row if c >= 0), weight=int(n))
        for row, n in zip(rows, counts.tolist())
    ]
    return RankProfile(ballots=voters, candidates=ballots.candidates, max_ranking_length=len(ballots.candidates))


def _votekit_winners(election: object) -> set[str]:
    return {name for group in election.get_elected() for name in group}


def _votekit_irv(data: object, seats: int) -> set[str]:
    from votekit.elections import IRV

    return _votekit_winners(IRV(data))


def _votekit_stv(data: object, seats: int) -> set[str]:
    from votekit.elections import STV

    return _votekit_winners(STV(data, n_seats=seats))


def _votekit_schulze(data: object, seats: int) -> set[str]:
    from votekit.elections import Schulze

    return _votekit_winners(Schulze(data))


PEERS = (
    Peer("pyrankvote", {"irv": _pyrankvote_irv, "stv": _pyrankvote_stv}, _pyrankvote_input),
    Peer(
        "pref_voting",
        {"irv": _pref_voting_irv, "schulze": _pref_voting_schulze, "stv": _pref_voting_stv},
        _pref_voting_input,
    ),
    Peer("votekit", {"irv": _votekit_irv, "schulze": _votekit_schulze, "stv": _votekit_stv}, _votekit_input),
)


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Budget:
    """What a peer last cost, to skip sizes it would clearly not finish within the limit."""

    size: int = 0
    run: float = 0.0
    convert: float = 0.0
    over: bool = False

    def predicts_over(self, size: int) -> bool:
        if self.over:
            return True
        if not self.size:
            return False
        scale = size / self.size  # at least linear in the ballots
        return self.run * scale > LIMIT or self.convert * scale > CONVERSION_LIMIT


@dataclass
class Row:
    method: str
    ballots: int
    candidates: int
    seats: int
    frombelow: float  # counting the compressed ballots
    compress: float  # compressing the raw rows
    raw: float  # counting the raw rows, one per voter
    winners: tuple[str, ...]
    peers: dict[str, str] = field(default_factory=dict)  # peer -> cell text
    ratios: dict[str, str] = field(default_factory=dict)
    disagree: list[str] = field(default_factory=list)


def timed(run: Callable[..., object], *args: object) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    value = run(*args)
    return time.perf_counter() - start, value


def best_of(seconds: float, run: Callable[..., object], *args: object) -> tuple[float, object]:
    """The fastest of a few runs when one is quick, so small sizes are not all noise."""
    elapsed, value = timed(run, *args)
    if elapsed < 1.0:
        repeats = max(1, min(5, int(seconds / max(elapsed, 1e-3))))
        for _ in range(repeats - 1):
            elapsed = min(elapsed, timed(run, *args)[0])
    return elapsed, value


def run_case(case: Case, sizes: list[int], budgets: dict[tuple[str, str], Budget], log) -> list[Row]:
    rows: list[Row] = []
    for size in sizes:
        ballots = plackett_luce(size, case.candidates, SEED + case.candidates)
        compress_s, packed = best_of(2.0, ballots.compress)
        elapsed, result = best_of(2.0, tally.count, packed, case.method, case.seats)
        raw_s, raw_result = best_of(2.0, tally.count, ballots, case.method, case.seats)
        row = Row(case.method, size, case.candidates, case.seats, elapsed, compress_s, raw_s, result.winners)
        if result.ties:
            row.disagree.append(f"frombelow broke {len(result.ties)} tie(s)")
        if raw_result.winners != result.winners:
            row.disagree.append("frombelow: compressed and raw rows elect differently")
        log(
            f"{case.method} {size:>10,} frombelow {elapsed:8.3f}s compressed ({len(packed.ranks):,} rows, "
            f"compress {compress_s:.3f}s), {raw_s:8.3f}s raw; winners {','.join(result.winners)}"
        )
        del packed
        distinct_rows: tuple[np.ndarray, np.ndarray] | None = None
        for peer in PEERS:
            if case.method not in peer.methods:
                continue
            budget = budgets.setdefault((peer.name, case.method), Budget())
            if budget.predicts_over(size):
                row.peers[peer.name] = "skipped (>60 s)"
                continue
            if distinct_rows is None:
                distinct_rows = distinct(ballots)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                convert_s, data = timed(peer.convert, ballots, *distinct_rows)
                try:
                    peer_s, winners = timed(peer.methods[case.method], data, case.seats)
                except Exception as error:  # noqa: BLE001 -- a peer failing is a finding, not a crash
                    row.peers[peer.name] = f"error: {type(error).__name__}"
                    log(f"    {peer.name}: {error!r}")
                    del data
                    continue
            del data
            if peer.name == "pref_voting":
                winners = _pref_voting_names(ballots, winners)
            budget.size, budget.run, budget.convert = size, peer_s, convert_s
            budget.over = peer_s > LIMIT
            agree = set(winners) == set(result.winners)
            mark = "" if agree else " !"
            if not agree:
                row.disagree.append(f"{peer.name} elects {','.join(sorted(winners))}")
            row.peers[peer.name] = f"{peer_s:.3f}{mark}"
            row.ratios[peer.name] = f"{peer_s / elapsed:.0f}×" if peer_s / elapsed >= 10 else f"{peer_s / elapsed:.1f}×"
            log(f"    {peer.name:12s} {peer_s:8.3f}s (input built in {convert_s:.1f}s) agree={agree}")
        rows.append(row)
        del ballots, distinct_rows
    return rows


def blt_read(size: int, log) -> tuple[float, int]:
    """Write a ``size``-ballot BLT file (20 candidates, one line per ballot) and time reading it."""
    ballots = plackett_luce(size, 20, SEED + 20)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.blt")
        write_blt(ballots, path, seats=5)
        megabytes = os.path.getsize(path) / 2**20
        elapsed, read = best_of(1.0, tally.read, path)
    assert read.total == ballots.total and len(read.candidates) == 20
    log(f"BLT read {size:,} ballots ({megabytes:.0f} MiB): {elapsed:.3f}s")
    return elapsed, size


def scottish_wards(log) -> tuple[float, int, list[str]]:
    """Read and count every Scottish ward with stv, in one run."""
    paths = sorted(glob.glob(str(SCOTLAND / "*.blt")))
    failures: list[str] = []
    start = time.perf_counter()
    for path in paths:
        try:
            ballots = tally.read(path)
            tally.count(ballots, "stv")
        except Exception as error:  # noqa: BLE001 -- report every failing ward, count the rest
            failures.append(f"{Path(path).name}: {error}")
    elapsed = time.perf_counter() - start
    log(f"Scottish wards: {len(paths)} read and counted in {elapsed:.2f}s ({len(failures)} failed)")
    return elapsed, len(paths), failures


RCTAB = SCOTLAND.parent / "rctab"
RCTAB_CASES = ("2013_minneapolis_mayor", "2017_minneapolis_mayor")


def rctab_contests(log) -> list[str]:
    """Read and count the largest real RCTab cases from their ES&S workbooks, and the same
    ballots from BLT, each timed on its own."""
    from frombelow.tally import rctab
    from frombelow.tally.rctab.rules import count_options
    from frombelow.tally.writers import blt

    lines = [
        "| contest | ballots | read CVR s | count s | read BLT s | count from BLT s | same result |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in RCTAB_CASES:
        contest = rctab.load(RCTAB / case / f"{case}_config.json")
        plan = count_options(contest)
        read_s, ballots = timed(rctab.read_ballots, contest)
        count_s, result = best_of(2.0, tally.count, ballots, plan.method, plan.seats, plan.options)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, f"{case}.blt")
            Path(path).write_text(blt.dumps(ballots, plan.seats), encoding="utf-8")
            blt_s, from_blt = best_of(2.0, tally.read, path)
        blt_count_s, again = best_of(2.0, tally.count, from_blt, plan.method, plan.seats, plan.options)
        same = again.winners == result.winners and [dict(r.tally) for r in again.rounds] == [
            dict(r.tally) for r in result.rounds
        ]
        log(
            f"RCTab {case}: {ballots.total:,} ballots, CVR read {read_s:.2f}s, count {count_s:.3f}s, BLT read {blt_s:.3f}s"
        )
        lines.append(
            f"| {case} | {ballots.total:,} | {read_s:.2f} | {count_s:.3f} | {blt_s:.3f} | {blt_count_s:.3f} | "
            f"{'yes' if same else 'NO'} |"
        )
    return lines


def table(rows: list[Row]) -> str:
    peers = [p.name for p in PEERS]
    head = ["method", "ballots", "cands/seats", "frombelow s", "compress s", "fb raw rows s"]
    head += [f"{p} s" for p in peers] + [f"{p}/fb" for p in peers]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r.method, f"{r.ballots:,}", f"{r.candidates}/{r.seats}", f"{r.frombelow:.3f}", f"{r.compress:.3f}"]
        cells += [f"{r.raw:.3f}"]
        cells += [r.peers.get(p, "—") for p in peers] + [r.ratios.get(p, "—") for p in peers]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows: list[Row], blt: tuple[float, int] | None, wards: tuple[float, int, list[str]] | None) -> list[str]:
    def verdict(ok: bool) -> str:
        return "MET " if ok else "MISSED"

    out = []
    irv = {r.ballots: r for r in rows if r.method == "irv"}
    if 10_000_000 in irv:
        r = irv[10_000_000]
        out.append(
            f"{verdict(r.frombelow < 2)} IRV 10 M ballots / 10 candidates < 2 s: {r.frombelow:.2f} s compressed "
            f"(+ {r.compress:.2f} s to compress), {r.raw:.2f} s from raw rows"
        )
    for peer, factor in (("pyrankvote", 50), ("pref_voting", 5)):
        ran = [r for r in irv.values() if peer in r.ratios]
        if ran:
            last = max(ran, key=lambda r: r.ballots)
            ratio = float(last.peers[peer].split()[0]) / last.frombelow
            out.append(
                f"{verdict(ratio >= factor)} IRV ≥ {factor}× {peer} at its largest size "
                f"({last.ballots:,}): {ratio:.1f}×"
            )
    if blt:
        out.append(f"{verdict(blt[0] < 3)} BLT read of {blt[1]:,} ballots < 3 s: {blt[0]:.2f} s")
    stv = {r.ballots: r for r in rows if r.method == "stv"}
    if 1_000_000 in stv:
        r = stv[1_000_000]
        out.append(
            f"{verdict(r.frombelow < 5)} STV (WIGM) 1 M / 20 candidates / 5 seats < 5 s: {r.frombelow:.2f} s "
            f"compressed, {r.raw:.2f} s from raw rows"
        )
    if wards:
        ok = wards[0] < 30 and not wards[2]
        out.append(
            f"{verdict(ok)} all {wards[1]} Scottish wards read + counted (stv) < 30 s: {wards[0]:.2f} s"
            + (f", {len(wards[2])} failed" if wards[2] else "")
        )
    disagreements = [f"{r.method} {r.ballots:,}: {'; '.join(r.disagree)}" for r in rows if r.disagree]
    out.append("winners agree wherever peers ran" if not disagreements else "DISAGREEMENTS / TIES:")
    out.extend(f"  ! {d}" for d in disagreements)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sizes up to 100 k only (a minute or two)")
    parser.add_argument("--max-size", type=int, default=None, help="largest number of ballots to draw")
    parser.add_argument("--methods", default="irv,schulze,stv", help="comma-separated: irv,schulze,stv")
    parser.add_argument("--rctab-only", action="store_true", help="only the RCTab contests (ES&S workbooks vs BLT)")
    args = parser.parse_args()
    largest = args.max_size or (100_000 if args.quick else 10_000_000)
    chosen = set(args.methods.split(","))

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log(
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.rctab_only:
        print("\n".join(rctab_contests(log)))
        return
    budgets: dict[tuple[str, str], Budget] = {}
    rows: list[Row] = []
    available = set(os.listdir(Path(tally.__file__).parent / "methods"))
    for case in CASES:
        if case.method not in chosen:
            continue
        if f"{case.method}.py" not in available:
            log(f"{case.method}: frombelow has no such method module yet; skipped")
            continue
        rows += run_case(case, [s for s in case.sizes if s <= largest], budgets, log)
    blt = blt_read(min(1_000_000, largest), log)
    wards = scottish_wards(log) if "stv.py" in available and "stv" in chosen else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    log(f"peak memory {peak:.1f} GiB; load average now {os.getloadavg()[0]:.1f}")
    print(table(rows))
    print()
    print("\n".join(targets(rows, blt, wards)))
    if RCTAB.is_dir():
        print()
        print("\n".join(rctab_contests(log)))


if __name__ == "__main__":
    main()
