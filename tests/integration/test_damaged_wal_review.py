"""Damage to a write-ahead log that loses saved transactions where the first check looked
only after the frame that does not hold: the log's header (every frame dropped, whichever
field is damaged) and the frame that ends the last transaction but one (that transaction
and the last one dropped). A log as real use leaves it still opens with nothing lost."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.storage import wal
from secretdesk.storage.errors import VaultDamaged
from secretdesk.storage.vault import DB_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app

FRAME = wal.FRAME_HEADER_BYTES + 4096


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault copied while open, after nine audited transactions: as a crash leaves it."""
    base = tmp_path_factory.mktemp("walreview")
    app, _ = new_app(base / "v")
    app.vault.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(9):
        with app.ctx.change(Permission.RECORD) as change:
            change.audit("test.event", "thing", n)
    shutil.copytree(base / "v", base / "crashed")
    app.close()
    return base / "crashed"


def _damaged(crashed: Path, tmp_path: Path, offset: int) -> Path:
    work = tmp_path / "v"
    shutil.copytree(crashed, work)
    log = work / f"{DB_FILE}-wal"
    data = bytearray(log.read_bytes())
    data[offset] ^= 0x01
    log.write_bytes(bytes(data))
    return work


def _commit_frames(log: Path) -> list[int]:
    """The 0-based frames that end a transaction."""
    data = log.read_bytes()
    count = (len(data) - wal.HEADER_BYTES) // FRAME
    starts = [wal.HEADER_BYTES + n * FRAME for n in range(count)]
    return [n for n, at in enumerate(starts) if struct.unpack(">I", data[at + 4 : at + 8])[0]]


def _events(data: Path) -> int:
    with app_module.unlock(data, "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.audit.verify().ok
        return len(opened.audit.events(action_prefix="test.event"))


def _refused_untouched(work: Path) -> VaultDamaged:
    before = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    with pytest.raises(VaultDamaged) as refused:
        app_module.unlock(work, "admin", PASSPHRASE, fixed_clock())
    assert {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()} == before
    return refused.value


@pytest.mark.parametrize(
    "offset",
    [0, 3, 5, 9, 15, 19, 23, 27],
    ids=["magic", "magic-order", "version", "page-size", "sequence", "salt1", "salt2", "sum"],
)
def test_a_damaged_log_header_loses_every_saved_transaction_and_is_refused(
    crashed: Path, tmp_path: Path, offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _damaged(crashed, tmp_path, offset)
    found = wal.lost_commits(work / f"{DB_FILE}-wal")
    assert found == wal.LostCommits(1, 9)
    assert "frame 1 of its write-ahead log is damaged" in _refused_untouched(work).render("en")
    monkeypatch.setattr(wal, "lost_commits", lambda _log: None)
    assert _events(work) == 0  # what opening it would do


@pytest.mark.parametrize(
    "within", [3, 7, 9, 13, 24 + 100], ids=["page", "commit", "salt1", "salt2", "body"]
)
def test_a_damaged_frame_ending_the_last_transaction_but_one_is_refused(
    crashed: Path, tmp_path: Path, within: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """That transaction and the last one are lost: two saved transactions, though only one
    commit follows the damaged frame."""
    second_last = _commit_frames(crashed / f"{DB_FILE}-wal")[-2]
    work = _damaged(crashed, tmp_path, wal.HEADER_BYTES + second_last * FRAME + within)
    assert wal.lost_commits(work / f"{DB_FILE}-wal") == wal.LostCommits(second_last + 1, 2)
    _refused_untouched(work)
    monkeypatch.setattr(wal, "lost_commits", lambda _log: None)
    assert _events(work) == 7


@pytest.mark.parametrize("within", [3, 9, 24 + 100], ids=["page", "salt1", "body"])
def test_the_last_transaction_damaged_is_still_not_refused(
    crashed: Path, tmp_path: Path, within: int
) -> None:
    """Its own commit frame damaged: what a power cut during that save may leave."""
    last = _commit_frames(crashed / f"{DB_FILE}-wal")[-1]
    work = _damaged(crashed, tmp_path, wal.HEADER_BYTES + last * FRAME + within)
    assert wal.lost_commits(work / f"{DB_FILE}-wal") is None
    assert _events(work) == 8


def test_a_log_restarted_past_the_checkpoint_opens_with_nothing_lost(tmp_path: Path) -> None:
    """Many saves cross SQLite's 1,000-page checkpoint: the log starts again from the start
    of the file with new salts, the earlier log's frames after it; copied while open."""
    app, _ = new_app(tmp_path / "v")
    for n in range(60):
        with app.ctx.change(Permission.RECORD) as change:
            for k in range(40):
                change.audit("test.event", "thing", n * 40 + k)
    shutil.copytree(tmp_path / "v", tmp_path / "crashed")
    app.close()
    log = tmp_path / "crashed" / f"{DB_FILE}-wal"
    header = struct.unpack(">8I", log.read_bytes()[: wal.HEADER_BYTES])
    assert header[3] >= 1  # the log was started again at least once
    assert wal.lost_commits(log) is None
    with app_module.unlock(tmp_path / "crashed", "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.audit.verify().ok
        assert len(opened.audit.events(action_prefix="test.event", limit=5000)) == 2400


def test_the_log_of_a_vault_open_in_a_running_copy_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite does not replay a log another connection has open (it reads it through that
    connection's index): nothing to lose, and a log readers keep from starting again grows
    to hundreds of megabytes, seconds to read at every unlock. A copy of it is read."""
    app, _ = new_app(tmp_path / "v")
    with app.ctx.change(Permission.RECORD) as change:
        change.audit("test.event", "thing", 1)
    # Copied by another process: closing a file of the vault here would drop this process's
    # locks on it (POSIX locks belong to the process), as shutil.copytree would.
    subprocess.run(["cp", "-a", str(tmp_path / "v"), str(tmp_path / "copy")], check=True)
    log = tmp_path / "v" / f"{DB_FILE}-wal"
    assert wal._in_use(log) and not wal._in_use(tmp_path / "copy" / f"{DB_FILE}-wal")
    read: list[Path] = []
    monkeypatch.setattr(wal, "_read", lambda path: read.append(path))
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()) as second:
        assert second.audit.verify().ok
    assert read == []
    app.close()
    assert not wal._in_use(log)
    with app_module.unlock(tmp_path / "copy", "admin", PASSPHRASE, fixed_clock()):
        pass
    assert read == [tmp_path / "copy" / f"{DB_FILE}-wal"]


def test_a_damaged_header_with_a_damaged_frame_after_it_is_refused(
    crashed: Path, tmp_path: Path
) -> None:
    """Every frame of the log is dropped, those after the second damage too."""
    work = _damaged(crashed, tmp_path, 19)  # a salt of the header
    log = work / f"{DB_FILE}-wal"
    data = bytearray(log.read_bytes())
    data[wal.HEADER_BYTES + 2 * FRAME + 100] ^= 0x01  # inside the page of the third frame
    log.write_bytes(bytes(data))
    assert wal.lost_commits(log) == wal.LostCommits(1, 9)
    _refused_untouched(work)
