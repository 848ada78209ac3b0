"""Take-out permits and provisions to another body, with the copies each one covers.

A take-out permit (giấy phép mang tài liệu ra khỏi nơi lưu giữ) and a provision request
(đề nghị cung cấp, chuyển giao) share one table; ``kind`` tells them apart.
"""

from __future__ import annotations

from typing import Any

from secretdesk.domain.permits import Permit, PermitKind, PermitStatus
from secretdesk.storage.sqlite import Connection

# The old row name, for code written before the domain types (remove once unused).
PermitRow = Permit

# A permit holds its copies while it is requested, and an approved take-out until it is
# closed. An approved provision does not: the dispatch handover carries the copies from there.
_HOLDS_COPIES = (
    "(permit.status = 'requested' OR (permit.status = 'approved' AND permit.kind = 'take-out'))"
)


_PERMIT = (
    "id, kind, requester, requesting_body, purpose, place, starts_at, ends_at, protection,"
    " commitment, recorded_by, recorded_at, status, approved_by, approved_at, closed_at,"
    " closing_report"
)


def _permit(conn: Connection, row: Any) -> Permit:
    copy_ids = tuple(
        int(r[0])
        for r in conn.execute(
            "SELECT copy_id FROM permit_copy WHERE permit_id = ? ORDER BY copy_id", (row[0],)
        )
    )
    columns = [c.strip() for c in _PERMIT.split(",")]
    values = dict(zip(columns, row, strict=True))
    values["kind"] = PermitKind(values["kind"])
    values["status"] = PermitStatus(values["status"])
    return Permit(**values, copy_ids=copy_ids)


def insert_permit(conn: Connection, copy_ids: list[int], **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO permit ({columns}) VALUES ({marks})", tuple(values.values())
    )
    permit_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO permit_copy (permit_id, copy_id) VALUES (?, ?)",
        [(permit_id, copy_id) for copy_id in copy_ids],
    )
    return permit_id


def get_permit(conn: Connection, permit_id: int) -> Permit | None:
    row = conn.execute(f"SELECT {_PERMIT} FROM permit WHERE id = ?", (permit_id,)).fetchone()
    return None if row is None else _permit(conn, row)


def permits(
    conn: Connection, *, status: str | None = None, kind: str | None = None
) -> list[Permit]:
    sql, params = f"SELECT {_PERMIT} FROM permit WHERE 1 = 1", list[Any]()
    if status:
        sql, params = sql + " AND status = ?", [*params, status]
    if kind:
        sql, params = sql + " AND kind = ?", [*params, kind]
    rows = conn.execute(sql + " ORDER BY id", params).fetchall()
    return [_permit(conn, r) for r in rows]


def update_permit(conn: Connection, permit_id: int, **values: Any) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE permit SET {assignments} WHERE id = ?", (*values.values(), permit_id))


def open_permits_of_copy(conn: Connection, copy_id: int) -> list[int]:
    """Permits that still hold the copy: requested ones, and approved take-outs not closed."""
    rows = conn.execute(
        "SELECT permit.id FROM permit JOIN permit_copy ON permit_copy.permit_id = permit.id"
        f" WHERE permit_copy.copy_id = ? AND {_HOLDS_COPIES} ORDER BY permit.id",
        (copy_id,),
    )
    return [int(r[0]) for r in rows]
