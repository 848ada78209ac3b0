"""The unit (đơn vị): one row, holding the unit's signing key."""

from __future__ import annotations

from dataclasses import dataclass

from secretdesk.storage.sqlite import Connection


@dataclass(frozen=True)
class UnitRecord:
    name: str
    code: str
    superior_body: str
    place: str
    signing_private: bytes
    signing_public: bytes
    signing_key_id: bytes
    created_at: str

    def __repr__(self) -> str:
        return f"UnitRecord(code={self.code!r}, name={self.name!r})"


def insert(conn: Connection, unit: UnitRecord) -> None:
    conn.execute(
        "INSERT INTO unit (id, name, code, superior_body, place, signing_private,"
        " signing_public, signing_key_id, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            unit.name,
            unit.code,
            unit.superior_body,
            unit.place,
            unit.signing_private,
            unit.signing_public,
            unit.signing_key_id,
            unit.created_at,
        ),
    )


def get(conn: Connection) -> UnitRecord | None:
    row = conn.execute(
        "SELECT name, code, superior_body, place, signing_private, signing_public,"
        " signing_key_id, created_at FROM unit WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return UnitRecord(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        bytes(row[4]),
        bytes(row[5]),
        bytes(row[6]),
        str(row[7]),
    )
