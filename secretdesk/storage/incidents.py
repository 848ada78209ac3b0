"""Incidents: loss, leak, signs of tampering on an envelope (sự cố mất, lộ, bì bị bóc)."""

from __future__ import annotations

from typing import Any

from secretdesk.domain.incidents import Incident, IncidentKind
from secretdesk.storage.sqlite import Connection

# The old row name, for code written before the domain types (remove once unused).
IncidentRow = Incident


_INCIDENT = "id, kind, copy_id, description, occurred_at, reported_by, reported_to, created_at"


def _incident(row: Any) -> Incident:
    return Incident(int(row[0]), IncidentKind(row[1]), *row[2:])


def insert_incident(conn: Connection, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO incident ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid)


def get_incident(conn: Connection, incident_id: int) -> Incident | None:
    row = conn.execute(f"SELECT {_INCIDENT} FROM incident WHERE id = ?", (incident_id,)).fetchone()
    return None if row is None else _incident(row)


def incidents(
    conn: Connection, *, copy_id: int | None = None, kind: str | None = None
) -> list[Incident]:
    sql, params = f"SELECT {_INCIDENT} FROM incident WHERE 1 = 1", list[Any]()
    if copy_id is not None:
        sql, params = sql + " AND copy_id = ?", [*params, copy_id]
    if kind:
        sql, params = sql + " AND kind = ?", [*params, kind]
    return [_incident(r) for r in conn.execute(sql + " ORDER BY id", params)]
