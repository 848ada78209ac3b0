"""Attachments (scans of signed slips, minutes, reports of use) kept inside the vault."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from secretdesk.storage.sqlite import Connection

CHUNK = 1024 * 1024  # bytes per stored chunk


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    entity: str  # handover | destruction | permit | incident
    entity_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    source: str  # attach | scan
    added_at: str
    added_by: str
    removed_at: str | None
    removed_by: str | None
    removed_reason: str | None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


_COLUMNS = (
    "id, entity, entity_id, filename, media_type, size, sha256, source, added_at, added_by,"
    " removed_at, removed_by, removed_reason"
)


def insert(
    conn: Connection,
    *,
    entity: str,
    entity_id: int,
    filename: str,
    media_type: str,
    data: bytes,
    sha256: str,
    source: str,
    added_at: str,
    added_by: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO attachment (entity, entity_id, filename, media_type, size, sha256, source,"
        " added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entity, entity_id, filename, media_type, len(data), sha256, source, added_at, added_by),
    )
    attachment_id = int(cursor.lastrowid)
    conn.executemany(
        "INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES (?, ?, ?)",
        [
            (attachment_id, seq, data[start : start + CHUNK])
            for seq, start in enumerate(range(0, len(data), CHUNK))
        ],
    )
    return attachment_id


def get(conn: Connection, attachment_id: int) -> AttachmentRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM attachment WHERE id = ?", (attachment_id,)
    ).fetchone()
    return None if row is None else AttachmentRow(*row)


def of(conn: Connection, entity: str, entity_id: int) -> list[AttachmentRow]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachment WHERE entity = ? AND entity_id = ? ORDER BY id",
        (entity, entity_id),
    )
    return [AttachmentRow(*r) for r in rows]


def counts(conn: Connection, entity: str) -> dict[int, int]:
    """How many scans each record of ``entity`` keeps (removed ones not counted), in one query."""
    rows = conn.execute(
        "SELECT entity_id, count(*) FROM attachment WHERE entity = ? AND removed_at IS NULL"
        " GROUP BY entity_id",
        (entity,),
    )
    return {int(r[0]): int(r[1]) for r in rows}


def chunks(conn: Connection, attachment_id: int) -> Iterator[bytes]:
    rows = conn.execute(
        "SELECT data FROM attachment_chunk WHERE attachment_id = ? ORDER BY seq",
        (attachment_id,),
    )
    for (data,) in rows:
        yield bytes(data)


def remove(conn: Connection, attachment_id: int, *, at: str, by: str, reason: str) -> None:
    """Drop the bytes; the record and its hash stay."""
    conn.execute("DELETE FROM attachment_chunk WHERE attachment_id = ?", (attachment_id,))
    conn.execute(
        "UPDATE attachment SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?",
        (at, by, reason, attachment_id),
    )


def kept_between(conn: Connection, since: str, before: str) -> list[AttachmentRow]:
    """The attachments still kept that were added in [since, before)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM attachment WHERE removed_at IS NULL"
        " AND added_at >= ? AND added_at < ? ORDER BY id",
        (since, before),
    )
    return [AttachmentRow(*r) for r in rows]


def stored_bytes(conn: Connection) -> int:
    """The bytes of every attachment still kept in the vault."""
    row = conn.execute("SELECT COALESCE(SUM(size), 0) FROM attachment WHERE removed_at IS NULL")
    return int(row.fetchone()[0])


_NO_KEPT_ATTACHMENT = (
    "NOT EXISTS (SELECT 1 FROM attachment a WHERE a.entity = ? AND a.entity_id = {table}.id"
    " AND a.removed_at IS NULL)"
)


def received_without_scan(conn: Connection, since: str, before: str) -> list[int]:
    """Handovers whose signed receipt was recorded in [since, before) with no scan kept."""
    rows = conn.execute(
        "SELECT handover.id FROM handover WHERE kind IN ('dispatch', 'issue')"
        " AND receipt_at IS NOT NULL AND receipt_at >= ? AND receipt_at < ? AND "
        + _NO_KEPT_ATTACHMENT.format(table="handover")
        + " ORDER BY handover.id",
        (since, before, "handover"),
    )
    return [int(r[0]) for r in rows]


def destroyed_without_minutes(conn: Connection, since: str, before: str) -> list[int]:
    """Destruction cases carried out in [since, before) with no signed minutes kept."""
    rows = conn.execute(
        "SELECT destruction_case.id FROM destruction_case WHERE status = 'done'"
        " AND destroyed_at >= ? AND destroyed_at < ? AND "
        + _NO_KEPT_ATTACHMENT.format(table="destruction_case")
        + " ORDER BY destruction_case.id",
        (since, before, "destruction"),
    )
    return [int(r[0]) for r in rows]
