"""Key derivation bounds and floor, the lockout file's size, and file modes (issue 12)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from secretdesk import log
from secretdesk.crypto import kdf
from secretdesk.storage.errors import KeyFileDamaged, WrongPassphrase
from secretdesk.storage.keyslots import KeySlots, _checksum, user_slot_id
from secretdesk.storage.lockout import MAX_ENTRIES
from secretdesk.storage.vault import KEYS_FILE, LOCKOUT_FILE, Vault
from tests.helpers import PASSPHRASE, fixed_clock, new_app


def rewrite_kdf(path: Path, **params: int) -> None:
    data = json.loads(path.read_text())
    for slot in data["slots"]:
        slot["kdf"].update(params)
    body = {k: v for k, v in data.items() if k != "checksum"}
    data["checksum"] = _checksum(body)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "params",
    [
        {"memory_kib": 2**31},
        {"iterations": 10**9},
        {"lanes": 0},
        {"lanes": 2**24},
        {"memory_kib": 0},
    ],
)
def test_edited_kdf_parameters_are_refused_before_use(tmp_path: Path, params: dict) -> None:
    new_app(tmp_path / "v")[0].close()
    rewrite_kdf(tmp_path / "v" / KEYS_FILE, **params)
    with pytest.raises(KeyFileDamaged):
        Vault.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())


def test_no_slot_is_written_below_the_floor_except_with_the_test_switch() -> None:
    slots = KeySlots(vault_id="0011223344556677")
    key = os.urandom(32)
    cheap_but_not_the_switch = kdf.KdfParams(memory_kib=1024, iterations=1, lanes=1)
    with pytest.raises(kdf.BelowFloor):
        slots.put(user_slot_id("a"), "long passphrase", key, cheap_but_not_the_switch)
    slots.put(user_slot_id("a"), "long passphrase", key, kdf.TEST_PARAMS)
    assert slots.open(user_slot_id("a"), "long passphrase") == key
    assert not kdf.STANDARD_FLOOR.below(kdf.STANDARD_FLOOR)


def test_the_lockout_file_stays_bounded_and_holds_no_typed_names(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    for n in range(MAX_ENTRIES + 20):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(tmp_path / "v", f"typed-secret-{n}", "x", fixed_clock())
    stored = json.loads((tmp_path / "v" / LOCKOUT_FILE).read_text())
    assert len(stored) <= MAX_ENTRIES
    assert not any("typed" in name for name in stored)


def test_an_existing_data_folder_is_tightened_to_0700(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    (tmp_path / "v").chmod(0o755)
    Vault.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()).close()
    assert (tmp_path / "v").stat().st_mode & 0o777 == 0o700


def test_the_log_stays_0600_after_rotation(tmp_path: Path) -> None:
    os.umask(0o022)
    path = log.configure(tmp_path / "logs")
    assert path is not None
    logger = logging.getLogger(log.LOGGER)
    try:
        for _ in range(3):
            logger.info("x" * 1000)
            handler = logger.handlers[0]
            assert isinstance(handler, log.PrivateRotatingFileHandler)
            handler.doRollover()
        logger.info("after the rotation")
    finally:
        for handler in list(logger.handlers):
            handler.close()
            logger.removeHandler(handler)
    files = sorted((tmp_path / "logs").iterdir())
    assert len(files) >= 2
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files), [
        (f.name, oct(f.stat().st_mode)) for f in files
    ]


def test_a_cheap_vault_says_so_at_every_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from secretdesk.cli.main import main

    new_app(tmp_path / "v")[0].close()
    monkeypatch.delenv("SECRETDESK_INSECURE_FAST_KDF", raising=False)
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    assert main(["--lang", "en", "--data-dir", str(tmp_path / "v"), "item", "list"]) == 0
    assert "cheap key derivation" in capsys.readouterr().err
    assert main(["--lang", "en", "--data-dir", str(tmp_path / "v"), "self-test"]) == 1
