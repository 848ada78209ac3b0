"""The vault on disk: encryption, key slots, damage, lockout and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.storage import migrations
from secretdesk.storage.errors import (
    KeyFileDamaged,
    LockedOut,
    VaultDamaged,
    VaultExists,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
)
from secretdesk.storage.keyslots import user_slot_id
from secretdesk.storage.vault import DB_FILE, KEYS_FILE, LOCKOUT_FILE, Vault
from tests.helpers import PASSPHRASE, UNIT, fixed_clock, new_app

SQLITE_HEADER = b"SQLite format 3\x00"


def test_create_unlock_and_close(tmp_path: Path) -> None:
    created, code = new_app(tmp_path / "v")
    assert len(code) == 29 and created.unit_info().code == "STP-QNG"
    created.close()
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.actor.username == "admin"
        assert opened.vault.schema_version() == migrations.LATEST_VERSION
        assert opened.vault.pragmas()["journal_mode"] == "wal"


def test_file_starts_without_sqlite_header_and_is_private(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    created.close()
    db = tmp_path / "v" / DB_FILE
    assert db.read_bytes()[:16] != SQLITE_HEADER
    assert (db.stat().st_mode & 0o077) == 0
    assert ((tmp_path / "v" / KEYS_FILE).stat().st_mode & 0o077) == 0


MARKER_SCRIPT = """
import sys
from pathlib import Path
from secretdesk import app
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.services.setup import UnitSetup
marker = sys.argv[2]
opened, _ = app.create(Path(sys.argv[1]), UnitSetup("Unit", "U1"), "admin",
                       "correct horse battery staple", params=TEST_PARAMS)
with opened.vault.transaction() as conn:
    for i in range(3000):
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (f"k{i}", marker * 20))
# force a sort large enough to spill if temp_store were not MEMORY
rows = opened.vault.connection.execute(
    "SELECT value FROM setting ORDER BY value || key DESC").fetchall()
assert len(rows) >= 3000  # and the settings a new vault holds
snapshot = Path(sys.argv[1]) / "snapshot"
snapshot.mkdir()
for name in ("secretdesk.db", "secretdesk.db-wal"):
    src = Path(sys.argv[1]) / name
    if src.exists():
        (snapshot / name).write_bytes(src.read_bytes())
