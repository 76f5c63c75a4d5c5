"""Reads of the record: ledger entries, signed checkpoints, inclusion proofs, receipts.

Everything here comes from the ledger table as stored (the bytes that are hashed and
signed), never from the projections: what the explorer shows is what ``verify`` checks.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frombelow.ballotbox import check_receipt as find_in_count
from frombelow.federation.errors import InvalidCommand, NotFound
from frombelow.federation.events import THE_COUNT, from_json
from frombelow.ledger import checkpoints
from frombelow.ledger.checkpoints import Checkpoint
from frombelow.ledger.merkle import Tree, leaf_hash
from frombelow.web import clock, recording
from frombelow.web.ledger_table import DatabaseStore
from frombelow.web.models import LedgerCheckpoint, LedgerEntry, LedgerHead, PollRow
from frombelow.web.queries import people

PER_PAGE = 50

# What a one-line summary names, in this order, when the event holds it (at most three).
_SUMMARY_FIELDS = {
    "title": gettext_lazy("title"),
    "name": gettext_lazy("name"),
    "poll": gettext_lazy("vote"),
    "election": gettext_lazy("election"),
    "motion": gettext_lazy("motion"),
    "decision": gettext_lazy("decision"),
    "petition": gettext_lazy("petition"),
    "initiative": gettext_lazy("initiative"),
    "faction": gettext_lazy("faction"),
    "member": gettext_lazy("member"),
    "delegate": gettext_lazy("delegate"),
    "nominee": gettext_lazy("nominee"),
    "elected": gettext_lazy("elected"),
    "council": gettext_lazy("council"),
    "position": gettext_lazy("position"),
    "marks": gettext_lazy("marks"),
    "outcome": gettext_lazy("outcome"),
}
_MEMBER_FIELDS = frozenset({"member", "delegate", "nominee", "elected"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class EntryLine:
    """One entry as the explorer lists it."""

    index: int
    at: datetime
    kind: str
    actor: str  # a member id, or "the count"
    actor_name: str
    summary: str


@dataclass(frozen=True)
class EntryPage:
    entries: list[EntryLine]
    kind: str  # the kind filtered on, or "" for every kind
    total: int  # entries of that kind in the whole ledger
    page: int | None  # the page number, when asked by page (None when asked ?before=)
    pages: int
    newer_page: int | None
    older_page: int | None
    older_before: int | None  # ?before= for the next, older, entries (a link that stays put as the ledger grows)


@dataclass(frozen=True)
class EntryDetail:
    line: EntryLine
    data: str  # the canonical JSON, exactly as stored, hashed and signed
    pretty: str  # the same, indented for reading
    hash: str  # hex SHA-256 of ``data``
    previous: str
    proof: dict[str, Any] | None  # the inclusion proof against the latest checkpoint, as ``frombelow proof`` prints it
    covered_by: Checkpoint | None  # that checkpoint (None while no checkpoint covers the entry yet)


class LedgerDamaged(Exception):
    """The stored entries no longer give the root a checkpoint signed: this database was changed."""


# --- entries -------------------------------------------------------------------------------


def kinds() -> list[str]:
    """The kinds of event the ledger holds, to filter by."""
    return sorted(LedgerEntry.objects.values_list("kind", flat=True).distinct().order_by())


def size() -> int:
    """How many entries the ledger holds (the head row's count: no scan of the table)."""
    return LedgerHead.objects.values_list("size", flat=True).get(pk=1)


def entries(kind: str = "", page: int | None = None, before: int | None = None) -> EntryPage:
    """Entries newest first, ``PER_PAGE`` at a time: page ``page`` (1 is the newest), or those before index ``before``."""
    rows = LedgerEntry.objects.order_by("-index")
    if kind:
        rows = rows.filter(kind=kind)
    total = rows.count() if kind else size()
    pages = max(1, -(-total // PER_PAGE))
    if before is not None:
        shown = list(rows.filter(index__lt=before)[: PER_PAGE + 1])
        lines = _lines(shown[:PER_PAGE])
        older = lines[-1].index if len(shown) > PER_PAGE else None
        return EntryPage(lines, kind, total, None, pages, None, None, older)
    paginator = Paginator(rows, PER_PAGE, allow_empty_first_page=True)
    at = paginator.get_page(page or 1)  # a page past the end shows the last one
    lines = _lines(list(at.object_list))
    older_before = lines[-1].index if at.has_next() else None
    return EntryPage(
        lines,
        kind,
        total,
        at.number,
        pages,
        at.previous_page_number() if at.has_previous() else None,
        at.next_page_number() if at.has_next() else None,
        older_before,
    )


def entry(index: int) -> EntryDetail:
    row = LedgerEntry.objects.filter(index=index).first()
    if row is None:
        raise NotFound(
            _("there is no entry %(index)s: the ledger has entries 0 to %(last)s")
            % {"index": index, "last": size() - 1}
        )
    (line,) = _lines([row])
    data = row.data.encode("utf-8")
    fields = json.loads(data)
    last = latest_checkpoint()
    proof = _inclusion_proof(index, last) if last is not None and index < last.size else None
    return EntryDetail(
        line,
        row.data,
        json.dumps(fields, indent=2, ensure_ascii=False, sort_keys=True),
        hashlib.sha256(data).hexdigest(),
        fields["previous"],
        proof,
        last if proof is not None else None,
    )


def _lines(rows: Sequence[LedgerEntry]) -> list[EntryLine]:
    events = [json.loads(row.data)["event"] for row in rows]
    members = {e["actor"] for e in events if e["actor"] != THE_COUNT}
    for event in events:
        for key in _MEMBER_FIELDS & event.keys():
            members.update(_as_list(event[key]))
    known = people.names(members)
    return [
        EntryLine(
            row.index,
            datetime.fromisoformat(event["at"]),
            event["kind"],
            event["actor"],
            _("the count") if event["actor"] == THE_COUNT else known[event["actor"]],
            _summary(event, known),
        )
        for row, event in zip(rows, events, strict=True)
    ]


def _summary(event: dict[str, Any], known: dict[str, str]) -> str:
    parts = []
    for key, label in _SUMMARY_FIELDS.items():
        value = event.get(key)
        if value in (None, "", []):
            continue
        values = _as_list(value)
        if key in _MEMBER_FIELDS:
            values = [known.get(v, v) for v in values]
        parts.append(f"{label}: {', '.join(values)}")
        if len(parts) == 3:
            break
    if "ballots" in event:  # a count publishes its ballots: too many for one line
        parts.append(_("%(n)s ballots published") % {"n": len(event["ballots"])})
    return "; ".join(parts)


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# --- checkpoints and proofs -------------------------------------------------------------


def latest_checkpoint() -> Checkpoint | None:
    data = LedgerCheckpoint.objects.order_by("-size").values_list("data", flat=True).first()
    return None if data is None else checkpoints.read(data.encode("utf-8"))


def checkpoint_page(page: int | None = None) -> tuple[list[Checkpoint], Any]:
    """Signed checkpoints, newest first, ``PER_PAGE`` at a time, and Django's page (for its links)."""
    paginator = Paginator(LedgerCheckpoint.objects.order_by("-size").values_list("data", flat=True), PER_PAGE)
    at = paginator.get_page(page or 1)
    return [checkpoints.read(data.encode("utf-8")) for data in at.object_list], at


def public_key_pem() -> str:
    """The instance's public key: what every checkpoint's signature is checked with."""
    return recording.signer().public_pem().decode("ascii")


def key_id() -> str:
    return recording.signer().key_id


def inclusion_proof(index: int) -> dict[str, Any]:
    """The proof that entry ``index`` is in the log the latest checkpoint signs, in the form
    ``frombelow proof`` prints and ``frombelow proof --check FILE`` checks."""
    last = latest_checkpoint()
    if last is None:
        raise NotFound(_("no checkpoint has been signed yet: there is nothing to prove an entry against"))
    if not 0 <= index < last.size:
        raise NotFound(
            _("entry %(index)s is not covered by the latest checkpoint (entries 0 to %(last)s): the next one will")
            % {"index": index, "last": last.size - 1}
        )
    return _inclusion_proof(index, last)


def _inclusion_proof(index: int, last: Checkpoint) -> dict[str, Any]:
    tree = _signed_tree(last)
    (data,) = DatabaseStore().read(index, index + 1)
    return {
        "entry": data.decode("utf-8"),
        "index": index,
        "leaf_hash": leaf_hash(data).hex(),
        "size": last.size,
        "root": last.root,
        "audit_path": [node.hex() for node in tree.inclusion_proof(index, last.size)],
        "checkpoint": last.to_bytes().decode("utf-8"),
        "public_key": public_key_pem(),
    }


# The Merkle tree of the stored entries, kept between requests and grown as the ledger
# grows: a tree of n leaves answers for every size up to n, and is used for a checkpoint
# only once its root for that size is the one signed (so a tree from a rolled-back
# transaction, or another database, is never trusted).
_tree_lock = threading.Lock()
_tree = Tree()


def _signed_tree(signed: Checkpoint) -> Tree:
    global _tree
    with _tree_lock:
        if _tree.size < signed.size:
            _tree.extend(DatabaseStore().read(_tree.size, signed.size))
        if _tree.root(signed.size).hex() != signed.root:
            _tree = Tree.of(DatabaseStore().read(0, signed.size))
            if _tree.root(signed.size).hex() != signed.root:
                raise LedgerDamaged(
                    _("the stored entries do not give the root signed at size %(size)s") % {"size": signed.size}
                )
        return _tree


# --- receipts -----------------------------------------------------------------------------


Outcome = Literal["counted as cast", "commitment found", "does not open", "not in the count", "not counted yet"]


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt says about a poll's count."""

    outcome: Outcome
    message: str
    marks: tuple[str, ...] | None  # the ballot's marks, when the nonce opens the commitment
    marks_named: tuple[str, ...] | None  # the same, candidates by the names they go by
    closes_at: datetime | None  # when the vote closes (or closed), while it is not counted


def read_receipt(text: str) -> tuple[str, str]:
    """A receipt's commitment and nonce (``""`` when not given), or ``InvalidCommand`` saying what is wrong."""
    committed, colon, nonce = text.strip().lower().partition(":")
    if not _HEX64.fullmatch(committed):
        raise InvalidCommand(
            _("a receipt is 64 hexadecimal digits (the commitment), then optionally ':' and 64 more (the nonce)")
        )
    if colon and not _HEX64.fullmatch(nonce):
        raise InvalidCommand(_("the nonce after ':' must be 64 hexadecimal digits"))
    return committed, nonce


def secret_polls() -> list[PollRow]:
    """Secret votes, most recently opened first: the ones receipts are given for."""
    return list(PollRow.objects.filter(secret=True).order_by("-closes_at", "id"))


def check_receipt(poll_id: str, text: str) -> ReceiptCheck:
    """Whether the ballot a receipt is for is in the published count of ``poll_id``."""
    committed, nonce = read_receipt(text)
    poll = PollRow.objects.filter(id=poll_id).first()
    if poll is None:
        raise NotFound(_("there is no vote %(poll)r") % {"poll": poll_id})
    if not poll.secret:
        raise InvalidCommand(
            _("%(poll)r was a public roll call: it gives no receipts, and its votes are published by name")
            % {"poll": poll_id}
        )
    if not poll.counted:
        closes = poll.closes_at
        message = (
            _("not counted yet: the vote closes at %(at)s")
            if closes > clock.now()
            else _("not counted yet: the vote closed at %(at)s and is counted at the next action or tick")
        )
        return ReceiptCheck("not counted yet", message % {"at": f"{closes:%Y-%m-%d %H:%M} UTC"}, None, None, closes)
    published = _published_ballots(poll_id)
    if nonce:
        ballot = find_in_count(published, f"{committed}:{nonce}")
        if ballot is not None:
            named = people.names(ballot.marks)
            shown = tuple(named[m] for m in ballot.marks)
            return ReceiptCheck(
                "counted as cast",
                _("your ballot is in the count, as: %(marks)s") % {"marks": " > ".join(shown) or _("(blank)")},
                ballot.marks,
                shown,
                None,
            )
    if find_in_count(published, committed) is None:
        return ReceiptCheck("not in the count", _("not in the count"), None, None, None)
    if nonce:
        return ReceiptCheck(
            "does not open",
            _("a ballot with this commitment is in the count, but the nonce given does not open it"),
            None,
            None,
            None,
        )
    return ReceiptCheck("commitment found", _("commitment found (nonce not given)"), None, None, None)


def _published_ballots(poll_id: str) -> tuple:
    """The ballots the poll's count published, read from its "poll counted" entry in the ledger."""
    needle = '"poll":' + json.dumps(poll_id, ensure_ascii=False)
    for data in LedgerEntry.objects.filter(kind="poll counted", data__contains=needle).values_list("data", flat=True):
        event = from_json(json.loads(data)["event"])
        if event.poll == poll_id:
            return event.ballots
    raise NotFound(_("the count of %(poll)r is not in the ledger") % {"poll": poll_id})
