"""A vault another window or command of the program is writing to is told as busy, in the
user's language, and an unexpected error names its log without an English word inside a
Vietnamese sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secretdesk.services.damage import as_vault_error
from secretdesk.services.maintenance import MaintenanceService
from secretdesk.storage.errors import VaultBusy, VaultDamaged
from secretdesk.storage.sqlite import DatabaseError, OperationalError
from tests.helpers import PASSPHRASE, new_app, run_cli


def test_sqlite_errors_are_told_as_busy_damaged_or_neither() -> None:
    assert isinstance(as_vault_error(OperationalError("database is locked"), None), VaultBusy)
    assert isinstance(as_vault_error(OperationalError("database table is locked"), None), VaultBusy)
    damaged = as_vault_error(DatabaseError("database disk image is malformed"), Path("/v"))
    assert isinstance(damaged, VaultDamaged) and "/v/secretdesk.db" in damaged.render("en")
    assert as_vault_error(OperationalError("interrupted"), None) is None
    assert as_vault_error(ValueError("x"), None) is None


def test_a_write_lock_held_elsewhere_is_told_as_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_app(tmp_path / "v")[0].close()

    def held(*_args: object) -> None:  # what SQLite raises once its wait for the lock ran out
        raise OperationalError("database is locked")

    monkeypatch.setattr(MaintenanceService, "backup", held)
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    result = run_cli(*base, "--lang", "vi", "backup", "--to", str(tmp_path / "b"), env=env)
    assert result.returncode == 1
    assert "Một cửa sổ hoặc một lệnh SecretDesk khác đang ghi vào kho dữ liệu này" in result.stderr
    assert "ngoài dự kiến" not in result.stderr
    answer = run_cli(*base, "--json", "backup", "--to", str(tmp_path / "b"), env=env)
    assert json.loads(answer.stdout)["error"]["code"] == "vault.busy"


def test_an_unexpected_error_names_its_log_in_the_users_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_app(tmp_path / "v")[0].close()

    def broken(*_args: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(MaintenanceService, "backup", broken)
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin", "--lang", "vi")
    result = run_cli(*base, "backup", "--to", str(tmp_path / "b"),
                     env={"SECRETDESK_PASSPHRASE": PASSPHRASE})  # fmt: skip
    assert result.returncode == 1
    assert "Đã xảy ra lỗi ngoài dự kiến: KeyError; chi tiết được ghi trong " in result.stderr
    assert "; see " not in result.stderr
