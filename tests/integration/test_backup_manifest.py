"""backup writes MANIFEST.json (files, sizes, SHA-256, schema version, tree head, when);
restore checks it before anything else and refuses a backup that does not match it."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.services.restore import RestoreRefused, restore
from secretdesk.storage.migrations import LATEST_VERSION
from secretdesk.storage.vault import DB_FILE, KEYS_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli


def made(tmp_path: Path) -> tuple[Path, Path, str]:
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        for number in range(3):
            with opened.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", number)
        head = str(opened.audit.tree_head())
        backup = opened.maintenance.backup(tmp_path / "backups")
    return data, backup, head


def head_of(data: Path) -> int:
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        return opened.audit.head().seq


def test_backup_writes_a_private_manifest_of_what_it_holds(tmp_path: Path) -> None:
    _, backup, head = made(tmp_path)
    path = backup / "MANIFEST.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["schema_version"] == LATEST_VERSION
    assert document["tree_head"] == head
    assert document["created_at"] == fixed_clock().now().astimezone(UTC).isoformat(
        timespec="seconds"
    )
    listed = {entry["name"]: entry for entry in document["files"]}
    assert sorted(listed) == sorted([DB_FILE, KEYS_FILE])
    for name, entry in listed.items():
        content = (backup / name).read_bytes()
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert not [p for p in backup.iterdir() if ".part-" in p.name]


def refused(data: Path, backup: Path) -> RestoreRefused:
    before = head_of(data)
    with pytest.raises(RestoreRefused) as caught:
        restore(data, backup, "admin", PASSPHRASE, fixed_clock())
    assert head_of(data) == before
    assert not [p for p in data.parent.iterdir() if ".restore-" in p.name]
    return caught.value


def test_a_file_changed_in_place_is_refused_by_its_hash(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    db = backup / "secretdesk.db"
    content = bytearray(db.read_bytes())
    content[-100] ^= 0xFF  # same size, another hash
    db.write_bytes(bytes(content))
    error = refused(data, backup)
    assert "does not match its SHA-256" in error.render("en")
    assert "không khớp với mã băm SHA-256" in error.render("vi")


def test_a_truncated_file_is_refused_by_its_size(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    db = backup / "secretdesk.db"
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    error = refused(data, backup)
    assert f"has {size // 2} bytes, the manifest says {size}" in error.render("en")
    assert "bảng kê tệp ghi" in error.render("vi")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    (backup / KEYS_FILE).unlink()
    assert f"{KEYS_FILE} is missing" in refused(data, backup).render("en")


@pytest.mark.parametrize(
    "manifest",
    [b"{", b"[]", b'{"format": "other"}', b'{"format": "secretdesk-backup/1", "files": [1]}'],
)
def test_a_broken_manifest_is_refused(tmp_path: Path, manifest: bytes) -> None:
    data, backup, _ = made(tmp_path)
    (backup / "MANIFEST.json").write_bytes(manifest)
    assert "do not match its manifest" in refused(data, backup).render("en")


def test_a_backup_without_a_manifest_is_refused_saying_so(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    (backup / "MANIFEST.json").unlink()
    error = refused(data, backup)
    assert "it has no manifest" in error.render("en")
    assert "không có bảng kê tệp" in error.render("vi")


def test_cli_restore_refusal_is_shown_in_vietnamese(tmp_path: Path) -> None:
    data, backup, _ = made(tmp_path)
    (backup / KEYS_FILE).write_bytes(b"{}")
    result = run_cli(
        "--lang", "vi", "--data-dir", str(data), "--user", "admin", "restore", str(backup),
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert result.returncode != 0
    assert "Không khôi phục bản sao lưu" in result.stderr
    assert "bảng kê tệp" in result.stderr
