"""``frombelow restore BUNDLE``: a bundle's ledger loaded into an empty database, and the projections rebuilt.

Before anything is written: the database must be empty, the bundle must pass ``verify``
(a fault is named, nothing loaded), and the instance's signing key must be the key that
signed the bundle (verifiers hold its id: checkpoints under another key look like a
forged history), unless the operator says ``new_key``. Then, in one transaction, the
bundle's entries and checkpoints go into the ledger tables byte for byte, ``rebuild``
writes the projections from them, and the head row takes the ledger's size.

What a bundle cannot bring back, it says so and refuses: the ballots already cast in a
secret poll still open. A box is published only when its poll is counted, so until then
its ballots live in the box tables alone (a ``pg_dump`` holds them; a bundle never
does). Restoring the record without them would leave a poll whose roll says N members
voted and whose box is empty: its count could never start, and every command settles
due polls first. Open roll calls (their votes are in the record) and open secret polls
no one has voted in yet are restored whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from frombelow.federation import State
from frombelow.ledger.signing import (
    PUBLIC_KEY_FILE,
    Signer,
    key_id,
    load_private_key,
    load_public_key,
    save_private_key,
)
from frombelow.ledger.stores import CHECKPOINTS_FILE, EVENTS_FILE
from frombelow.ledger.verifying import VerificationFailed, verify
from frombelow.web import account_backups
from frombelow.web.models import (
    PROJECTION_MODELS,
    Account,
    ApiToken,
    BoxSlot,
    BoxToken,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerHead,
)
from frombelow.web.operations import Refused
from frombelow.web.rebuild import rebuild

ROWS_AT_ONCE = 5000
NAMED = 5  # open votes named in a refusal or summary; the rest counted


@dataclass(frozen=True)
class Restored:
    entries: int
    checkpoints: int
    key_id: str  # the bundle's
    new_key: str | None  # the id of the key signing from now on, when it is not the bundle's
    open_polls: tuple[str, ...]  # ids of the polls restored still open
    accounts: account_backups.Loaded | None

    def summary(self) -> str:
        said = f"restored {self.entries:,} ledger entries and {self.checkpoints:,} checkpoints signed by key "
        lines = [f"{said}{self.key_id}; the projections rebuilt from them"]
        if self.new_key:
            lines.append(
                f"signing from now on with a NEW key, {self.new_key}: announce it where {self.key_id} was published. "
                "Bundles exported from now on hold checkpoints of both keys, and frombelow verify, which checks a "
                "bundle against one key, will say they are NOT INTACT (docs/operating.md, Backups and restoring)"
            )
        if self.open_polls:
            lines.append(f"still open, restored with their votes so far: {_named(self.open_polls)}")
        if self.accounts is not None:
            lines.append(self.accounts.summary())
        else:
            lines.append("no accounts restored: members need logins again (frombelow restore --accounts FILE)")
        return "\n".join(lines)


def restore(bundle: Path, accounts: Path | None = None, new_key: bool = False) -> Restored:
    """Load ``bundle`` into the empty database (and the logins in ``accounts``); raise ``Refused`` if it cannot."""
    _refuse_unless_empty()
    signer = _signer(bundle, new_key)
    logins = account_backups.read(accounts) if accounts is not None else None
    try:
        report = verify(bundle)
    except VerificationFailed as failure:
        raise Refused(f"{bundle}: NOT INTACT, nothing restored: {failure}") from None
    if logins is not None and logins.key_id not in (None, report.key_id):
        raise Refused(
            f"{accounts}: accounts of the instance whose key is {logins.key_id}, not of this bundle's "
            f"(key {report.key_id}): nothing restored"
        )
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().get(pk=1)
        _refuse_unless_empty()  # again, under the head row's lock: no one wrote meanwhile
        entries = _load_entries(bundle / EVENTS_FILE)
        checkpoints = _load_checkpoints(bundle / CHECKPOINTS_FILE)
        state = rebuild()
        _refuse_lost_ballots(state)
        head.size = entries
        head.save(update_fields=["size"])
        loaded = account_backups.load(logins, _members_ever(state)) if logins is not None else None
    if signer is not None:  # the new key is kept only once the restore is done
        save_private_key(signer, settings.SIGNING_KEY)
    open_polls = tuple(p.id for p in state.polls.values() if p.counted is None)
    signing = (signer or _key_at(Path(settings.SIGNING_KEY))).key_id if new_key else None
    return Restored(entries, checkpoints, report.key_id, signing, open_polls, loaded)


def _refuse_unless_empty() -> None:
    held = {
        "ledger entries": LedgerEntry.objects.exists(),
        "checkpoints": LedgerCheckpoint.objects.exists(),
        "a ledger head past 0": LedgerHead.objects.filter(size__gt=0).exists(),
        "ballot-box rows": BoxToken.objects.exists() or BoxSlot.objects.exists(),
        "projection rows": any(model.objects.exists() for model in PROJECTION_MODELS),
        "accounts or logins": Account.objects.exists()
        or ApiToken.objects.exists()
        or get_user_model().objects.exists(),
    }
    found = [what for what, there in held.items() if there]
    if found:
        raise Refused(
            f"the database is not empty (it holds {', '.join(found)}): restore loads into a new, empty database "
            "(frombelow manage migrate on a fresh one); nothing changed"
        )


def _signer(bundle: Path, new_key: bool) -> Signer | None:
    """The new key to save once restored (with ``new_key``), or None: the key in place is the bundle's."""
    path = Path(settings.SIGNING_KEY)
    try:
        signed_by = key_id(load_public_key((bundle / PUBLIC_KEY_FILE).read_bytes()))
    except FileNotFoundError:
        raise Refused(f"{bundle}: not a bundle (it has no {PUBLIC_KEY_FILE}); nothing restored") from None
    except (ValueError, TypeError) as error:
        raise Refused(f"{bundle}: NOT INTACT, nothing restored: {PUBLIC_KEY_FILE} holds no key ({error})") from None
    if new_key:
        if path.exists() and _key_at(path).key_id == signed_by:
            raise Refused(f"--new-key: the key at {path} is the bundle's own key {signed_by}; leave out --new-key")
        return None if path.exists() else Signer.generate()
    if not path.exists():
        raise Refused(
            f"no signing key at {path}: put the instance's key there, from its offline copy (the bundle is signed "
            f"by key {signed_by}); only if that key is lost, restore with --new-key"
        )
    holding = _key_at(path).key_id
    if holding != signed_by:
        raise Refused(
            f"the signing key at {path} is key {holding}, but the bundle is signed by key {signed_by}: checkpoints "
            "signed by another key look, to every verifier holding the published id, like a forged history. Put the "
            f"instance's own key at {path} (from its offline copy); only if it is lost or leaked, restore with "
            "--new-key and announce the new id where the old one was published"
        )
    return None


