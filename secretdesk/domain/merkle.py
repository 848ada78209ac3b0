"""The audit log as a Merkle tree in the manner of RFC 9162 §2.1 (Certificate Transparency 2.0).

Leaves are the audit events in order: ``leaf = SHA-256(0x00 || event bytes)``, interior nodes
``SHA-256(0x01 || left || right)``. The tree of the first ``n`` events has one root; a tree head
``(size, root)`` that has left the machine (on a package, a slip, a register page) pins that
history: a later log extends it only if a consistency proof from it verifies (§2.1.4), which a
rewritten, truncated or rolled-back log cannot produce.

Proofs are generated from ``SubtreeHashes``, which returns the hash of an aligned perfect
subtree (``level``, ``index``): leaves ``index * 2**level`` to ``(index + 1) * 2**level - 1``.
Every subtree the RFC recursion needs is such a subtree or a right edge made of them, so a store
that keeps the aligned perfect subtrees (storage/audit_tree.py) answers a proof with O(log² n)
look-ups. Pure Python, no I/O.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
_DIGEST = operator.methodcaller("digest")

SubtreeHashes = Callable[[int, int], bytes]  # (level, index) -> hash of that perfect subtree


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def perfect_root(leaves: Sequence[bytes]) -> bytes:
    """The root of a perfect tree (``len(leaves)`` a power of two), level by level: each
    level's pairs are joined and hashed by ``map`` over the whole level."""
    level = list(leaves)
    sha, digest, join = hashlib.sha256, _DIGEST, NODE_PREFIX.__add__
    while len(level) > 1:
        pairs = map(bytes.__add__, level[0::2], level[1::2])
        level = list(map(digest, map(sha, map(join, pairs))))
    return level[0]


def largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass(frozen=True)
class TreeHead:
    """A tree head: the number of events and the root of their tree."""

    size: int
    root: bytes

    def __str__(self) -> str:
        return f"{self.size}:{self.root.hex()}"

    def short(self) -> str:
        """The form printed on paper: size and the first 16 hex digits of the root."""
        return f"{self.size}:{self.root.hex()[:16]}"


class Frontier:
    """The right edge of a growing tree: one perfect subtree root per set bit of the size.

    ``append`` costs O(1) amortised hashes (O(log n) at worst) and reports the perfect
    subtrees it completed, which is what a store keeps; ``root`` folds the edge in O(log n).
    """

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []  # (level, hash), levels strictly decreasing
        self.size = 0

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the (level, index, hash) of every perfect subtree completed."""
        index = self.size
        completed = [(0, index, leaf)]
        level, current = 0, leaf
        stack = self._stack
        while stack and stack[-1][0] == level:
            current = node_hash(stack.pop()[1], current)
            level += 1
            index >>= 1
            completed.append((level, index, current))
        stack.append((level, current))
        self.size += 1
        return completed

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add many leaf hashes quickly (the completed subtrees are not reported).

        Wherever the tree's size allows, a run of 2**k leaves is folded into its perfect
        subtree one level at a time (``perfect_root``), so the hashing loops run in C."""
        leaves = leaves if isinstance(leaves, list) else list(leaves)
        position, count = 0, len(leaves)
        while position < count:
            size = self.size
            run = 1 << (count - position).bit_length() - 1  # the largest power of two left
            if size:
                run = min(run, size & -size)  # aligned: the subtree must start on its width
            if run == 1:
                self._push(0, leaves[position])
            else:
                self._push(run.bit_length() - 1, perfect_root(leaves[position : position + run]))
            self.size = size + run
            position += run

    def _push(self, level: int, current: bytes) -> None:
        stack = self._stack
        while stack and stack[-1][0] == level:
            current = node_hash(stack.pop()[1], current)
            level += 1
        stack.append((level, current))

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        current = self._stack[-1][1]
        for _level, left in reversed(self._stack[:-1]):
            current = node_hash(left, current)
        return current

    def head(self) -> TreeHead:
        return TreeHead(self.size, self.root())


def range_hash(subtree: SubtreeHashes, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range the RFC recursion produces: ``start`` is a multiple of
    the largest power of two not above ``end - start`` (the range is a right edge made of
    aligned perfect subtrees), which holds for every range of a tree starting at 0."""
    if end <= start:
        return EMPTY_ROOT
    parts: list[bytes] = []
    position, remaining = start, end - start
    while remaining:
        level = remaining.bit_length() - 1
        width = 1 << level
        parts.append(subtree(level, position >> level))
        position += width
        remaining -= width
    current = parts[-1]
    for left in reversed(parts[:-1]):
        current = node_hash(left, current)
    return current


def tree_root(subtree: SubtreeHashes, size: int) -> bytes:
    return range_hash(subtree, 0, size)


def inclusion_proof(subtree: SubtreeHashes, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf side first."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    path: list[bytes] = []

    def walk(m: int, start: int, end: int) -> None:
        n = end - start
        if n == 1:
            return
        k = largest_power_of_two_below(n)
        if m < k:
            walk(m, start, start + k)
            path.append(range_hash(subtree, start + k, end))
        else:
            walk(m - k, start + k, end)
            path.append(range_hash(subtree, start, start + k))

    walk(index, 0, size)
    return path


def consistency_proof(subtree: SubtreeHashes, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1 (empty when first is 0 or second)."""
    if not 0 <= first <= second:
        raise ValueError("the first tree is larger than the second")
    if first in (0, second):
        return []
    path: list[bytes] = []

    def sub(m: int, start: int, end: int, complete: bool) -> None:
        n = end - start
        if m == n:
            if not complete:
                path.append(range_hash(subtree, start, end))
            return
        k = largest_power_of_two_below(n)
        if m <= k:
            sub(m, start, start + k, complete)
            path.append(range_hash(subtree, start + k, end))
        else:
            sub(m - k, start + k, end, False)
            path.append(range_hash(subtree, start, start + k))

    sub(first, 0, second, True)
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: the tree of ``second`` leaves extends the tree of ``first``."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof  # every tree extends the empty one
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
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
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


class MemoryTree:
    """A whole tree in memory (tests, benchmarks, and checking a log without a store)."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self.frontier = Frontier()
        self.nodes: dict[tuple[int, int], bytes] = {}
        for leaf in leaves:
            self.append(leaf)

    def append(self, leaf: bytes) -> None:
        for level, index, digest in self.frontier.append(leaf):
            self.nodes[level, index] = digest

    def subtree(self, level: int, index: int) -> bytes:
        return self.nodes[level, index]

    @property
    def size(self) -> int:
        return self.frontier.size

    def root(self, size: int | None = None) -> bytes:
        return tree_root(self.subtree, self.size if size is None else size)
