"""RFC 9162 Merkle log: published vectors, then every index and size up to 64."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from truongso.credentials.rules.merkle import (
    EMPTY_ROOT,
    MerkleLog,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

from .helpers import fuzz, read_json

VECTORS = read_json("merkle/rfc6962-vectors.json")
LEAVES = [bytes.fromhex(leaf) for leaf in VECTORS["leaves"]]


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def vector_log() -> MerkleLog:
    log = MerkleLog()
    for leaf in LEAVES:
        log.append(leaf)
    return log


def test_hashing_rules():
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert h(VECTORS["emptyRoot"]) == EMPTY_ROOT
    assert MerkleLog().root() == EMPTY_ROOT


def test_leaf_hashes_and_roots_of_every_size_match_the_vectors():
    log = vector_log()
    assert [log.leaf_hash_at(i).hex() for i in range(8)] == VECTORS["leafHashes"]
    assert [log.root(size).hex() for size in range(1, 9)] == VECTORS["roots"]


@pytest.mark.parametrize("vector", VECTORS["inclusionProofs"])
def test_inclusion_proofs_match_the_vectors(vector):
    log = vector_log()
    proof = log.inclusion_proof(vector["index"], vector["size"])
    assert [p.hex() for p in proof] == vector["proof"]
    root = h(VECTORS["roots"][vector["size"] - 1])
    assert verify_inclusion(
        vector["index"], vector["size"], log.leaf_hash_at(vector["index"]), proof, root
    )


@pytest.mark.parametrize("vector", VECTORS["consistencyProofs"])
def test_consistency_proofs_match_the_vectors(vector):
    log = vector_log()
    proof = log.consistency_proof(vector["size1"], vector["size2"])
    assert [p.hex() for p in proof] == vector["proof"]
    root1 = h(VECTORS["roots"][vector["size1"] - 1])
    root2 = h(VECTORS["roots"][vector["size2"] - 1])
    assert verify_consistency(vector["size1"], vector["size2"], root1, root2, proof)


def reference_root(leaf_hashes: list[bytes]) -> bytes:
    """MTH straight from the RFC's recursive definition, without caching."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(reference_root(leaf_hashes[:k]), reference_root(leaf_hashes[k:]))


def big_log() -> MerkleLog:
    log = MerkleLog()
    for i in range(64):
        log.append(f"entry {i}".encode())
    return log


def corrupted(proof: list[bytes]) -> list[list[bytes]]:
    """Each element with a flipped bit, each element removed, one extra element."""
    variants = []
    for i in range(len(proof)):
        changed = list(proof)
        changed[i] = bytes([changed[i][0] ^ 0x08]) + changed[i][1:]
        variants.append(changed)
        variants.append(proof[:i] + proof[i + 1 :])
    variants.append([*proof, proof[-1] if proof else b"\0" * 32])
    variants.append([b"\0" * 32, *proof])
    return variants


def test_every_index_of_every_size_up_to_64():
    log = big_log()
    leaves = [log.leaf_hash_at(i) for i in range(64)]
    for size in range(1, 65):
        root = log.root(size)
        assert root == reference_root(leaves[:size])
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            leaf = leaves[index]
            assert verify_inclusion(index, size, leaf, proof, root), (index, size)
            for wrong in corrupted(proof):
                assert not verify_inclusion(index, size, leaf, wrong, root), (index, size)
            other_leaf = leaves[(index + 1) % 64]
            assert not verify_inclusion(index, size, other_leaf, proof, root)
            assert not verify_inclusion(index, size, leaf, proof, log.root(size - 1))
            # Wrong positions (the tree size itself is pinned by the signed checkpoint).
            for wrong_index in {(index + 1) % size, (index - 1) % size, index ^ 2} - {index}:
                assert not verify_inclusion(wrong_index, size, leaf, proof, root)
            for wrong_size in {size * 2, size // 2} - {size}:
                assert not verify_inclusion(index, wrong_size, leaf, proof, root)


def test_every_pair_of_sizes_up_to_64_is_consistent():
    log = big_log()
    for new_size in range(0, 65):
        new_root = log.root(new_size)
        for old_size in range(0, new_size + 1):
            old_root = log.root(old_size)
            proof = log.consistency_proof(old_size, new_size)
            assert verify_consistency(old_size, new_size, old_root, new_root, proof), (
                old_size,
                new_size,
            )
            if not 0 < old_size < new_size:
                assert proof == []
                continue
            for wrong in [*corrupted(proof), []]:
                assert not verify_consistency(old_size, new_size, old_root, new_root, wrong)
            assert not verify_consistency(old_size, new_size, new_root, old_root, proof)
            for wrong_old in {old_size - 1, old_size + 1, old_size ^ 2} - {old_size}:
                assert not verify_consistency(wrong_old, new_size, old_root, new_root, proof)
            for wrong_new in {new_size * 2, new_size // 2} - {new_size}:
                assert not verify_consistency(old_size, wrong_new, old_root, new_root, proof)


def test_a_rewritten_history_is_not_consistent():
    log = big_log()
    forked = MerkleLog()
    for i in range(64):
        forked.append(f"entry {i}".encode() if i != 10 else b"forged")
    old_root = log.root(20)
    proof = forked.consistency_proof(20, 40)
    assert not verify_consistency(20, 40, old_root, forked.root(40), proof)


def test_edge_cases():
    log = big_log()
    root = log.root(5)
    assert verify_consistency(0, 5, EMPTY_ROOT, root, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, root, [root])
    assert verify_consistency(5, 5, root, root, [])
    assert not verify_consistency(5, 5, root, log.root(4), [])
    assert not verify_consistency(6, 5, root, root, [])
    assert not verify_consistency(2, 5, log.root(2), root, [])
    assert not verify_inclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT)
    assert root_from_inclusion_proof(0, 1, b"short", []) is None
    assert not verify_inclusion(0, 1, log.leaf_hash_at(0), None, log.root(1))
    assert not verify_consistency(1, 2, log.root(1), log.root(2), None)
    with pytest.raises(ValueError):
        log.inclusion_proof(5, 5)
    with pytest.raises(ValueError):
        log.consistency_proof(6, 5)
    with pytest.raises(ValueError):
        log.root(65)
    with pytest.raises(ValueError):
        log.append_hash(b"short")


def test_log_rebuilt_from_stored_leaf_hashes_has_the_same_root():
    log = big_log()
    rebuilt = MerkleLog(log.leaf_hash_at(i) for i in range(64))
    assert rebuilt.root() == log.root()
    assert len(rebuilt) == 64


hashes = st.binary(min_size=32, max_size=32)


@fuzz
@given(
    st.integers(-3, 70),
    st.integers(-3, 70),
    hashes,
    st.lists(hashes | st.binary(max_size=40), max_size=8),
    hashes,
)
def test_random_inclusion_inputs_never_raise_or_verify(index, size, leaf, proof, root):
    assert not verify_inclusion(index, size, leaf, proof, root)


@fuzz
@given(st.integers(-3, 70), st.integers(-3, 70), hashes, hashes, st.lists(hashes, max_size=8))
def test_random_consistency_inputs_never_raise(old_size, new_size, old_root, new_root, proof):
    result = verify_consistency(old_size, new_size, old_root, new_root, proof)
    # Only the trivial cases can hold for random hashes.
    assert not result or old_size == 0 or (old_size == new_size and old_root == new_root)
