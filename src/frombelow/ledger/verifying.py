"""``verify``: check a bundle offline, and name the first thing wrong in it.

What is checked (the first fault found raises ``VerificationFailed``):

1. The key: ``public_key.pem`` is an Ed25519 public key's PEM, byte for byte, and (given
   ``key``) the instance's key as the verifier learnt it elsewhere.
2. Every checkpoint: it reads as a checkpoint (canonical JSON of its six fields), names
   the bundle's key, its signature verifies with it, and it covers more entries than the
   one before it, no earlier.
3. Every entry, reading ``events.jsonl`` once, line by line: its index is its line's
   number (from 0); its ``previous`` is the SHA-256 of the line before (64 zeros for the
   first); its event is of a known kind. Each ``poll opened`` and ``poll counted`` is
   decoded in full (``events.from_json``), every count is recounted from its published
   ballots with its poll's opening (``voting.recount_published``: the same count, by
   the same method and tie-break rule, without replaying the federation) and must equal
   what was published. A secret count must hold one ballot for each ``ballot cast`` of
   its poll (none dropped, none stuffed), a roll call's ballots must be its ``vote
   cast`` entries, and no vote is recorded in a poll not open.
4. At each checkpoint's size: the last entry's hash is the checkpoint's head; then, from
   all the entries' leaves: its root is their Merkle root at that size, and the
   consistency proof from the checkpoint before to this one (computed from the entries)
   verifies against both signed roots (RFC 9162 §2.1.4.2).
5. The end: no checkpoint covers more entries than the file holds (a log truncated past
   a checkpoint), and the last checkpoint covers every entry: entries that no signature
   vouches for are a failure, not a warning (anyone could have written them), so a
   bundle is exported right after a checkpoint.
6. Checkpoints the verifier kept from before (``kept``): the log extends each of them.
7. The ballots: every ``ballots/`` file holds the same ballots (as a multiset, in
   whatever order it publishes them) as the ``poll counted`` entry of its poll, and every
   secret poll counted with ballots has its file.

How it stays fast (a million entries in seconds): ``events.jsonl`` is read once, each
line hashed as the bytes read (its SHA-256 for the chain, its Merkle leaf hash), never
re-serialised, and the Merkle tree built once from the leaf hashes at the end (every
checkpoint's root is then read off it). A line in canonical form ends with
``},"index":N,"previous":"H"}``, so its index and link are checked on its bytes, and its
kind read from them (one ``"kind":"`` in a line can only be the event's key "kind" in
JSON). A secret vote (a ``ballot cast``, most of the entries) ends with its poll, read
from its bytes too; a count's poll is read from its bytes, and the count itself (often
thousands of ballots) is parsed by the helper that recounts it. A line is parsed with
``json.loads`` and checked field by field when its kind is another whose content is
needed (polls opened, roll-call votes), or when its bytes are not in that form (then the
parse says what is wrong). The hashes bind the exact bytes: an entry re-encoded
differently, even to equal JSON, breaks the chain at the next entry and every root after
it, so integrity never depends on parsing or re-encoding. That every line is also valid
JSON in canonical form, and every event decodes to its class with the right fields and
types, is checked only with ``thorough=True`` (each line parsed, each event decoded and
re-encoded: about three times slower); by default it is checked for the polls and votes.
In a large bundle (16 MiB of entries or more, on two processors or more), a helper
process parses and recounts the counts (checking each against the votes the roll
recorded), decodes their polls' openings, compares the ballot files and checks the
signatures while this one reads the entries (``workers``); once they are read, this
process takes the checks the helper has not begun, from the last batch back, while the
helper goes on from the first. Which process found a fault does not matter: the one at
the lowest index is named. Nothing read is kept in a reference cycle, so it is freed when
``verify`` returns rather than by a collection of millions of objects later (a second,
at the command's exit).

Where a failure is located: the index of the first entry found wrong. An entry whose
bytes were changed is named by itself, not by the next entry whose ``previous`` no
longer matches: when an entry's link fails but the entry after it links to it
correctly, the entry before is the one changed. Checkpoint faults name the checkpoint
(its line, from 0) and, where the entries disagree with it, the first entry concerned;
faults outside the entries (the key, a file missing) have index ``None``.

What it does not prove: that the server recorded every command it was given or refused
none (a dishonest server that drops a ballot before it is recorded leaves a consistent
log), nor anything about coercion. See docs/verify.md. Nor does it notice a checkpoint
removed from the middle of ``checkpoints.jsonl``: that hides nothing, since every entry
stays bound by the checkpoints after it (removing the last one leaves entries unsigned,
which fails).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO, Self

from frombelow.federation import rules  # noqa: F401 - imports every capability, so every event kind is known
from frombelow.federation.codec import canonical, from_data, to_data
from frombelow.federation.events import REGISTRY, Event, from_json
from frombelow.federation.voting import Ballot, PollCounted, recount_published
from frombelow.ledger import checkpoints
from frombelow.ledger.bundles import ballot_files
from frombelow.ledger.checkpoints import Checkpoint
from frombelow.ledger.entries import ENTRY_KEYS, GENESIS, decode
from frombelow.ledger.merkle import Tree, verify_consistency
from frombelow.ledger.signing import (
    PUBLIC_KEY_FILE,
    Ed25519PublicKey,
    key_id,
    load_public_key,
    public_key_pem,
    signature_holds,
)
from frombelow.ledger.stores import CHECKPOINTS_FILE, EVENTS_FILE

# A bundle this large (bytes of events.jsonl) is checked with helper processes: the counts
# and signatures beside the pass over the entries. Below it, starting them costs more.
IN_PARALLEL_FROM = 16 * 2**20
CHECKS_A_BATCH = 200
# kind -> the keys of its JSON: "kind" and the event class's fields.
FIELDS = {kind: frozenset({"kind", *(f.name for f in dataclasses.fields(cls))}) for kind, cls in REGISTRY.items()}
# Kinds whose content nothing here reads (every other kind's is: polls opened and counted, votes).
SKIMMED = frozenset(
    kind.encode() for kind in FIELDS.keys() - {"poll opened", "poll counted", "ballot cast", "vote cast"}
)


class VerificationFailed(Exception):
    """The first thing wrong in a bundle: the entry (index) and what is wrong."""

    def __init__(self, index: int | None, what: str, checkpoint: int | None = None) -> None:
        self.index = index
        self.what = what
        self.checkpoint = checkpoint
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"entry {self.index}: {self.what}" if self.index is not None else self.what


@dataclass(frozen=True)
class Report:
    entries: int
    checkpoints: int
    recounted: int  # polls whose published count was recomputed
    ballot_files: int
    root: str  # hex Merkle root of every entry (the last checkpoint's)
    key_id: str
    signed_at: datetime | None  # the last checkpoint's time
    thorough: bool

    def summary(self) -> str:
        when = f", the last signed {self.signed_at:%Y-%m-%d %H:%M} UTC" if self.signed_at else ""
        return (
            f"intact: {self.entries:,} entries, hash chain and Merkle root {self.root[:16]}… match; "
            f"{self.checkpoints:,} checkpoints signed by key {self.key_id}, each consistent with the next{when}; "
            f"{self.recounted:,} counts recomputed from their ballots, {self.ballot_files:,} ballot files match"
            + ("; every event decoded and canonical" if self.thorough else "")
        )


def verify(
    bundle_dir: Path | str,
    thorough: bool = False,
    key: str | None = None,
    kept: Sequence[Checkpoint] = (),
    workers: int | None = None,
) -> Report:
    """Check a bundle (see the module's docstring); raise ``VerificationFailed`` at the first fault.

    ``key``: the instance's key id as the verifier learnt it elsewhere (its website, a
    newspaper, a member's copy): without it, the bundle's own ``public_key.pem`` is
    trusted, and a forger who re-signed everything with a key of their own would pass.
    ``kept``: checkpoints the verifier kept from earlier (signed by the same key): the
    bundle's log must extend each of them, so a server that rewrote history and signed it
    again is caught by anyone who kept an older checkpoint.
    ``workers``: helper processes recounting and checking signatures while the entries
    are read (by default one, for a bundle of 16 MiB or more on a machine of two
    processors or more; 0: none). The answer is the same either way.
    """
    directory = Path(bundle_dir)
    for name in (EVENTS_FILE, CHECKPOINTS_FILE, PUBLIC_KEY_FILE):
        if not (directory / name).is_file():
            raise VerificationFailed(None, f"the bundle has no {name}")
    pem = (directory / PUBLIC_KEY_FILE).read_bytes()
    try:
        public_key = load_public_key(pem)
    except Exception as error:  # whatever the PEM holds, if not an Ed25519 key
        raise VerificationFailed(None, f"{PUBLIC_KEY_FILE} holds no Ed25519 public key ({error})") from error
    if public_key_pem(public_key) != pem:
        raise VerificationFailed(None, f"{PUBLIC_KEY_FILE} is not the key's PEM as written: it was altered")
    if key is not None and key_id(public_key) != key:
        raise VerificationFailed(None, f"{PUBLIC_KEY_FILE} is key {key_id(public_key)}, not the instance's key {key}")
    signed = _checkpoints(directory / CHECKPOINTS_FILE, public_key)
    try:
        files = ballot_files(directory)
    except ValueError as error:
        raise VerificationFailed(None, str(error)) from error
    events = directory / EVENTS_FILE
    with _helpers(workers, events.stat().st_size) as helpers:
        signatures = helpers.submit(_unsigned, pem, [(c.signed_bytes(), c.signature) for c in signed])
        reading = _Reading(signed, helpers, files)
        try:
            with open(events, "rb") as lines:
                reading.read(lines, thorough)
        except VerificationFailed as failure:
            _signed_all(signatures.result())  # a checkpoint forged is told before anything it covers
            raise reading.earliest(failure) from None
        _signed_all(signatures.result())
        reading.close()
    _check_kept(reading.tree, kept, public_key)
    reading.check_files()
    last = signed[-1] if signed else None
    return Report(
        reading.tree.size,
        len(signed),
        len(reading.counted),
        len(files),
        reading.tree.root().hex(),
        key_id(public_key),
        last.at if last else None,
        thorough,
    )


def _unsigned(pem: bytes, signed: list[tuple[bytes, str]]) -> int | None:
    """The first checkpoint (its number) whose signature does not verify, if any (run by a helper)."""
    public_key = load_public_key(pem)
    for number, (message, signature) in enumerate(signed):
        if not signature_holds(public_key, message, bytes.fromhex(signature)):
            return number
    return None


def _signed_all(unsigned: int | None) -> None:
    if unsigned is not None:
        raise VerificationFailed(
            None, f"checkpoint {unsigned}'s signature does not verify with {PUBLIC_KEY_FILE}: it was altered", unsigned
        )


class _Inline:
    """Helpers' work done at once, in this process (a small bundle, or ``workers=0``)."""

    def submit(self, work: Callable, *args: object) -> Future:
        done: Future = Future()
        done.set_result(work(*args))
        return done

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _helpers(workers: int | None, size: int) -> _Inline | ProcessPoolExecutor:
    if workers is None:  # one helper is enough: the pass over the entries keeps a processor busy too
        workers = 1 if size >= IN_PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 0
    return ProcessPoolExecutor(workers) if workers else _Inline()


def _check_kept(tree: Tree, kept: Sequence[Checkpoint], public_key: Ed25519PublicKey) -> None:
    for checkpoint in kept:
        if not checkpoint.is_signed_by(public_key):
            raise VerificationFailed(
                None, f"the checkpoint you kept (size {checkpoint.size}) is not signed by this key"
            )
        if checkpoint.size > tree.size:
            raise VerificationFailed(
                tree.size,
                f"the log has {tree.size} entries, fewer than the {checkpoint.size} of the checkpoint you kept",
            )
        if tree.root(checkpoint.size).hex() != checkpoint.root:
            raise VerificationFailed(
                None,
                f"the log does not extend the checkpoint you kept (size {checkpoint.size}, signed "
                f"{checkpoint.at:%Y-%m-%d %H:%M} UTC): entries before {checkpoint.size} were rewritten and signed again",
            )


def _checkpoints(path: Path, public_key: Ed25519PublicKey) -> list[Checkpoint]:
    bundle_key = key_id(public_key)
    signed: list[Checkpoint] = []
    lines = path.read_bytes().split(b"\n")
    if lines[-1]:
        raise VerificationFailed(None, f"{CHECKPOINTS_FILE} ends in a line cut short", len(lines) - 1)
    for number, line in enumerate(lines[:-1]):
        try:
            checkpoint = checkpoints.read(line)
        except ValueError as error:
            raise VerificationFailed(None, f"checkpoint {number} cannot be read: {error}", number) from error
        if checkpoint.key_id != bundle_key:
            raise VerificationFailed(
                None,
                f"checkpoint {number} names key {checkpoint.key_id}, but {PUBLIC_KEY_FILE} is key {bundle_key}",
                number,
            )
        if signed and (checkpoint.size <= signed[-1].size or checkpoint.at < signed[-1].at):
            # Out of order: the one edited, if either was, is the one to name (their signatures are checked later).
            for suspect, which in ((signed[-1], number - 1), (checkpoint, number)):
                if not suspect.is_signed_by(public_key):
                    _signed_all(which)
            if checkpoint.size <= signed[-1].size:
                raise VerificationFailed(
                    None,
                    f"checkpoint {number} covers {checkpoint.size} entries, no more than the checkpoint before it "
                    f"({signed[-1].size}): checkpoints repeated or out of order",
                    number,
                )
            raise VerificationFailed(None, f"checkpoint {number} is dated before the checkpoint before it", number)
        signed.append(checkpoint)
    return signed


class _Reading:
    """The pass over events.jsonl: the chain, the leaves, the checkpoints' heads, the counts;
    then (``roots``) every checkpoint's root and consistency, from the leaves."""

    def __init__(
        self, signed: list[Checkpoint], helpers: _Inline | ProcessPoolExecutor, files: dict[str, Path]
    ) -> None:
        self.signed = signed
        self.helpers = helpers
        self.files = files  # poll -> its published ballots' file
        self.leaves: list[bytes] = []  # each entry's Merkle leaf hash
        self.tree = Tree()  # built from the leaves once read
        self.head = GENESIS
        self.before = GENESIS  # the hash of the entry before the last
        self.last = b""  # the last entry's bytes
        self.next = 0  # the next checkpoint to meet
        self.opened: dict[str, tuple[int, dict]] = {}  # poll -> its opening (index, JSON)
        self.counted: dict[str, int] = {}  # poll -> the index of its count
        self.checks: list[tuple[Future, list[tuple]]] = []  # batches handed over, each to give a list of (index, what)
        self.batch: list[tuple] = []  # checks not yet handed to a helper (in batches: handing over costs)
        self.voted: dict[str, int] = {}  # open secret poll -> how many the roll says voted
        self.votes: dict[str, list[tuple]] = {}  # open public poll -> (voter, marks, weight) of each vote cast
        if signed and signed[0].size == 0:
            self._check_head(0, None)
            self.next = 1

    def read(self, lines: BinaryIO, thorough: bool) -> None:
        sha256, voted = hashlib.sha256, self.voted
        leaf = self.leaves.append
        due = self.signed[self.next].size if self.next < len(self.signed) else -1
        # Kept in self only where read (when a check fails); the hashes as a line holds them, hex bytes.
        head, before, last = self.head.encode(), self.before.encode(), self.last
        for index, line in enumerate(lines):
            data = line[:-1]
            # The envelope and the kind, read on the bytes when they are in canonical form (see _text_of).
            tail = b'},"index":%d,"previous":"%s"}\n' % (index, head)
            kind = None
            if not thorough and line.endswith(tail):
                start = data.find(b'"kind":"') + 8
                end = data.find(b'"', start)
                if start > 7 and end > 0 and data.find(b'"kind":"', end) < 0:
                    kind = data[start:end]
            if kind in SKIMMED:
                pass
            elif (
                kind == b"ballot cast"  # the most common entry, read inline: its poll is its last field
                and data.startswith(b'","poll":"', end)
                and data.find(b'"', end + 10) == len(data) - len(tail)  # its closing quote, the event's last
                and b"\\" not in (text := data[end + 10 : len(data) - len(tail)])
                and (poll := text.decode("utf-8", "replace")) in voted
            ):
                voted[poll] += 1  # a vote in an open secret poll, as _secret_vote checks
            elif kind == b"poll counted" and (poll := _text_of(data, b'"poll":"')) is not None:
                self._counted(index, poll, line)  # its ballots are read by a helper, with the recount
            else:
                self.head, self.before, self.last = head.decode(), before.decode(), last
                self._parsed(index, self._entry(index, line, lines, thorough), line)
            before, last, head = head, data, sha256(data).hexdigest().encode()
            leaf(sha256(b"\x00" + data).digest())  # merkle.leaf_hash(data), in one call
            if index + 1 == due:
                self.head = head.decode()
                self._check_head(self.next, lines)
                self.next += 1
                due = self.signed[self.next].size if self.next < len(self.signed) else -1
        self.head, self.before, self.last = head.decode(), before.decode(), last

    def _entry(self, index: int, line: bytes, lines: BinaryIO, thorough: bool) -> dict:
        """Entry ``index`` parsed and checked field by field; its event's JSON."""
        if line[-1:] != b"\n":
            raise VerificationFailed(index, "the file ends in a line cut short (no newline)")
        data = line[:-1]
        entry = _parsed_entry(index, data)
        if entry["index"] != index or type(entry["index"]) is not int:
            raise self._misplaced(index, entry, data)
        if entry["previous"] != self.head:
            raise self._broken_link(index, data, lines)
        event = _event_of(index, entry)
        if thorough:
            try:
                decode(data)
            except ValueError as error:
                raise VerificationFailed(index, str(error)) from error
        return event

    def _parsed(self, index: int, event: dict, line: bytes) -> None:
        """What an entry parsed tells of the polls, if it is of a kind that does."""
        kind = event["kind"]
        if kind == "poll opened":
            self._opened(index, event)
        elif kind == "poll counted":
            if type(event["poll"]) is not str:
                raise VerificationFailed(index, "its event cannot be read: its vote is not what it should be")
            self._counted(index, event["poll"], line)
        elif kind == "ballot cast":
            self._secret_vote(index, event["poll"])
        elif kind == "vote cast":
            self._public_vote(index, event)

    def earliest(self, failure: VerificationFailed) -> VerificationFailed:
        """``failure``, or a count's found wrong by a helper at an earlier entry."""
        found = self._faults()
        earlier = [f for f in found if f.index is not None and failure.index is not None and f.index < failure.index]
        return min(earlier, key=lambda f: f.index) if earlier else failure

    def close(self) -> None:
        """After the last entry: the roots, the end of the log, the helpers' checks; the earliest fault raised."""
        self.tree = Tree.from_leaf_hashes(self.leaves)
        faults = []
        for check in (self._roots, self.finish):
            try:
                check()
            except VerificationFailed as fault:
                faults.append(fault)
        faults += self._faults()
        if faults:
            raise min(faults, key=lambda f: len(self.leaves) if f.index is None else f.index)

    def _check(self, *check: object) -> None:
        self.batch.append(check)
        if len(self.batch) >= CHECKS_A_BATCH:
            self.checks.append((self.helpers.submit(_check_all, self.batch), self.batch))
            self.batch = []

    def _faults(self) -> list[VerificationFailed]:
        """What the helpers found wrong (once every check handed over is done).

        The entries read, this process shares the helper's remaining work: it takes the
        batches from the last while the helper goes on from the first, until they meet."""
        for poll, (index, opening) in self.opened.items():
            if poll not in self.counted:  # (a count's check decodes its opening)
                self._check(_check_opening, index, opening)
        if self.batch:
            self.checks.append((self.helpers.submit(_check_all, self.batch), self.batch))
            self.batch = []
        found: list[tuple[int, str]] = []
        for check, batch in reversed(self.checks):
            if not check.cancel():  # begun or done by the helper: the batches before it are too
                break
            found += _check_all(batch)
        found += [fault for check, _ in self.checks if not check.cancelled() for fault in check.result()]
        return [VerificationFailed(*fault) for fault in found]

    def _roots(self) -> None:
        """Every checkpoint met: its root is the entries' Merkle root at its size, and the
        consistency proof from the checkpoint before it verifies against both signed roots."""
        for number, checkpoint in enumerate(self.signed[: self.next]):
            size = checkpoint.size
            before = self.signed[number - 1] if number else None
            first = before.size if before else 0
            root = self.tree.root(size)
            if root.hex() != checkpoint.root:
                raise VerificationFailed(
                    first, f"entries {first} to {size - 1} do not have the root checkpoint {number} signed", number
                )
            if before is not None:
                proof = self.tree.consistency_proof(before.size, size)
                if not verify_consistency(before.size, size, bytes.fromhex(before.root), root, proof):
                    raise VerificationFailed(
                        first, f"checkpoint {number} is not consistent with checkpoint {number - 1}", number
                    )

    def finish(self) -> None:
        size = len(self.leaves)
        if self.next < len(self.signed):
            missing = self.signed[self.next]
            raise VerificationFailed(
                size,
                f"the log ends after {size} entries but checkpoint {self.next} signed {missing.size}: "
                f"entries {size} to {missing.size - 1} are missing",
                self.next,
            )
        covered = self.signed[-1].size if self.signed else 0
        if size > covered:
            raise VerificationFailed(
                covered,
                f"entries {covered} to {size - 1} are covered by no signed checkpoint: nothing vouches for them",
            )

    def _check_head(self, number: int, lines: BinaryIO | None) -> None:
        """The last entry read is the one checkpoint ``number`` signed as its head."""
        checkpoint = self.signed[number]
        if self.head == checkpoint.head:
            return
        size = checkpoint.size
        first = self.signed[number - 1].size if number else 0
        # The entry after this one still linked to the one signed: this one alone was changed.
        # Linked to this one: the chain was re-linked after a change somewhere since the last checkpoint.
        after = next(lines, None) if lines is not None else None
        if after is not None and _links_to(after, self.head) and size - 1 > first:
            raise VerificationFailed(
                first,
                f"entries {first} to {size - 1} are not those checkpoint {number} signed: one of them was "
                "changed and the chain re-linked after it",
                number,
            )
        raise VerificationFailed(
            size - 1 if size else None,
            f"it is not the entry checkpoint {number} signed as its last (its hash is {self.head[:16]}…, "
            f"the checkpoint's {checkpoint.head[:16]}…)",
            number,
        )

    def _misplaced(self, index: int, entry: dict, data: bytes) -> VerificationFailed:
        found = entry["index"]
        if type(found) is not int:
            return VerificationFailed(index, f"its index is {found!r}, not a number")
        if found == index - 1 and data == self.last:
            return VerificationFailed(index, f"it repeats entry {found}")
        if found == index - 1 and entry["previous"] == self.before:
            return VerificationFailed(
                index - 1, f"it was inserted: the entry after it is entry {found}, linked to the entry before it"
            )
        if found < index:
            return VerificationFailed(
                index, f"expected entry {index} here, found entry {found}: an entry repeated or moved"
            )
        return VerificationFailed(index, f"expected entry {index} here, found entry {found}: entries missing or moved")

    def _broken_link(self, index: int, data: bytes, lines: BinaryIO) -> VerificationFailed:
        """Entry ``index`` does not link to the entry before it. If the entry after it links to
        it, it is intact and the entry before it was changed; otherwise it is itself."""
        after, digest = next(lines, None), hashlib.sha256(data).hexdigest()
        # The last entry has no entry after it, but a checkpoint may have signed it as its head.
        signed_here = after is None and any(c.size == index + 1 and c.head == digest for c in self.signed)
        if index and (signed_here or (after is not None and _links_to(after, digest))):
            return VerificationFailed(
                index - 1, f"it is not the entry that entry {index} was linked to: it was changed"
            )
        return VerificationFailed(index, f"its previous hash is not the hash of entry {index - 1}")

    def _opened(self, index: int, data: dict) -> None:
        poll = data["poll"]
        if type(poll) is not str or type(data["secret"]) is not bool:
            raise VerificationFailed(
                index, "its event cannot be read: its vote or its secrecy is not what they should be"
            )
        if poll in self.opened:
            raise VerificationFailed(index, f"it opens the vote {poll!r} again (entry {self.opened[poll][0]})")
        self.opened[poll] = (index, data)  # decoded by a helper with its count, or alone if never counted
        if data["secret"]:  # open until counted: the votes it is to count, so far
            self.voted[poll] = 0
        else:
            self.votes[poll] = []

    def _counted(self, index: int, poll: str, line: bytes) -> None:
        """A count: of a poll open; a helper reads its ballots, checks them against the votes
        recorded (the turnout), recounts them and compares its ballots' file."""
        if poll not in self.opened:
            raise VerificationFailed(index, f"it counts the vote {poll!r}, which no entry before it opened")
        if poll in self.counted:
            raise VerificationFailed(index, f"it counts the vote {poll!r} again (entry {self.counted[poll]})")
        opened_at, opened = self.opened[poll]
        turnout = self.voted.pop(poll) if opened["secret"] else self.votes.pop(poll)
        self.counted[poll] = index
        path = self.files.get(poll)
        self._check(_check_count, index, opened_at, opened, line, turnout, str(path) if path else None)

    def _public_vote(self, index: int, data: dict) -> None:
        """A vote in a roll call, recorded with the vote itself (a secret vote records only that the member voted)."""
        poll = data["poll"]
        self._open(index, poll, secret=False)
        self.votes[poll].append((data["actor"], _marks(data["marks"]), data["weight"]))

    def _secret_vote(self, index: int, poll: object) -> None:
        self._open(index, poll, secret=True)
        self.voted[poll] += 1

    def _open(self, index: int, poll: object, secret: bool) -> None:
        if type(poll) is not str or poll not in self.opened or poll in self.counted:
            raise VerificationFailed(index, f"it records a vote in {poll!r}, which is not open")
        if self.opened[poll][1]["secret"] != secret:
            raise VerificationFailed(
                index, f"it records a {'secret' if secret else 'public'} vote in {poll!r}, which is not"
            )

    def check_files(self) -> None:
        """Every ballots file is of a vote counted (the helpers compared each file with its
        count, and found the secret counts without one)."""
        for poll, path in sorted(self.files.items()):
            if poll not in self.counted:
                raise VerificationFailed(None, f"{path.name} publishes ballots of {poll!r}, which no entry counts")


# --- what helpers do (in other processes when the bundle is large): plain data in, plain data out


def _check_all(checks: list[tuple]) -> list[tuple[int, str]]:
    return [fault for check, *args in checks if (fault := check(*args)) is not None]


def _check_opening(index: int, data: dict) -> tuple[int, str] | None:
    try:
        _decoded(index, data)
    except VerificationFailed as fault:
        return fault.index, fault.what
    return None


def _check_count(
    index: int, opened_at: int, opening: dict, line: bytes, turnout: int | list[tuple], published: str | None
) -> tuple[int, str] | None:
    """Decode a poll's opening (entry ``opened_at``), read its count's entry, check its
    ballots against the votes recorded (``turnout``: how many voted in a secret poll, the
    votes cast in a roll call), recount it from its opening and its ballots, and compare its
    published ballots' file."""
    poll, secret = opening["poll"], opening["secret"]
    try:
        opened = _decoded(opened_at, opening)  # an opening that cannot be read is the fault, before its count
        data = _event_of(index, _parsed_entry(index, line[:-1]))
        ballots = data["ballots"]
        if type(ballots) is not list:
            raise VerificationFailed(index, "its event cannot be read: its ballots are not what they should be")
        _check_turnout(index, poll, secret, ballots, turnout)
        if secret and ballots and published is None:
            raise VerificationFailed(index, f"the ballots of the secret vote {poll!r} are not published in ballots/")
        counted = _decoded_count(index, data)
        try:
            recounted = recount_published(opened, counted)
        except Exception as error:  # a count that cannot be redone is a fault to name, whatever raised
            raise VerificationFailed(index, f"the count of {counted.poll!r} cannot be redone: {error!r}") from error
        if recounted != counted:
            raise VerificationFailed(index, f"the count of {counted.poll!r} {_difference(counted, recounted)}")
        if published is not None:
            _check_file(index, counted.poll, Path(published), ballots, line)
    except VerificationFailed as fault:
        return fault.index, fault.what
    return None


def _check_turnout(index: int, poll: str, secret: bool, ballots: list, turnout: int | list[tuple]) -> None:
    """A secret count holds one ballot for each member the roll says voted; a roll call's, the votes cast."""
    if secret:
        if turnout != len(ballots):
            raise VerificationFailed(
                index, f"{turnout} members voted in {poll!r} but its count holds {len(ballots)} ballots"
            )
        return
    try:
        counted = Counter((b["group"], _marks(b["marks"]), b["weight"]) for b in ballots)
    except (TypeError, KeyError):
        counted = None
    if Counter(turnout) != counted:
        raise VerificationFailed(index, f"the ballots counted in {poll!r} are not the votes cast in it")


def _parsed_entry(index: int, data: bytes) -> dict:
    """An entry's JSON: an object of its three keys (what they hold is checked by the caller)."""
    try:
        entry = json.loads(data)
    except ValueError as error:
        raise VerificationFailed(index, f"it is not JSON ({error})") from error
    if type(entry) is not dict or entry.keys() != ENTRY_KEYS:
        raise VerificationFailed(index, 'it is not an object of "event", "index" and "previous"')
    return entry


def _event_of(index: int, entry: dict) -> dict:
    """An entry's event: of a known kind, with that kind's fields."""
    event = entry["event"]
    kind = event.get("kind") if type(event) is dict else None
    fields = FIELDS.get(kind) if type(kind) is str else None
    if fields is None or event.keys() != fields:
        raise VerificationFailed(index, f"its event is not one of a known kind with that kind's fields ({kind!r})")
    return event


def _check_file(index: int, poll: str, path: Path, ballots: list[dict], line: bytes) -> None:
    """The file holds the ballots counted: each line the canonical JSON of one ballot, as the
    count's own entry holds them, so comparing bytes compares ballots."""
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError:
        raise VerificationFailed(index, f"the ballots of {poll!r} ({path.name}) are missing") from None
    if lines.pop():
        raise VerificationFailed(index, f"{path.name} ends in a line cut short")
    in_entry = _ballots_in(line)
    if lines == in_entry:  # in the count's order, as bundles are written
        return
    held = Counter(lines)
    if held == Counter(in_entry):
        return
    encode = _CANONICAL.encode  # an entry not in canonical form: encode its ballots (codec.canonical's form)
    counted = Counter(encode(ballot).encode("utf-8") for ballot in ballots)
    if held != counted:
        raise VerificationFailed(
            index,
            f"{path.name} does not hold the ballots {poll!r} was counted from "
            f"({len(lines)} ballots in the file, {len(ballots)} in the count"
            + (", the same number but not the same ballots)" if len(lines) == len(ballots) else ")"),
        )


def _ballots_in(line: bytes) -> list[bytes]:
    """Each ballot's bytes in a canonical ``poll counted`` entry, cut from its ``ballots``
    array: every ballot starts ``{"group":`` and the array ends ``}],"elected"`` (a quote
    inside a string is escaped, so neither occurs within one)."""
    start, end = line.find(b'"ballots":[{"group":'), line.find(b'}],"elected":')
    if start < 0 or end < start:
        return []
    pieces = line[start + len(b'"ballots":[{"group":') : end].split(b'},{"group":')
    return [b'{"group":' + piece + b"}" for piece in pieces]


def _marks(marks: object) -> tuple | object:
    return tuple(marks) if type(marks) is list else marks


def _text_of(data: bytes, key: bytes) -> str | None:
    """The text value of ``key`` (as ``b'"poll":"'``) in these bytes, if they hold exactly one
    such key and its value has no escape (else None: parse them).

    In valid JSON the bytes ``"poll":"`` can only be a key "poll" with a text value (a quote
    inside a string is escaped), so one such key is the event's own: an event holding
    another "poll" anywhere, or none, is parsed instead. ``read`` reads each entry's
    "kind" so, inline."""
    start = data.find(key) + len(key)
    end = data.find(b'"', start)
    if start < len(key) or end < 0 or data.find(key, start) >= 0:
        return None
    text = data[start:end]
    return None if b"\\" in text else text.decode("utf-8", "replace")


def _links_to(line: bytes, head: str) -> bool:
    """Whether this line reads as an entry whose previous hash is ``head``."""
    try:
        return json.loads(line)["previous"] == head
    except (ValueError, TypeError, KeyError):
        return False


def _decoded(index: int, data: dict) -> Event:
    try:
        return from_json(data)
    except Exception as error:  # any malformed field is "cannot be read"
        raise VerificationFailed(index, f"its event cannot be read: {error!r}") from error


def _decoded_count(index: int, data: dict) -> PollCounted:
    """A ``poll counted`` event, its ballots (often thousands) read by a path much faster than
    the general decoder's, which they must match in shape: ``voting.Ballot``'s four fields."""
    counted = _decoded(index, {**data, "ballots": []})
    read, known = [], {}  # the same ballot (marks, group, weight, receipt) decoded once per count
    weights: dict[str, Fraction] = {}
    for ballot in data["ballots"]:  # a list (``_check_count`` made sure)
        if (
            type(ballot) is not dict
            or ballot.keys() != _BALLOT_KEYS
            or type(ballot["marks"]) is not list
            or type(ballot["weight"]) is not str
        ):
            raise VerificationFailed(index, f"its event cannot be read: {ballot!r} is not a ballot")
        fields = (tuple(ballot["marks"]), ballot["group"], ballot["weight"], ballot["receipt"])
        try:
            decoded = known.get(fields)
        except TypeError:  # a mark, group or receipt that is not text (a list, an object)
            raise VerificationFailed(index, f"its event cannot be read: {ballot!r} is not a ballot") from None
        if decoded is None:
            if fields[2] not in weights:
                weights[fields[2]] = _decoded_weight(index, fields[2])
            decoded = known[fields] = Ballot(fields[0], fields[1], weights[fields[2]], fields[3])
        read.append(decoded)
    return dataclasses.replace(counted, ballots=tuple(read))


def _decoded_weight(index: int, weight: object) -> Fraction:
    try:
        return from_data(Fraction, weight)
    except (TypeError, ValueError, ZeroDivisionError) as error:
        raise VerificationFailed(index, f"its event cannot be read: a ballot's weight is {weight!r}") from error


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_BALLOT_KEYS = frozenset(f.name for f in dataclasses.fields(Ballot))


def _difference(published: PollCounted, recounted: PollCounted) -> str:
    for field in ("outcome", "elected", "totals", "turnout", "rounds", "tiebreak"):
        if getattr(published, field) != getattr(recounted, field):
            return (
                f"does not follow from its ballots: it published {field} {canonical(to_data(getattr(published, field)))},"
                f" the ballots give {canonical(to_data(getattr(recounted, field)))}"
            )
    return "does not follow from its ballots (the ballots are not in the order a count publishes them)"
