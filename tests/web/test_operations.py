"""The operator's commands, run as the operator runs them: the installed ``frombelow`` command
in a subprocess, against an instance of its own (a data directory, and on PostgreSQL a
database of its own).

On PostgreSQL the commands cannot share pytest-django's test database: its tests hold it
inside transactions they roll back, so what a subprocess commits there would be invisible
to them or, worse, outlive them. The instance gets a database beside it instead, made and
dropped here, on the server ``DATABASE_URL`` names.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
FROMBELOW = str(Path(sys.executable).with_name("frombelow"))  # the command as installed beside this Python

LOAD_DEMO = "from frombelow.web import operations; operations.setup(); from frombelow.web import demo; demo.load()"
SNAPSHOT = (
    "import json; from frombelow.web import operations; operations.setup(migrate=False); "
    "from tests.web.projections import snapshot; print(json.dumps(snapshot(), sort_keys=True))"
)


def _run(env: dict[str, str], *arguments: str | Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*map(str, arguments)], check=False, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout
    )


def _frombelow(env: dict[str, str], *arguments: str | Path) -> subprocess.CompletedProcess:
    return _run(env, FROMBELOW, *arguments)


def _python(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return _run(env, sys.executable, "-c", code)


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a fresh instance, its tables made by ``frombelow manage migrate``, the demo loaded."""
    env = {**os.environ, "FROMBELOW_DATA": str(tmp_path_factory.mktemp("instance")), "PYTHONPATH": str(ROOT)}
    env.pop("FROMBELOW_SIGNING_KEY", None)  # the key is made in the instance's data directory
    url = os.environ.get("DATABASE_URL")
    database = f"frombelow_operations_{os.getpid()}"
    if url:
        env["DATABASE_URL"] = urlsplit(url)._replace(path=f"/{database}").geturl()
        _on_server(url, f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}"')
    else:
        env.pop("DATABASE_URL", None)
    try:
        migrated = _frombelow(env, "manage", "migrate", "--no-input")
        assert migrated.returncode == 0, migrated.stderr
        assert "Applying platform.0001_initial... OK" in migrated.stdout
        loaded = _python(env, LOAD_DEMO)
        assert loaded.returncode == 0, loaded.stderr
        yield env
    finally:
        if url:
            _on_server(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _on_server(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as server:
        for statement in statements:
            server.execute(statement)


def test_migrate_leaves_nothing_to_apply(instance):
    again = _frombelow(instance, "manage", "migrate", "--no-input")
    assert again.returncode == 0 and "No migrations to apply" in again.stdout
    shown = _frombelow(instance, "manage", "showmigrations", "platform")
    assert shown.returncode == 0 and "[ ]" not in shown.stdout and "[X] 0001_initial" in shown.stdout


def test_export_then_verify_passes_and_one_byte_changed_fails_naming_the_entry(instance, tmp_path):
    bundle = tmp_path / "bundle"
    exported = _frombelow(instance, "export", bundle)
    assert exported.returncode == 0, exported.stderr
    assert f"frombelow verify {bundle}" in exported.stdout
    verified = _frombelow(instance, "verify", bundle)
    assert verified.returncode == 0, verified.stderr
    assert f"{bundle}: intact: " in verified.stdout

    tampered = tmp_path / "tampered"
    shutil.copytree(bundle, tampered)
    events = tampered / "events.jsonl"
    lines = events.read_bytes().split(b"\n")
    assert b'"at":"2' in lines[200]
    lines[200] = lines[200].replace(b'"at":"2', b'"at":"3', 1)  # one byte: the year 2026 becomes 3026
    events.write_bytes(b"\n".join(lines))
    refused = _frombelow(instance, "verify", tampered)
    assert refused.returncode == 1
    assert "NOT INTACT" in refused.stderr and "entry 200" in refused.stderr


def test_rebuild_writes_the_same_projections_again(instance):
    before = _python(instance, SNAPSHOT)
    assert before.returncode == 0, before.stderr
    rebuilt = _frombelow(instance, "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt the projections from" in rebuilt.stdout
    after = _python(instance, SNAPSHOT)
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(before.stdout)["MemberRow"]  # the demo's projections, not two empty ones


def test_tick_when_nothing_is_due(instance):
    first = _frombelow(instance, "tick")
    assert first.returncode == 0, first.stderr
    second = _frombelow(instance, "tick")  # the first counted whatever had fallen due
    assert second.returncode == 0 and second.stdout.strip() == "nothing had fallen due"


def test_serve_answers_over_http_until_stopped(instance):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [FROMBELOW, "serve", f"127.0.0.1:{port}"],
        env=instance,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = _fetch(f"http://127.0.0.1:{port}/ledger/", within=60)
        assert "The ledger" in page
        key = _fetch(f"http://127.0.0.1:{port}/api/v1/ledger/public-key", within=5)
        assert key.startswith("-----BEGIN PUBLIC KEY-----")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch(url: str, within: float) -> str:
    """The page at ``url``, waiting up to ``within`` seconds for the server to start listening."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
