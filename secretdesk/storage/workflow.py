"""Reproductions (copy requests) and handovers: rows and their copy lists."""

from __future__ import annotations

from typing import Any

from secretdesk.domain.handovers import Handover, HandoverKind, HandoverStatus
from secretdesk.domain.reproductions import Reproduction, ReproductionForm, ReproductionStatus
from secretdesk.storage.sqlite import Connection

# The old row names, for code written before the domain types (remove once unused).
ReproductionRow = Reproduction
HandoverRow = Handover


_REPRO = (
    "id, item_id, source_copy_id, form, requested_count, purpose, requested_by, requested_at,"
    " status, approved_by, approved_at, authorised_count, made_count, spoiled_count, copied_by,"
    " copied_at, copied_place, entry_id"
)


def _reproduction(row: Any) -> Reproduction:
    values = list(row)
    values[3] = ReproductionForm(values[3])
    values[8] = ReproductionStatus(values[8])
    return Reproduction(*values)


def insert_reproduction(conn: Connection, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO reproduction ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid)


def get_reproduction(conn: Connection, repro_id: int) -> Reproduction | None:
    row = conn.execute(f"SELECT {_REPRO} FROM reproduction WHERE id = ?", (repro_id,)).fetchone()
    return None if row is None else _reproduction(row)


def reproductions(conn: Connection, status: str | None = None) -> list[Reproduction]:
    sql, params = f"SELECT {_REPRO} FROM reproduction", ()  # type: tuple[str, tuple[str, ...]]
    if status:
        sql, params = sql + " WHERE status = ?", (status,)
    return [_reproduction(r) for r in conn.execute(sql + " ORDER BY id", params)]


def update_reproduction(conn: Connection, repro_id: int, **values: Any) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE reproduction SET {assignments} WHERE id = ?", (*values.values(), repro_id)
    )


_HANDOVER = (
    "handover.id, handover.entry_id, entry.year, entry.number, handover.kind, sender,"
    " recipient_body, recipient_person, courier, envelope_marks, handed_at, due_by, status,"
    " receipt_by, receipt_at"
)
_HANDOVER_FROM = "FROM handover JOIN entry ON entry.id = handover.entry_id"


def _handover(conn: Connection, row: Any) -> Handover:
    copy_ids = tuple(
        int(r[0])
        for r in conn.execute(
            "SELECT copy_id FROM handover_copy WHERE handover_id = ? ORDER BY copy_id", (row[0],)
        )
    )
    values = list(row)
    values[4] = HandoverKind(values[4])
    values[12] = HandoverStatus(values[12])
    return Handover(*values, copy_ids)  # type: ignore[call-arg]


def insert_handover(conn: Connection, copy_ids: list[int], **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO handover ({columns}) VALUES ({marks})", tuple(values.values())
    )
    handover_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO handover_copy (handover_id, copy_id) VALUES (?, ?)",
        [(handover_id, copy_id) for copy_id in copy_ids],
    )
    return handover_id


def get_handover(conn: Connection, handover_id: int) -> Handover | None:
    row = conn.execute(
        f"SELECT {_HANDOVER} {_HANDOVER_FROM} WHERE handover.id = ?", (handover_id,)
    ).fetchone()
    return None if row is None else _handover(conn, row)


def find_handover(conn: Connection, year: int, number: int) -> Handover | None:
    row = conn.execute(
        f"SELECT {_HANDOVER} {_HANDOVER_FROM} WHERE entry.kind = 'handovers'"
        " AND entry.year = ? AND entry.number = ?",
        (year, number),
    ).fetchone()
    return None if row is None else _handover(conn, row)


def handovers(
    conn: Connection, *, status: str | None = None, year: int | None = None
) -> list[Handover]:
    sql = f"SELECT {_HANDOVER} {_HANDOVER_FROM} WHERE 1 = 1"
    params: list[Any] = []
    if status:
        sql, params = sql + " AND status = ?", [*params, status]
    if year:
        sql, params = sql + " AND entry.year = ?", [*params, year]
    rows = conn.execute(sql + " ORDER BY entry.year, entry.number", params).fetchall()
    return [_handover(conn, r) for r in rows]


def close_handover(conn: Connection, handover_id: int, receipt_by: str, receipt_at: str) -> None:
    conn.execute(
        "UPDATE handover SET status = 'closed', receipt_by = coalesce(receipt_by, ?),"
        " receipt_at = coalesce(receipt_at, ?) WHERE id = ?",
        (receipt_by, receipt_at, handover_id),
    )


def record_receipt(conn: Connection, handover_id: int, receipt_by: str, receipt_at: str) -> None:
    conn.execute(
        "UPDATE handover SET receipt_by = ?, receipt_at = ? WHERE id = ?",
        (receipt_by, receipt_at, handover_id),
    )


def end_handover(conn: Connection, handover_id: int) -> None:
    """Close a handover that ended without a signed receipt (its copies came back or are gone).

    The receipt columns stay empty: nobody signed for it. The audit event says why it closed.
    """
    conn.execute(
        "UPDATE handover SET status = 'closed' WHERE id = ? AND status = 'open'", (handover_id,)
    )


# The copy came back from an internal issue: a later return handover lists it.
_RETURNED_SINCE = (
    "EXISTS (SELECT 1 FROM handover AS back JOIN handover_copy AS back_copy"
    " ON back_copy.handover_id = back.id WHERE back.kind = 'return'"
    " AND back_copy.copy_id = handover_copy.copy_id AND back.id > handover.id)"
)


def open_handovers_holding(conn: Connection, copy_id: int) -> list[int]:
    """The open handovers the copy is still out on (rule 1).

    An open handover lists the copy, unless it is an internal issue the copy has since been
    returned from: the rest of that issue may still be out, but this copy is back.
    """
    rows = conn.execute(
        "SELECT handover.id FROM handover JOIN handover_copy"
        " ON handover_copy.handover_id = handover.id"
        " WHERE handover_copy.copy_id = ? AND handover.status = 'open'"
        f" AND NOT (handover.kind = 'issue' AND {_RETURNED_SINCE}) ORDER BY handover.id",
        (copy_id,),
    )
    return [int(r[0]) for r in rows]


def still_issued(conn: Connection, handover_id: int) -> list[int]:
    """Copies of an internal issue still with the person: issued and not returned since."""
    rows = conn.execute(
        "SELECT handover_copy.copy_id FROM handover"
        " JOIN handover_copy ON handover_copy.handover_id = handover.id"
        " JOIN copy ON copy.id = handover_copy.copy_id"
        f" WHERE handover.id = ? AND copy.state = 'issued' AND NOT {_RETURNED_SINCE}"
        " ORDER BY handover_copy.copy_id",
        (handover_id,),
    )
    return [int(r[0]) for r in rows]
