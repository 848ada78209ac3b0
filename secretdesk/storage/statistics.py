"""Counts for the annual statistics report (thống kê), by classification level.

Each query counts copies (or items) of each level for one kind of event in a window of
UTC timestamps or ISO dates; the event kinds are the ones the report layouts name.
"""

from __future__ import annotations

from secretdesk.domain.custody import ACCOUNTABLE_STATES
from secretdesk.domain.levels import Level
from secretdesk.storage.sqlite import Connection

# SQL returning (event kind, level, count) rows for :start and :end (inclusive dates). Kinds
# read from the same rows share one query (one pass over the items, or over the custody
# events), and CROSS JOIN puts the table the window narrows first: without statistics the
# planner would scan every item to look up the few extensions of the year.
_EVENT_QUERIES: dict[tuple[str, ...], str] = {
    ("registered_outgoing", "registered_incoming"): """
        SELECT 'registered_' || item.direction, item.level, count(*)
        FROM entry CROSS JOIN item ON item.entry_id = entry.id
        WHERE item.direction IN ('outgoing', 'incoming') AND entry.cancelled = 0
          AND date(entry.created_at) BETWEEN :start AND :end
        GROUP BY item.direction, item.level""",
    ("copied",): """
        SELECT 'copied', item.level, sum(reproduction.made_count) FROM reproduction
        CROSS JOIN item ON item.id = reproduction.item_id
        WHERE reproduction.status = 'recorded'
          AND reproduction.copied_at BETWEEN :start AND :end GROUP BY item.level""",
    ("handed_over",): """
        SELECT 'handed_over', item.level, count(*) FROM handover_copy
        JOIN handover ON handover.id = handover_copy.handover_id
        JOIN copy ON copy.id = handover_copy.copy_id JOIN item ON item.id = copy.item_id
        WHERE handover.kind IN ('dispatch', 'issue', 'recall-return')
          AND date(handover.handed_at) BETWEEN :start AND :end GROUP BY item.level""",
    ("taken_out", "provided"): """
        SELECT CASE permit.kind WHEN 'take-out' THEN 'taken_out' ELSE 'provided' END,
               item.level, count(*)
        FROM permit CROSS JOIN permit_copy ON permit_copy.permit_id = permit.id
        CROSS JOIN copy ON copy.id = permit_copy.copy_id
        CROSS JOIN item ON item.id = copy.item_id
        WHERE permit.kind IN ('take-out', 'provision') AND permit.status IN ('approved', 'closed')
          AND date(permit.approved_at) BETWEEN :start AND :end
        GROUP BY permit.kind, item.level""",
    ("extended",): """
        SELECT 'extended', item.level, count(*) FROM extension
        CROSS JOIN item ON item.id = extension.item_id
        WHERE extension.decided_on BETWEEN :start AND :end GROUP BY item.level""",
    ("level_changed",): """
        SELECT 'level_changed', new_level, count(*) FROM level_change
        WHERE decided_on BETWEEN :start AND :end GROUP BY new_level""",
    ("declassified",): """
        SELECT 'declassified', item.level, count(*) FROM declassification
        CROSS JOIN item ON item.id = declassification.item_id
        WHERE declassification.decided_on BETWEEN :start AND :end GROUP BY item.level""",
    ("destroyed", "lost_or_leaked"): """
        SELECT custody_event.to_state, item.level, count(*) FROM custody_event
        CROSS JOIN copy ON copy.id = custody_event.copy_id
        CROSS JOIN item ON item.id = copy.item_id
        WHERE custody_event.to_state IN ('destroyed', 'lost_or_leaked')
          AND date(custody_event.at_utc) BETWEEN :start AND :end
        GROUP BY custody_event.to_state, item.level""",
}

EVENT_KINDS = tuple(kind for kinds in _EVENT_QUERIES for kind in kinds)
_HELD = tuple(sorted(state.value for state in ACCOUNTABLE_STATES))


def _by_level(rows: object) -> dict[Level, int]:
    counts = {level: 0 for level in Level}
    for level, count in rows:  # type: ignore[attr-defined]
        counts[Level(level)] += int(count or 0)
    return counts


def event_counts(conn: Connection, start: str, end: str) -> dict[str, dict[Level, int]]:
    window = {"start": start, "end": end}
    counts = {kind: {level: 0 for level in Level} for kind in EVENT_KINDS}
    for sql in _EVENT_QUERIES.values():
        for kind, level, count in conn.execute(sql, window):
            counts[kind][Level(level)] += int(count or 0)
    return counts


def held_by_level(conn: Connection) -> dict[Level, int]:
    """Copies on this unit's books now: in active custody, or in transit until the receipt
    comes back (domain/custody.py ``ACCOUNTABLE_STATES``)."""
    marks = ", ".join("?" for _ in _HELD)
    return _by_level(
        conn.execute(
            "SELECT item.level, count(*) FROM copy JOIN item ON item.id = copy.item_id"
            f" WHERE copy.state IN ({marks}) GROUP BY item.level",
            _HELD,
        )
    )


def audit_count(conn: Connection, action: str, start: str, end: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM audit_event WHERE action = ? AND date(at_utc) BETWEEN ? AND ?",
        (action, start, end),
    ).fetchone()
    return int(row[0])


def incident_count(conn: Connection, kind: str, start: str, end: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM incident WHERE kind = ? AND date(occurred_at) BETWEEN ? AND ?",
        (kind, start, end),
    ).fetchone()
    return int(row[0])
