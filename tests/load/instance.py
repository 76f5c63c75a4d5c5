"""A real platform to hammer: its own PostgreSQL database, the load scenario in it, gunicorn in front.

    instance = Instance.create(members=200)     # database, migrations, scenarios.build
    instance.start()                            # gunicorn on 127.0.0.1, a free port
    status, body = instance.client().post(path, token)
    instance.kill()                             # kill -9, master and workers
    instance.drop()

Everything runs in processes of its own, as in production; this process reads the database
with plain SQL (pytest-django's database is another one, and rolled back).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import psycopg

from frombelow.ledger.entries import decode
from frombelow.web.models import PROJECTION_MODELS, BoxSlot, LedgerEntry, LedgerHead

BIN = Path(sys.executable).parent
WORKERS = 2  # one per core
THREADS = 16  # per worker: the requests that arrive together are recorded as one batch, with one commit


def postgres() -> str | None:
    """The PostgreSQL server's URL from ``DATABASE_URL``, or None when the tests run on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Instance:
    def __init__(self, server_url: str, name: str) -> None:
        parts = urllib.parse.urlsplit(server_url)
        self.admin = parts._replace(path="/postgres").geturl()
        self.database_url = parts._replace(path=f"/{name}").geturl()
        self.name = name
        self.data = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        self.port = 0
        self.server: subprocess.Popen | None = None
        self.scenario: dict[str, Any] = {}

    @classmethod
    def create(cls, members: int, server_url: str | None = None) -> Instance:
        url = server_url or postgres()
        if url is None:
            raise RuntimeError("the load tests need PostgreSQL: set DATABASE_URL=postgres://...")
        instance = cls(url, f"load_{os.getpid()}_{secrets.token_hex(3)}")
        with psycopg.connect(instance.admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{instance.name}"')
        try:
            instance.frombelow("manage", "migrate", "-v0")
            built = instance.frombelow("manage", "load_scenario", str(members))
        except BaseException:
            instance.drop()
            raise
        instance.scenario = json.loads(built.stdout)
        return instance

    # --- processes ------------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        return os.environ | {"DATABASE_URL": self.database_url, "FROMBELOW_DATA": str(self.data)}

    def frombelow(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(BIN / "frombelow"), *arguments], env=self.environment(), capture_output=True, text=True, check=False
        )
        if check and done.returncode:
            raise RuntimeError(f"frombelow {' '.join(arguments)} exited {done.returncode}:\n{done.stderr[-3000:]}")
        return done

    def start(self, workers: int = WORKERS, threads: int = THREADS) -> None:
        """gunicorn on a free loopback port, ``workers`` processes of ``threads`` threads (one: the
        sync worker); returns once the API answers."""
        if not self.port:
            self.port = _free_port()
        log = (self.data / "gunicorn.log").open("ab")
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads)]
            + ["--worker-class", "gthread" if threads > 1 else "sync"]
            + ["--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "frombelow.web.wsgi:application"],
            env=self.environment(),
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: kill() reaches the workers too
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = self.client().get("/api/v1/federation")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}: see {self.data / 'gunicorn.log'}")

    def kill(self) -> None:
        """kill -9 the master and every worker at once, mid-request or not."""
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()
            self.server = None

    def stop(self) -> None:
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
            self.server = None

    def drop(self) -> None:
        self.kill()
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.data, ignore_errors=True)

    def client(self) -> Client:
        return Client(self.port)

    # --- the database, read with plain SQL -------------------------------------------------------

    def sql(self, query: str, *parameters: object) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, parameters).fetchall()

    def cpu_times(self) -> dict[str, dict[int, float]]:
        """CPU seconds (user + system) used so far by each of the server's processes and of the
        database's backends serving it (this machine's /proc), by process id."""
        group = os.getpgid(self.server.pid) if self.server else -1
        server = [int(p) for p in os.listdir("/proc") if p.isdigit() and _group_of(int(p)) == group]
        backends = [pid for (pid,) in self.sql("SELECT pid FROM pg_stat_activity WHERE datname = %s", self.name)]
        return {"server": _cpu_of(server), "database": _cpu_of(backends)}

    def terminate_connections(self) -> int:
        """What PostgreSQL does to the platform's connections when it restarts or an operator kills them."""
        rows = self.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            self.name,
        )
        return len(rows)

    def events(self, kind: str | None = None) -> list:
        table = LedgerEntry._meta.db_table
        where, parameters = ("WHERE kind = %s", (kind,)) if kind else ("", ())
        rows = self.sql(f'SELECT data FROM "{table}" {where} ORDER BY index', *parameters)
        return [decode(data.encode("utf-8")).event for (data,) in rows]

    def ledger_size(self) -> tuple[int, int]:
        """(entries in the ledger table, the size its head row says)."""
        (entries,), *_ = self.sql(f'SELECT count(*) FROM "{LedgerEntry._meta.db_table}"')
        (head,), *_ = self.sql(f'SELECT size FROM "{LedgerHead._meta.db_table}" WHERE id = 1')
        return entries, head

    def filled_slots(self, poll: str) -> int:
        table = BoxSlot._meta.db_table
        (filled,), *_ = self.sql(f'SELECT count(*) FROM "{table}" WHERE poll = %s AND ballot IS NOT NULL', poll)
        return filled

    def snapshot(self) -> dict[str, list[str]]:
        """Every projection table's rows (as ``tests/web/projections.snapshot`` takes them), to compare."""
        tables = {}
        for model in PROJECTION_MODELS:
            columns = ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields if not f.auto_created)
            rows = self.sql(f'SELECT {columns} FROM "{model._meta.db_table}"')
            tables[model.__name__] = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
        return tables


class Client:
    """One keep-alive HTTP/1.1 connection per thread, opened again after any error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return connection

    def request(self, method: str, path: str, token: str | None = None, body: object = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection = self._connection()
        try:
            connection.request(method, path, None if body is None else json.dumps(body), headers)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.local.connection = None
            raise
        kind = response.getheader("Content-Type", "")
        return response.status, json.loads(raw) if kind.startswith("application/json") else raw.decode(errors="replace")

    def get(self, path: str, token: str | None = None) -> tuple[int, Any]:
        return self.request("GET", path, token)

    def post(self, path: str, token: str | None = None, body: object = None) -> tuple[int, Any]:
        return self.request("POST", path, token, body)


def ballots_path(poll: str) -> str:
    return f"/api/v1/polls/{urllib.parse.quote(poll)}/ballots"


def signatures_path(petition: str) -> str:
    return f"/api/v1/petitions/{urllib.parse.quote(petition)}/signatures"


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU seconds used between two ``cpu_times`` (what processes that ended meanwhile used is not seen)."""
    return {where: sum(t - before[where].get(pid, 0) for pid, t in after[where].items()) for where in after}


def _cpu_of(pids: list[int]) -> dict[int, float]:
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    return times


def _group_of(pid: int) -> int:
    try:
        return os.getpgid(pid)
    except OSError:
        return -2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
