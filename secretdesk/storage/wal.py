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
encrypted by SQLCipher). From the first frame that does not hold on, it counts the frames of
the same log (same salts) that end a transaction, that frame included when it is one. One
such frame may be the end of the transaction being written when the power went (never
reported as saved); two or more mean that transactions saved after the damaged frame would
be dropped. A header that does not hold (any field: magic, page size, salts, checksum) drops
the whole log: then the frames that chain from its checksum, as SQLite wrote them, are the
saved transactions lost, one being enough (the header is written and synced before any
frame, so a power cut never leaves it damaged with frames after).
"""

from __future__ import annotations

import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path

HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
_MAGIC = (0x377F0682, 0x377F0683)  # the low bit: checksums over big-endian words
_MASK = 0xFFFFFFFF
_PAGE_SIZES = tuple(512 << n for n in range(8))  # 512 to 65536


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
    if _in_use(wal):
        return None
    found = _read(wal)
    if found is None:
        return None
    time.sleep(0.05)
    return found if _read(wal) == found else None


def _in_use(wal: Path) -> bool:
    """Whether a running copy of the program has the vault open: each connection holds a lock
    on the shared-memory index next to the log (listed in /proc/locks), and SQLite then reads
    the log through that index and does not replay it. Nothing is lost by opening, and a log
    that readers keep from starting again may be hundreds of megabytes (seconds to read)."""
    try:
        index = os.stat(wal.with_name(wal.name.removesuffix("-wal") + "-shm"))
        locks = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no index, or not Linux: read the log
    held = f"{os.major(index.st_dev):02x}:{os.minor(index.st_dev):02x}:{index.st_ino}"
    return any(held in line.split() for line in locks.splitlines())


def _read(wal: Path) -> LostCommits | None:
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    if len(data) < HEADER_BYTES:
        return None
    words = struct.unpack(">8I", data[:HEADER_BYTES])
    magic, _version, page_size, _seq, salt1, salt2, check1, check2 = words
    order = ">" if magic & 1 else "<"
    sound = magic in _MAGIC and page_size in _PAGE_SIZES
    if sound and _checksum(order, data[:24], (0, 0)) == (check1, check2):
        return _after_damage(data, order, page_size, (salt1, salt2), (check1, check2))
    # A header that does not hold drops every frame, whichever of its fields is damaged (its
    # salts, page size or magic too): what is lost are the frames written after it, found by
    # their checksums chained from the header's, as SQLite wrote them.
    for log_order in ("<", ">"):
        origins = {(check1, check2), _checksum(log_order, data[:24], (0, 0))}
        for size in _PAGE_SIZES:
            for origin in origins:
                chained = _chained_commits(data, log_order, size, origin)
                if chained:
                    return LostCommits(1, chained)
    if magic not in _MAGIC or page_size not in _PAGE_SIZES:
        return None  # not a log SQLite would replay
    commits = _commits(data, page_size, (salt1, salt2), HEADER_BYTES)
    return LostCommits(1, commits) if commits >= 2 else None


def _after_damage(
    data: bytes, order: str, page_size: int, salts: tuple[int, int], sums: tuple[int, int]
) -> LostCommits | None:
    """The first frame that does not hold and the saved transactions from it on."""
    frame_bytes = FRAME_HEADER_BYTES + page_size
    for index, start in enumerate(range(HEADER_BYTES, len(data) - frame_bytes + 1, frame_bytes)):
        page, commit, frame_salt1, frame_salt2, frame_check1, frame_check2 = struct.unpack(
            ">6I", data[start : start + FRAME_HEADER_BYTES]
        )
        ours = (frame_salt1, frame_salt2) == salts
        sums = _checksum(order, data[start : start + 8], sums)
        body = data[start + FRAME_HEADER_BYTES : start + frame_bytes]
        sums = _checksum(order, body, sums)
        # A frame of an earlier log (the file is reused from its start) ends this log as
        # surely as a damaged one; only frames of this log found after it tell them apart.
        if ours and page != 0 and sums == (frame_check1, frame_check2):
            continue
        # The damaged frame may itself end a saved transaction: its header says so when it
        # carries this log's salts, or when the next frame chains from its checksum (its own
        # salts damaged). A power cut leaves the last transaction's frames unwritten, never a
        # frame of this log the next one chains from.
        rest = memoryview(data)[start + frame_bytes :]
        continued = _chains(rest, order, page_size, salts, (frame_check1, frame_check2))
        commits = int(commit > 0 and (ours or continued))
        commits += _commits(data, page_size, salts, start + frame_bytes)
        return LostCommits(index + 1, commits) if commits >= 2 else None
    return None


def _chained_commits(data: bytes, order: str, page_size: int, sums: tuple[int, int]) -> int:
    """The saved transactions of the log whose first frame chains from ``sums`` (a header's
    checksum): the frames with that frame's salts that end one. 0 when it does not chain."""
    if len(data) < HEADER_BYTES + FRAME_HEADER_BYTES:
        return 0
    salts = struct.unpack(">2I", data[HEADER_BYTES + 8 : HEADER_BYTES + 16])
    if not _chains(memoryview(data)[HEADER_BYTES:], order, page_size, salts, sums):
        return 0
    return _commits(data, page_size, salts, HEADER_BYTES)


def _commits(data: bytes, page_size: int, salts: tuple[int, int], start: int) -> int:
    """The frames from ``start`` on that belong to the log with ``salts`` and end a saved
    transaction (a commit frame names the database size after it)."""
    frame_bytes = FRAME_HEADER_BYTES + page_size
    count = 0
    for at in range(start, len(data) - frame_bytes + 1, frame_bytes):
        _page, commit, salt1, salt2 = struct.unpack(">4I", data[at : at + 16])
        count += int((salt1, salt2) == salts and commit > 0)
    return count


def _chains(
    frame: bytes | memoryview,
    order: str,
    page_size: int,
    salts: tuple[int, int],
    sums: tuple[int, int],
) -> bool:
    """Whether ``frame`` (at the start of the bytes given) is a frame of the log with
    ``salts`` whose checksum follows from ``sums``."""
    if len(frame) < FRAME_HEADER_BYTES + page_size:
        return False
    page, _commit, salt1, salt2, check1, check2 = struct.unpack(">6I", frame[:24])
    if page == 0 or (salt1, salt2) != salts:
        return False
    sums = _checksum(order, frame[:8], sums)
    return _checksum(order, frame[24 : 24 + page_size], sums) == (check1, check2)


def _checksum(order: str, data: bytes | memoryview, start: tuple[int, int]) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (a multiple of 8 bytes), continued from ``start``."""
    s0, s1 = start
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & _MASK
        s1 = (s1 + words[i + 1] + s0) & _MASK
    return s0, s1
