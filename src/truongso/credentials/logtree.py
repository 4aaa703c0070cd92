"""The right edge of an RFC 9162 tree (its "peaks"), so the log grows without rereading it.

A tree of ``n`` leaves is made of perfect subtrees, one for each bit set in ``n``, largest
first; RFC 9162's root is ``node(P1, node(P2, … node(Pk-1, Pk)))``. Appending a leaf adds a
peak and merges equal-sized peaks, as a binary counter carries. Pure Python, no Django;
checked against ``rules.merkle.MerkleLog`` in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from truongso.credentials.rules.merkle import EMPTY_ROOT, node_hash


def peaks_append(size: int, peaks: list[bytes], leaf_hashes: Iterable[bytes]) -> list[bytes]:
    """The peaks after appending ``leaf_hashes`` to a tree of ``size`` with ``peaks``."""
    if len(peaks) != bin(size).count("1"):
        raise ValueError("the peaks do not match the tree size")
    result = list(peaks)
    for leaf in leaf_hashes:
        if len(leaf) != 32:
            raise ValueError("a leaf hash has 32 bytes")
        result.append(leaf)
        carry = size
        while carry & 1:
            right = result.pop()
            left = result.pop()
            result.append(node_hash(left, right))
            carry >>= 1
        size += 1
    return result


def peaks_root(peaks: list[bytes]) -> bytes:
    """The tree head hash from the peaks (the empty tree's for no peaks)."""
    if not peaks:
        return EMPTY_ROOT
    root = peaks[-1]
    for peak in reversed(peaks[:-1]):
        root = node_hash(peak, root)
    return root