def _key_at(path: Path) -> Signer:
    try:
        return load_private_key(path)
    except (OSError, ValueError, TypeError) as error:
        raise Refused(f"cannot read the signing key at {path}: {error}; nothing restored") from None


def _named(things: Sequence[str]) -> str:
    """The first few, and how many more: a refusal or summary stays a few lines long."""
    more = f"; and {len(things) - NAMED} more" if len(things) > NAMED else ""
    return "; ".join(things[:NAMED]) + more


def _lines(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as file:
        for line in file:
            yield line.removesuffix(b"\n")


def _load_entries(path: Path) -> int:
    """Every line of ``events.jsonl`` as a ledger row, its bytes unchanged (verified: line n is entry n)."""
    rows, count = [], 0
    for index, line in enumerate(_lines(path)):
        data = line.decode("utf-8")
        rows.append(LedgerEntry(index=index, kind=json.loads(data)["event"]["kind"], data=data))
        count += 1
        if len(rows) == ROWS_AT_ONCE:
            LedgerEntry.objects.bulk_create(rows)
            rows = []
    LedgerEntry.objects.bulk_create(rows)
    return count


def _load_checkpoints(path: Path) -> int:
    rows = [LedgerCheckpoint(size=json.loads(line)["size"], data=line.decode("utf-8")) for line in _lines(path)]
    LedgerCheckpoint.objects.bulk_create(rows)
    return len(rows)


def _refuse_lost_ballots(state: State) -> None:
    """Refuse (rolling the load back) when a secret poll still open has ballots only its box held."""
    lost = [p for p in state.polls.values() if p.secret and p.counted is None and p.turnout]
    if lost:
        polls = _named([f"{p.id!r} (ballots cast: {len(p.turnout)})" for p in lost])
        raise Refused(
            f"the bundle has secret votes still open whose ballots are in no bundle: {polls}. A box is published "
            "only at its count, so a bundle cannot bring back ballots cast before it: restore the last pg_dump "
            "instead, or restore a bundle exported after these votes were counted; nothing restored"
        )


def _members_ever(state: State) -> set[str]:
    """Everyone who has been a member: the accounts of those who left are kept too."""
    return set(state.members.keys()) | set(state.departed.keys())
