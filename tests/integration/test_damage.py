"""Damage reported as damage: a corrupt page or a truncated file met by any command gives the
"vault is damaged" message with what to do, never "an unexpected error"."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from secretdesk.domain.roles import Permission
from tests.helpers import PASSPHRASE, new_app, run_cli


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A vault with 300 audit events, and the root page of their table (every read of the
    log goes through it)."""
    folder = tmp_path_factory.mktemp("damage") / "v"
    app, _ = new_app(folder)
    with app:
        for n in range(300):
            with app.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", n, text="x" * 500)
        (root,) = app.vault.connection.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'audit_event'"
        ).fetchone()
    return folder, int(root)


def corrupt_page(db: Path, page: int) -> None:
    with open(db, "r+b") as handle:
        handle.seek(4096 * (page - 1) + 100)
        handle.write(b"\xff" * 64)


def truncate(db: Path, _page: int) -> None:
    with open(db, "r+b") as handle:
        handle.truncate(os.path.getsize(db) // 2)


@pytest.mark.parametrize("damage", [corrupt_page, truncate])
def test_self_test_on_a_damaged_vault_says_damaged_and_what_to_do(
    vault: tuple[Path, int], tmp_path: Path, damage
) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "v"
    shutil.copytree(vault[0], work)
    damage(work / "secretdesk.db", vault[1])
    base = ("--lang", "en", "--data-dir", str(work), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    result = run_cli(*base, "self-test", env=env)
    assert result.returncode == 1
    assert "is damaged" in result.stderr and "restore the latest backup" in result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    json_result = run_cli(*base, "--json", "self-test", env=env)
    assert '"vault.damaged"' in json_result.stdout
