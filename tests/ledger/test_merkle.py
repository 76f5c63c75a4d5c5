"""Merkle trees: the Certificate Transparency reference vectors, a reference implementation
written straight from the RFC's recursive definitions, and properties of random trees.

The known answers come from Certificate Transparency's own test data:

- google/certificate-transparency, ``cpp/merkletree/merkle_tree_test.cc``: the eight
  leaf inputs (``kInputs``), the roots of the first 1..8 of them (``kSHA256Roots``), audit
  paths (``kSHA256Paths``, leaf numbered from 1) and consistency proofs
  (``kSHA256Proofs``), with the ways its verifier tests corrupt them;
- transparency-dev/merkle (its Go successor), ``proof/verify_test.go`` (the same vectors,
  plus the consistency proof from 6 to 7 leaves), ``testonly/constants.go`` (the hash of
  every complete subtree of the eight leaves, ``NodeHashes``) and
  ``rfc6962/rfc6962_test.go`` (one leaf and one node hash, ``TestRFC6962Hasher``).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from frombelow.ledger.merkle import (
    EMPTY_ROOT,
    Tree,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def h(hex_: str) -> bytes:
    return bytes.fromhex(hex_)


LEAVES = [
    h(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
ROOTS = [  # ROOTS[n]: the root of the first n leaves
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]
NODES = [  # NODES[height][i]: the hash of leaves i * 2**height .. (i + 1) * 2**height - 1
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]
# (index from 0, tree size, audit path); the C++ and Go files number the leaf from 1.
PATHS = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]
# (old size, new size, consistency proof)
PROOFS = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]
SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


# --- A reference implementation: the RFC's recursive definitions, word for word -------


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """MTH (RFC 6962 §2.1)."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = split(len(d))
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH (RFC 6962 §2.1.1)."""
    if len(d) == 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF (RFC 6962 §2.1.2)."""
    if m == len(d):
        return [] if b else [mth(d)]
    k = split(len(d))
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def eight() -> Tree:
    tree = Tree()
    for leaf in LEAVES:
        tree.append(leaf)
    return tree


# --- Known answers ---------------------------------------------------------------------


def test_hashes_of_a_leaf_a_node_and_the_empty_tree() -> None:
    # rfc6962_test.go, TestRFC6962Hasher; the empty leaf is not the empty tree.
    assert EMPTY_ROOT == h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert leaf_hash(b"") == h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert leaf_hash(b"L123456") == h("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
    assert node_hash(b"N123", b"N456") == h("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb")


def test_a_node_is_not_the_leaf_of_its_childrens_bytes() -> None:
    a, b = leaf_hash(b"Hello"), leaf_hash(b"World")
    assert node_hash(a, b) != leaf_hash(a + b)
    assert node_hash(a, b) != node_hash(b, a)


def test_roots_of_the_reference_tree_as_it_grows() -> None:
    tree = Tree()
    assert tree.size == 0 and tree.root() == ROOTS[0]
    for n, leaf in enumerate(LEAVES, start=1):
        assert tree.append(leaf) == n - 1
        assert tree.size == len(tree) == n
        assert tree.root() == ROOTS[n]
        # Every earlier root is still there, unchanged: the tree only grows.
        assert [tree.root(k) for k in range(n + 1)] == ROOTS[: n + 1]


@pytest.mark.parametrize("n", range(9))
def test_roots_in_bulk(n: int) -> None:
    assert root_of(LEAVES[:n]) == ROOTS[n]
    assert Tree.of(LEAVES[:n]).root() == ROOTS[n]
    assert Tree.from_leaf_hashes(leaf_hash(x) for x in LEAVES[:n]).root() == ROOTS[n]
    assert eight().root(n) == ROOTS[n]


def test_every_complete_subtree_of_the_reference_tree() -> None:
    for height, row in enumerate(NODES):
        width = 2**height
        for i, expected in enumerate(row):
            assert root_of(LEAVES[i * width : (i + 1) * width]) == expected
    assert [eight().leaf_hash(i) for i in range(8)] == NODES[0]


@pytest.mark.parametrize(("index", "size", "expected"), PATHS)
def test_audit_paths_of_the_reference_tree(index: int, size: int, expected: list[bytes]) -> None:
    tree = eight()
    assert tree.inclusion_proof(index, size) == expected
    assert Tree.of(LEAVES[:size]).inclusion_proof(index) == expected
    assert verify_inclusion(LEAVES[index], index, size, expected, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "expected"), PROOFS)
