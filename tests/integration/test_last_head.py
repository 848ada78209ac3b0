"""A vault that lost its last transactions (a deleted -wal file, an old copy put back by hand)
loses the audit events recording its exports too; the head kept beside it does not, and
self-test says the vault is behind its last exported head."""

from __future__ import annotations

import shutil
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.services.maintenance import LAST_HEAD
from secretdesk.services.restore import restore
from secretdesk.storage import backup_manifest
from secretdesk.storage.vault import DB_FILE, KEYS_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app


def add_events(app, count: int) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", number)


def last_head_check(data: Path):  # type: ignore[no-untyped-def]
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        report = opened.maintenance.self_test()
    (check,) = [c for c in report.checks if c.name == LAST_HEAD]
    return check


def exported(tmp_path: Path) -> tuple[Path, Path]:
    """A vault with a copy taken before an export; the export's head is kept beside it."""
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        add_events(opened, 3)
        snapshot = tmp_path / "snapshot"
        opened.vault.backup("snap", snapshot)  # a plain copy of the files as they were
        add_events(opened, 2)
        out = tmp_path / "stick"
        out.mkdir()
        opened.exports.export("annual", "2026", out, explicitly_chosen_folder=True)
    (copy,) = snapshot.iterdir()
    return data, copy


def test_self_test_passes_while_the_log_extends_the_exported_head(tmp_path: Path) -> None:
    data, _ = exported(tmp_path)
    mark = backup_manifest.recorded_head(data)
    assert mark is not None and mark.source == "export" and mark.size >= 5
    check = last_head_check(data)
    assert check.ok and "extends head" in check.detail.render("en")


def test_an_old_copy_put_back_by_hand_is_reported_behind(tmp_path: Path) -> None:
    data, copy = exported(tmp_path)
    for name in (DB_FILE, KEYS_FILE):
        shutil.copyfile(copy / name, data / name)
    check = last_head_check(data)
    assert not check.ok
    text = check.detail.render("en")
    assert "the vault is behind its last exported head" in text
    assert "data was lost or rolled back" in text
    assert "mất dữ liệu" in check.detail.render("vi")


def test_a_deleted_wal_loses_the_last_transactions_and_self_test_says_so(
    tmp_path: Path,
) -> None:
    """What sqlite does when the -wal file goes: the transactions not yet checkpointed into
    the main file are gone, silently. The vault still opens; self-test reports it."""
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        add_events(opened, 3)
        opened.vault.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = opened.audit.tree_head().size
        # the main file now; what follows lives only in the -wal file until a checkpoint
        main_copy = (data / DB_FILE).read_bytes()
        add_events(opened, 2)
        out = tmp_path / "stick"
        out.mkdir()
        opened.exports.export("annual", "2026", out, explicitly_chosen_folder=True)
        assert (data / f"{DB_FILE}-wal").stat().st_size > 0
    # closing checkpoints; put the main file back as it was and drop the -wal: a lost WAL
    (data / DB_FILE).write_bytes(main_copy)
    for suffix in ("-wal", "-shm"):
        (data / f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as reopened:
        assert reopened.audit.tree_head().size == before  # lost without a word
        assert reopened.audit.verify().ok  # and the log alone cannot tell
    check = last_head_check(data)
    assert not check.ok and "behind its last exported head" in check.detail.render("en")


def test_a_rewritten_history_of_the_same_length_is_reported(tmp_path: Path) -> None:
    data, _ = exported(tmp_path)
    mark = backup_manifest.recorded_head(data)
    assert mark is not None
    path = data / backup_manifest.HEAD_FILE
    path.unlink()
    backup_manifest.record_head(data, mark.size, "ab" * 32, "export")
    check = last_head_check(data)
    assert not check.ok and "does not extend the last exported head" in check.detail.render("en")


def test_a_restore_sets_the_mark_to_the_restored_head(tmp_path: Path) -> None:
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        add_events(opened, 3)
        backup = opened.maintenance.backup(tmp_path / "backups")
        add_events(opened, 4)
        opened.maintenance.backup(tmp_path / "backups2")  # the mark moves past the first
    restore(data, backup, "admin", PASSPHRASE, fixed_clock())
    assert last_head_check(data).ok
    assert backup_manifest.recorded_head(data).source == "restore"  # type: ignore[union-attr]


def test_the_head_file_is_private(tmp_path: Path) -> None:
    data, _ = exported(tmp_path)
    assert (data / backup_manifest.HEAD_FILE).stat().st_mode & 0o077 == 0
