"""The audit chain (DESIGN.md §3): every change, who, when, what, before and after.

``hash = SHA-256(prev_hash || canonical JSON of the other fields)``. Triggers refuse UPDATE
and DELETE; ``verify`` recomputes the chain and names the first event that does not hold,
which catches an edit made by someone holding the key who dropped the triggers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from secretdesk.storage.sqlite import Connection

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at_utc: str
    actor: str
    action: str
    entity: str
    entity_id: str
    detail_json: str
    prev_hash: str
    hash: str

    @property
    def detail(self) -> Any:
        return json.loads(self.detail_json)


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    events: int
    head: ChainHead
    first_bad_seq: int | None = None
    reason: str = ""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    prev_hash: str,
    *,
    seq: int,
    at_utc: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    detail_json: str,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at_utc": at_utc,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail_json": detail_json,
        }
    )
    return hashlib.sha256(bytes.fromhex(prev_hash) + body.encode("utf-8")).hexdigest()


def head(conn: Connection) -> ChainHead:
    row = conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    return ChainHead(0, GENESIS_HASH) if row is None else ChainHead(int(row[0]), str(row[1]))


def append(
    conn: Connection,
    *,
    at_utc: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> ChainHead:
    """Append one event; call inside the transaction of the change it describes."""
    if not conn.in_transaction:
        raise RuntimeError("audit events are written in the transaction of their change")
    previous = head(conn)
    fields = {
        "seq": previous.seq + 1,
        "at_utc": at_utc,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": "" if entity_id is None else str(entity_id),
        "detail_json": canonical_json(dict(detail or {})),
    }
    digest = event_hash(previous.hash, **fields)  # type: ignore[arg-type]
    conn.execute(
        "INSERT INTO audit_event (seq, at_utc, actor, action, entity, entity_id, detail_json,"
        " prev_hash, hash) VALUES (:seq, :at_utc, :actor, :action, :entity, :entity_id,"
        " :detail_json, :prev_hash, :hash)",
        {**fields, "prev_hash": previous.hash, "hash": digest},
    )
    return ChainHead(int(fields["seq"]), digest)  # type: ignore[call-overload]


_COLUMNS = "seq, at_utc, actor, action, entity, entity_id, detail_json, prev_hash, hash"


def _event(row: Any) -> AuditEvent:
    return AuditEvent(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        str(row[6]),
        str(row[7]),
        str(row[8]),
    )


def events(
    conn: Connection,
    *,
    after_seq: int = 0,
    limit: int | None = None,
    action_prefix: str | None = None,
    newest_first: bool = False,
) -> list[AuditEvent]:
    sql = f"SELECT {_COLUMNS} FROM audit_event WHERE seq > ?"
    params: list[Any] = [after_seq]
    if action_prefix:
        sql += " AND action LIKE ?"
        params.append(action_prefix.replace("%", "") + "%")
    sql += " ORDER BY seq DESC" if newest_first else " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_event(row) for row in conn.execute(sql, params)]


def iter_all(conn: Connection, batch: int = 5000) -> Iterator[AuditEvent]:
    after = 0
    while True:
        chunk = events(conn, after_seq=after, limit=batch)
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


def verify(conn: Connection) -> ChainVerification:
    """Recompute the whole chain; report the first event that does not hold."""
    expected_seq, prev = 1, GENESIS_HASH
    count = 0
    for event in iter_all(conn):
        reason = ""
        if event.seq != expected_seq:
            reason = f"event {expected_seq} is missing"
            bad = expected_seq
        elif event.prev_hash != prev:
            reason = "it does not link to the previous event"
            bad = event.seq
        else:
            recomputed = event_hash(
                prev,
                seq=event.seq,
                at_utc=event.at_utc,
                actor=event.actor,
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                detail_json=event.detail_json,
            )
            if recomputed != event.hash:
                reason = "its content does not match its hash (altered)"
                bad = event.seq
        if reason:
            return ChainVerification(False, count, ChainHead(expected_seq - 1, prev), bad, reason)
        count += 1
        expected_seq, prev = event.seq + 1, event.hash
    return ChainVerification(True, count, ChainHead(expected_seq - 1, prev))
