import os
import stat
from pathlib import Path

import pytest

from secretdesk.system.atomic import write_atomic


def test_write_replaces_whole_file_privately(tmp_path: Path) -> None:
    target = tmp_path / "secretdesk.keys"
    target.write_text("old")
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secretdesk.keys"]


def test_failed_write_keeps_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "secretdesk.keys"
    target.write_text("old")

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["secretdesk.keys"]
