"""``frombelow restore``: a live instance's export loaded into a second, empty database, run as the operator runs it.

The live instance is the demo with a day of business on it (a roll-call vote, a petition
signed, a secret ballot), then its votes counted. Each test restores into a database of
its own, copied from one migrated once (a file copy on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL), with the commands in subprocesses as in test_operations.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.test_operations import LOAD_DEMO, ROOT, SNAPSHOT, _frombelow, _on_server, _python

SERVER = os.environ.get("DATABASE_URL")
SETUP = "import json; from frombelow.web import operations; operations.setup(migrate=False); "
A_DAY_OF_BUSINESS = (
    "; from frombelow.web.actions import cast_ballot, sign_recall; from frombelow.web.models import PollRow; "
    "who = {login.username: login.member for login in demo.LOGINS}; "
    "cast_ballot.run(who['boris'], 'vote on strike-fund', ['yes']); "
    "sign_recall.run(who['clara'], 'petition-demo'); "
    "by_election = PollRow.objects.get(purpose='election', counted=False); "
    "cast_ballot.run(who['ana'], by_election.id, by_election.data['choices'][:2]); "
    "from django.contrib.auth import get_user_model; from frombelow.web.actions import issue_api_token; "
    "issue_api_token.run(get_user_model().objects.get(username='ana'), 'phone')"
)
WEEKS_LATER = (
    SETUP + "from datetime import timedelta; from frombelow.web import clock; real = clock.now; "
    "clock.now = lambda: real() + timedelta(weeks=8); from frombelow.web.actions import settle; settle.run()"
)
STATE = (  # everything a restore may write: the ledger tables, the projections, the logins
    SETUP + "from django.contrib.auth import get_user_model; from tests.web.projections import snapshot; "
    "from frombelow.web.models import ApiToken, LedgerCheckpoint, LedgerEntry, LedgerHead; "
    "users = get_user_model().objects.order_by('username'); print(json.dumps({'ledger': {"
    "'entries': list(LedgerEntry.objects.order_by('index').values_list('index', 'kind', 'data')), "
    "'checkpoints': list(LedgerCheckpoint.objects.order_by('size').values_list('size', 'data')), "
    "'head': LedgerHead.objects.get(pk=1).size}, "
    "'projections': snapshot(), "
    "'logins': [[u.username, u.password, u.is_active, u.account.member, u.account.display_name] for u in users], "
    "'tokens': ApiToken.objects.count()}, sort_keys=True))"
)
ANA_LOGS_IN = (
    SETUP + "from django.contrib.auth import authenticate; from frombelow.web import demo; "
    "print(authenticate(username='ana', password=demo.PASSWORD).account.display_name)"
)


def _json(env: dict[str, str], code: str) -> dict:
    done = _python(env, code)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _state(env: dict[str, str]) -> dict:
    return _json(env, STATE)


def _fresh_database(env: dict[str, str], name: str, template: str | None = None) -> None:
    assert SERVER
    env["DATABASE_URL"] = urlsplit(SERVER)._replace(path=f"/{name}").geturl()
    copy = f' TEMPLATE "{template}"' if template else ""
    _on_server(SERVER, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"{copy}')


def _environment(data: Path) -> dict[str, str]:
    env = {**os.environ, "FROMBELOW_DATA": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("FROMBELOW_SIGNING_KEY", None)  # each instance's key is in its data directory
    env.pop("DATABASE_URL", None)
    return env


@contextmanager
def _instance(data: Path, name: str) -> Iterator[dict[str, str]]:
    """An instance of its own (its data directory; on PostgreSQL its database, dropped after), migrated."""
    env = _environment(data)
    if SERVER:
        _fresh_database(env, f"{name}_{os.getpid()}")
    try:
        migrated = _frombelow(env, "manage", "migrate", "--no-input")
        assert migrated.returncode == 0, migrated.stderr
        yield env
    finally:
        if SERVER:
            _on_server(SERVER, f'DROP DATABASE IF EXISTS "{urlsplit(env["DATABASE_URL"]).path[1:]}" WITH (FORCE)')


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo with a day's business, exported while the by-election is open (``open``), its votes then counted."""
    with _instance(tmp_path_factory.mktemp("live"), "restore_live") as env:
        loaded = _python(env, LOAD_DEMO + A_DAY_OF_BUSINESS)
        assert loaded.returncode == 0, loaded.stderr
        bundles = tmp_path_factory.mktemp("bundles")
        exported = _frombelow(env, "export", bundles / "open")
        assert exported.returncode == 0, exported.stderr
        settled = _python(env, WEEKS_LATER)
        assert settled.returncode == 0, settled.stderr
        for written in (
            _frombelow(env, "export", bundles / "closed"),
            _frombelow(env, "export-accounts", bundles / "accounts.json"),
        ):
            assert written.returncode == 0, written.stderr
        env["BUNDLES"] = str(bundles)
        yield env


