"""Destruction cases (hồ sơ tiêu hủy): the copies, the council, the decision and the act.

Each case is an entry of the year's destruction register (sổ theo dõi tiêu hủy).
"""

from __future__ import annotations

from typing import Any

from secretdesk.domain.destruction import (
    CouncilRole,
    CouncilSeat,
    DestructionCase,
    DestructionStatus,
    Withdrawal,
)
from secretdesk.storage.sqlite import Connection

# The old row name, for code written before the domain types (remove once unused).
CaseRow = DestructionCase

OPEN_STATUSES = ("proposed", "approved")


# A withdrawn case keeps "refused" in its status column (schema 11) and reads "withdrawn".
_STATUS = (
    "CASE WHEN destruction_withdrawal.case_id IS NULL THEN destruction_case.status"
    " ELSE 'withdrawn' END"
)
_CASE = (
    "destruction_case.id, destruction_case.entry_id, entry.year, entry.number, grounds,"
    f" emergency, proposed_by, proposed_at, {_STATUS} AS status, approved_by, approved_at,"
    " decision_ref, destroyed_at, place, method, destruction_case.report"
)
_CASE_FROM = (
    "FROM destruction_case JOIN entry ON entry.id = destruction_case.entry_id"
    " LEFT JOIN destruction_withdrawal ON destruction_withdrawal.case_id = destruction_case.id"
)


def _case(conn: Connection, row: Any) -> DestructionCase:
    copy_ids = tuple(
        int(r[0])
        for r in conn.execute(
            "SELECT copy_id FROM destruction_copy WHERE case_id = ? ORDER BY copy_id", (row[0],)
        )
    )
    names = [c.split()[-1].rsplit(".", 1)[-1] for c in _CASE.split(",")]
    values = dict(zip(names, row, strict=True))
    values["emergency"] = bool(values["emergency"])
    values["status"] = DestructionStatus(values["status"])
    return DestructionCase(
        **values,
        copy_ids=copy_ids,
        council=tuple(council_of(conn, int(row[0]))),
        withdrawal=withdrawal_of(conn, int(row[0])) if values["status"] == "withdrawn" else None,
    )


def withdrawal_of(conn: Connection, case_id: int) -> Withdrawal | None:
    row = conn.execute(
        "SELECT reason, withdrawn_by, countersigned_by, withdrawn_at, status_before"
        " FROM destruction_withdrawal WHERE case_id = ?",
        (case_id,),
    ).fetchone()
    return None if row is None else Withdrawal(*(str(value) for value in row))


def withdraw_case(conn: Connection, case_id: int, withdrawal: Withdrawal) -> None:
    """Close the case without a destruction: its copies are no longer held by it."""
    conn.execute(
        "INSERT INTO destruction_withdrawal (case_id, reason, withdrawn_by, countersigned_by,"
        " withdrawn_at, status_before) VALUES (?, ?, ?, ?, ?, ?)",
        (
            case_id,
            withdrawal.reason,
            withdrawal.withdrawn_by,
            withdrawal.countersigned_by,
            withdrawal.withdrawn_at,
            withdrawal.status_before,
        ),
    )
    conn.execute("UPDATE destruction_case SET status = 'refused' WHERE id = ?", (case_id,))


def insert_case(
    conn: Connection, copy_ids: list[int], council: list[CouncilSeat], **values: Any
) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO destruction_case ({columns}) VALUES ({marks})", tuple(values.values())
    )
    case_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO destruction_copy (case_id, copy_id) VALUES (?, ?)",
        [(case_id, copy_id) for copy_id in copy_ids],
    )
    conn.executemany(
        "INSERT INTO council_member (case_id, name, role, position) VALUES (?, ?, ?, ?)",
        [(case_id, seat.name, seat.role, seat.position) for seat in council],
    )
    return case_id


def council_of(conn: Connection, case_id: int) -> list[CouncilSeat]:
    rows = conn.execute(
        "SELECT name, role, position FROM council_member WHERE case_id = ?"
        " ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'holder' THEN 1 ELSE 2 END, rowid",
        (case_id,),
    )
    return [CouncilSeat(str(r[0]), CouncilRole(r[1]), str(r[2])) for r in rows]


def get_case(conn: Connection, case_id: int) -> DestructionCase | None:
    row = conn.execute(
        f"SELECT {_CASE} {_CASE_FROM} WHERE destruction_case.id = ?", (case_id,)
    ).fetchone()
    return None if row is None else _case(conn, row)


def find_case(conn: Connection, year: int, number: int) -> DestructionCase | None:
    row = conn.execute(
        f"SELECT {_CASE} {_CASE_FROM} WHERE entry.year = ? AND entry.number = ?",
        (year, number),
    ).fetchone()
    return None if row is None else _case(conn, row)


def cases(
    conn: Connection, *, status: str | None = None, emergency: bool | None = None
) -> list[DestructionCase]:
    sql, params = f"SELECT {_CASE} {_CASE_FROM} WHERE 1 = 1", list[Any]()
    if status:
        sql, params = sql + f" AND {_STATUS} = ?", [*params, status]
    if emergency is not None:
        sql, params = sql + " AND emergency = ?", [*params, int(emergency)]
    rows = conn.execute(sql + " ORDER BY entry.year, entry.number", params).fetchall()
    return [_case(conn, r) for r in rows]


def update_case(conn: Connection, case_id: int, **values: Any) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn.execute(
        f"UPDATE destruction_case SET {assignments} WHERE id = ?", (*values.values(), case_id)
    )


def open_cases_of_copy(conn: Connection, copy_id: int) -> list[int]:
    """Cases still proposed or approved (not refused, not done) that list the copy."""
    rows = conn.execute(
        "SELECT destruction_case.id FROM destruction_case JOIN destruction_copy"
        " ON destruction_copy.case_id = destruction_case.id"
        " WHERE destruction_copy.copy_id = ? AND destruction_case.status IN (?, ?)",
        (copy_id, *OPEN_STATUSES),
    )
    return [int(r[0]) for r in rows]


def done_case_of_copy(conn: Connection, copy_id: int) -> int | None:
    """The case, emergency or not, under which the copy was destroyed, if any."""
    row = conn.execute(
        "SELECT destruction_case.id FROM destruction_case JOIN destruction_copy"
        " ON destruction_copy.case_id = destruction_case.id"
        " WHERE destruction_copy.copy_id = ? AND destruction_case.status = 'done'"
        " ORDER BY destruction_case.id LIMIT 1",
        (copy_id,),
    ).fetchone()
    return None if row is None else int(row[0])
