"""Load on a production-like server: gunicorn's workers on PostgreSQL, a bounded client on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/load.py
    .venv/bin/python benchmarks/load.py --members 1000 --threads 32 --servers 2x16 --seconds 60
    .venv/bin/python benchmarks/load.py --federation-members 0      # ballots only

Ballots: the load scenario (``frombelow.web.scenarios``: a floor of N members with API
tokens, a secret vote and a roll call open) in a database of its own, gunicorn in front;
``--threads`` clients on keep-alive connections cast every member's ballot once through
``POST /api/v1/polls/{poll}/ballots`` (secret, then the roll call), stopping after N
ballots or ``--seconds``, whichever comes first. Ballots per second and p50/p99 latency.

Pages: a federation of ``--federation-members`` members (100 k: the growth phase of
``benchmarks/federation.py``, 1,111 councils, recorded into a second database through the
ledger store and the projector as ``web/demo.py`` loads the demo), and ``/`` and
``/councils/congress`` fetched one after the other, p50/p99. Both databases are dropped.
Only 127.0.0.1 is ever addressed. Progress to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the load tests' Instance: a database, the scenario, gunicorn
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
FEDERATION_DATABASE = f"load_federation_{os.getpid()}_{secrets.token_hex(3)}"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def cast_all(instance, poll: str, threads: int, seconds: float) -> dict[str, float]:
    """Every member's ballot once on ``poll``, ``threads`` at a time, until all are cast or time is up."""
    from tests.load.instance import ballots_path, cpu_used

    client = instance.client()
    path = ballots_path(poll)
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures: list[int] = []
    tokens = list(instance.scenario["members"].values())
    # Each worker process reads the ledger at its first request: not what is measured here.
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda token: client.get(path.removesuffix("/ballots"), token), tokens[: 4 * threads]))

    def cast(token: str) -> None:
        if time.monotonic() > deadline:
            return
        begin = time.perf_counter()
        status, _ = client.post(path, token, {"marks": ["yes"]})
        latencies.append(time.perf_counter() - begin)
        if status != 200:
            failures.append(status)

    cpu = instance.cpu_times()
    begin = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(cast, tokens))
    wall = time.perf_counter() - begin
    used = cpu_used(cpu, instance.cpu_times())
    return {
        "requests": len(latencies),
        "failed": len(failures),
        "per second": (len(latencies) - len(failures)) / wall,
        "p50 ms": 1000 * percentile(latencies, 0.50),
        "p99 ms": 1000 * percentile(latencies, 0.99),
        "server CPU ms": 1000 * used["server"] / max(1, len(latencies)),
        "database CPU ms": 1000 * used["database"] / max(1, len(latencies)),
    }