opened.close()
"""


def test_marker_never_appears_in_database_wal_journal_or_temp(tmp_path: Path) -> None:
    marker = "MARKER-Tuyệt-mật-7f3a"
    data_dir, temp_dir = tmp_path / "vault", tmp_path / "tmp"
    temp_dir.mkdir()
    env = {**os.environ, "TMPDIR": str(temp_dir), "SQLITE_TMPDIR": str(temp_dir)}
    subprocess.run(
        [sys.executable, "-c", MARKER_SCRIPT, str(data_dir), marker], env=env, check=True
    )
    needles = [marker.encode("utf-8"), marker.encode("utf-16-le"), b"MARKER-Tuy"]
    files = [p for p in [*data_dir.rglob("*"), *temp_dir.rglob("*")] if p.is_file()]
    assert any(p.name == "secretdesk.db-wal" for p in files), "the WAL was captured while open"
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, f"plaintext found in {path}"


def test_wrong_passphrase_is_reported_as_such_then_right_one_works(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    with pytest.raises(WrongPassphrase) as caught:
        app_module.unlock(tmp_path / "v", "admin", "not the passphrase", fixed_clock())
    assert "not a database" not in str(caught.value)
    assert caught.value.render("vi") != caught.value.render("en")
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()) as opened:
        events = opened.audit.events(action_prefix="session.failed_unlocks")
        assert events and events[-1].detail == {"failures": 1}


def test_unknown_user_looks_like_a_wrong_passphrase(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    with pytest.raises(WrongPassphrase):
        app_module.unlock(tmp_path / "v", "mallory", PASSPHRASE, fixed_clock())


def test_increasing_delay_after_five_failures(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    clock = fixed_clock()
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            app_module.unlock(tmp_path / "v", "admin", "wrong wrong wrong", clock)
    with pytest.raises(LockedOut) as first:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock)
    assert first.value.params["seconds"] == 30
    clock.advance(seconds=31)
    with pytest.raises(WrongPassphrase):
        app_module.unlock(tmp_path / "v", "admin", "wrong again wrong", clock)
    with pytest.raises(LockedOut) as second:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock)
    assert second.value.params["seconds"] == 60
    clock.advance(seconds=61)
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock) as opened:
        recorded = opened.audit.events(action_prefix="session.failed_unlocks")
        assert recorded[-1].detail == {"failures": 6}


def test_change_passphrase_rewrites_only_the_key_slot(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    created.close()
    db = tmp_path / "v" / DB_FILE
    db_before = db.read_bytes()
    keys_before = (tmp_path / "v" / KEYS_FILE).read_bytes()
    vault = Vault.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
    vault.change_passphrase("admin", PASSPHRASE, "a brand new passphrase")
    vault.close()
    assert db.read_bytes() == db_before
    assert (tmp_path / "v" / KEYS_FILE).read_bytes() != keys_before
    with pytest.raises(WrongPassphrase):
        Vault.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
    Vault.unlock(tmp_path / "v", "admin", "a brand new passphrase", fixed_clock()).close()


def test_weak_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        app_module.create(tmp_path / "v", UNIT, "a", "short")
    assert not Vault.exists(tmp_path / "v")


def test_existing_vault_is_never_overwritten(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    before = (tmp_path / "v" / DB_FILE).read_bytes()
    with pytest.raises(VaultExists):
        new_app(tmp_path / "v")
    assert (tmp_path / "v" / DB_FILE).read_bytes() == before


def test_recovery_code_sets_a_new_passphrase(tmp_path: Path) -> None:
    created, code = new_app(tmp_path / "v")
    created.close()
    app_module.recover(
        tmp_path / "v",
        "admin",
        code.lower().replace("-", " "),
        "recovered passphrase!",
        fixed_clock(),
    ).close()
    with app_module.unlock(tmp_path / "v", "admin", "recovered passphrase!") as opened:
        assert opened.audit.events(action_prefix="user.passphrase_recovered")


def _open_and_check(data_dir: Path, key: bytes) -> list[str]:
    """Open with the raw key and run both integrity checks; raise if the open fails."""
    vault = Vault.open_with_key(data_dir, key)
    try:
        problems = vault.integrity_problems()
        problems += [] if vault.schema_version() == migrations.LATEST_VERSION else ["version"]
        return problems
    finally:
        vault.close()


def flip_positions(size: int, page: int = 4096) -> list[int]:
    """The salt and the start of page 1 entirely; then in every page its first bytes, its
    last bytes (IV and HMAC live in the reserved tail) and a stride through the middle."""
    positions = set(range(128))
    for start in range(0, size, page):
        positions.update(range(start, start + 4))
        positions.update(range(start + page - 80, start + page, 16))  # IV and HMAC
        positions.update(range(start, start + page, 1021))
    return sorted(p for p in positions if p < size)


def test_flipped_bytes_of_a_small_vault_are_all_reported(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    key = bytes(created.vault._data_key)
    created.close()
    db = tmp_path / "v" / DB_FILE
    original = db.read_bytes()
    assert len(original) % 4096 == 0
    positions = flip_positions(len(original))
    accepted = []
    for position in positions:
        damaged = bytearray(original)
        damaged[position] ^= 0x40
        db.write_bytes(bytes(damaged))
        for leftover in ("secretdesk.db-wal", "secretdesk.db-shm"):
            (tmp_path / "v" / leftover).unlink(missing_ok=True)
        try:
            problems = _open_and_check(tmp_path / "v", key)
        except VaultDamaged:
            continue
        if not problems:
            accepted.append(position)
    assert not accepted, f"flips accepted silently at {accepted[:10]}"
    assert len(positions) > 500


def test_damaged_file_is_reported_as_damaged_not_as_wrong_passphrase(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    db = tmp_path / "v" / DB_FILE
    data = bytearray(db.read_bytes())
    data[100] ^= 0xFF
    db.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged) as caught:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
    assert "damaged" in caught.value.render("en")
    assert "hỏng" in caught.value.render("vi")


def test_missing_key_file_is_reported(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    (tmp_path / "v" / KEYS_FILE).unlink()
    with pytest.raises(KeyFileDamaged):
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())


def test_newer_vault_is_refused_untouched(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    created.vault.connection.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    created.close()
    before = (tmp_path / "v" / DB_FILE).read_bytes()
    with pytest.raises(VaultTooNew) as caught:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
    assert str(migrations.LATEST_VERSION + 1) in caught.value.render("en")
    assert (tmp_path / "v" / DB_FILE).read_bytes() == before


def test_user_slot_ids_are_per_user(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    created.vault.set_user_passphrase("clerk2", "another long passphrase")
    assert set(Vault.usernames(tmp_path / "v")) == {"admin", "clerk2"}
    assert user_slot_id("clerk2") in created.vault.slots.slots
    created.close()


def test_plain_sqlite_without_sqlcipher_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SQLite without SQLCipher ignores PRAGMA key and would store plaintext: refuse it."""
    import sqlite3

    from secretdesk.storage import vault as vault_module
    from secretdesk.storage.errors import NoEncryption

    monkeypatch.setattr(
        vault_module, "connect", lambda path: sqlite3.connect(path, isolation_level=None)
    )
    with pytest.raises(NoEncryption) as caught:
        new_app(tmp_path / "v")
    assert "SQLCipher" in caught.value.render("en")
    assert not (tmp_path / "v" / DB_FILE).exists()
    assert not (tmp_path / "v" / KEYS_FILE).exists()


