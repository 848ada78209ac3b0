"""Register books and their numbered entries (sổ, số thứ tự).

Numbers restart at 1 each year and continue across volumes of the same year; the database
triggers refuse a gap, a reuse, a change or a deletion.
"""

from __future__ import annotations

from typing import Any

from secretdesk.domain.books import Book, Entry
from secretdesk.storage.sqlite import Connection

_BOOK = "id, kind, year, volume, legal_basis, opened_on, closed_on, locked"
_ENTRY = (
    "id, book_id, kind, year, number, created_at, created_by, cancelled, cancel_reason,"
    " corrects_entry_id"
)


def _book(row: Any) -> Book:
    return Book(
        int(row[0]),
        str(row[1]),
        int(row[2]),
        int(row[3]),
        str(row[4]),
        str(row[5]),
        row[6],
        bool(row[7]),
    )


def _entry(row: Any) -> Entry:
    return Entry(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        int(row[3]),
        int(row[4]),
        str(row[5]),
        str(row[6]),
        bool(row[7]),
        row[8],
        row[9],
    )


def current_book(conn: Connection, kind: str, year: int) -> Book | None:
    row = conn.execute(
        f"SELECT {_BOOK} FROM book WHERE kind = ? AND year = ? ORDER BY volume DESC LIMIT 1",
        (kind, year),
    ).fetchone()
    return None if row is None else _book(row)


def open_book(conn: Connection, kind: str, year: int, legal_basis: str, opened_on: str) -> Book:
    previous = current_book(conn, kind, year)
    volume = 1 if previous is None else previous.volume + 1
    cursor = conn.execute(
        "INSERT INTO book (kind, year, volume, legal_basis, opened_on) VALUES (?, ?, ?, ?, ?)",
        (kind, year, volume, legal_basis, opened_on),
    )
    return get_book(conn, int(cursor.lastrowid))


def get_book(conn: Connection, book_id: int) -> Book:
    return _book(conn.execute(f"SELECT {_BOOK} FROM book WHERE id = ?", (book_id,)).fetchone())


def books(conn: Connection, kind: str | None = None, year: int | None = None) -> list[Book]:
    sql = f"SELECT {_BOOK} FROM book WHERE 1 = 1"
    params: list[Any] = []
    if kind:
        sql, params = sql + " AND kind = ?", [*params, kind]
    if year:
        sql, params = sql + " AND year = ?", [*params, year]
    return [_book(r) for r in conn.execute(sql + " ORDER BY kind, year, volume", params)]


def lock_book(conn: Connection, book_id: int, closed_on: str) -> None:
    conn.execute(
        "UPDATE book SET locked = 1, closed_on = coalesce(closed_on, ?) WHERE id = ?",
        (closed_on, book_id),
    )


def next_number(conn: Connection, kind: str, year: int) -> int:
    row = conn.execute(
        "SELECT coalesce(max(number), 0) FROM entry WHERE kind = ? AND year = ?", (kind, year)
    ).fetchone()
    return int(row[0]) + 1


def add_entry(
    conn: Connection,
    book: Book,
    *,
    created_at: str,
    created_by: str,
    corrects_entry_id: int | None = None,
) -> Entry:
    number = next_number(conn, book.kind, book.year)
    cursor = conn.execute(
        "INSERT INTO entry (book_id, kind, year, number, created_at, created_by,"
        " corrects_entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (book.id, book.kind, book.year, number, created_at, created_by, corrects_entry_id),
    )
    return get_entry(conn, int(cursor.lastrowid))


def get_entry(conn: Connection, entry_id: int) -> Entry:
    return _entry(conn.execute(f"SELECT {_ENTRY} FROM entry WHERE id = ?", (entry_id,)).fetchone())


def find_entry(conn: Connection, kind: str, year: int, number: int) -> Entry | None:
    row = conn.execute(
        f"SELECT {_ENTRY} FROM entry WHERE kind = ? AND year = ? AND number = ?",
        (kind, year, number),
    ).fetchone()
    return None if row is None else _entry(row)


def entries(conn: Connection, kind: str, year: int) -> list[Entry]:
    return [
        _entry(r)
        for r in conn.execute(
            f"SELECT {_ENTRY} FROM entry WHERE kind = ? AND year = ? ORDER BY number",
            (kind, year),
        )
    ]


def cancel_entry(conn: Connection, entry_id: int, reason: str) -> None:
    conn.execute(
        "UPDATE entry SET cancelled = 1, cancel_reason = ? WHERE id = ?", (reason, entry_id)
    )


_ACTIVE_LINKS = {
    "handovers": "SELECT 1 FROM handover WHERE entry_id = ? AND status = 'open'",
    "destruction": (
        "SELECT 1 FROM destruction_case WHERE entry_id = ? AND status IN ('proposed', 'approved')"
    ),
    "drafts": "SELECT 1 FROM draft WHERE entry_id = ? AND status = 'working'",
}
_ITEM_IN_USE = """
    SELECT 1 FROM item JOIN copy ON copy.item_id = item.id WHERE item.entry_id = :entry AND (
        copy.state IN ('issued', 'out_of_storage', 'in_transit')
        OR EXISTS (SELECT 1 FROM handover_copy JOIN handover ON handover.id = handover_id
                   WHERE copy_id = copy.id AND handover.status = 'open')
        OR EXISTS (SELECT 1 FROM permit_copy JOIN permit ON permit.id = permit_id
                   WHERE copy_id = copy.id AND permit.status IN ('requested', 'approved')
                   AND permit.kind = 'take-out')
        OR EXISTS (SELECT 1 FROM destruction_copy JOIN destruction_case ON
                   destruction_case.id = case_id WHERE copy_id = copy.id
                   AND destruction_case.status IN ('proposed', 'approved'))
        OR EXISTS (SELECT 1 FROM reproduction WHERE source_copy_id = copy.id
                   AND reproduction.status IN ('requested', 'approved')))
"""


def entry_in_use(conn: Connection, entry: Entry) -> bool:
    """Is what this entry registered still acting (an open handover, a pending case, a working
    draft, or an item whose copies are out or on an open procedure)?"""
    if entry.kind in _ACTIVE_LINKS:
        return conn.execute(_ACTIVE_LINKS[entry.kind], (entry.id,)).fetchone() is not None
    if entry.kind in ("outgoing", "incoming", "internal"):
        return conn.execute(_ITEM_IN_USE, {"entry": entry.id}).fetchone() is not None
    return False
