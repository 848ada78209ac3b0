"""restore BACKUP: checked on a copy first, refused when it would roll history back behind a
tree head already exported, the replaced vault kept aside, the restore recorded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.services.restore import RestoreRefused, restore
from secretdesk.storage import backup_manifest
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli


def add_events(app, count: int) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", number)


def made(tmp_path: Path, *, export_after: bool = False) -> tuple[Path, Path, int]:
    """A vault, a backup of it, then more work (and an export) after the backup."""
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        add_events(opened, 3)
        backup = opened.maintenance.backup(tmp_path / "backups")
        at_backup = opened.audit.head().seq
        add_events(opened, 4)
        if export_after:
            out = tmp_path / "stick"
            out.mkdir()
            opened.exports.export("annual", "2026", out, explicitly_chosen_folder=True)
    return data, backup, at_backup


def rewrite_manifest(backup: Path) -> None:
    """A manifest that matches the files as they are now."""
    old = backup_manifest.read(backup)
    assert old is not None
    (backup / backup_manifest.MANIFEST_FILE).unlink()
    backup_manifest.write(
        backup,
        sorted(old.files),
        schema_version=old.schema_version,
        tree_head=old.tree_head,
        created_at=old.created_at,
    )


def head_of(data: Path) -> int:
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        return opened.audit.head().seq


def test_a_backup_is_restored_and_the_replaced_vault_kept(tmp_path: Path) -> None:
    data, backup, at_backup = made(tmp_path)
    before = head_of(data)
    result = restore(data, backup, "admin", PASSPHRASE, fixed_clock())
    # the copy lacks its own vault.backup event; + restored, + re-keyed (a new recovery code)
    assert head_of(data) == at_backup + 1
    assert result.recovery_code
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        last, rekeyed = opened.audit.events(limit=2)
        assert rekeyed.action == "vault.rekeyed" and rekeyed.detail["reason"] == "restore"
        assert last.action == "vault.restored" and last.detail["backup"] == backup.name
        assert opened.audit.verify().ok
    assert head_of(result.kept_aside) == before
    assert not [p for p in tmp_path.iterdir() if ".restore-" in p.name]


def test_a_backup_older_than_an_exported_head_is_refused(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path, export_after=True)
    before = head_of(data)
    with pytest.raises(RestoreRefused) as refused:
        restore(data, backup, "admin", PASSPHRASE, fixed_clock())
    assert "roll history back" in refused.value.render("en")
    assert head_of(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "stick", "v"]


def test_a_damaged_backup_is_refused_and_the_vault_untouched(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    before = head_of(data)
    db = backup / "secretdesk.db"
    with open(db, "r+b") as handle:
        handle.truncate(os.path.getsize(db) // 2)
    rewrite_manifest(backup)  # damaged before the manifest was written: only opening shows it
    with pytest.raises(Exception) as refused:  # refused, or the copy will not open: damaged
        restore(data, backup, "admin", PASSPHRASE, fixed_clock())
    assert "damaged" in str(refused.value)
    assert head_of(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "v"]


def test_cli_restore(tmp_path: Path) -> None:
    data, backup, at_backup = made(tmp_path)
    result = run_cli(
        "--lang", "en", "--data-dir", str(data), "--user", "admin", "restore", str(backup),
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Restored from" in result.stdout and "RECOVERY CODE" in result.stdout
    assert head_of(data) == at_backup + 1
