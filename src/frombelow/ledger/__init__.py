"""The public, tamper-evident record: every event appended, none rewritten (see merkle.py).

    >>> from frombelow.ledger import Ledger, MemoryStore, Signer, write_bundle, verify
    >>> ledger = Ledger(MemoryStore(), Signer.generate())
    >>> ledger.record(events, at)               # one command's events; a checkpoint when due
    >>> write_bundle("bundle", ledger, ballots)  # once a checkpoint covers every entry
    >>> verify("bundle").summary()               # or VerificationFailed(index, what)

entries.py (canonical entries, the hash chain), merkle.py (RFC 6962 trees and proofs),
log.py (``Ledger``), checkpoints.py (signed tree heads, when to sign), signing.py (the
Ed25519 key), stores.py (memory, JSON Lines), bundles.py, verifying.py.
"""

from frombelow.ledger.bundles import Bundle, read_bundle, write_bundle
from frombelow.ledger.checkpoints import Checkpoint
from frombelow.ledger.entries import Entry
from frombelow.ledger.log import Ledger
from frombelow.ledger.signing import Signer
from frombelow.ledger.stores import JsonlStore, MemoryStore, Store
from frombelow.ledger.verifying import Report, VerificationFailed, verify

__all__ = [
    "Bundle",
    "Checkpoint",
    "Entry",
    "JsonlStore",
    "Ledger",
    "MemoryStore",
    "Report",
    "Signer",
    "Store",
    "VerificationFailed",
    "read_bundle",
    "verify",
    "write_bundle",
]
