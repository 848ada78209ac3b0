"""Inventory (kiểm kê) from the custody history, and musters (kiểm đếm thực tế) with their lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secretdesk.domain.custody import CopyState
from secretdesk.domain.levels import Level
from secretdesk.storage.sqlite import Connection


@dataclass(frozen=True)
class SnapshotRow:
    """One copy as the register had it at a moment: its state and holder then."""

    copy_id: int
    item_id: int
    copy_kind: str
    copy_number: int
    state: CopyState
    holder: str
    book_kind: str
    year: int
    number: int
    number_symbol: str
    level: Level
    storage_location: str

    @property
    def copy_label(self) -> str:
        prefix = "Bản sao số" if self.copy_kind == "reproduction" else "Bản số"
        return f"{prefix} {self.copy_number}"

    @property
    def register_number(self) -> str:
        return f"{self.number}/{self.year}"


def snapshot(conn: Connection, at_utc: str) -> list[SnapshotRow]:
    """Every copy that existed at ``at_utc`` with its last custody step up to then.

    The latest custody event at or before the moment decides,
    in one query for the whole register. The item's level is its current level.
    """
    rows = conn.execute(
        "WITH last AS (SELECT copy_id, to_state, holder, row_number() OVER"
        " (PARTITION BY copy_id ORDER BY id DESC) AS rank FROM custody_event WHERE at_utc <= ?)"
        " SELECT copy.id, copy.item_id, copy.kind, copy.number, last.to_state, last.holder,"
        " entry.kind, entry.year, entry.number, item.number_symbol, item.level,"
        " item.storage_location"
        " FROM last JOIN copy ON copy.id = last.copy_id"
        " JOIN item ON item.id = copy.item_id JOIN entry ON entry.id = item.entry_id"
        " WHERE last.rank = 1"
        " ORDER BY entry.year, entry.kind, entry.number, copy.kind, copy.number",
        (at_utc,),
    )
    return [_snapshot(r) for r in rows]


def _snapshot(row: Any) -> SnapshotRow:
    return SnapshotRow(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        int(row[3]),
        CopyState(row[4]),
        str(row[5]),
        str(row[6]),
        int(row[7]),
        int(row[8]),
        str(row[9]),
        Level(row[10]),
        str(row[11]),
    )


@dataclass(frozen=True)
class MusterLineRow:
    copy_id: int
    found: bool
    note: str


@dataclass(frozen=True)
class MusterRow:
    id: int
    held_on: str
    held_by: str
    created_at: str
    lines: tuple[MusterLineRow, ...]


def insert_muster(
    conn: Connection,
    *,
    held_on: str,
    held_by: str,
    created_at: str,
    lines: list[MusterLineRow],
) -> int:
    cursor = conn.execute(
        "INSERT INTO muster (held_on, held_by, created_at) VALUES (?, ?, ?)",
        (held_on, held_by, created_at),
    )
    muster_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO muster_line (muster_id, copy_id, found, note) VALUES (?, ?, ?, ?)",
        [(muster_id, line.copy_id, int(line.found), line.note) for line in lines],
    )
    return muster_id


def get_muster(conn: Connection, muster_id: int) -> MusterRow | None:
    row = conn.execute(
        "SELECT id, held_on, held_by, created_at FROM muster WHERE id = ?", (muster_id,)
    ).fetchone()
    if row is None:
        return None
    lines = tuple(
        MusterLineRow(int(r[0]), bool(r[1]), str(r[2]))
        for r in conn.execute(
            "SELECT copy_id, found, note FROM muster_line WHERE muster_id = ? ORDER BY copy_id",
            (muster_id,),
        )
    )
    return MusterRow(int(row[0]), str(row[1]), str(row[2]), str(row[3]), lines)
