"""Users of the register. Their passphrases live in key slots, not here."""

from __future__ import annotations

import json
from collections.abc import Iterator
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


# The audit event that pins a user's key-slot public key (its fingerprint) when the program
# writes that slot or the owner's passphrase has just proved it; a re-key seals the new data
# key only to pinned public keys (storage/keyslots.py resealed_for).
SLOT_PIN_ACTION = "key.slot_bound"


def _pin_rows(conn: Connection) -> Iterator[tuple[int, str, str]]:
    """(seq, user name, fingerprint) of every pin event."""
    rows = conn.execute(
        "SELECT seq, entity_id, detail_json FROM audit_event"
        " WHERE entity = 'user' AND action = ? ORDER BY seq",
        (SLOT_PIN_ACTION,),
    )
    for seq, username, detail_json in rows:
        try:
            found = json.loads(str(detail_json)).get("fingerprint")
        except (ValueError, AttributeError):
            continue
        if isinstance(found, str):
            yield int(seq), str(username), found


def slot_pins(conn: Connection) -> dict[str, set[str]]:
    """User name -> every slot fingerprint the audit log has pinned for that user."""
    pins: dict[str, set[str]] = {}
    for _seq, username, found in _pin_rows(conn):
        pins.setdefault(username, set()).add(found)
    return pins


def slot_pin_seqs(conn: Connection, fingerprint: str) -> list[int]:
    """The events that pinned this fingerprint (for a swapped key: forged ones)."""
    return [seq for seq, _username, found in _pin_rows(conn) if found == fingerprint]
