"""restore BACKUP --accept-older --approver USER: a backup older than the last exported head is
restored only with another approver's or administrator's countersignature, recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission, Role
from secretdesk.services.maintenance import LAST_HEAD
from secretdesk.services.restore import RestoreRefused, restore
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

HEAD_PASS = "head passphrase long"


def made(tmp_path: Path) -> tuple[Path, Path]:
    """A vault with an approver, a backup, more work, then an export past the backup."""
    data = tmp_path / "v"
    opened, _ = new_app(data)
    with opened:
        opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
        for number in range(3):
            with opened.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", number)
        backup = opened.maintenance.backup(tmp_path / "backups")
        with opened.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", 99)
        out = tmp_path / "stick"
        out.mkdir()
        opened.exports.export("annual", "2026", out, explicitly_chosen_folder=True)
    return data, backup


def head_of(data: Path) -> int:
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        return opened.audit.head().seq


@pytest.mark.parametrize(
    ("approver", "secret"),
    [("admin", PASSPHRASE), ("head", "wrong passphrase"), ("nobody", HEAD_PASS)],
)
def test_the_override_needs_another_persons_valid_countersignature(
    tmp_path: Path, approver: str, secret: str
) -> None:
    data, backup = made(tmp_path)
    before = head_of(data)
    with pytest.raises(RestoreRefused) as refused:
        restore(data, backup, "admin", PASSPHRASE, fixed_clock(), accept_older=(approver, secret))
    assert "countersignature of another approver" in refused.value.render("en")
    assert "chữ ký xác nhận" in refused.value.render("vi")
    assert head_of(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "stick", "v"]


def test_an_older_backup_is_restored_with_the_countersignature_and_recorded(
    tmp_path: Path,
) -> None:
    data, backup = made(tmp_path)
    result = restore(
        data, backup, "admin", PASSPHRASE, fixed_clock(), accept_older=("head", HEAD_PASS)
    )
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        (restored,) = opened.audit.events(action_prefix="vault.restored")
        assert restored.actor == "admin"
        assert restored.detail["countersigned_by"] == "head"
        size, root = restored.detail["accepted_older"].split(":")
        assert int(size) > opened.audit.tree_head().size - 10 and len(root) == 64
        assert opened.audit.verify().ok
        (last,) = [c for c in opened.maintenance.self_test().checks if c.name == LAST_HEAD]
        assert last.ok  # the restore set the mark to the restored head
    assert result.kept_aside.exists()


def test_cli_accept_older(tmp_path: Path) -> None:
    data, backup = made(tmp_path)
    base = ("--lang", "en", "--data-dir", str(data), "--user", "admin", "restore", str(backup))
    refused = run_cli(*base, env={"SECRETDESK_PASSPHRASE": PASSPHRASE})
    assert refused.returncode != 0 and "roll history back" in refused.stderr
    no_approver = run_cli(*base, "--accept-older", env={"SECRETDESK_PASSPHRASE": PASSPHRASE})
    assert no_approver.returncode != 0 and "countersignature" in no_approver.stderr
    done = run_cli(
        *base, "--accept-older", "--approver", "head",
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE, "SECRETDESK_APPROVER_PASSPHRASE": HEAD_PASS},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Restored from" in done.stdout
