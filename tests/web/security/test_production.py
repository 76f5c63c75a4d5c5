"""Production settings (FROMBELOW_PRODUCTION=1, behind a TLS-terminating proxy): `manage check --deploy`
is clean; plain HTTP is redirected to HTTPS; HSTS and secure cookies over TLS; and the platform
refuses to start without its own secret key and host names. Each runs in a fresh process, as the
settings are read once per process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

HOST = "councils.example.org"
HEADERS = """
import json, os, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(headers={"Host": os.environ["FROMBELOW_HOSTS"]})
plain = client.get("/login", headers={"X-Forwarded-Proto": "http"})
tls = client.get("/login", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location"), plain.get("Strict-Transport-Security")],
    "tls": [tls.status_code, tls.get("Strict-Transport-Security"), tls.cookies["csrftoken"]["secure"]],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def _production(data: Path, **changes: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "frombelow.web.settings",
        "FROMBELOW_PRODUCTION": "1",
        "FROMBELOW_SECRET_KEY": secrets.token_urlsafe(50),
        "FROMBELOW_HOSTS": HOST,
        "FROMBELOW_DATA": str(data),
        "FROMBELOW_DEBUG": "1",  # asked for, and ignored: production never shows debug pages
        **changes,
    }
    env.pop("DATABASE_URL", None)  # its own SQLite file: nothing here touches the tests' database
    return {name: value for name, value in env.items() if value is not None}


def _run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], check=False, env=env, capture_output=True, text=True, timeout=300)


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path):
    cli = "from frombelow.cli import main; raise SystemExit(main())"
    checked = _run(_production(tmp_path), "-c", cli, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout, checked.stdout + checked.stderr


def test_behind_the_proxy_http_is_redirected_and_tls_gets_hsts_and_secure_cookies(tmp_path: Path):
    served = _run(_production(tmp_path), "-c", HEADERS)
    assert served.returncode == 0, served.stderr
    seen = json.loads(served.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, f"https://{HOST}/login", None]
    assert seen["tls"] == [200, "max-age=31536000; includeSubDomains; preload", True]
    assert seen["session_cookie_secure"] is True and seen["debug"] is False


@pytest.mark.parametrize("missing", ["FROMBELOW_SECRET_KEY", "FROMBELOW_HOSTS"])
def test_production_refuses_to_start_without_its_own_key_and_hosts(tmp_path: Path, missing: str):
    refused = _run(_production(tmp_path, **{missing: None}), "-c", "import django; django.setup()")
    assert refused.returncode != 0 and "FROMBELOW_PRODUCTION=1 needs" in refused.stderr
