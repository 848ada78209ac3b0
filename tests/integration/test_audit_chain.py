"""The audit chain in a real vault: append-only, verifiable, tamper names the row."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretdesk.domain.roles import Permission
from secretdesk.storage import audit
from secretdesk.storage.sqlite import IntegrityError
from tests.helpers import new_app


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
    """Dropping the newest events leaves a valid chain: only a head kept outside catches it."""
    app, _ = new_app(tmp_path / "v")
    with app:
        add_events(app, 4)
        exported = app.audit.head()
        conn = app.vault.connection
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute("DELETE FROM audit_event WHERE seq > ?", (exported.seq - 2,))
        result = app.audit.verify()
        assert result.ok  # internally consistent...
        assert result.head.seq < exported.seq  # ...but behind a head that left the machine
