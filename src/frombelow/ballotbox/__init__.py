"""The secret ballot box: who voted is kept apart from what was voted, and anyone can recount.

    >>> from frombelow.ballotbox import BallotBox, JsonlBoxStore, check_receipt
    >>> box = BallotBox(state, poll_id, JsonlBoxStore(directory))
    >>> token = box.issue(state, member)
    >>> events, receipt = box.cast(state, token, ("yes",), at)
    >>> events, published = box.close(state, at)
    >>> check_receipt(published, receipt)

Pure Python, no I/O but the store's; the poll's rules are the federation's (``voting``).
"""

from frombelow.ballotbox.box import BallotBox, revote_key, token_digest
from frombelow.ballotbox.receipts import Receipt, check_receipt, commitment
from frombelow.ballotbox.stores import BoxStore, Holder, JsonlBoxStore, MemoryBoxStore, StoredBallot

__all__ = [
    "BallotBox",
    "BoxStore",
    "Holder",
    "JsonlBoxStore",
    "MemoryBoxStore",
    "Receipt",
    "StoredBallot",
    "check_receipt",
    "commitment",
    "revote_key",
    "token_digest",
]
