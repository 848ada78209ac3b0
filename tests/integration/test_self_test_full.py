"""The self-test authenticates every page each time; the full check also checks the
structure of every table and index, and the quick test says when that last found the vault
sound (issue 16: self-test within 10 s at a million items, the full check on request)."""

from __future__ import annotations

import json
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.services.maintenance import INTEGRITY
from secretdesk.storage.vault import DB_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli


def _integrity(app, full: bool = False):  # type: ignore[no-untyped-def]
    report = app.maintenance.self_test(full=full)
    (check,) = [c for c in report.checks if c.name == INTEGRITY]
    return check


def _index_out_of_step(data: Path) -> None:
    """An index that no longer matches its table: every page still carries a valid MAC
    (written with the key), only the structural check sees it."""
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        conn = opened.vault.connection
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, 'audit_event(action)',"
            " 'audit_event(actor)') WHERE name = 'audit_event_by_action'"
        )
        conn.execute("PRAGMA writable_schema = OFF")


def test_the_quick_test_says_when_the_full_check_last_found_the_vault_sound(
    tmp_path: Path,
) -> None:
    clock = fixed_clock(2026, 11, 2)
    app, _ = new_app(tmp_path / "v", clock)
    with app:
        first = _integrity(app)
        assert first.ok and str(first.detail).endswith("the full check has never been run")
        full = _integrity(app, full=True)
        assert full.ok and str(full.detail) == "every page authenticated; structure ok"
        clock.advance(days=3)
        later = _integrity(app)
        assert later.ok
        assert str(later.detail).endswith("the full check last found it sound on 02/11/2026")
        (event,) = app.audit.events(action_prefix="vault.integrity_checked")
        assert event.actor == "admin" and event.entity == "vault"


def test_the_full_check_finds_an_index_out_of_step_with_its_table(tmp_path: Path) -> None:
    data = tmp_path / "v"
    new_app(data)[0].close()
    _index_out_of_step(data)
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        assert _integrity(opened).ok  # every page authenticates: the pages are the key's
        check = _integrity(opened, full=True)
        assert not check.ok and "missing from index audit_event_by_action" in str(check.detail)
        assert not opened.maintenance.self_test(full=True).ok
        # A damaged vault is never recorded as checked sound.
        assert not opened.audit.events(action_prefix="vault.integrity_checked")
        assert str(_integrity(opened).detail).endswith("has never been run")


def test_the_quick_test_still_finds_a_page_changed_on_disk(tmp_path: Path) -> None:
    data = tmp_path / "v"
    app, _ = new_app(data)
    with app:
        (page,) = app.vault.connection.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'foreign_representative'"
        ).fetchone()
    db = data / DB_FILE
    raw = bytearray(db.read_bytes())
    raw[(page - 1) * 4096 + 100] ^= 0x01  # a page the unlock does not read: its MAC fails
    db.write_bytes(bytes(raw))
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        check = _integrity(opened)
    assert not check.ok and "hmac" in str(check.detail).lower()


def _integrity_row(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    checks = json.loads(result.stdout)["checks"]
    (row,) = [
        r for r in checks if r["check"] in ("Database integrity", "Tính toàn vẹn cơ sở dữ liệu")
    ]
    return row


def test_self_test_full_on_the_command_line_in_vietnamese(tmp_path: Path) -> None:
    data = tmp_path / "v"
    new_app(data)[0].close()
    base = ("--data-dir", str(data), "--user", "admin", "--json")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    quick = _integrity_row(run_cli(*base, "--lang", "en", "self-test", env=env))
    assert quick["result"] == "OK"
    assert quick["detail"].endswith("the full check has never been run")
    full = _integrity_row(run_cli(*base, "--lang", "vi", "self-test", "--full", env=env))
    assert full["detail"] == "mọi trang dữ liệu đã được xác thực; cấu trúc nguyên vẹn"
    _index_out_of_step(data)
    damaged = run_cli(*base, "--lang", "vi", "self-test", "--full", env=env)
    assert damaged.returncode == 1
    row = _integrity_row(damaged)
    assert row["result"] == "LỖI" and "audit_event_by_action" in row["detail"]


def test_a_fresh_self_test_has_no_full_check(tmp_path: Path) -> None:
    both = run_cli("--lang", "vi", "self-test", "--fresh", "--full")
    assert both.returncode == 2
    assert "--full" in both.stderr and "--fresh" in both.stderr