def test_consistency_proofs_of_the_reference_tree(old: int, new: int, expected: list[bytes]) -> None:
    tree = eight()
    assert tree.consistency_proof(old, new) == expected
    assert Tree.of(LEAVES[:new]).consistency_proof(old) == expected
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], expected)


def corrupted_inclusions(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes):
    """The ways CT's verifier tests (VerifierCheck, corruptInclusionProof) spoil a proof."""
    yield "index - 1", (leaf, index - 1, size, proof, root)
    yield "index + 1", (leaf, index + 1, size, proof, root)
    yield "index ^ 2", (leaf, index ^ 2, size, proof, root)
    yield "size * 2", (leaf, index, size * 2, proof, root)
    yield "size // 2", (leaf, index, size // 2, proof, root)
    yield "wrong leaf", (b"WrongLeaf", index, size, proof, root)
    yield "empty root", (leaf, index, size, proof, EMPTY_ROOT)
    yield "random root", (leaf, index, size, proof, SOME_HASH)
    yield "trailing garbage", (leaf, index, size, [*proof, b""], root)
    yield "trailing root", (leaf, index, size, [*proof, root], root)
    yield "preceding garbage", (leaf, index, size, [b"", *proof], root)
    yield "preceding root", (leaf, index, size, [root, *proof], root)
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 8
        yield f"proof[{i}] bit 3", (leaf, index, size, [*proof[:i], bytes(flipped), *proof[i + 1 :]], root)
        yield f"proof[{i}] empty root", (leaf, index, size, [*proof[:i], EMPTY_ROOT, *proof[i + 1 :]], root)
    if proof:
        yield "removed component", (leaf, index, size, proof[:-1], root)
    if len(proof) > 1:
        yield "inserted component", (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root)


@pytest.mark.parametrize(("index", "size", "proof"), PATHS)
def test_every_corrupted_audit_path_fails(index: int, size: int, proof: list[bytes]) -> None:
    wrongly_verified = [
        what
        for what, args in corrupted_inclusions(LEAVES[index], index, size, proof, ROOTS[size])
        if verify_inclusion(*args)
    ]
    assert wrongly_verified == []


def corrupted_consistencies(old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]):
    """The ways CT's verifier tests (VerifierConsistencyCheck, corruptConsistencyProof) spoil a proof."""
    yield "old - 1", (old - 1, new, old_root, new_root, proof)
    yield "old + 1", (old + 1, new, old_root, new_root, proof)
    yield "old ^ 2", (old ^ 2, new, old_root, new_root, proof)
    yield "new * 2", (old, new * 2, old_root, new_root, proof)
    yield "new // 2", (old, new // 2, old_root, new_root, proof)
    yield "wrong old root", (old, new, b"WrongRoot", new_root, proof)
    yield "wrong new root", (old, new, old_root, b"WrongRoot", proof)
    yield "swapped roots", (old, new, new_root, old_root, proof)
    yield "empty proof", (old, new, old_root, new_root, [])
    yield "trailing garbage", (old, new, old_root, new_root, [*proof, b""])
    yield "trailing old root", (old, new, old_root, new_root, [*proof, old_root])
    yield "trailing new root", (old, new, old_root, new_root, [*proof, new_root])
    yield "trailing last", (old, new, old_root, new_root, [*proof, proof[-1]])
    yield "preceding garbage", (old, new, old_root, new_root, [b"", *proof])
    yield "preceding old root", (old, new, old_root, new_root, [old_root, *proof])
    yield "preceding new root", (old, new, old_root, new_root, [new_root, *proof])
    yield "preceding proof[0]", (old, new, old_root, new_root, [proof[0], *proof])
    yield "truncated", (old, new, old_root, new_root, proof[:-1])
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 16
        yield f"proof[{i}] bit 4", (old, new, old_root, new_root, [*proof[:i], bytes(flipped), *proof[i + 1 :]])
        yield f"proof[{i}] empty root", (old, new, old_root, new_root, [*proof[:i], EMPTY_ROOT, *proof[i + 1 :]])


@pytest.mark.parametrize(("old", "new", "proof"), [p for p in PROOFS if p[2]])
def test_every_corrupted_consistency_proof_fails(old: int, new: int, proof: list[bytes]) -> None:
    wrongly_verified = [
        what
        for what, args in corrupted_consistencies(old, new, ROOTS[old], ROOTS[new], proof)
        if verify_consistency(*args)
    ]
    assert wrongly_verified == []


def test_inclusion_in_impossible_trees_fails() -> None:
    # CT's TestVerifyInclusion probes: no leaf in an empty tree, none past the end.
    for index, size in [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)]:
        for leaf, root in [(b"", EMPTY_ROOT), (b"", SOME_HASH), (b"data", leaf_hash(b"data"))]:
            assert not verify_inclusion(leaf, index, size, [], root)


