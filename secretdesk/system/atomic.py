"""Atomic, private file writes (STYLE.md §8, RELIABILITY.md "Durability").

Write ``name.part-<random>`` with owner-only permissions, fsync it, rename it over the
final name, fsync the folder. A reader sees the old file or the new one, never half of one.
The first fsync error is final: the temporary file is removed and the error raised.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_FILE_MODE = 0o600


def fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(target: Path) -> Path:
    return target.with_name(f"{target.name}.part-{secrets.token_hex(6)}")


def write_atomic(target: Path, data: bytes, mode: int = PRIVATE_FILE_MODE) -> None:
    """Replace ``target`` with ``data`` atomically and durably."""
    target = Path(target)
    temporary = temporary_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temporary, flags, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_directory(target.parent)
