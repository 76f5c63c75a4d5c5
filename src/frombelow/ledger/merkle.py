"""Merkle trees as Certificate Transparency defines them (RFC 6962 §2.1, RFC 9162 §2.1).

The ledger's entries are the leaves, in order. Anyone holding the entries can recompute
the root a checkpoint signed; anyone holding one entry and a short proof can check that
it is in the log (inclusion), and anyone holding two signed roots can check that the
later log only added entries to the earlier one (consistency), without the rest of the
log. The definitions, with SHA-256:

- the hash of an empty tree is ``SHA-256()`` (of no bytes);
- a leaf's hash is ``SHA-256(0x00 || data)``, an inner node's ``SHA-256(0x01 || left ||
  right)``: the two prefixes keep a leaf from passing for a node (second preimages);
- the Merkle Tree Hash of n > 1 leaves splits them at k, the largest power of two
  smaller than n: ``MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))``.

``Tree`` is append-only. It keeps the hash of every *complete* subtree (2**h leaves
starting at a multiple of 2**h), level by level: level h holds ``size >> h`` hashes.
Appending a leaf adds one hash at level 0 and, on average, one above it, and every root,
proof or subtree hash of any earlier size is read from these complete subtrees, at most
about 2 log2(size) node hashes for the incomplete right edge: nothing is recomputed from
the leaves. A million leaves take two million 32-byte hashes (about 150 MB as Python
bytes objects).

The proofs are the RFC's (``PATH`` and ``PROOF`` of RFC 9162 §2.1.3.1 and §2.1.4.1) and
the checks its algorithms (§2.1.3.2 and §2.1.4.2), so a proof made here verifies with
any RFC 9162 client and the other way round; ``tests/ledger/test_merkle.py`` checks them
against the Certificate Transparency reference vectors.

Choices made here, where the RFC leaves them open:

- A consistency proof from size 0, or between equal sizes, is empty. Checking it, the
  old root must be the empty tree's hash (size 0) or the new root itself (equal sizes):
  a verifier always knows the root of the empty tree, so no other root is accepted.
- An inclusion proof is checked against a size and a root together, and only the pair
  means anything: the root alone does not fix the size (the path of leaf 0 in a tree of
  3 also passes for a tree of 4 with that same root, a tree no one can build). Take both
  from one signed checkpoint, as the ledger's checkpoints sign them.
- Every check returns False on anything malformed (a hash that is not 32 bytes, an index
  out of range, a proof too long or too short) rather than raising: a verifier answers
  "does not verify", never crashes on what a stranger hands it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import islice

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

# Hashing starts from a copy of a hasher already fed the prefix: cheaper than building
# a new one and concatenating ``prefix + data`` for each of millions of nodes.
_LEAF = hashlib.sha256(b"\x00")
_NODE = hashlib.sha256(b"\x01")


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf (RFC 6962 §2.1)."""
    h = _LEAF.copy()
    h.update(data)
    return h.digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an inner node (RFC 6962 §2.1)."""
    h = _NODE.copy()
    h.update(left)
    h.update(right)
    return h.digest()


def root_of(leaves: Iterable[bytes]) -> bytes:
    """The Merkle Tree Hash of the leaves' data, in order (SHA-256() for none)."""
    return Tree.of(leaves).root()


def _leaf_hashes(leaves: Iterable[bytes]) -> list[bytes]:
    copy = _LEAF.copy
    hashes = []
    keep = hashes.append
    for data in leaves:
        h = copy()
        h.update(data)
        keep(h.digest())
    return hashes