def test_a_single_leaf_is_its_own_root() -> None:
    root = leaf_hash(b"data")
    assert verify_inclusion(b"data", 0, 1, [], root)
    assert not verify_inclusion(b"data", 0, 1, [], b"")
    assert not verify_inclusion(b"other", 0, 1, [], root)
    assert not verify_inclusion(b"data", 0, 1, [root], root)


def test_a_proof_means_something_only_with_the_size_and_root_signed_together() -> None:
    # The RFC's check follows the path's shape, which a tree of 3 and one of 4 share for
    # leaf 0: the size 3 path passes with size 4 if given the size 3 root. A checkpoint
    # signs size and root together, so a verifier never mixes them.
    tree = Tree.of(LEAVES[:4])
    proof = tree.inclusion_proof(0, 3)
    assert verify_inclusion(LEAVES[0], 0, 3, proof, ROOTS[3])
    assert verify_inclusion(LEAVES[0], 0, 4, proof, ROOTS[3])  # no tree of 4 has this root
    assert not verify_inclusion(LEAVES[0], 0, 4, proof, ROOTS[4])


def test_consistency_of_trivial_and_impossible_sizes() -> None:
    # CT's TestVerifyConsistency, except that an empty old tree must show the empty tree's root.
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 1, EMPTY_ROOT, a, [])
    assert verify_consistency(1, 1, a, a, [])
    assert not verify_consistency(0, 0, a, a, [])  # no tree of 0 leaves has root a
    assert not verify_consistency(0, 1, a, b, [])
    assert not verify_consistency(1, 1, a, b, [])  # the same tree with two roots
    assert not verify_consistency(1, 0, a, EMPTY_ROOT, [])  # time runs backwards
    assert not verify_consistency(2, 1, a, b, [])
    assert not verify_consistency(1, 2, a, node_hash(a, b), [])  # a proof is needed
    assert not verify_consistency(-1, 1, a, b, [])
    for old, new in [(0, 0), (0, 1), (1, 1)]:
        assert not verify_consistency(old, new, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert verify_consistency(1, 2, a, node_hash(a, b), [b])


def test_the_tree_refuses_what_it_does_not_hold() -> None:
    tree = Tree.of(LEAVES[:5])
    with pytest.raises(ValueError, match="the tree has 5 leaves, not 6"):
        tree.root(6)
    with pytest.raises(IndexError, match="no leaf 5 in a tree of 5"):
        tree.inclusion_proof(5)
    with pytest.raises(IndexError, match="no leaf 3 in a tree of 3"):
        tree.inclusion_proof(3, 3)
    with pytest.raises(IndexError, match="no leaf -1 in a tree of 5"):
        tree.inclusion_proof(-1)
    with pytest.raises(ValueError, match="no consistency proof from size 4 to size 3"):
        tree.consistency_proof(4, 3)
    with pytest.raises(ValueError, match="the tree has 5 leaves, not 9"):
        tree.consistency_proof(1, 9)
    with pytest.raises(IndexError, match="no leaf 0 in a tree of 0"):
        Tree().inclusion_proof(0)
    with pytest.raises(IndexError):
        tree.leaf_hash(5)
    with pytest.raises(ValueError, match="a leaf hash is 32 bytes"):
        Tree.from_leaf_hashes([b"short"])
    assert Tree().consistency_proof(0) == []
    assert tree.consistency_proof(0) == tree.consistency_proof(5) == []


# --- Edge sizes, every index and every old size, against the reference -----------------

EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65]


