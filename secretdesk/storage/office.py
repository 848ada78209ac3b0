"""Export packages on both sides (DESIGN.md §5, DOMAIN.md §8).

The unit side: its export sequence number (setting ``export.last_seq``) and the rows a report
carries for the office to reconcile: dispatches sent and incoming items registered in a
window, audit events of a window.

The office side: unit keys pinned after checking their fingerprint (``trusted_unit``) and the
packages accepted from each unit (``received_package``); both are append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secretdesk.domain.levels import Level
from secretdesk.storage.sqlite import Connection

EXPORT_SEQ_KEY = "export.last_seq"


# -- unit side -------------------------------------------------------------------------------
def last_export_seq(conn: Connection) -> int:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (EXPORT_SEQ_KEY,)).fetchone()
    return 0 if row is None else int(row[0])


def set_last_export_seq(conn: Connection, seq: int) -> None:
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (EXPORT_SEQ_KEY, str(seq)),
    )


@dataclass(frozen=True)
class DispatchedItem:
    number_symbol: str
    level: Level
    copies: int


@dataclass(frozen=True)
class DispatchRow:
    """A handover of kind dispatch: copies sent to another body."""

    handover_id: int
    number: int
    year: int
    handed_at: str
    recipient_body: str
    items: tuple[DispatchedItem, ...]


def dispatches(conn: Connection, start: str, end: str) -> list[DispatchRow]:
    """Dispatches handed over between two ISO dates (inclusive), in register order."""
    rows = conn.execute(
        "SELECT handover.id, entry.number, entry.year, handover.handed_at,"
        " handover.recipient_body, item.id, item.number_symbol, item.level, count(copy.id)"
        " FROM handover JOIN entry ON entry.id = handover.entry_id"
        " JOIN handover_copy ON handover_copy.handover_id = handover.id"
        " JOIN copy ON copy.id = handover_copy.copy_id JOIN item ON item.id = copy.item_id"
        " WHERE handover.kind = 'dispatch' AND entry.cancelled = 0"
        " AND date(handover.handed_at) BETWEEN ? AND ?"
        " GROUP BY handover.id, item.id ORDER BY entry.year, entry.number, item.id",
        (start, end),
    ).fetchall()
    found: dict[int, DispatchRow] = {}
    for row in rows:
        item = DispatchedItem(str(row[6]), Level(row[7]), int(row[8]))
        previous = found.get(int(row[0]))
        if previous is None:
            found[int(row[0])] = DispatchRow(
                int(row[0]), int(row[1]), int(row[2]), str(row[3]), str(row[4]), (item,)
            )
        else:
            found[int(row[0])] = DispatchRow(
                previous.handover_id,
                previous.number,
                previous.year,
                previous.handed_at,
                previous.recipient_body,
                (*previous.items, item),
            )
    return list(found.values())


@dataclass(frozen=True)
class IncomingRow:
    """An incoming item (bí mật nhà nước đến) as registered."""

    number: int
    year: int
    registered_at: str
    issuer: str
    number_symbol: str
    doc_date: str
    level: Level


def incoming_items(conn: Connection, start: str, end: str) -> list[IncomingRow]:
    """Incoming items registered between two ISO dates (inclusive), cancelled ones left out."""
    rows = conn.execute(
        "SELECT entry.number, entry.year, entry.created_at, item.issuer, item.number_symbol,"
        " item.doc_date, item.level FROM item JOIN entry ON entry.id = item.entry_id"
        " WHERE item.direction = 'incoming' AND entry.cancelled = 0"
        " AND date(entry.created_at) BETWEEN ? AND ? ORDER BY entry.year, entry.number",
        (start, end),
    )
    return [
        IncomingRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), Level(r[6]))
        for r in rows
    ]


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at_utc: str
    actor: str
    action: str
    entity: str
    entity_id: str
    detail_json: str
    prev_hash: str
    hash: str


def audit_events_between(conn: Connection, start: str, end: str) -> list[AuditRow]:
    """Audit events of the days between two ISO dates (inclusive), in chain order."""
    rows = conn.execute(
        "SELECT seq, at_utc, actor, action, entity, entity_id, detail_json, prev_hash, hash"
        " FROM audit_event WHERE date(at_utc) BETWEEN ? AND ? ORDER BY seq",
        (start, end),
    )
    return [AuditRow(int(r[0]), *(str(value) for value in r[1:])) for r in rows]


# -- office side: pinned unit keys -----------------------------------------------------------
@dataclass(frozen=True)
class TrustedUnit:
    code: str
    name: str
    public_key: str  # the unit.pub text as pinned
    key_id: str  # 16 hex digits, as minisign prints it
    fingerprint: str
    pinned_at: str
    pinned_by: str


_TRUSTED = "code, name, public_key, key_id, fingerprint, pinned_at, pinned_by"


def insert_trusted_unit(conn: Connection, unit: TrustedUnit) -> None:
    conn.execute(
        f"INSERT INTO trusted_unit ({_TRUSTED}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            unit.code,
            unit.name,
            unit.public_key,
            unit.key_id,
            unit.fingerprint,
            unit.pinned_at,
            unit.pinned_by,
        ),
    )


def trusted_units(conn: Connection) -> list[TrustedUnit]:
    rows = conn.execute(f"SELECT {_TRUSTED} FROM trusted_unit ORDER BY code")
    return [TrustedUnit(*(str(value) for value in row)) for row in rows]


def trusted_unit_matching(
    conn: Connection, *, code: str, key_id: str, fingerprint: str
) -> TrustedUnit | None:
    """A pinned unit with this code, this key id or this fingerprint (any of them)."""
    row = conn.execute(
        f"SELECT {_TRUSTED} FROM trusted_unit WHERE code = ? OR key_id = ? OR fingerprint = ?"
        " ORDER BY code LIMIT 1",
        (code, key_id, fingerprint),
    ).fetchone()
    return None if row is None else TrustedUnit(*(str(value) for value in row))


# -- office side: received packages ----------------------------------------------------------
@dataclass(frozen=True)
class ReceivedPackage:
    id: int
    unit_code: str
    seq: int
    kind: str
    period: str
    head_seq: int
    head_hash: str
    folder_name: str
    sums_sha256: str
    report_json: str
    imported_at: str
    imported_by: str


_RECEIVED = (
    "id, unit_code, seq, kind, period, head_seq, head_hash, folder_name, sums_sha256,"
    " report_json, imported_at, imported_by"
)


def _received(row: Any) -> ReceivedPackage:
    return ReceivedPackage(
        int(row[0]),
        str(row[1]),
        int(row[2]),
        str(row[3]),
        str(row[4]),
        int(row[5]),
        str(row[6]),
        str(row[7]),
        str(row[8]),
        str(row[9]),
        str(row[10]),
        str(row[11]),
    )


def insert_received(conn: Connection, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO received_package ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid)


def received(conn: Connection, unit_code: str, seq: int) -> ReceivedPackage | None:
    row = conn.execute(
        f"SELECT {_RECEIVED} FROM received_package WHERE unit_code = ? AND seq = ?",
        (unit_code, seq),
    ).fetchone()
    return None if row is None else _received(row)


def highest_seq(conn: Connection, unit_code: str) -> int | None:
    row = conn.execute(
        "SELECT max(seq) FROM received_package WHERE unit_code = ?", (unit_code,)
    ).fetchone()
    return None if row[0] is None else int(row[0])


def head_before(conn: Connection, unit_code: str, seq: int) -> ReceivedPackage | None:
    """Of the packages received with a lower sequence number, the one with the highest
    chain head: a later package must carry a later head."""
    row = conn.execute(
        f"SELECT {_RECEIVED} FROM received_package WHERE unit_code = ? AND seq < ?"
        " ORDER BY head_seq DESC, seq DESC LIMIT 1",
        (unit_code, seq),
    ).fetchone()
    return None if row is None else _received(row)


def received_packages(
    conn: Connection, *, period: str | None = None, kind: str | None = None
) -> list[ReceivedPackage]:
    sql = f"SELECT {_RECEIVED} FROM received_package WHERE 1 = 1"
    params: list[str] = []
    if period is not None:
        sql, params = sql + " AND period = ?", [*params, period]
    if kind is not None:
        sql, params = sql + " AND kind = ?", [*params, kind]
    rows = conn.execute(sql + " ORDER BY unit_code, seq", params)
    return [_received(row) for row in rows]
