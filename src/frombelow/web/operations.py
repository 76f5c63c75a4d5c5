"""The platform's commands for its operator: ``frombelow serve | rebuild | export | restore | tick | manage``.

Each sets Django up on the settings (``DATABASE_URL`` or the SQLite file in
``FROMBELOW_DATA``) and brings the database's tables up to date first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


class Refused(Exception):
    """An operator's command refused, having changed nothing: said in one line, exit 2."""


def setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def serve(address: str, demo: bool) -> int:
    setup()
    from django.core.management import call_command

    from frombelow.web.models import LedgerHead

    if demo and LedgerHead.objects.get(pk=1).size == 0:
        from frombelow.web import demo as demo_federation

        print("loading the demo federation (a simulated year of a metalworkers' federation)…", file=sys.stderr)
        logins = demo_federation.load()
        print(f"\nfrombelow is at http://{address}/\n\ndemo logins (password {demo_federation.PASSWORD!r}):")
        for login in logins:
            print(f"  {login.username:<8} {login.what}")
        print()
    else:
        print(f"\nfrombelow is at http://{address}/\n")
        if demo:
            from django.contrib.auth import get_user_model

            from frombelow.web import demo as demo_federation

            again = (
                get_user_model()
                .objects.filter(username__in=["ana", "boris", "clara"])
                .values_list("username", flat=True)
            )
            if again:
                print(
                    f"demo logins, loaded before: {', '.join(sorted(again))} (password {demo_federation.PASSWORD!r})\n"
                )
    call_command("runserver", address, use_reloader=False, verbosity=1)
    return 0


def rebuild() -> int:
    setup()
    from frombelow.web.rebuild import rebuild as rebuild_projections

    state = rebuild_projections()
    print(f"rebuilt the projections from {state.events:,} ledger entries")
    return 0


def export(directory: Path) -> int:
    setup()
    from frombelow.web.export import export as export_bundle

    written = export_bundle(directory)
    print(f"{written}: the ledger as a bundle; check it with: frombelow verify {written}")
    return 0


def restore(bundle: Path, accounts: Path | None, new_key: bool) -> int:
    setup()
    from frombelow.web.restore import restore as restore_bundle

    print(restore_bundle(bundle, accounts, new_key).summary())
    return 0


def export_accounts(path: Path) -> int:
    setup()
    from frombelow.web import account_backups

    written = account_backups.export(path)
    print(f"{path}: {written:,} logins with their password hashes (readable by you alone: keep it as secret)")
    return 0


def tick() -> int:
    setup()
    from frombelow.web.actions import settle

    events = settle.run()
    print(f"settled: {len(events)} events recorded" if events else "nothing had fallen due")
    return 0


def manage(arguments: Sequence[str]) -> int:
    setup(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["frombelow manage", *arguments])
    return 0
