"""A vault left with its write-ahead log (a crash, a pulled plug) keeps its last saved
transactions there. SQLite replays the log up to the first frame that does not hold and
drops the rest without a word; the vault is refused instead, untouched, when saved
transactions would be lost (two or more: one may be the save the power cut short)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.storage import wal
from secretdesk.storage.errors import VaultDamaged
from secretdesk.storage.vault import DB_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

FRAME = wal.FRAME_HEADER_BYTES + 4096


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault copied while open, after nine audited transactions: as a crash leaves it."""
    base = tmp_path_factory.mktemp("wal")
    app, _ = new_app(base / "v")
    app.vault.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(9):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", n)
    shutil.copytree(base / "v", base / "crashed")
    app.close()
    return base / "crashed"


def _copy(crashed: Path, tmp_path: Path) -> Path:
    work = tmp_path / "v"
    shutil.copytree(crashed, work)
    return work


def _flip(log: Path, offset: int) -> None:
    data = bytearray(log.read_bytes())
    data[offset] ^= 0x01
    log.write_bytes(bytes(data))


def _events(data: Path) -> int:
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.audit.verify().ok
        return len(opened.audit.events(action_prefix="test.event"))


def test_a_sound_log_is_replayed_and_nothing_is_lost(crashed: Path, tmp_path: Path) -> None:
    work = _copy(crashed, tmp_path)
    assert wal.lost_commits(work / f"{DB_FILE}-wal") is None
    assert _events(work) == 9


def test_a_damaged_frame_before_saved_transactions_is_refused_untouched(
    crashed: Path, tmp_path: Path
) -> None:
    work = _copy(crashed, tmp_path)
    log = work / f"{DB_FILE}-wal"
    _flip(log, wal.HEADER_BYTES + 2 * FRAME + 100)  # inside the page of the third frame
    before = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    with pytest.raises(VaultDamaged) as refused:
        app_module.unlock(work, "admin", PASSPHRASE, fixed_clock())
    assert "frame 3 of its write-ahead log is damaged" in refused.value.render("en")
    assert {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()} == before
    result = run_cli("--lang", "vi", "--data-dir", str(work), "--user", "admin", "audit", "verify",
                     env={"SECRETDESK_PASSPHRASE": PASSPHRASE})  # fmt: skip
    assert result.returncode == 1
    assert "khung 3 trong nhật ký ghi trước của tệp bị hỏng" in result.stderr
    assert "khôi phục bản sao lưu gần nhất" in result.stderr


def test_without_the_check_sqlite_would_drop_them(
    crashed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the refusal prevents: the same damage, replayed, loses saved events silently."""
    work = _copy(crashed, tmp_path)
    _flip(work / f"{DB_FILE}-wal", wal.HEADER_BYTES + 2 * FRAME + 100)
    found = wal.lost_commits(work / f"{DB_FILE}-wal")
    assert found is not None and found.commits >= 2
    monkeypatch.setattr(wal, "lost_commits", lambda _log: None)
    assert _events(work) < 9


def test_the_last_transaction_cut_short_is_not_damage(crashed: Path, tmp_path: Path) -> None:
    """A flipped byte in the last transaction's frames: one commit at most after it, which
    may be the save a power cut interrupted (never reported saved)."""
    work = _copy(crashed, tmp_path)
    log = work / f"{DB_FILE}-wal"
    frames = (log.stat().st_size - wal.HEADER_BYTES) // FRAME
    _flip(log, wal.HEADER_BYTES + (frames - 2) * FRAME + 100)
    assert wal.lost_commits(log) is None
    assert _events(work) == 8


def test_frames_of_an_earlier_log_after_this_one_are_not_damage(
    crashed: Path, tmp_path: Path
) -> None:
    """The file is reused from its start: after this log's frames come an earlier log's,
    with other salts. They end this log without anything lost."""
    work = _copy(crashed, tmp_path)
    log = work / f"{DB_FILE}-wal"
    data = bytearray(log.read_bytes())
    stale = bytearray(data[wal.HEADER_BYTES :])
    for start in range(0, len(stale), FRAME):
        stale[start + 8 : start + 16] = b"\x00\x00\x00\x01\x00\x00\x00\x02"  # other salts
    log.write_bytes(bytes(data) + bytes(stale))
    assert wal.lost_commits(log) is None
    assert _events(work) == 9
