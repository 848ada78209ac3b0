"""A restore killed (SIGKILL) at each of its steps: the next unlock and self-test say what the
hidden ``.NAME.restore-*`` folder was and settle it, never deleting the only good copy
(issue 13). test_kill_restore.py does the same at random instants."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.services.interrupted_restore import RESTORE_MARKER, tidy
from secretdesk.storage.vault import DB_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

BEFORE, IN_BACKUP = 5, 2

# The child restores and kills itself with SIGKILL at the step named by argv[3].
CHILD = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from pathlib import Path
    from secretdesk.services import interrupted_restore, restore as restoring
    from tests.helpers import PASSPHRASE, fixed_clock

    step = sys.argv[3]

    def die(*_args, **_kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    def after(function):
        def wrapped(*args, **kwargs):
            result = function(*args, **kwargs)
            die()
            return result
        return wrapped

    if step == "copying":
        real_copy = shutil.copyfile
        copies = []
        def copy_one(*args, **kwargs):
            copies.append(real_copy(*args, **kwargs))
            if len(copies) == 1:
                die()
        restoring.shutil.copyfile = copy_one
    elif step == "checking":
        restoring.audit.verify = die
    elif step == "swapped":
        restoring._exchange = after(restoring._exchange)
    elif step == "aside":
        restoring._rekey_restored = die
    elif step == "rekeyed":
        restoring.backup_manifest.record_head = die
    elif step == "recorded":
        interrupted_restore.unmark = die
    restoring.restore(Path(sys.argv[1]), Path(sys.argv[2]), "admin", PASSPHRASE, fixed_clock())
    print("done", flush=True)
    """
)


def _vault(tmp_path: Path) -> tuple[Path, Path]:
    app, _code = new_app(tmp_path / "v")
    with app:
        for number in range(BEFORE):
            if number == IN_BACKUP:
                backup = app.maintenance.backup(tmp_path / "backups")
            with app.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", number)
    return tmp_path / "v", backup


def _killed_at(step: str, data_dir: Path, backup: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), str(backup), step],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
        check=False,
    )
    assert child.returncode == -9, child.stderr  # killed where asked, not finished


def _events(data_dir: Path) -> int:
    with app_module.unlock(data_dir, "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.vault.integrity_problems() == []
        assert opened.audit.verify().ok
        return len(opened.audit.events(action_prefix="test.event", limit=100))


def _hidden(root: Path) -> list[Path]:
    return sorted(root.glob(".v.restore-*"))


def _vaults_beside(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith("v.") and (p / DB_FILE).is_file()]


@pytest.mark.parametrize("step", ["copying", "checking"])
def test_killed_before_the_swap_the_unused_copy_is_removed(tmp_path: Path, step: str) -> None:
    data_dir, backup = _vault(tmp_path)
    _killed_at(step, data_dir, backup)
    assert len(_hidden(tmp_path)) == 1  # what a killed restore leaves behind

    found = tidy(data_dir)

    assert [item.text.render("en").split(":")[0] for item in found] == [
        "A restore was interrupted before it replaced the vault"
    ]
    assert all(item.settled for item in found)
    assert "was removed" in found[0].text.render("en")
    assert "đã được xóa" in found[0].text.render("vi")
    assert _hidden(tmp_path) == [] and _vaults_beside(tmp_path) == []
    assert _events(data_dir) == BEFORE
    assert (backup / DB_FILE).is_file()  # the backup itself is never touched


def test_killed_before_the_swap_with_the_backup_gone_the_copy_is_kept(tmp_path: Path) -> None:
    data_dir, backup = _vault(tmp_path)
    _killed_at("checking", data_dir, backup)
    shutil.rmtree(backup)  # the stick was taken away: the copy may be the only one left

    found = tidy(data_dir)

    kept = [p for p in tmp_path.iterdir() if p.name.startswith("v.restore-copy-")]
    assert len(kept) == 1 and (kept[0] / DB_FILE).is_file()
    assert kept[0].name in found[0].text.render("en")
    assert _hidden(tmp_path) == []
    assert _events(data_dir) == BEFORE


@pytest.mark.parametrize("step", ["swapped", "aside", "rekeyed", "recorded"])
def test_killed_after_the_swap_the_vault_before_comes_back(tmp_path: Path, step: str) -> None:
    """The restored copy was in place but never finished (not re-keyed and recorded, its new
    recovery code never shown): the vault it replaced is put back, atomically."""
    data_dir, backup = _vault(tmp_path)
    _killed_at(step, data_dir, backup)
    assert (data_dir / RESTORE_MARKER).is_file()

    result = run_cli(
        "--data-dir",
        str(data_dir),
        "--user",
        "admin",
        "--lang",
        "en",
        "self-test",
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )

    assert "the vault as it was before the restore is back" in result.stderr
    assert "Interrupted restore" in result.stdout and "WARNING" in result.stdout
    assert not (data_dir / RESTORE_MARKER).exists()
    assert _hidden(tmp_path) == [] and _vaults_beside(tmp_path) == []
    assert _events(data_dir) == BEFORE
    with app_module.unlock(data_dir, "admin", PASSPHRASE, fixed_clock()) as opened:
        recorded = opened.audit.events(action_prefix="vault.interrupted_restore")
        assert len(recorded) == 1 and recorded[0].detail["settled"] is True


def test_a_restore_run_again_after_a_kill_goes_through(tmp_path: Path) -> None:
    data_dir, backup = _vault(tmp_path)
    _killed_at("aside", data_dir, backup)
    result = run_cli(
        "--data-dir",
        str(data_dir),
        "--user",
        "admin",
        "restore",
        str(backup),
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    assert not (data_dir / RESTORE_MARKER).exists()
    assert _hidden(tmp_path) == []
    assert _events(data_dir) == IN_BACKUP
    replaced = _vaults_beside(tmp_path)
    assert len(replaced) == 1 and _events(replaced[0]) == BEFORE


def test_a_replaced_vault_left_by_an_older_program_is_kept_never_removed(tmp_path: Path) -> None:
    """A hidden folder holding a vault and no marker (an older restore killed after its swap)."""
    data_dir, _backup = _vault(tmp_path)
    shutil.copytree(data_dir, tmp_path / ".v.restore-0badf00d")

    found = tidy(data_dir)

    kept = [p for p in tmp_path.iterdir() if p.name.startswith("v.replaced-interrupted-")]
    assert len(kept) == 1 and _events(kept[0]) == BEFORE
    assert "kept as" in found[0].text.render("en")
    assert _hidden(tmp_path) == []
