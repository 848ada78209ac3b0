"""Drafts (dự thảo) of future outgoing items."""

from __future__ import annotations

from typing import Any

from secretdesk.domain.drafts import Draft, DraftStatus
from secretdesk.domain.levels import Level
from secretdesk.storage.sqlite import Connection

# The old row name, for code written before the domain types (remove once unused).
DraftRow = Draft


_DRAFT = (
    "draft.id, draft.entry_id, entry.year, entry.number, title, version, drafter, drafted_on,"
    " computer, proposed_level, status, supersedes_id, item_id"
)
_FROM = "FROM draft JOIN entry ON entry.id = draft.entry_id"


def _draft(row: Any) -> Draft:
    values = list(row)
    values[9] = Level(values[9])
    values[10] = DraftStatus(values[10])
    return Draft(*values)


def insert(conn: Connection, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO draft ({columns}) VALUES ({marks})", tuple(values.values()))
    return int(cursor.lastrowid)


def get(conn: Connection, draft_id: int) -> Draft | None:
    row = conn.execute(f"SELECT {_DRAFT} {_FROM} WHERE draft.id = ?", (draft_id,)).fetchone()
    return None if row is None else _draft(row)


def all_drafts(conn: Connection, status: str | None = None) -> list[Draft]:
    sql = f"SELECT {_DRAFT} {_FROM}"
    params: tuple[str, ...] = ()
    if status:
        sql, params = sql + " WHERE status = ?", (status,)
    return [_draft(r) for r in conn.execute(sql + " ORDER BY entry.year, entry.number", params)]


def set_status(conn: Connection, draft_id: int, status: str, item_id: int | None = None) -> None:
    conn.execute(
        "UPDATE draft SET status = ?, item_id = coalesce(?, item_id) WHERE id = ?",
        (status, item_id, draft_id),
    )
