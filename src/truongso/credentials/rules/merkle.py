"""Append-only Merkle log with RFC 9162 (Certificate Transparency 2.0) hashing.

- leaf hash  ``MTH({d}) = SHA-256(0x00 || d)``
- node hash  ``SHA-256(0x01 || left || right)``
- empty tree ``SHA-256("")``
- ``MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))`` with ``k`` the largest power of two
  smaller than ``n`` (RFC 9162 §2.1.1), so trees of any size have a unique shape.

Inclusion proofs follow §2.1.3 (PATH, and the verification algorithm of §2.1.3.2),
consistency proofs §2.1.4 (PROOF/SUBPROOF, and §2.1.4.2). Each entry of the register
log is the bytes of one issuance or revocation record; the log only grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleLog:
    """An in-memory append-only log of leaf hashes.

    Hashes of complete (power-of-two, aligned) subtrees never change once the log has
    grown past them, so they are cached; roots and proofs for any earlier size are
    available too.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._leaves: list[bytes] = []
        self._cache: dict[tuple[int, int], bytes] = {}
        for digest in leaf_hashes:
            self.append_hash(digest)

    def __len__(self) -> int:
        return len(self._leaves)

    @property
    def size(self) -> int:
        return len(self._leaves)

    def append(self, entry: bytes) -> int:
        """Add an entry; returns its index."""
        return self.append_hash(leaf_hash(entry))

    def append_hash(self, digest: bytes) -> int:
        if len(digest) != HASH_SIZE:
            raise ValueError("a leaf hash has 32 bytes")
        self._leaves.append(bytes(digest))
        return len(self._leaves) - 1

    def leaf_hash_at(self, index: int) -> bytes:
        return self._leaves[index]

    def _hash(self, start: int, size: int) -> bytes:
        """MTH of the leaves [start, start + size)."""
        if size == 1:
            return self._leaves[start]
        complete = size & (size - 1) == 0
        if complete:
            cached = self._cache.get((start, size))
            if cached is not None:
                return cached
        k = _split(size)
        digest = node_hash(self._hash(start, k), self._hash(start + k, size - k))
        if complete:
            self._cache[(start, size)] = digest
        return digest

    def _check_size(self, size: int | None) -> int:
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} is outside 0..{self.size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """The tree head hash of the first ``size`` entries (default: all)."""
        size = self._check_size(size)
        return self._hash(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 §2.1.3.1."""
        size = self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a tree of {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, n: int) -> list[bytes]:
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*self._path(m, start, k), self._hash(start + k, n - k)]
        return [*self._path(m - k, start + k, n - k), self._hash(start, k)]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1."""
        new_size = self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError("the old size must be between 0 and the new size")
        if old_size in (0, new_size):
            return []
        return self._subproof(old_size, 0, new_size, True)

    def _subproof(self, m: int, start: int, n: int, complete: bool) -> list[bytes]:
        if m == n:
            return [] if complete else [self._hash(start, n)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, start, k, complete), self._hash(start + k, n - k)]
        return [*self._subproof(m - k, start + k, n - k, False), self._hash(start, k)]


def _hashes_ok(items: Sequence[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in items)


def root_from_inclusion_proof(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or None if it cannot."""
    if not (isinstance(index, int) and isinstance(size, int)) or not 0 <= index < size:
        return None
    if not _hashes_ok([leaf, *proof]):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``leaf`` (a leaf hash) is entry ``index`` of the tree of ``size`` with ``root``."""
    try:
        computed = root_from_inclusion_proof(index, size, leaf, list(proof))
    except TypeError:
        return False
    return computed is not None and computed == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether the tree of ``new_size`` extends the tree of ``old_size`` (RFC 9162 §2.1.4.2)."""
    try:
        proof = list(proof)
    except TypeError:
        return False
    if not (isinstance(old_size, int) and isinstance(new_size, int)):
        return False
    if not 0 <= old_size <= new_size or not _hashes_ok([old_root, new_root, *proof]):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        proof = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
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
    return fr == old_root and sr == new_root and sn == 0