def load_federation(members: int) -> None:
    """The growth phase of ``benchmarks/federation.py`` up to ``members``, recorded and projected."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from django.core.management import call_command
    from django.db import transaction
    from federation import START, Driver, tree

    from frombelow.federation import State
    from frombelow.federation.charter import Charter
    from frombelow.federation.commands import FoundFederation
    from frombelow.ledger.log import Ledger
    from frombelow.web import recording
    from frombelow.web.ledger_table import DatabaseStore
    from frombelow.web.models import LedgerHead
    from frombelow.web.projector import project

    call_command("migrate", verbosity=0, interactive=False)
    plans, delegates, locals_ = tree()
    import random

    driver = Driver(random.Random(1917))
    founders = tuple((f"founder-{local}", local) for local in locals_)
    driver.run(FoundFederation(founders[0][0], START, "fed", "Federation", Charter(), plans, founders))
    for member, local in founders:
        driver.enter(member, local)
    while len(driver.members) < members:
        driver.grow(locals_)
        if len(driver.history) % 5_000 < 2:
            driver.apportion(delegates)
    progress(f"  {len(driver.history):,} events decided; recording them")
    with transaction.atomic():
        ledger = Ledger(DatabaseStore(), recording.signer())
        for start in range(0, len(driver.history), 5_000):
            batch = driver.history[start : start + 5_000]
            ledger.append_all(batch)
            ledger.checkpoint(batch[-1].at)
        LedgerHead.objects.filter(pk=1).update(size=ledger.size)
        project(State(), driver.state)


def fetch(instance, path: str, times: int) -> dict[str, float]:
    client = instance.client()
    latencies = []
    for _ in range(times):
        begin = time.perf_counter()
        status, _ = client.get(path)
        latencies.append(time.perf_counter() - begin)
        assert status == 200, (path, status)
    return {
        "requests": times,
        "p50 ms": 1000 * percentile(latencies, 0.5),
        "p99 ms": 1000 * percentile(latencies, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=3000, help="ballots to cast (one per member); 0: pages only")
    parser.add_argument("--threads", type=int, default=32, help="clients at once")
    parser.add_argument(
        "--servers",
        default="2x16,1x32,4x1",
        help="gunicorn set-ups to compare, processes x threads each (x1: sync workers, one request at a time)",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="stop casting after this long")
    parser.add_argument("--federation-members", type=int, default=100_000, help="0: skip the pages")
    parser.add_argument("--page-requests", type=int, default=50)
    args = parser.parse_args()
    servers = [tuple(int(n) for n in server.split("x")) for server in args.servers.split(",")]

    os.environ["DATABASE_URL"] = _database_url(FEDERATION_DATABASE)
    os.environ.setdefault("FROMBELOW_DATA", f"/tmp/{FEDERATION_DATABASE}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.web.settings")
    import django

    django.setup()
    from tests.load.instance import Instance

    rows: list[tuple[str, str, dict[str, float]]] = []
    for workers, threads in servers if args.members else []:
        server = f"{workers} x {threads}"
        progress(f"gunicorn {server}: building the scenario, {args.members:,} members")
        ballots = Instance.create(args.members, SERVER)
        try:
            ballots.start(workers, threads)
            for name, poll in (("secret ballot", "secret_poll"), ("roll-call vote", "roll_call")):
                progress(f"gunicorn {server}: casting {name}s")
                rows.append((server, name, cast_all(ballots, ballots.scenario[poll], args.threads, args.seconds)))
        finally:
            ballots.drop()

    if args.federation_members:
        workers, threads = servers[0]
        federation = Instance(SERVER, FEDERATION_DATABASE)
        with psycopg.connect(federation.admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{FEDERATION_DATABASE}"')
        try:
            progress(f"building a federation of {args.federation_members:,} members")
            begin = time.perf_counter()
            load_federation(args.federation_members)
            progress(f"  built and loaded in {time.perf_counter() - begin:.0f} s")
            federation.start(workers, threads)
            with ThreadPoolExecutor(4 * workers) as pool:  # each worker's first request reads the ledger
                list(pool.map(lambda _: federation.client().get("/"), range(8 * workers)))
            for path in ("/", "/councils/congress", "/api/v1/federation"):
                fetch(federation, path, 3)
                rows.append((f"{workers} x {threads}", f"GET {path}", fetch(federation, path, args.page_requests)))
        finally:
            from django.db import connections

            connections.close_all()
            federation.drop()

    print(f"\n{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {args.threads} clients")
    columns = ("requests", "failed", "per second", "p50 ms", "p99 ms", "server CPU ms", "database CPU ms")
    print("\n| gunicorn | what | " + " | ".join(columns) + " |\n|---|---|" + "---|" * len(columns))
    for server, name, row in rows:
        cells = [f"{row[k]:,.0f}" if k in row else "" for k in columns[:2]]
        cells += [f"{row[k]:,.1f}" if k in row else "" for k in columns[2:]]
        print(f"| {server} | {name} | " + " | ".join(cells) + " |")
    print("\n(gunicorn P x T: P processes of T threads each; CPU: per request, of the server's processes and of")
    print("the PostgreSQL backends serving them, from /proc)")


def _database_url(name: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(SERVER)._replace(path=f"/{name}").geturl()


if __name__ == "__main__":
    main()
