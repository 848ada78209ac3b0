"""The legal bases known to the database, kept in step with resources/rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from secretdesk.domain.legal import LegalBasis
from secretdesk.storage.sqlite import Connection


def sync(conn: Connection, bases: Iterable[LegalBasis]) -> list[str]:
    """Insert or update each basis; return the codes that changed."""
    changed = []
    for basis in bases:
        values = (
            basis.title,
            basis.effective_from.isoformat(),
            basis.effective_until.isoformat() if basis.effective_until else None,
            basis.tuyet_mat_summary.value,
        )
        row = conn.execute(
            "SELECT title, effective_from, effective_until, tuyet_mat_summary"
            " FROM legal_basis WHERE code = ?",
            (basis.code,),
        ).fetchone()
        if row is not None and tuple(row) == values:
            continue
        conn.execute(
            "INSERT INTO legal_basis (code, title, effective_from, effective_until,"
            " tuyet_mat_summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET"
            " title = excluded.title, effective_from = excluded.effective_from,"
            " effective_until = excluded.effective_until,"
            " tuyet_mat_summary = excluded.tuyet_mat_summary",
            (basis.code, *values),
        )
        changed.append(basis.code)
    return changed


@dataclass(frozen=True)
class ItemLegalRow:
    """What an inspector asks of one item beyond its register line (schema 7)."""

    item_id: int
    summary_consent_by: str
    summary_consent_on: str | None
    list_decision: str
    list_entry: str
    file_copy_holder: str


def insert_item_legal(
    conn: Connection,
    item_id: int,
    *,
    summary_consent_by: str,
    summary_consent_on: str | None,
    list_decision: str,
    list_entry: str,
    file_copy_holder: str,
) -> None:
    conn.execute(
        "INSERT INTO item_legal (item_id, summary_consent_by, summary_consent_on,"
        " list_decision, list_entry, file_copy_holder) VALUES (?, ?, ?, ?, ?, ?)",
        (
            item_id,
            summary_consent_by,
            summary_consent_on,
            list_decision,
            list_entry,
            file_copy_holder,
        ),
    )


def item_legal(conn: Connection, item_id: int) -> ItemLegalRow:
    """The item's row, or an empty one for items registered before schema 7."""
    row = conn.execute(
        "SELECT summary_consent_by, summary_consent_on, list_decision, list_entry,"
        " file_copy_holder FROM item_legal WHERE item_id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        return ItemLegalRow(item_id, "", None, "", "", "")
    return ItemLegalRow(item_id, *row)


def set_post(conn: Connection, username: str, post: str, at: str, by: str) -> None:
    conn.execute(
        "INSERT INTO approver_post (username, post, assigned_at, assigned_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(username) DO UPDATE SET post = excluded.post,"
        " assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by",
        (username, post, at, by),
    )


def post_of(conn: Connection, username: str) -> str | None:
    row = conn.execute("SELECT post FROM approver_post WHERE username = ?", (username,)).fetchone()
    return None if row is None else str(row[0])


def posts(conn: Connection) -> dict[str, str]:
    """username -> post code, for every approver the unit gave a post."""
    return {
        str(r[0]): str(r[1])
        for r in conn.execute("SELECT username, post FROM approver_post ORDER BY username")
    }


@dataclass(frozen=True)
class PermitLegalRow:
    permit_id: int
    abroad: bool
    requester_unit: str
    requester_position: str
    delegation_head: str


def insert_permit_legal(
    conn: Connection,
    permit_id: int,
    *,
    abroad: bool,
    requester_unit: str,
    requester_position: str,
    delegation_head: str,
) -> None:
    conn.execute(
        "INSERT INTO permit_legal (permit_id, abroad, requester_unit, requester_position,"
        " delegation_head) VALUES (?, ?, ?, ?, ?)",
        (permit_id, int(abroad), requester_unit, requester_position, delegation_head),
    )


def permit_legal(conn: Connection, permit_id: int) -> PermitLegalRow:
    """The permit's row, or an empty one for permits recorded before schema 7."""
    row = conn.execute(
        "SELECT abroad, requester_unit, requester_position, delegation_head FROM permit_legal"
        " WHERE permit_id = ?",
        (permit_id,),
    ).fetchone()
    if row is None:
        return PermitLegalRow(permit_id, False, "", "", "")
    return PermitLegalRow(permit_id, bool(row[0]), str(row[1]), str(row[2]), str(row[3]))


def statistics_rows(conn: Connection, start: str, end: str) -> list[tuple[Any, ...]]:
    """Items registered as received or issued between two ISO days (inclusive), with their
    register number, the list-of-secrets basis and the Tuyệt mật consent, in time order."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT substr(item.created_at, 1, 10), entry.kind, entry.number,"
            " item.number_symbol, item.issuer, item.recipients, item.doc_type,"
            " coalesce(item.summary, ''), item.copies_issued, item.level,"
            " coalesce(item_legal.list_decision, ''), coalesce(item_legal.list_entry, '')"
            " FROM item JOIN entry ON entry.id = item.entry_id"
            " LEFT JOIN item_legal ON item_legal.item_id = item.id"
            " WHERE entry.kind IN ('outgoing', 'incoming') AND entry.cancelled = 0"
            " AND substr(item.created_at, 1, 10) BETWEEN ? AND ?"
            " ORDER BY item.created_at, entry.kind, entry.number",
            (start, end),
        )
    ]


def set_followup(
    conn: Connection, incident_id: int, cause: str, handling: str, remedy: str, at: str, by: str
) -> None:
    conn.execute(
        "INSERT INTO incident_followup (incident_id, cause, handling, remedy, recorded_at,"
        " recorded_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(incident_id) DO UPDATE SET"
        " cause = excluded.cause, handling = excluded.handling, remedy = excluded.remedy,"
        " recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
        (incident_id, cause, handling, remedy, at, by),
    )


def leak_loss_cases(conn: Connection, start: str, end: str) -> list[tuple[Any, ...]]:
    """Leaks and losses that happened between two ISO days, with the item concerned and the
    follow-up recorded (empty strings when none)."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT incident.id, substr(incident.occurred_at, 1, 10), incident.kind,"
            " coalesce(item.number_symbol, ''), coalesce(item.level, ''),"
            " coalesce(copy.kind, ''), copy.number, incident.description,"
            " coalesce(f.cause, ''), coalesce(f.handling, ''), coalesce(f.remedy, '')"
            " FROM incident LEFT JOIN copy ON copy.id = incident.copy_id"
            " LEFT JOIN item ON item.id = copy.item_id"
            " LEFT JOIN incident_followup AS f ON f.incident_id = incident.id"
            " WHERE incident.kind IN ('leak', 'loss')"
            " AND substr(incident.occurred_at, 1, 10) BETWEEN ? AND ?"
            " ORDER BY incident.occurred_at, incident.id",
            (start, end),
        )
    ]


def set_council_decision(conn: Connection, case_id: int, decision: str) -> None:
    conn.execute(
        "INSERT INTO destruction_legal (case_id, council_decision) VALUES (?, ?)",
        (case_id, decision),
    )


def council_decision(conn: Connection, case_id: int) -> str:
    row = conn.execute(
        "SELECT council_decision FROM destruction_legal WHERE case_id = ?", (case_id,)
    ).fetchone()
    return "" if row is None else str(row[0])