@pytest.fixture
def bundles(live: dict[str, str]) -> Path:
    return Path(live["BUNDLES"])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An empty instance, migrated once: each test's empty database is a copy of it."""
    with _instance(tmp_path_factory.mktemp("migrated"), "restore_migrated") as env:
        yield env


@pytest.fixture
def empty(migrated: dict[str, str], live: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    """A new, empty instance holding the live instance's signing key (as copied from its offline backup)."""
    data = tmp_path / "restored"
    env = _environment(data)
    if SERVER:
        _fresh_database(env, f"restore_{os.getpid()}", template=urlsplit(migrated["DATABASE_URL"]).path[1:])
    else:
        shutil.copytree(migrated["FROMBELOW_DATA"], data)
    data.mkdir(exist_ok=True)
    shutil.copy(Path(live["FROMBELOW_DATA"]) / "signing-key.pem", data / "signing-key.pem")
    yield env
    if SERVER:
        _on_server(SERVER, f'DROP DATABASE IF EXISTS "restore_{os.getpid()}" WITH (FORCE)')


@pytest.fixture
def left_empty(empty: dict[str, str]) -> Callable[[], None]:
    """Asserts that nothing was written in ``empty``."""
    untouched = _state(empty)
    assert untouched["ledger"] == {"entries": [], "checkpoints": [], "head": 0} and not untouched["logins"]

    def check() -> None:
        assert _state(empty) == untouched

    return check


def test_a_restored_export_is_the_live_instance_again_byte_for_byte(live, empty, bundles, tmp_path):
    accounts = json.loads((bundles / "accounts.json").read_text(encoding="utf-8"))
    newcomer = {**accounts["logins"][-1], "username": "newcomer", "member": "m-joined-after-the-bundle"}
    later = tmp_path / "accounts-later.json"
    later.write_text(json.dumps({**accounts, "logins": [*accounts["logins"], newcomer]}), encoding="utf-8")

    restored = _frombelow(empty, "restore", bundles / "closed", "--accounts", later)
    assert restored.returncode == 0, restored.stderr
    assert "joined after the bundle" in restored.stdout and "newcomer" in restored.stdout

    was, now = _state(live), _state(empty)
    entries = was["ledger"]["entries"]
    assert f"restored {len(entries):,} ledger entries" in restored.stdout
    assert now["ledger"] == was["ledger"]  # every entry's and checkpoint's bytes, and the head
    assert (
        b"".join(data.encode() + b"\n" for _, _, data in entries) == (bundles / "closed" / "events.jsonl").read_bytes()
    )
    assert now["projections"] == was["projections"] and was["projections"]["MemberRow"]
    # The logins with their password hashes and names; API tokens are issued again, never carried.
    assert now["logins"] == was["logins"] and was["tokens"] == 1 and now["tokens"] == 0
    ana = _python(empty, ANA_LOGS_IN)
    assert ana.returncode == 0 and ana.stdout.strip(), ana.stderr

    # The restored instance goes on recording, signing with the key its verifiers know.
    invited = _python(
        empty,
        SETUP + "from frombelow.web.actions import issue_invitation; from frombelow.web.models import Account; "
        "issue_invitation.run(Account.objects.get(user__username='ana').member, 'local-1')",
    )
    assert invited.returncode == 0, invited.stderr
    again = _frombelow(empty, "export", tmp_path / "again")
    assert again.returncode == 0, again.stderr
    key = json.loads(was["ledger"]["checkpoints"][-1][1])["key_id"]
    verified = _frombelow(empty, "verify", tmp_path / "again", "--key", key)
    assert verified.returncode == 0, verified.stderr
    assert _state(empty)["ledger"]["head"] > was["ledger"]["head"]


def test_a_database_not_empty_is_refused_and_nothing_changes(live, bundles):
    before = _state(live)
    refused = _frombelow(live, "restore", bundles / "closed")
    assert refused.returncode == 2
    assert (
        "the database is not empty (it holds ledger entries" in refused.stderr and "nothing changed" in refused.stderr
    )
    assert _state(live) == before


def test_a_tampered_bundle_is_refused_naming_the_entry_and_nothing_is_written(empty, left_empty, bundles, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(bundles / "closed", tampered)
    events = tampered / "events.jsonl"
    lines = events.read_bytes().split(b"\n")
    lines[200] = lines[200].replace(b'"at":"2', b'"at":"3', 1)  # one byte: the year 2026 becomes 3026
    events.write_bytes(b"\n".join(lines))
    refused = _frombelow(empty, "restore", tampered)
    assert refused.returncode == 2
    assert "NOT INTACT, nothing restored: entry 200" in refused.stderr
    left_empty()


def test_ballots_cast_in_an_open_secret_vote_are_in_no_bundle_so_its_restore_is_refused(empty, left_empty, bundles):
    refused = _frombelow(empty, "restore", bundles / "open")
    assert refused.returncode == 2
    assert "secret votes still open whose ballots are in no bundle" in refused.stderr
    assert "(ballots cast: 1)" in refused.stderr and "pg_dump" in refused.stderr
    left_empty()


def test_another_signing_key_is_refused_unless_the_operator_says_new_key(live, empty, left_empty, bundles):
    key = Path(empty["FROMBELOW_DATA"]) / "signing-key.pem"
    key.unlink()
    missing = _frombelow(empty, "restore", bundles / "closed")
    assert missing.returncode == 2 and f"no signing key at {key}" in missing.stderr

    made = _python(
        empty,
        "from frombelow.ledger.signing import Signer, save_private_key; "
        f"save_private_key(Signer.generate(), {str(key)!r})",
    )
    assert made.returncode == 0, made.stderr
    other = _frombelow(empty, "restore", bundles / "closed")
    assert other.returncode == 2
    assert "but the bundle is signed by key" in other.stderr and "--new-key" in other.stderr
    left_empty()

    renewed = _frombelow(empty, "restore", bundles / "closed", "--new-key")
    assert renewed.returncode == 0, renewed.stderr
    assert "signing from now on with a NEW key" in renewed.stdout and "will say they are NOT INTACT" in renewed.stdout
    assert _json(empty, SNAPSHOT) == _state(live)["projections"]


def test_the_accounts_file_is_its_owners_alone_and_a_bad_one_is_refused(live, empty, left_empty, bundles, tmp_path):
    written = bundles / "accounts.json"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    document = json.loads(written.read_text(encoding="utf-8"))
    assert {login["username"] for login in document["logins"]} >= {"ana", "boris", "clara"}
    assert all(login["password"] and "councils-1917" not in login["password"] for login in document["logins"])

    again = _frombelow(live, "export-accounts", written)
    assert again.returncode == 2 and "exists already" in again.stderr

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**document, "logins": [*document["logins"][:2], {"username": "x"}]}))
    refused = _frombelow(empty, "restore", bundles / "closed", "--accounts", broken)
    assert refused.returncode == 2 and "login 3: it has no" in refused.stderr

    twice = tmp_path / "twice.json"
    second = {**document["logins"][0], "username": "someone-else"}
    twice.write_text(json.dumps({**document, "logins": [*document["logins"], second]}))
    refused = _frombelow(empty, "restore", bundles / "closed", "--accounts", twice)
    assert refused.returncode == 2 and f"member {second['member']!r} has another login already" in refused.stderr

    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({**document, "key_id": "0123456789abcdef"}))
    refused = _frombelow(empty, "restore", bundles / "closed", "--accounts", elsewhere)
    assert refused.returncode == 2 and "accounts of the instance whose key is 0123456789abcdef" in refused.stderr
    left_empty()
