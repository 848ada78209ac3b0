"""Provision to a foreign body or person (Art. 16): the representative's nationality and
passport number, which the written request gives (schema 11)."""

from __future__ import annotations

from dataclasses import dataclass

from secretdesk.storage.sqlite import Connection


@dataclass(frozen=True)
class ForeignRepresentative:
    nationality: str
    passport: str


def insert(conn: Connection, permit_id: int, representative: ForeignRepresentative) -> None:
    conn.execute(
        "INSERT INTO foreign_representative (permit_id, nationality, passport) VALUES (?, ?, ?)",
        (permit_id, representative.nationality, representative.passport),
    )


def of_permit(conn: Connection, permit_id: int) -> ForeignRepresentative | None:
    row = conn.execute(
        "SELECT nationality, passport FROM foreign_representative WHERE permit_id = ?",
        (permit_id,),
    ).fetchone()
    return None if row is None else ForeignRepresentative(str(row[0]), str(row[1]))
