"""Export packages on both sides (DESIGN.md §5, DOMAIN.md §8).

The unit side: its export sequence number (setting ``export.last_seq``, the last number
reserved), the exports started but never confirmed (from the audit events), and the rows a
report carries for the office to reconcile: dispatches sent and incoming items registered in
a window, audit events of a window.

The office side: unit keys pinned after checking their fingerprint (``trusted_unit``; a key
pinned by mistake is retired, never changed or deleted) and the packages accepted from each
unit (``received_package``); both are append-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
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


EXPORT_STARTED = "export.started"
EXPORT_ENDED = ("export.written", "export.failed")


@dataclass(frozen=True)
class StartedExport:
    """An export whose number was reserved (``export.started``) but never confirmed."""

    seq: int
    kind: str
    period: str
    started_at: str
    started_by: str


@dataclass(frozen=True)
class LastExport:
    """The latest export started, and how it ended: "written", "failed" or "unconfirmed"."""

    seq: int
    kind: str
    period: str
    started_at: str
    outcome: str
    ended_at: str | None


def last_export(conn: Connection) -> LastExport | None:
    """The export started last (from the audit events), or None when there was none."""
    row = conn.execute(
        "SELECT entity_id, detail_json, at_utc FROM audit_event WHERE entity = 'export'"
        " AND action = ? ORDER BY seq DESC LIMIT 1",
        (EXPORT_STARTED,),
    ).fetchone()
    if row is None:
        return None
    ended = ", ".join("?" for _ in EXPORT_ENDED)
    end = conn.execute(
        "SELECT action, at_utc FROM audit_event WHERE entity = 'export' AND entity_id = ?"
        f" AND action IN ({ended}) ORDER BY seq DESC LIMIT 1",
        (row[0], *EXPORT_ENDED),
    ).fetchone()
    detail = json.loads(row[1])
    outcome = "unconfirmed" if end is None else str(end[0]).removeprefix("export.")
    return LastExport(
        int(row[0]),
        str(detail.get("kind", "")),
        str(detail.get("period", "")),
        str(row[2]),
        outcome,
        None if end is None else str(end[1]),
    )


def unconfirmed_exports(conn: Connection) -> list[StartedExport]:
    """Exports started but neither written nor failed: the program stopped in between."""
    ended = ", ".join("?" for _ in EXPORT_ENDED)
    rows = conn.execute(
        "SELECT started.entity_id, started.detail_json, started.at_utc, started.actor"
        " FROM audit_event AS started WHERE started.entity = 'export' AND started.action = ?"
        " AND NOT EXISTS (SELECT 1 FROM audit_event AS ended WHERE ended.entity = 'export'"
        f" AND ended.entity_id = started.entity_id AND ended.action IN ({ended}))"
        " ORDER BY started.seq",
        (EXPORT_STARTED, *EXPORT_ENDED),
    )
    found = []
    for row in rows:
        detail = json.loads(row[1])
        found.append(
            StartedExport(
                int(row[0]),
                str(detail.get("kind", "")),
                str(detail.get("period", "")),
                str(row[2]),
                str(row[3]),
            )
        )
    return found


@dataclass(frozen=True)
class ExportRecord:
    """One export of the unit as its audit events tell it: ``written``, ``failed`` or
    ``unconfirmed`` (started, never ended)."""

    seq: int
    kind: str
    period: str
    started_at: str
    started_by: str
    status: str
    folder: str
    confirmed: bool  # ended by a clerk's later confirmation, not by the export itself


def export_history(conn: Connection) -> list[ExportRecord]:
    """Every export started, newest first, with how it ended."""
    ended: dict[int, tuple[str, dict[str, Any]]] = {}
    for entity_id, action, detail in conn.execute(
        "SELECT entity_id, action, detail_json FROM audit_event WHERE entity = 'export'"
        f" AND action IN ({', '.join('?' for _ in EXPORT_ENDED)}) ORDER BY seq",
        EXPORT_ENDED,
    ):
        ended.setdefault(int(entity_id), (str(action), json.loads(detail)))
    found = []
    for entity_id, detail_json, at, actor in conn.execute(
        "SELECT entity_id, detail_json, at_utc, actor FROM audit_event"
        " WHERE entity = 'export' AND action = ? ORDER BY seq DESC",
        (EXPORT_STARTED,),
    ):
        detail = json.loads(detail_json)
        action, end = ended.get(int(entity_id), ("", {}))
        status = {"export.written": "written", "export.failed": "failed"}.get(action, "unconfirmed")
        found.append(
            ExportRecord(
                int(entity_id),
                str(detail.get("kind", "")),
                str(detail.get("period", "")),
                str(at),
                str(actor),
                status,
                str(end.get("folder") or end.get("leftover") or ""),
                bool(end.get("confirmed")),
            )
        )
    return found


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
        " item.doc_date, item.level FROM entry CROSS JOIN item ON item.entry_id = entry.id"
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
    id: int = 0  # the row; 0 before it is stored
    retired_at: str | None = None
    retired_by: str | None = None
    retired_reason: str | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


_TRUSTED = (
    "code, name, public_key, key_id, fingerprint, pinned_at, pinned_by, id, retired_at,"
    " retired_by, retired_reason"
)


def _trusted(row: Any) -> TrustedUnit:
    def optional(value: Any) -> str | None:
        return None if value is None else str(value)

    return TrustedUnit(
        code=str(row[0]),
        name=str(row[1]),
        public_key=str(row[2]),
        key_id=str(row[3]),
        fingerprint=str(row[4]),
        pinned_at=str(row[5]),
        pinned_by=str(row[6]),
        id=int(row[7]),
        retired_at=optional(row[8]),
        retired_by=optional(row[9]),
        retired_reason=optional(row[10]),
    )


def insert_trusted_unit(conn: Connection, unit: TrustedUnit) -> TrustedUnit:
    """Pin a key; the stored row (with its id) is returned."""
    cursor = conn.execute(
        "INSERT INTO trusted_unit (code, name, public_key, key_id, fingerprint, pinned_at,"
        " pinned_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    return replace(unit, id=int(cursor.lastrowid))


def retire_trusted_unit(conn: Connection, unit_id: int, at: str, by: str, reason: str) -> None:
    """Mark a pinned key as no longer used; the row itself stays as it was pinned."""
    conn.execute(
        "UPDATE trusted_unit SET retired_at = ?, retired_by = ?, retired_reason = ?"
        " WHERE id = ? AND retired_at IS NULL",
        (at, by, reason, unit_id),
    )


def trusted_units(conn: Connection, *, include_retired: bool = False) -> list[TrustedUnit]:
    """The keys in use (by unit code), or every key ever pinned (then by code and row)."""
    where = "" if include_retired else " WHERE retired_at IS NULL"
    rows = conn.execute(f"SELECT {_TRUSTED} FROM trusted_unit{where} ORDER BY code, id")
    return [_trusted(row) for row in rows]


def trusted_unit_for_code(conn: Connection, code: str) -> TrustedUnit | None:
    """The key in use for a unit."""
    row = conn.execute(
        f"SELECT {_TRUSTED} FROM trusted_unit WHERE code = ? AND retired_at IS NULL", (code,)
    ).fetchone()
    return None if row is None else _trusted(row)


def trusted_unit_matching(conn: Connection, *, code: str, fingerprint: str) -> TrustedUnit | None:
    """A key in use for this unit code, or this key in use for any unit."""
    row = conn.execute(
        f"SELECT {_TRUSTED} FROM trusted_unit WHERE retired_at IS NULL"
        " AND (code = ? OR fingerprint = ?) ORDER BY code = ? DESC, code LIMIT 1",
        (code, fingerprint, code),
    ).fetchone()
    return None if row is None else _trusted(row)


@dataclass(frozen=True)
class RotatedKey:
    """A pinned key retired by the unit's own signed rotation statement."""

    old: TrustedUnit
    new_trusted_unit_id: int
    from_seq: int  # the first package number of the new key


