"""Rows for printed registers: each entry of a book with what its line shows."""

from __future__ import annotations

from typing import Any

from secretdesk.storage.sqlite import Connection


def _rows(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def item_register(conn: Connection, book_id: int) -> list[dict[str, Any]]:
    """Outgoing, incoming and internal registers: one line per entry, in number order."""
    return _rows(
        conn,
        "SELECT entry.number, entry.created_at, entry.cancelled, entry.cancel_reason,"
        " item.id AS item_id, item.number_symbol, item.doc_date, item.doc_type, item.issuer,"
        " item.summary, item.level, item.urgency, item.container, item.drafter,"
        " item.recipients, item.copies_issued, item.pages, item.storage_location,"
        " item.named_addressee, item.addressee_opened_at, item.classifier,"
        " item.summary_consent, item_legal.summary_consent_by, item_legal.summary_consent_on,"
        " item_legal.file_copy_holder,"
        " (SELECT group_concat(number) FROM copy WHERE copy.item_id = item.id"
        " AND copy.kind = 'original') AS originals"
        " FROM entry JOIN item ON item.entry_id = entry.id"
        " LEFT JOIN item_legal ON item_legal.item_id = item.id WHERE entry.book_id = ?"
        " ORDER BY entry.number",
        (book_id,),
    )


def copies_register(conn: Connection, book_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT entry.number, entry.created_at, entry.cancelled, entry.cancel_reason,"
        " reproduction.id AS reproduction_id, reproduction.form, reproduction.authorised_count,"
        " reproduction.made_count, reproduction.approved_by, reproduction.copied_by,"
        " reproduction.copied_at, reproduction.copied_place, reproduction.source_copy_id,"
        " item.number_symbol, item.summary, item.level,"
        " item_legal.summary_consent_by, item_legal.summary_consent_on,"
        " (SELECT group_concat(number) FROM copy WHERE copy.reproduction_id = reproduction.id)"
        " AS made"
        " FROM entry JOIN reproduction ON reproduction.entry_id = entry.id"
        " JOIN item ON item.id = reproduction.item_id"
        " LEFT JOIN item_legal ON item_legal.item_id = item.id WHERE entry.book_id = ?"
        " ORDER BY entry.number",
        (book_id,),
    )


def handovers_register(conn: Connection, book_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT entry.number, entry.cancelled, entry.cancel_reason, handover.id AS handover_id,"
        " handover.kind, handover.sender, handover.recipient_body, handover.recipient_person,"
        " handover.courier, handover.handed_at, handover.status, handover.receipt_by,"
        " handover.receipt_at FROM entry JOIN handover ON handover.entry_id = entry.id"
        " WHERE entry.book_id = ? ORDER BY entry.number",
        (book_id,),
    )


def handover_lines(conn: Connection, handover_id: int) -> list[dict[str, Any]]:
    """Items of a handover with their copy numbers, one line per item."""
    return _rows(
        conn,
        "SELECT item.id AS item_id, item.number_symbol, item.doc_date, item.level,"
        " item.pages, item.urgency, item.named_addressee, item.recall_by,"
        " group_concat(CASE copy.kind WHEN 'reproduction' THEN 'S' || copy.number"
        " ELSE copy.number END, ',') AS copy_numbers"
        " FROM handover_copy JOIN copy ON copy.id = handover_copy.copy_id"
        " JOIN item ON item.id = copy.item_id WHERE handover_copy.handover_id = ?"
        " GROUP BY item.id ORDER BY item.id",
        (handover_id,),
    )


def destruction_register(conn: Connection, book_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT entry.number, entry.cancelled, entry.cancel_reason,"
        " destruction_case.id AS case_id, destruction_case.grounds, destruction_case.emergency,"
        " destruction_case.decision_ref, destruction_case.destroyed_at,"
        " destruction_case.method, destruction_case.status, destruction_case.approved_at,"
        " destruction_withdrawal.reason AS withdrawn_reason, destruction_withdrawal.withdrawn_at"
        " FROM entry JOIN destruction_case ON destruction_case.entry_id = entry.id"
        " LEFT JOIN destruction_withdrawal ON destruction_withdrawal.case_id = destruction_case.id"
        " WHERE entry.book_id = ? ORDER BY entry.number",
        (book_id,),
    )


def destruction_lines(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT item.number_symbol, item.summary, item.level, item.pages,"
        " group_concat(CASE copy.kind WHEN 'reproduction' THEN 'S' || copy.number"
        " ELSE copy.number END, ',') AS copy_numbers"
        " FROM destruction_copy JOIN copy ON copy.id = destruction_copy.copy_id"
        " JOIN item ON item.id = copy.item_id WHERE destruction_copy.case_id = ?"
        " GROUP BY item.id ORDER BY item.id",
        (case_id,),
    )


def council_names(conn: Connection, case_id: int) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM council_member WHERE case_id = ? ORDER BY role, name", (case_id,)
        )
    ]


def numbers(text: str | None) -> list[int]:
    """The numbers of a ``group_concat`` column (None when there are none)."""
    return [int(n) for n in text.split(",")] if text else []