@pytest.mark.parametrize("size", EDGE_SIZES)
def test_every_proof_of_edge_sizes_matches_the_rfc_and_verifies(size: int) -> None:
    data = [f"entry {i}".encode() for i in range(size)]
    tree = Tree.of(data)
    root = mth(data)
    assert tree.root() == root
    for index in range(size):  # including index = size - 1, the rightmost leaf
        proof = tree.inclusion_proof(index)
        assert proof == path(index, data)
        assert verify_inclusion(data[index], index, size, proof, root)
    for old in range(size + 1):
        proof = tree.consistency_proof(old)
        assert proof == ([] if old in (0, size) else subproof(old, data, True))
        assert verify_consistency(old, size, mth(data[:old]), root, proof)


def test_a_larger_tree_grown_leaf_by_leaf_equals_one_built_in_bulk() -> None:
    data = [f"event {i}".encode() for i in range(5_000)]
    grown = Tree()
    for i, x in enumerate(data[:3_001]):
        assert grown.append(x) == i
    grown.extend(data[3_001:4_096])
    for x in data[4_096:]:
        grown.append(x)
    bulk = Tree.of(data)
    assert grown._levels == bulk._levels == Tree.from_leaf_hashes(map(leaf_hash, data))._levels
    for size in (1, 2, 1_000, 1_024, 3_001, 4_095, 4_096, 4_097, 5_000):
        assert grown.root(size) == mth(data[:size])
    assert verify_inclusion(data[4_999], 4_999, 5_000, grown.inclusion_proof(4_999), bulk.root())
    assert verify_consistency(3_001, 5_000, mth(data[:3_001]), bulk.root(), bulk.consistency_proof(3_001))


# --- Properties of random trees ----------------------------------------------------------


@st.composite
def trees(draw: st.DrawFn, min_size: int = 0, max_size: int = 200) -> list[bytes]:
    """Distinct leaves (a log's entries differ: each names its index and the previous hash)."""
    size = draw(st.integers(min_size, max_size))
    salt = draw(st.binary(max_size=8))
    return [salt + i.to_bytes(4, "big") for i in range(size)]


@st.composite
def grown(draw: st.DrawFn, min_size: int = 0) -> tuple[list[bytes], Tree]:
    """Leaves and a tree of them, grown by a random mix of appends and bulk extends."""
    data = draw(trees(min_size=min_size))
    tree = Tree()
    at = 0
    while at < len(data):
        step = draw(st.integers(1, len(data) - at))
        if step == 1 or draw(st.booleans()):
            tree.append(data[at])
            step = 1
        else:
            tree.extend(data[at : at + step])
        at += step
    return data, tree


@settings(max_examples=150, deadline=None)
@given(grown(), st.data())
def test_roots_and_proofs_of_random_trees_are_the_rfcs(tree_and_data, draw) -> None:
    data, tree = tree_and_data
    assert tree.size == len(data)
    size = draw.draw(st.integers(0, len(data)), label="size")
    assert tree.root(size) == mth(data[:size])
    if size:
        index = draw.draw(st.integers(0, size - 1), label="index")
        assert tree.inclusion_proof(index, size) == path(index, data[:size])
    old = draw.draw(st.integers(0, size), label="old size")
    expected = [] if old in (0, size) else subproof(old, data[:size], True)
    assert tree.consistency_proof(old, size) == expected


