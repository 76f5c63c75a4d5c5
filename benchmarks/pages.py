"""Pages of a large federation, timed in process: the tree of councils, the congress, the API's tree.

    .venv/bin/python benchmarks/pages.py                    # 100,000 members: a few minutes to build
    .venv/bin/python benchmarks/pages.py --members 5000     # the same 1,111 councils, built quickly
    .venv/bin/python benchmarks/pages.py --members 5000 --keep          # leave the database for a rerun
    .venv/bin/python benchmarks/pages.py --database pages_123_abcdef    # time a kept one again

The federation is the growth phase of ``benchmarks/federation.py`` (congress, 10 regions, 100
districts, 1,000 locals), recorded into a PostgreSQL database of its own by ``load.py``'s
``load_federation`` (the ledger store and the projector), which this script creates and drops
(``DATABASE_URL`` names the server; only 127.0.0.1 by default). Each page is fetched with
``django.test.Client``, no server in front: a few warm-up requests, then ``--requests`` timed
ones, p50/p99 of the whole request (middleware, queries, rendering). Progress to stderr, the
table to stdout.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
from load import load_federation, percentile, progress  # benchmarks/ is not a package: after the path

SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PATHS = ("/", "/councils/congress", "/api/v1/federation")


def on_server(name: str) -> str:
    return urlsplit(SERVER)._replace(path=f"/{name}").geturl()


def fetch(path: str, warmup: int, times: int) -> dict[str, float]:
    from django.test import Client

    client = Client()
    for _ in range(warmup):  # the first request of a process reads the ledger and compiles templates
        assert client.get(path).status_code == 200, path
    latencies = []
    size = 0
    for _ in range(times):
        begin = time.perf_counter()
        page = client.get(path)
        latencies.append(time.perf_counter() - begin)
        assert page.status_code == 200, (path, page.status_code)
        size = len(page.content)
    return {
        "p50 ms": 1000 * percentile(latencies, 0.5),
        "p99 ms": 1000 * percentile(latencies, 0.99),
        "KiB": size / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--keep", action="store_true", help="leave the database (its name goes to stderr)")
    parser.add_argument("--database", help="time an existing database (from --keep) instead of building one")
    args = parser.parse_args()

    name = args.database or f"pages_{os.getpid()}_{secrets.token_hex(3)}"
    admin = on_server("postgres")
    os.environ["DATABASE_URL"] = on_server(name)
    os.environ.setdefault("FROMBELOW_DATA", f"/tmp/{name}")  # the signing key the ledger store needs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.web.settings")
    import django

    django.setup()
    from django.db import connections

    from frombelow.web.models import CouncilRow, MemberRow

    if not args.database:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        if not args.database:
            progress(f"building a federation of {args.members:,} members in {name}")
            begin = time.perf_counter()
            load_federation(args.members)
            progress(f"  built and loaded in {time.perf_counter() - begin:.0f} s")
        members, councils = MemberRow.objects.count(), CouncilRow.objects.filter(closed=False).count()
        rows = []
        for path in PATHS:
            progress(f"fetching {path}")
            rows.append((path, fetch(path, args.warmup, args.requests)))
    finally:
        connections.close_all()
        if args.keep or args.database:
            progress(f"kept: --database {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(f"/tmp/{name}", ignore_errors=True)

    print(
        f"\n{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"load average {os.getloadavg()[0]:.1f} · {members:,} members, {councils:,} open councils · "
        f"{args.requests} requests per page"
    )
    print("\n| page | p50 ms | p99 ms | KiB |\n|---|---|---|---|")
    for path, row in rows:
        print(f"| GET {path} | {row['p50 ms']:,.1f} | {row['p99 ms']:,.1f} | {row['KiB']:,.0f} |")


if __name__ == "__main__":
    main()