def insert_rotation(
    conn: Connection,
    *,
    unit_code: str,
    old_id: int,
    new_id: int,
    from_seq: int,
    statement: str,
    signature: str,
    at: str,
    by: str,
) -> None:
    conn.execute(
        "INSERT INTO office_key_rotation (unit_code, old_trusted_unit_id, new_trusted_unit_id,"
        " from_seq, statement, signature, accepted_at, accepted_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (unit_code, old_id, new_id, from_seq, statement, signature, at, by),
    )


def rotated_keys(conn: Connection) -> list[RotatedKey]:
    """Every pinned key retired by a rotation, oldest first."""
    columns = ", ".join(f"trusted_unit.{c.strip()}" for c in _TRUSTED.split(","))
    rows = conn.execute(
        f"SELECT {columns}, rotation.new_trusted_unit_id, rotation.from_seq"
        " FROM office_key_rotation AS rotation"
        " JOIN trusted_unit ON trusted_unit.id = rotation.old_trusted_unit_id"
        " ORDER BY rotation.id"
    )
    return [RotatedKey(_trusted(row[:11]), int(row[11]), int(row[12])) for row in rows]


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


def last_tree_head(conn: Connection, unit_code: str, seq: int) -> tuple[int, int, str] | None:
    """(package seq, tree size, tree root) of the latest package accepted from the unit
    below ``seq`` that carried a tree head: the reference the next package must extend."""
    row = conn.execute(
        "SELECT seq, tree_size, tree_root FROM received_package WHERE unit_code = ? AND seq < ?"
        " AND tree_size IS NOT NULL ORDER BY seq DESC LIMIT 1",
        (unit_code, seq),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))
