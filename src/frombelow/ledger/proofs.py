"""Inclusion proofs a third party can check (``frombelow proof``).

A proof says: this entry is number ``index`` of a log of ``size`` entries whose Merkle
root is ``root``, and that size and root were signed by the instance's key in
``checkpoint``. Checking it needs only SHA-256 and Ed25519 (RFC 6962 hashing, RFC 9162's
verification algorithm): ``check`` does it, and docs/verify.md shows it by hand.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from frombelow.ledger import checkpoints
from frombelow.ledger.bundles import read_bundle
from frombelow.ledger.merkle import leaf_hash, verify_inclusion
from frombelow.ledger.signing import key_id, load_public_key


class BadProof(ValueError):
    """A proof that does not hold, saying which part fails."""


def inclusion(bundle_dir: Path | str, index: int) -> dict[str, Any]:
    """The proof that entry ``index`` is in the log the bundle's last checkpoint signs."""
    bundle = read_bundle(bundle_dir)
    signed = bundle.checkpoints
    if not signed:
        raise BadProof(f"{bundle_dir} has no checkpoint to prove anything against")
    last = signed[-1]
    if not 0 <= index < last.size:
        raise BadProof(
            f"there is no entry {index}: the log signed in the last checkpoint has entries 0 to {last.size - 1}"
        )
    (entry,) = bundle.ledger.entries(index, index + 1)
    return {
        "entry": entry.data.decode("utf-8"),
        "index": index,
        "leaf_hash": leaf_hash(entry.data).hex(),
        "size": last.size,
        "root": last.root,
        "audit_path": [node.hex() for node in bundle.ledger.inclusion_proof(index, last.size)],
        "checkpoint": last.to_bytes().decode("utf-8"),
        "public_key": bundle.directory.joinpath("public_key.pem").read_text(encoding="ascii"),
    }


def check(proof: dict[str, Any], key: str | None = None) -> str:
    """Check a proof; return what it proves, or raise ``BadProof`` saying what fails.

    ``key``: the instance's key id learnt elsewhere; without it the proof's own key is trusted.
    """
    try:
        data = proof["entry"].encode("utf-8")
        index, size, root = int(proof["index"]), int(proof["size"]), bytes.fromhex(proof["root"])
        path = [bytes.fromhex(node) for node in proof["audit_path"]]
        signed = checkpoints.read(proof["checkpoint"].encode("utf-8"))
        public_key = load_public_key(proof["public_key"].encode("ascii"))
    except Exception as error:  # noqa: BLE001 - whatever is wrong with its parts, the proof is malformed
        raise BadProof(f"the proof is malformed: {error}") from None
    if key is not None and key_id(public_key) != key:
        raise BadProof(f"the proof's key is {key_id(public_key)}, not the instance's key {key}")
    if not signed.is_signed_by(public_key):
        raise BadProof("the checkpoint's signature does not hold for the proof's key")
    if (signed.size, signed.root) != (size, root.hex()):
        raise BadProof("the proof's size and root are not the ones the checkpoint signs")
    if json.loads(data).get("index") != index:
        raise BadProof(f"the entry's own index is not {index}")
    if not verify_inclusion(data, index, size, path, root):
        raise BadProof(f"the audit path does not lead from entry {index} to the signed root")
    digest = hashlib.sha256(data).hexdigest()
    return (
        f"entry {index} (SHA-256 {digest[:16]}…) is in the log of {size:,} entries whose root "
        f"{root.hex()[:16]}… key {key_id(public_key)} signed at {signed.at:%Y-%m-%d %H:%M} UTC"
    )
