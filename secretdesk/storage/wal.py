"""The write-ahead log a vault left behind, read before SQLite replays it.

A vault closed cleanly has no ``-wal`` file. One that was not (a crash, a pulled plug, a
program still running) keeps its last saved transactions there until they are copied into
the database. When SQLite opens it, it replays the log frame by frame and stops at the first
frame whose checksum or salts do not hold, silently dropping that frame and every later one,
committed or not. A flipped byte in the log therefore loses saved custody records without a
word (found by the review of issue 16: 9 audit events became 4).

``lost_commits`` reads the log as SQLite will (https://sqlite.org/fileformat2.html#walformat):
the 32-byte header, then frames of a 24-byte header and one page; the checksums are
cumulative over the header, each frame's first 8 bytes and its page (the page as written,
encrypted by SQLCipher). After the first frame that does not hold, it counts the frames of
the same log (same salts) that end a transaction. One such frame may be the end of the
transaction being written when the power went (never reported as saved); two or more mean
that transactions saved after the damaged frame would be dropped.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from pathlib import Path

HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
_MAGIC = (0x377F0682, 0x377F0683)  # the low bit: checksums over big-endian words
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class LostCommits:
    """The first frame (1-based) that does not hold, and how many saved transactions of the
    same log come after it (which SQLite would drop)."""

    frame: int
    commits: int


def lost_commits(wal: Path) -> LostCommits | None:
    """What replaying ``wal`` would drop, when it is two transactions or more; else None.

    Read twice, 50 ms apart, when something is found: a log another running copy of the
    program is appending to (or starting again) may be read half-written once."""
    found = _read(wal)
    if found is None:
        return None
    time.sleep(0.05)
    return found if _read(wal) == found else None


def _read(wal: Path) -> LostCommits | None:
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    if len(data) < HEADER_BYTES:
        return None
    words = struct.unpack(">8I", data[:HEADER_BYTES])
    magic, _version, page_size, _seq, salt1, salt2, check1, check2 = words
    if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
        return None  # not a log SQLite would replay
    order = ">" if magic & 1 else "<"
    sums = _checksum(order, data[:24], (0, 0))
    broken_at = 1 if sums != (check1, check2) else 0  # a header that fails drops every frame
    frame_bytes = FRAME_HEADER_BYTES + page_size
    commits_after = 0
    for index, start in enumerate(range(HEADER_BYTES, len(data) - frame_bytes + 1, frame_bytes)):
        page, commit, frame_salt1, frame_salt2, frame_check1, frame_check2 = struct.unpack(
            ">6I", data[start : start + FRAME_HEADER_BYTES]
        )
        ours = (frame_salt1, frame_salt2) == (salt1, salt2)
        if broken_at:
            commits_after += int(ours and commit > 0)
            continue
        sums = _checksum(order, data[start : start + 8], sums)
        body = data[start + FRAME_HEADER_BYTES : start + frame_bytes]
        sums = _checksum(order, body, sums)
        # A frame of an earlier log (the file is reused from its start) ends this log as
        # surely as a damaged one; only frames of this log found after it tell them apart.
        if not ours or page == 0 or sums != (frame_check1, frame_check2):
            broken_at = index + 1
    return LostCommits(broken_at, commits_after) if broken_at and commits_after >= 2 else None


def _checksum(order: str, data: bytes, start: tuple[int, int]) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (a multiple of 8 bytes), continued from ``start``."""
    s0, s1 = start
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & _MASK
        s1 = (s1 + words[i + 1] + s0) & _MASK
    return s0, s1
