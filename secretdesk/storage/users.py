"""Users of the register. Their passphrases live in key slots, not here."""

from __future__ import annotations

import json
from typing import Any

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Role
from secretdesk.storage.sqlite import Connection

_COLUMNS = "id, username, full_name, role, max_level, disabled, clearance"


def _actor(row: Any) -> Actor:
    return Actor(
        user_id=int(row[0]),
        username=str(row[1]),
        full_name=str(row[2]),
        role=Role(row[3]),
        max_level=Level(row[4]) if row[4] else None,
        disabled=bool(row[5]),
        clearance=Level(row[6]),
    )


def insert(
    conn: Connection,
    *,
    username: str,
    full_name: str,
    role: Role,
    max_level: Level | None,
    created_at: str,
    clearance: Level = Level.TUYET_MAT,
) -> Actor:
    cursor = conn.execute(
        "INSERT INTO user (username, full_name, role, max_level, created_at, clearance)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            username,
            full_name,
            role.value,
            max_level.value if max_level else None,
            created_at,
            clearance.value,
        ),
    )
    return Actor(
        int(cursor.lastrowid or 0), username, full_name, role, max_level, clearance=clearance
    )


def by_username(conn: Connection, username: str) -> Actor | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM user WHERE username = ?", (username,)).fetchone()
    return None if row is None else _actor(row)


def all_users(conn: Connection) -> list[Actor]:
    return [_actor(row) for row in conn.execute(f"SELECT {_COLUMNS} FROM user ORDER BY username")]


def set_disabled(conn: Connection, username: str, disabled: bool) -> None:
    conn.execute("UPDATE user SET disabled = ? WHERE username = ?", (int(disabled), username))


def set_clearance(conn: Connection, username: str, level: Level) -> None:
    conn.execute("UPDATE user SET clearance = ? WHERE username = ?", (level.value, username))


def take_migration_note(conn: Connection, topic: str) -> dict[str, Any] | None:
    """A note a migration left for the audit log; removed as it is read (same transaction)."""
    row = conn.execute("SELECT detail FROM migration_note WHERE topic = ?", (topic,)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM migration_note WHERE topic = ?", (topic,))
    detail = json.loads(str(row[0]))
    return detail if isinstance(detail, dict) else {"detail": detail}
