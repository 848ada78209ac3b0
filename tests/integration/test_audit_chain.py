"""The audit chain in a real vault: append-only, verifiable, tamper names the row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain import merkle
from secretdesk.domain.roles import Permission
from secretdesk.storage import audit
from secretdesk.storage.sqlite import IntegrityError
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli


def add_events(app, count: int) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit(
                "test.event", "thing", number, before={"n": number}, after={"n": number + 1}
            )


def test_chain_verifies_and_head_moves(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        head_before = app.audit.head()
        add_events(app, 5)
        result = app.audit.verify()
        assert result.ok and result.events == head_before.seq + 5
        assert result.head == app.audit.head() != head_before


def test_update_and_delete_are_refused_by_triggers(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        conn = app.vault.connection
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_event SET actor = 'x' WHERE seq = 1")
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_event WHERE seq = 1")


def test_event_is_rolled_back_with_its_change(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        head = app.audit.head()
        with pytest.raises(RuntimeError), app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", 1)
            raise RuntimeError("the change failed")
        assert app.audit.head() == head


def test_append_outside_a_transaction_is_refused(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app, pytest.raises(RuntimeError):
        audit.append(app.vault.connection, at_utc="x", actor="a", action="b", entity="c")


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ('UPDATE audit_event SET detail_json = \'{"after":{"n":99}}\' WHERE seq = 5', "altered"),
        ("UPDATE audit_event SET actor = 'mallory' WHERE seq = 5", "altered"),
        ("UPDATE audit_event SET actor = CAST(actor AS BLOB) WHERE seq = 5", "altered"),
        ("DELETE FROM audit_event WHERE seq = 5", "missing"),
        ("UPDATE audit_event SET prev_hash = hash WHERE seq = 5", "link"),
    ],
)
def test_tampering_with_the_key_is_caught_naming_the_row(
    tmp_path: Path, sql: str, reason: str
) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 6)
        conn = app.vault.connection
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute(sql)
        result = app.audit.verify()
        assert not result.ok
        assert result.first_bad_seq == 5
        assert reason in result.reason


def test_truncated_tail_is_detected_against_an_exported_head(tmp_path: Path) -> None:
    """Dropping the newest events and their tree nodes leaves a valid log: only a head kept
    outside catches it."""
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 4)
        exported = audit.tree_head(app.vault.connection)
        conn = app.vault.connection
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute("DROP TRIGGER audit_tree_no_delete")
        conn.execute("DELETE FROM audit_event WHERE seq > ?", (exported.size - 2,))
        conn.execute("DELETE FROM audit_tree WHERE level = 0 AND idx >= ?", (exported.size - 2,))
        conn.execute(
            "DELETE FROM audit_tree WHERE level > 0 AND ((idx + 1) << level) > ?",
            (exported.size - 2,),
        )
        result = app.audit.verify()
        assert result.ok  # internally consistent...
        assert result.head.seq < exported.size  # ...but behind a head that left the machine
        check = audit.check_head(conn, exported.size, exported.root.hex())
        assert not check.extends


def test_a_truncated_log_with_its_tree_left_whole_is_caught_locally(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 4)
        conn = app.vault.connection
        size = audit.tree_size(conn)
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute("DELETE FROM audit_event WHERE seq = ?", (size,))
        result = app.audit.verify()
        assert not result.ok and "tree" in result.reason


def test_the_tree_head_moves_with_every_event_and_proves_consistency(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        conn = app.vault.connection
        first = audit.tree_head(conn)
        add_events(app, 7)
        second = audit.tree_head(conn)
        assert second.size == first.size + 7 == app.audit.head().seq
        proof = audit.consistency_proof(conn, first.size, second.size)
        assert merkle.verify_consistency(first.size, second.size, first.root, second.root, proof)
        result = app.audit.verify()
        assert result.ok and result.tree == second
        check = audit.check_head(conn, first.size, first.root.hex()[:16])
        assert check.extends and check.matched == "tree"
        chain = app.audit.head()
        assert audit.check_head(conn, chain.seq, chain.hash[:16]).matched == "chain"
        assert not audit.check_head(conn, first.size, "0123456789abcdef").extends


def test_a_clerks_key_rewrite_verifies_locally_but_not_against_an_old_head(
    tmp_path: Path,
) -> None:
    """The insider drops the triggers, removes an event, recomputes chain and tree: the log
    is consistent in itself, and no head that left the machine is extended by it."""
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 6)
        conn = app.vault.connection
        exported = audit.tree_head(conn)
        add_events(app, 2)
        rewrite_history(conn, drop_seq=3)
        assert app.audit.verify().ok
        assert not audit.check_head(conn, exported.size, exported.root.hex()).extends
        now = audit.tree_head(conn)
        proof = audit.consistency_proof(conn, exported.size, now.size)
        assert not merkle.verify_consistency(
            exported.size, now.size, exported.root, now.root, proof
        )


def rewrite_history(conn, drop_seq: int, *, forge_exports: bool = True) -> None:  # type: ignore[no-untyped-def]
    """What someone holding a user's key can do: rebuild the whole log without one event,
    and (``forge_exports``) rewrite the tree heads its export events recorded to match."""
    kept = [e for e in audit.events(conn) if e.seq != drop_seq]
    for trigger in ("audit_event_no_delete", "audit_tree_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM audit_event")
    conn.execute("DELETE FROM audit_tree")
    for e in kept:
        detail = json.loads(e.detail_json)
        if forge_exports and e.action == "export.started" and "tree_size" in detail:
            now = audit.tree_head(conn)
            detail["tree_size"], detail["tree_root"] = now.size, now.root.hex()
        audit.append(
            conn,
            at_utc=e.at_utc,
            actor=e.actor,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            detail=detail,
        )
    conn.execute("COMMIT")


def test_cli_audit_verify_and_check_head(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 3)
        exported = audit.tree_head(app.vault.connection)
        add_events(app, 2)
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin", "--lang", "en")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    verify = run_cli(*base, "--json", "audit", "verify", env=env)
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["tree_head"].startswith(f"{exported.size + 2}:")
    good = run_cli(*base, "audit", "check-head", exported.short(), env=env)
    assert good.returncode == 0 and "extends head" in good.stdout, good.stderr
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()) as again:
        rewrite_history(again.vault.connection, drop_seq=2)
    bad = run_cli(*base, "--json", "audit", "check-head", exported.short(), env=env)
    assert bad.returncode == 1
    data = json.loads(bad.stdout)
    assert data["extends"] is False and data["log_ok"] is True
    future = run_cli(*base, "audit", "check-head", f"{exported.size + 100}:00000000", env=env)
    assert future.returncode == 1 and "rolled back or cut" in future.stdout
    junk = run_cli(*base, "audit", "check-head", "head-42", env=env)
    assert junk.returncode == 1 and "is not a tree head" in junk.stderr


def test_printed_papers_carry_the_tree_head_that_check_head_accepts(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 3)
        printed = app.printing._stamp().chain_head.printed()  # as in every page footer
        tree = audit.tree_head(app.vault.connection)
        assert printed == tree.short()
        add_events(app, 2)
        check = app.audit.check_head(printed)
        assert check.extends and check.matched == "tree"
