"""The audit tree's proofs (RFC 9162 §2.1) against a reference written straight from the RFC."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from secretdesk.domain import merkle


def ref_mth(data: list[bytes]) -> bytes:
    n = len(data)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + ref_mth(data[:k]) + ref_mth(data[k:])).digest()


def ref_path(m: int, data: list[bytes]) -> list[bytes]:
    n = len(data)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*ref_path(m, data[:k]), ref_mth(data[k:])]
    return [*ref_path(m - k, data[k:]), ref_mth(data[:k])]


def ref_subproof(m: int, data: list[bytes], complete: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if complete else [ref_mth(data)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*ref_subproof(m, data[:k], complete), ref_mth(data[k:])]
    return [*ref_subproof(m - k, data[k:], False), ref_mth(data[:k])]


def events(n: int) -> list[bytes]:
    return [f"event {i}".encode() for i in range(n)]


def tree_of(data: list[bytes]) -> merkle.MemoryTree:
    return merkle.MemoryTree(merkle.leaf_hash(d) for d in data)


sizes = st.integers(min_value=1, max_value=300)


@given(sizes)
def test_the_root_is_the_rfc_merkle_tree_hash_at_every_size(n: int) -> None:
    data = events(n)
    tree = tree_of(data)
    assert tree.root() == ref_mth(data)
    assert tree.frontier.root() == ref_mth(data)
    fast = merkle.Frontier()
    fast.extend(merkle.leaf_hash(d) for d in data)
    assert fast.head() == merkle.TreeHead(n, ref_mth(data))
    for m in {1, n // 2 or 1, n}:
        assert tree.root(m) == ref_mth(data[:m])


def test_the_empty_tree_hashes_the_empty_string() -> None:
    assert merkle.MemoryTree().root() == hashlib.sha256(b"").digest()


@given(st.data())
def test_inclusion_proofs_are_the_rfc_paths_and_verify(data: st.DataObject) -> None:
    n = data.draw(sizes)
    index = data.draw(st.integers(0, n - 1))
    leaves = events(n)
    tree = tree_of(leaves)
    proof = merkle.inclusion_proof(tree.subtree, index, n)
    assert proof == ref_path(index, leaves)
    leaf = merkle.leaf_hash(leaves[index])
    root = tree.root()
    assert merkle.verify_inclusion(leaf, index, n, proof, root)
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, n, proof, root)
    if proof:
        bad = [*proof[:-1], bytes(32)]
        assert not merkle.verify_inclusion(leaf, index, n, bad, root)


@settings(max_examples=300)
@given(st.data())
def test_consistency_proofs_are_the_rfc_proofs_and_verify(data: st.DataObject) -> None:
    second = data.draw(sizes)
    first = data.draw(st.integers(1, second))
    leaves = events(second)
    tree = tree_of(leaves)
    proof = merkle.consistency_proof(tree.subtree, first, second)
    assert proof == ([] if first == second else ref_subproof(first, leaves, True))
    old, new = tree.root(first), tree.root()
    assert merkle.verify_consistency(first, second, old, new, proof)
    assert len(proof) <= 2 * second.bit_length()


@settings(max_examples=300)
@given(st.data())
def test_a_rewritten_history_cannot_prove_consistency(data: st.DataObject) -> None:
    """The clerk's-key attack in miniature: change, drop or reorder any event of the first
    tree, rebuild everything, and no proof from the old head verifies."""
    second = data.draw(st.integers(2, 200))
    first = data.draw(st.integers(1, second - 1))
    leaves = events(second)
    old_root = tree_of(leaves[:first]).root()
    victim = data.draw(st.integers(0, first - 1))
    how = data.draw(st.sampled_from(["edit", "drop", "insert"]))
    forged = list(leaves)
    if how == "edit":
        forged[victim] = b"rewritten"
    elif how == "drop":
        del forged[victim]
    else:
        forged.insert(victim, b"slipped in")
    tree = tree_of(forged)
    size = tree.size
    proof = merkle.consistency_proof(tree.subtree, first, size)
    assert not merkle.verify_consistency(first, size, old_root, tree.root(), proof)


@given(st.data())
def test_a_proof_does_not_carry_over_to_other_sizes_or_roots(data: st.DataObject) -> None:
    second = data.draw(st.integers(2, 200))
    first = data.draw(st.integers(1, second - 1))
    tree = tree_of(events(second))
    proof = merkle.consistency_proof(tree.subtree, first, second)
    old, new = tree.root(first), tree.root()
    assert not merkle.verify_consistency(first, second, new, new, proof)
    assert not merkle.verify_consistency(first, second, old, old, proof)
    assert not merkle.verify_consistency(second, first, new, old, proof)
    assert not merkle.verify_consistency(first, second, old, new, [])
    assert not merkle.verify_consistency(first, second, old, new, [*proof, bytes(32)])


def test_a_rollback_to_a_smaller_tree_never_verifies() -> None:
    tree = tree_of(events(10))
    assert not merkle.verify_consistency(10, 7, tree.root(), tree.root(7), [])
    assert merkle.verify_consistency(7, 7, tree.root(7), tree.root(7), [])
    assert merkle.verify_consistency(0, 7, merkle.EMPTY_ROOT, tree.root(7), [])


@given(
    st.integers(1, 2**53 - 1),
    st.lists(st.text(), min_size=6, max_size=6),
)
def test_the_fast_event_encoding_is_the_canonical_one(seq: int, texts: list[str]) -> None:
    from secretdesk.storage import audit

    at_utc, actor, action, entity, entity_id, detail_json = texts
    row = (seq, at_utc, actor, action, entity, entity_id, detail_json)
    assert audit._fast_body(row) == audit.event_body(
        seq=seq,
        at_utc=at_utc,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail_json=detail_json,
    )


_SQL_EVENTS = None


def _sql_events():  # type: ignore[no-untyped-def]
    """One in-memory SQLCipher table shaped like audit_event, shared by the examples."""
    global _SQL_EVENTS
    if _SQL_EVENTS is None:
        from secretdesk.storage.sqlite import connect

        _SQL_EVENTS = connect(":memory:")
        _SQL_EVENTS.execute(
            "CREATE TABLE audit_event (seq INTEGER PRIMARY KEY, at_utc TEXT NOT NULL,"
            " actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL,"
            " entity_id TEXT NOT NULL, detail_json TEXT NOT NULL)"
        )
    return _SQL_EVENTS


@given(
    st.integers(1, 2**53 - 1),
    st.lists(st.text(st.characters(blacklist_categories=["Cs"])), min_size=6, max_size=6),
)
def test_the_event_encoding_sqlite_builds_for_verify_is_the_canonical_one(
    seq: int, texts: list[str]
) -> None:
    from secretdesk.storage import audit

    conn = _sql_events()
    at_utc, actor, action, entity, entity_id, detail_json = texts
    conn.execute("DELETE FROM audit_event")
    conn.execute(
        "INSERT INTO audit_event VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at_utc, actor, action, entity, entity_id, detail_json),
    )
    assert audit.sql_bodies(conn) == [
        (
            seq,
            audit.event_body(
                seq=seq,
                at_utc=at_utc,
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail_json=detail_json,
            ),
        )
    ]
