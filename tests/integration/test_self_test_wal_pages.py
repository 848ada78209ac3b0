"""The quick self-test says "every page authenticated": that includes the pages written since
the last checkpoint, which are in the -wal file and not yet in the database file that
SQLCipher's page check reads (review of issue 16)."""

from __future__ import annotations

import struct
from pathlib import Path

from secretdesk.domain.roles import Permission
from secretdesk.services.maintenance import INTEGRITY
from secretdesk.storage.vault import DB_FILE
from tests.helpers import new_app

PAGE = 4096
WAL_HEADER, FRAME_HEADER = 32, 24


def _flip_in_wal(wal: Path, page: int) -> None:
    """One byte of the newest copy of ``page`` in the -wal file, as changed on disk."""
    raw = bytearray(wal.read_bytes())
    newest = None
    for offset in range(WAL_HEADER, len(raw) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
        if struct.unpack(">I", raw[offset : offset + 4])[0] == page:
            newest = offset
    assert newest is not None, "the page is not in the WAL"
    raw[newest + FRAME_HEADER + 200] ^= 0x01
    wal.write_bytes(bytes(raw))


def test_the_quick_test_authenticates_the_pages_still_in_the_wal(tmp_path: Path) -> None:
    data = tmp_path / "v"
    app, _ = new_app(data)
    with app:
        conn = app.vault.connection
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with app.ctx.change(Permission.RECORD) as change:  # its pages only in the WAL now
            change.conn.execute("CREATE TABLE probe (x TEXT)")
            change.conn.execute("INSERT INTO probe VALUES (?)", ("y" * 3000,))
        (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'probe'").fetchone()
        _flip_in_wal(data / f"{DB_FILE}-wal", int(root))
        report = app.maintenance.self_test()
        (check,) = [c for c in report.checks if c.name == INTEGRITY]
        assert not check.ok
        assert "every page authenticated" not in str(check.detail)
        assert str(root) in str(check.detail)  # the page that failed is named


def test_a_sound_vault_with_pages_in_the_wal_passes_and_keeps_them(tmp_path: Path) -> None:
    data = tmp_path / "v"
    app, _ = new_app(data)
    with app:
        conn = app.vault.connection
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", 1, text="x" * 500)
        report = app.maintenance.self_test()
        (check,) = [c for c in report.checks if c.name == INTEGRITY]
        assert check.ok and str(check.detail).startswith("every page authenticated")
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone()[0] >= 3
        assert app.vault.integrity_problems() == []