def _pair_hashes(level: list[bytes], start: int, stop: int) -> list[bytes]:
    """The parents of level[start:stop], two by two (stop - start is even)."""
    copy = _NODE.copy
    parents = []
    keep = parents.append
    children = islice(level, start, stop)
    for left in children:
        h = copy()
        h.update(left)
        h.update(next(children))
        keep(h.digest())
    return parents


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 6962 splits n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """An append-only Merkle tree: append leaves, read the root, inclusion and consistency
    proofs for the whole tree or any earlier size of it (the tree as it was then)."""

    __slots__ = ("_levels",)

    def __init__(self) -> None:
        # _levels[h][i]: the hash of leaves i * 2**h .. (i + 1) * 2**h - 1 (complete subtrees).
        self._levels: list[list[bytes]] = [[]]

    @classmethod
    def of(cls, leaves: Iterable[bytes]) -> Tree:
        """A tree of the leaves' data, in order (in bulk: faster than appending one by one)."""
        tree = cls()
        tree.extend(leaves)
        return tree

    @classmethod
    def from_leaf_hashes(cls, hashes: Iterable[bytes]) -> Tree:
        """A tree of leaves known by their hashes (``leaf_hash`` of each leaf's data)."""
        tree = cls()
        hashes = list(hashes)
        if any(len(h) != HASH_SIZE for h in hashes):
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes")
        tree._levels[0] = hashes
        tree._settle()
        return tree

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._levels[0])

    def __len__(self) -> int:
        return len(self._levels[0])

    def append(self, data: bytes) -> int:
        """Add a leaf of this data; return its index."""
        levels = self._levels
        level = levels[0]
        h = _LEAF.copy()
        h.update(data)
        level.append(h.digest())
        index = len(level) - 1
        at = 0
        # A right child (odd index) completes a subtree one level up: carry it as far as it goes.
        while index & 1:
            parent = _NODE.copy()
            parent.update(level[index - 1])
            parent.update(level[index])
            at += 1
            if at == len(levels):
                levels.append([])
            level = levels[at]
            level.append(parent.digest())
            index >>= 1
        return len(levels[0]) - 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaves of these data, in order (in bulk, level by level)."""
        self._levels[0].extend(_leaf_hashes(leaves))
        self._settle()

    def truncate(self, size: int) -> None:
        """Forget the leaves from ``size`` on (leaves appended in memory that their store did not
        keep): every complete subtree within the first ``size`` leaves stays as it was."""
        if not 0 <= size <= self.size:
            raise IndexError(f"cannot truncate a tree of {self.size} leaves to {size}")
        for height, level in enumerate(self._levels):
            del level[size >> height :]

    def _settle(self) -> None:
        """Hash every complete subtree not yet hashed, level by level, after a bulk extend."""
        levels = self._levels
        at = 0
        while len(levels[at]) > 1:
            if at + 1 == len(levels):
                levels.append([])
            below, above = levels[at], levels[at + 1]
            done, complete = len(above), len(below) // 2
            if done < complete:
                above.extend(_pair_hashes(below, 2 * done, 2 * complete))
            at += 1

    def leaf_hash(self, index: int) -> bytes:
        """The hash of leaf ``index`` (as ``leaf_hash`` of its data)."""
        if not 0 <= index < self.size:
            raise IndexError(f"no leaf {index} in a tree of {self.size}")
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """The root of the first ``size`` leaves (all of them by default)."""
        size = self._size(size)
        return self._hash(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves
        (RFC 9162 §2.1.3.1), from the leaf's sibling up to the root's children."""
        size = self._size(size)
        if not 0 <= index < size:
            raise IndexError(f"no leaf {index} in a tree of {size}")
        # Bottom up: at height h the tree of ``size`` leaves has nodes 0..last, node j
        # covering leaves j * 2**h .. min((j + 1) * 2**h, size) - 1; a node with no right
        # sibling (the last, when it is even) goes up unpaired, as RFC 6962's split makes it.
        levels = self._levels
        path = []
        node, last, height = index, size - 1, 0
        while last:
            sibling = node ^ 1
            if sibling <= last:
                if (sibling + 1) << height <= size:
                    path.append(levels[height][sibling])
                else:  # the right edge, short of a complete subtree: at most once per proof
                    path.append(self._hash(sibling << height, size))
            node >>= 1
            last >>= 1
            height += 1
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Proof that the tree of ``new_size`` leaves extends the one of ``old_size``
        (RFC 9162 §2.1.4.1); empty when old_size is 0 or equals new_size."""
        new_size = self._size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
        if old_size in (0, new_size):
            return []
        proof = []
        low, high = 0, new_size
        whole_old_tree = True  # SUBPROOF's b: the old root is the verifier's own, so never sent
        while old_size - low != high - low:
            k = _split(high - low)
            if old_size - low <= k:
                proof.append(self._hash(low + k, high))
                high = low + k
            else:
                proof.append(self._hash(low, low + k))
                low += k
                whole_old_tree = False
        if not whole_old_tree:
            proof.append(self._hash(low, high))
        proof.reverse()
        return proof

    def _size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise ValueError(f"the tree has {self.size} leaves, not {size}")
        return size

    def _hash(self, low: int, high: int) -> bytes:
        """MTH of leaves low..high-1, where low is a multiple of a power of two >= high - low
        (every range the RFC's recursions visit is): complete subtrees from the left,
        folded from the right."""
        levels = self._levels
        parts = []
        while low < high:
            width = high - low
            height = width.bit_length() - 1  # the largest complete subtree starting at low
            parts.append(levels[height][low >> height])
            low += 1 << height
        result = parts.pop()
        while parts:
            result = node_hash(parts.pop(), result)
        return result


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows the leaf of this data at ``index`` in the tree of ``size``
    leaves whose root is ``root`` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size or not _hashes(proof) or len(root) != HASH_SIZE:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False  # the proof is longer than the path to the root
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                # The leaf is the last of its level: its subtree goes up without a sibling.
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` shows that the tree of ``new_size`` leaves with root ``new_root``
    extends the tree of ``old_size`` leaves with root ``old_root`` (RFC 9162 §2.1.4.2)."""
    if not 0 <= old_size <= new_size or not _hashes(proof):
        return False
    if len(old_root) != HASH_SIZE or len(new_root) != HASH_SIZE:
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is a complete subtree of the new one: its root starts the path.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def _hashes(proof: Sequence[bytes]) -> bool:
    return all(isinstance(p, bytes) and len(p) == HASH_SIZE for p in proof)
