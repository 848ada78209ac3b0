"""The fast pass of `audit verify` (issue 16): the same bytes, the same tree, the same verdict.

The fast pass encodes events with SQLite's json_object, reads the log in batches, hashes in a
second thread and folds leaves into the tree level by level; whenever anything does not hold
it gives up and the precise pass names the first bad event. These tests hold it to the
precise pass on intact and on tampered logs, with batches small enough to cross every kind
of boundary.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretdesk.domain import merkle
from secretdesk.domain.roles import Permission
from secretdesk.storage import audit
from secretdesk.storage.sqlite import connect
from tests.helpers import new_app

_TABLE = None


def _table():  # type: ignore[no-untyped-def]
    global _TABLE
    if _TABLE is None:
        _TABLE = connect(":memory:")
        _TABLE.execute(
            "CREATE TABLE audit_event (seq INTEGER PRIMARY KEY, at_utc TEXT NOT NULL,"
            " actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL,"
            " entity_id TEXT NOT NULL, detail_json TEXT NOT NULL, prev_hash TEXT NOT NULL,"
            " hash TEXT NOT NULL)"
        )
    return _TABLE


@given(
    st.integers(1, 2**53 - 1),
    st.lists(
        st.lists(st.text(st.characters(blacklist_categories=["Cs"])), min_size=6, max_size=6),
        min_size=1,
        max_size=3,
    ),
)
def test_the_batch_encoding_is_the_canonical_one_line_per_event(
    seq: int, events: list[list[str]]
) -> None:
    conn = _table()
    conn.execute("DELETE FROM audit_event")
    expected = []
    for offset, (at_utc, actor, action, entity, entity_id, detail_json) in enumerate(events):
        fields = {
            "seq": seq + offset,
            "at_utc": at_utc,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail_json": detail_json,
        }
        conn.execute(
            "INSERT INTO audit_event VALUES (:seq, :at_utc, :actor, :action, :entity,"
            " :entity_id, :detail_json, 'p', 'h')",
            fields,
        )
        expected.append(audit.event_body(**fields))  # type: ignore[arg-type]
    count, bodies, _prevs, _hashes = conn.execute(
        audit._BATCH_SQL, (seq, seq + len(events) - 1)
    ).fetchone()
    assert count == len(events)
    assert bodies.split(b"\n") == expected


@given(st.integers(0, 600), st.lists(st.integers(1, 90), min_size=1, max_size=20))
def test_extending_the_frontier_in_runs_gives_the_tree_of_single_appends(
    size: int, runs: list[int]
) -> None:
    leaves = [hashlib.sha256(str(n).encode()).digest() for n in range(size)]
    fast, position = merkle.Frontier(), 0
    while position < size:
        run = runs[position % len(runs)]
        fast.extend(leaves[position : position + run])
        position += run
    assert fast.head() == merkle.TreeHead(size, merkle.MemoryTree(leaves).root())


def _log(tmp_path: Path, events: int):  # type: ignore[no-untyped-def]
    app, _ = new_app(tmp_path / "v")
    for number in range(events):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", number, text=f'Tuyệt mật "{number}"\n')
    return app


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_BATCH", 4)


@pytest.mark.usefixtures("small_batches")
def test_the_fast_pass_agrees_with_the_precise_one_on_an_intact_log(tmp_path: Path) -> None:
    with _log(tmp_path, 13) as app:
        conn = app.vault.connection
        for at in (None, 0, 1, 3, 4, 5, 9, 14, 15, 40):
            fast, precise = audit._replay_fast(conn, at), audit._replay_precise(conn, at)
            assert fast == precise
        result = app.audit.verify()
        assert result.ok and result.tree == audit.tree_head(conn)


@pytest.mark.usefixtures("small_batches")
def test_an_exported_head_inside_a_batch_is_checked(tmp_path: Path) -> None:
    with _log(tmp_path, 6) as app:
        conn = app.vault.connection
        head = audit.tree_head(conn)
        with app.ctx.change(Permission.RECORD) as change:  # what an export records
            change.audit("export.started", "export", 1, tree_size=head.size,
                         tree_root=head.root.hex())  # fmt: skip
            change.audit("export.started", "export", 2, tree_size=head.size - 1,
                         tree_root="00" * 32)  # fmt: skip
        assert audit._replay_fast(conn, None) is None
        result = app.audit.verify()
        assert not result.ok and result.first_bad_seq == head.size - 1
        assert result == audit._replay_precise(conn).verification


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET detail_json = '{}' WHERE seq = 6",
        "UPDATE audit_event SET entity_id = 7 WHERE seq = 6",
        "UPDATE audit_event SET actor = CAST(actor AS BLOB) WHERE seq = 6",
        "DELETE FROM audit_event WHERE seq = 6",
        "DELETE FROM audit_event WHERE seq = 1",
        "UPDATE audit_event SET prev_hash = hash WHERE seq = 5",
        "UPDATE audit_event SET hash = 'x' WHERE seq = 8",
        "UPDATE audit_event SET seq = 100 WHERE seq = (SELECT max(seq) FROM audit_event)",
        "DELETE FROM audit_tree WHERE level = (SELECT max(level) FROM audit_tree)",
    ],
)
def test_tampering_makes_the_fast_pass_give_way_to_the_precise_one(
    tmp_path: Path, sql: str
) -> None:
    with _log(tmp_path, 13) as app:
        conn = app.vault.connection
        for trigger in ("audit_event_no_update", "audit_event_no_delete", "audit_tree_no_delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.execute(sql)
        assert audit._replay_fast(conn, None) is None
        result = app.audit.verify()
        assert not result.ok
        assert result == audit._replay_precise(conn).verification