def altered(proof: list[bytes], draw: st.DataObject) -> list[bytes]:
    """The proof changed in one way: a bit flipped, a hash dropped, added, replaced or moved."""
    kinds = ["add"] + (["flip", "drop", "replace"] if proof else []) + (["swap"] if len(set(proof)) > 1 else [])
    kind = draw.draw(st.sampled_from(kinds), label="alteration")
    proof = list(proof)
    if kind == "add":
        at = draw.draw(st.integers(0, len(proof)), label="at")
        proof.insert(at, draw.draw(st.sampled_from([*proof, SOME_HASH, EMPTY_ROOT, b""]), label="added"))
    elif kind == "swap":
        i, j = draw.draw(st.lists(st.integers(0, len(proof) - 1), min_size=2, max_size=2, unique=True), label="swap")
        assume(proof[i] != proof[j])
        proof[i], proof[j] = proof[j], proof[i]
    else:
        i = draw.draw(st.integers(0, len(proof) - 1), label="element")
        if kind == "flip":
            bit = draw.draw(st.integers(0, 255), label="bit")
            changed = bytearray(proof[i])
            changed[bit // 8] ^= 1 << (bit % 8)
            proof[i] = bytes(changed)
        elif kind == "drop":
            del proof[i]
        else:
            proof[i] = draw.draw(st.binary(min_size=32, max_size=32).filter(lambda x: x != proof[i]), label="new")
    return proof


def flipped(digest: bytes, draw: st.DataObject) -> bytes:
    bit = draw.draw(st.integers(0, 255), label="root bit")
    changed = bytearray(digest)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


@settings(max_examples=300, deadline=None)
@given(trees(min_size=1), st.data())
def test_an_inclusion_proof_verifies_and_any_alteration_fails(data: list[bytes], draw) -> None:
    tree = Tree.of(data)
    size = draw.draw(st.integers(1, len(data)), label="size")
    index = draw.draw(st.sampled_from(sorted({0, size - 1, size // 2, draw.draw(st.integers(0, size - 1))})))
    proof, root, leaf = tree.inclusion_proof(index, size), tree.root(size), data[index]
    assert verify_inclusion(leaf, index, size, proof, root)

    assert not verify_inclusion(leaf, index, size, altered(proof, draw), root)
    assert not verify_inclusion(leaf, index, size, proof, flipped(root, draw))
    assert not verify_inclusion(leaf + b"!", index, size, proof, root)
    other = draw.draw(st.integers(-1, size), label="other index")
    assume(other != index)
    assert not verify_inclusion(leaf, other, size, proof, root)
    # Another size, with the root of that size (a checkpoint signs size and root together).
    resized = draw.draw(st.integers(index + 1, len(data)), label="other size")
    if resized != size:
        assert not verify_inclusion(leaf, index, resized, proof, tree.root(resized))


@settings(max_examples=300, deadline=None)
@given(trees(min_size=2), st.data())
def test_a_consistency_proof_verifies_and_any_alteration_fails(data: list[bytes], draw) -> None:
    tree = Tree.of(data)
    new = draw.draw(st.integers(2, len(data)), label="new size")
    old = draw.draw(st.integers(1, new - 1), label="old size")
    proof, old_root, new_root = tree.consistency_proof(old, new), tree.root(old), tree.root(new)
    assert verify_consistency(old, new, old_root, new_root, proof)

    assert not verify_consistency(old, new, old_root, new_root, altered(proof, draw))
    assert not verify_consistency(old, new, flipped(old_root, draw), new_root, proof)
    assert not verify_consistency(old, new, old_root, flipped(new_root, draw), proof)
    # Other sizes, with the roots that go with them.
    old2 = draw.draw(st.integers(0, len(data)), label="other old size")
    new2 = draw.draw(st.integers(old2, len(data)), label="other new size")
    assume((old2, new2) != (old, new))
    assert not verify_consistency(old2, new2, tree.root(old2), tree.root(new2), proof)


# --- Truncating what a store did not keep ----------------------------------------------


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 12))
def test_a_truncated_tree_is_the_tree_of_the_kept_leaves_and_grows_as_it(size: int, kept: int, more: int) -> None:
    assume(kept <= size)
    leaves = [b"leaf %d" % i for i in range(size)]
    later = [b"later %d" % i for i in range(more)]
    tree = Tree.of(leaves)
    tree.truncate(kept)
    assert tree.size == kept and tree.root() == root_of(leaves[:kept])
    for leaf in later:
        tree.append(leaf)
    again = Tree.of(leaves[:kept] + later)
    assert tree.root() == again.root()
    assert [tree.inclusion_proof(i) for i in range(tree.size)] == [again.inclusion_proof(i) for i in range(tree.size)]


def test_a_tree_is_not_truncated_beyond_its_size() -> None:
    with pytest.raises(IndexError):
        Tree.of(LEAVES[:3]).truncate(4)