def test_backup_is_a_complete_encrypted_vault_that_opens(tmp_path: Path) -> None:
    created, _ = new_app(tmp_path / "v")
    with created:
        created.drafts.add("Dự thảo kế hoạch", Level.MAT)
        head_before = created.audit.head()
        folder = created.maintenance.backup(tmp_path / "usb")
        assert created.audit.events(action_prefix="vault.backup")[-1].detail["head"] == str(
            head_before
        )
    assert folder.parent == tmp_path / "usb" and folder.name.startswith("SecretDesk-backup-")
    assert sorted(p.name for p in folder.iterdir()) == ["MANIFEST.json", DB_FILE, KEYS_FILE]
    assert (folder / DB_FILE).read_bytes()[:16] != SQLITE_HEADER
    assert "Dự thảo".encode() not in (folder / DB_FILE).read_bytes()
    with app_module.unlock(folder, "admin", PASSPHRASE, fixed_clock()) as restored:
        assert restored.audit.head() == head_before
        assert [d.title for d in restored.drafts.list()] == ["Dự thảo kế hoạch"]
        assert restored.vault.integrity_problems() == []


# -- lockout per account, countersign guessing, damaged lockout and key files (review) ---
APPROVER = "approver passphrase"


def test_unlocking_ones_own_account_does_not_clear_failures_against_another(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
    app.close()
    clock = fixed_clock()
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            app_module.unlock(tmp_path / "v", "giamdoc", "guess guess guess", clock)
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock).close()
    with pytest.raises(LockedOut):
        app_module.unlock(tmp_path / "v", "giamdoc", APPROVER, clock)
    app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock).close()


def test_countersign_guesses_are_locked_out_and_recorded(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
        for _ in range(5):
            with pytest.raises(WrongPassphrase):
                app.users.countersign("giamdoc", "a guess at it")
        with pytest.raises(LockedOut):
            app.users.countersign("giamdoc", APPROVER)
        failed = app.audit.events(action_prefix="auth.countersign_failed")
        assert len(failed) == 5 and {e.entity_id for e in failed} == {"giamdoc"}


def test_a_damaged_lockout_file_delays_but_never_locks_out_for_ever(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    damaged = tmp_path / "v" / LOCKOUT_FILE
    damaged.write_text("{not json")
    now = fixed_clock()
    os.utime(damaged, (now.now().timestamp(), now.now().timestamp()))  # damaged "now"
    with pytest.raises(LockedOut) as caught:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, now)
    assert caught.value.params["seconds"] <= 30
    now.advance(seconds=31)
    app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, now).close()


@pytest.mark.parametrize("content", ["[]", "null", "42"])
def test_a_key_file_that_is_not_an_object_is_reported_damaged(tmp_path: Path, content: str) -> None:
    new_app(tmp_path / "v")[0].close()
    (tmp_path / "v" / KEYS_FILE).write_text(content)
    with pytest.raises(KeyFileDamaged):
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
