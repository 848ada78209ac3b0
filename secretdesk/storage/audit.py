"""The audit log (DESIGN.md §3): every change, who, when, what, before and after.

Each event's canonical bytes (``event_body``: canonical JSON of its fields) feed two
structures. The chain: ``hash = SHA-256(prev_hash || body)``. The Merkle tree (RFC 9162,
domain/merkle.py): ``leaf = SHA-256(0x00 || body)``, its perfect subtrees kept in
``audit_tree`` so an append costs O(log n) and a tree head or consistency proof O(log² n).
Triggers refuse UPDATE and DELETE; ``verify`` recomputes chain and tree and names the first
event that does not hold. Someone holding a key can drop the triggers and recompute both:
only a tree head that has left the machine (a package at the office, a printed slip) catches
that, through a consistency proof the rewritten log cannot produce (``check_head``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from json.encoder import encode_basestring as _escape
from typing import Any

from secretdesk.domain import merkle
from secretdesk.domain.merkle import TreeHead
from secretdesk.storage.sqlite import Connection, DatabaseError

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
    tree: TreeHead | None = None  # the tree of the events that hold


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_body(
    *,
    seq: int,
    at_utc: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    detail_json: str,
) -> bytes:
    """The canonical bytes of an event: what its chain hash and its tree leaf cover."""
    return canonical_json(
        {
            "seq": seq,
            "at_utc": at_utc,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail_json": detail_json,
        }
    ).encode("utf-8")


def event_hash(prev_hash: str, **fields: Any) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + event_body(**fields)).hexdigest()


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
    body = event_body(**fields)  # type: ignore[arg-type]
    digest = hashlib.sha256(bytes.fromhex(previous.hash) + body).hexdigest()
    conn.execute(
        "INSERT INTO audit_event (seq, at_utc, actor, action, entity, entity_id, detail_json,"
        " prev_hash, hash) VALUES (:seq, :at_utc, :actor, :action, :entity, :entity_id,"
        " :detail_json, :prev_hash, :hash)",
        {**fields, "prev_hash": previous.hash, "hash": digest},
    )
    _tree_append(conn, int(fields["seq"]) - 1, merkle.leaf_hash(body))  # type: ignore[call-overload]
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
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
) -> list[AuditEvent]:
    """Events in log order (or newest first). ``entity`` (with ``entity_id``) reads through
    the index by entity, and ``action`` (one action exactly) through the index by action
    (schema 12), instead of the whole log; ``action_prefix`` filters what is read."""
    sql = f"SELECT {_COLUMNS} FROM audit_event WHERE seq > ?"
    params: list[Any] = [after_seq]
    for column, value in (("entity", entity), ("entity_id", entity_id), ("action", action)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if action_prefix:
        sql += " AND action LIKE ?"
        params.append(action_prefix.replace("%", "") + "%")
    sql += " ORDER BY seq DESC" if newest_first else " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_event(row) for row in conn.execute(sql, params)]


# Keys of an event's detail that name a record's level (services/audit.py _concerns).
_LEVEL_KEYS = ("level", "old_level", "new_level", "from_level", "to_level")


def _about_hidden(hidden: Collection[str]) -> tuple[str, list[Any]]:
    """SQL true for an event ``e`` that names a record at one of the ``hidden`` levels: by a
    level in its detail, or as the item, copy or handover (of a copy of an item) it is about.
    The same judgement as services/audit.py ``_concerns``, made by the database so that a
    count covers the whole log."""
    levels = sorted(hidden)
    marks = ", ".join("?" for _ in levels)
    detail = " OR ".join(
        f"json_extract(e.detail_json, '$.{key}') IN ({marks})" for key in _LEVEL_KEYS
    )
    record = "CAST(e.entity_id AS INTEGER)"
    numeric = "e.entity_id <> '' AND e.entity_id NOT GLOB '*[^0-9]*'"
    sql = (
        f"((instr(e.detail_json, 'level') > 0 AND json_valid(e.detail_json) AND ({detail}))"
        f" OR ({numeric} AND ("
        f"(e.entity = 'item' AND (SELECT level FROM item WHERE id = {record}) IN ({marks}))"
        f" OR (e.entity = 'copy' AND (SELECT item.level FROM copy JOIN item"
        f" ON item.id = copy.item_id WHERE copy.id = {record}) IN ({marks}))"
        f" OR (e.entity = 'handover' AND EXISTS (SELECT 1 FROM handover_copy"
        f" JOIN copy ON copy.id = handover_copy.copy_id JOIN item ON item.id = copy.item_id"
        f" WHERE handover_copy.handover_id = {record} AND item.level IN ({marks}))))))"
    )
    # A missing key or record gives NULL, and NOT NULL would drop the event from the page.
    return f"coalesce({sql}, 0)", levels * (len(_LEVEL_KEYS) + 3)


def visible_events(
    conn: Connection,
    *,
    hidden: Collection[str],
    reader: str,
    after_seq: int = 0,
    limit: int | None = None,
    action_prefix: str | None = None,
    newest_first: bool = False,
    actor: str | None = None,
    since_utc: str | None = None,
) -> tuple[list[AuditEvent], int]:
    """A page of the events ``reader`` may see, and how many events of the whole filtered
    log (not only of this page) were left out because they name a record at a ``hidden``
    level. The reader's own events stay: they name nothing the reader did not see.
    ``actor`` keeps one user's events; ``since_utc`` (ISO, UTC) those recorded from then on."""
    where = "e.seq > ?"
    params: list[Any] = [after_seq]
    if action_prefix:
        where += " AND e.action LIKE ?"
        params.append(action_prefix.replace("%", "") + "%")
    if actor:
        where += " AND e.actor = ?"
        params.append(actor)
    if since_utc:
        where += " AND e.at_utc >= ?"
        params.append(since_utc)
    about, levels = _about_hidden(hidden) if hidden else ("0", [])
    sql = (
        f"SELECT {_COLUMNS} FROM audit_event e WHERE {where} AND (e.actor = ? OR NOT {about})"
        f" ORDER BY e.seq {'DESC' if newest_first else 'ASC'}"
    )
    page_params = [*params, reader, *levels]
    if limit is not None:
        sql += " LIMIT ?"
        page_params.append(limit)
    page = [_event(row) for row in conn.execute(sql, page_params)]
    count_sql = f"SELECT count(*) FROM audit_event e WHERE {where} AND e.actor <> ? AND {about}"
    left_out = int(conn.execute(count_sql, [*params, reader, *levels]).fetchone()[0])
    return page, left_out


def iter_all(conn: Connection, batch: int = 5000) -> Iterator[AuditEvent]:
    after = 0
    while True:
        chunk = events(conn, after_seq=after, limit=batch)
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


_BODY = '{"action":%s,"actor":%s,"at_utc":%s,"detail_json":%s,"entity":%s,"entity_id":%s,"seq":%d}'


def _fast_body(row: Any) -> bytes:
    """``event_body`` of a row (seq, at_utc, actor, action, entity, entity_id, detail_json),
    byte for byte (the keys in sorted order, strings escaped by json's own C encoder), at
    about a third of the cost: ``audit verify`` of a million events spends most time here."""
    return (
        _BODY
        % (
            _escape(row[3]),
            _escape(row[2]),
            _escape(row[1]),
            _escape(row[6]),
            _escape(row[4]),
            _escape(row[5]),
            row[0],
        )
    ).encode("utf-8")


@dataclass(frozen=True)
class _Replay:
    verification: ChainVerification
    tree_at: TreeHead | None  # the tree of the first ``at`` events, if the log reached it
    chain_at: str | None  # the chain hash of event ``at``


def _sql_quote(column: str) -> str:
    return f"json_quote({column})"


# ``event_body`` built by SQLite in C, byte for byte: the keys in sorted order, each string
# through json_quote, which escapes exactly what json's encoder escapes with ensure_ascii off
# (tests/unit/test_merkle.py checks both on arbitrary text). A value that is not text (which
# this program never writes) gives NULL, reported as altered, as ``_fast_body`` refuses it.
_SQL_BODY = (
    "CASE WHEN typeof(action) = 'text' AND typeof(actor) = 'text' AND typeof(at_utc) = 'text'"
    " AND typeof(detail_json) = 'text' AND typeof(entity) = 'text'"
    " AND typeof(entity_id) = 'text' THEN CAST("
    + " || ".join(
        (
            """'{"action":'""",
            _sql_quote("action"),
            """',"actor":'""",
            _sql_quote("actor"),
            """',"at_utc":'""",
            _sql_quote("at_utc"),
            """',"detail_json":'""",
            _sql_quote("detail_json"),
            """',"entity":'""",
            _sql_quote("entity"),
            """',"entity_id":'""",
            _sql_quote("entity_id"),
            """',"seq":'""",
            "seq",
            "'}'",
        )
    )
    + " AS BLOB) END"
)


def sql_bodies(conn: Connection, first: int = 1, last: int | None = None) -> list[tuple[Any, ...]]:
    """(seq, body) of the events ``first`` to ``last`` as SQLite encodes them (tests)."""
    return list(
        conn.execute(
            f"SELECT seq, {_SQL_BODY} FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq",
            (first, last if last is not None else 2**62),
        )
    )


_BATCH = 1 << 14  # events per batch of the fast pass: a perfect subtree where aligned

# A batch of events in one row: each event's canonical bytes as SQLite's json_object writes
# them (the keys in sorted order, every string escaped as json_quote escapes it, no spaces:
# ``event_body`` byte for byte, tests/unit/test_audit_verify_fast.py), one per line (JSON
# text escapes every control character, so a newline never occurs inside one), and the
# stored previous-hash and hash columns as two strings. One row per batch: SQLite works with
# the interpreter lock released while the thread below hashes the batch before.
_BATCH_SQL = (
    "SELECT count(*), CAST(group_concat(json_object('action', action, 'actor', actor,"
    " 'at_utc', at_utc, 'detail_json', detail_json, 'entity', entity, 'entity_id',"
    " entity_id, 'seq', seq), X'0A') AS BLOB), group_concat(prev_hash, ''),"
    " group_concat(hash, '') FROM audit_event WHERE seq BETWEEN ? AND ?"
)


class _Mismatch(Exception):
    """The fast pass found something that does not hold; the precise pass names it."""


def _hash_batch(
    frontier: merkle.Frontier, bodies: bytes, count: int, first_prev: str, stored: str
) -> TreeHead:
    """Recompute one batch's chain (from the stored hash before it) and compare it with the
    stored hashes as one string; fold its leaves into the tree; the tree head after it."""
    events = bodies.split(b"\n")
    if len(events) != count:
        raise _Mismatch
    sha = hashlib.sha256
    prev = bytes.fromhex(first_prev)
    chain: list[bytes] = []
    append = chain.append
    for body in events:
        prev = sha(prev + body).digest()
        append(prev)
    if b"".join(chain).hex() != stored:
        raise _Mismatch
    frontier.extend([sha(b"\x00" + body).digest() for body in events])
    return frontier.head()


def _replay_fast(conn: Connection, at: int | None) -> _Replay | None:
    """The whole log recomputed in batches with few Python objects, or None as soon as
    anything does not hold (``_replay_precise`` then finds and names the first bad event).

    SQLite reads and encodes batch n + 1 while a second thread hashes batch n (hashlib and
    SQLite both work in C; the thread never touches the connection). Each event's chain hash
    is recomputed and compared, every link (each previous-hash equal to the hash before it)
    checked as one string comparison per batch, and the leaves folded into the tree level by
    level. Batches end at the tree sizes that have left the machine and at ``at``, so the
    tree at each of them is known."""
    try:
        first, last = conn.execute("SELECT min(seq), max(seq) FROM audit_event").fetchone()
    except DatabaseError:
        return None
    last = int(last or 0)
    if last and first != 1:
        return None
    exported = exported_tree_heads(conn)
    if any(size > last for size in exported):
        return None
    stops = sorted({size for size in exported if 0 < size <= last} | ({at} if at else set()))
    frontier = merkle.Frontier()
    heads: dict[int, Future[TreeHead]] = {}
    prev_hex = GENESIS_HASH
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: list[Future[TreeHead]] = []
        start = 1
        try:
            while start <= last:
                end = min(start - 1 + _BATCH - (start - 1) % _BATCH, last)
                end = min([end, *(stop for stop in stops if start <= stop < end)])
                count, bodies, prevs, stored = conn.execute(_BATCH_SQL, (start, end)).fetchone()
                if count != end - start + 1 or prevs[:64] != prev_hex:
                    raise _Mismatch
                if prevs[64:] != stored[:-64]:
                    raise _Mismatch
                job = pool.submit(_hash_batch, frontier, bodies, count, prev_hex, stored)
                heads[end] = job
                pending.append(job)
                if len(pending) > 2:  # at most two batches waiting: bounded memory
                    pending.pop(0).result()
                prev_hex = stored[-64:]
                start = end + 1
            for job in pending:
                job.result()
        except (_Mismatch, DatabaseError, TypeError, ValueError):
            for job in pending:
                job.cancel()
            return None
    tree = frontier.head()
    for size, root in exported.items():
        if size and heads[size].result().root.hex() != root:
            return None
    if tree_size(conn) != last or stored_tree_root(conn, last) != tree.root:
        return None
    tree_at = chain_at = None
    if at == 0:
        tree_at, chain_at = merkle.TreeHead(0, merkle.EMPTY_ROOT), GENESIS_HASH
    elif at is not None and at <= last:
        tree_at = heads[at].result()
        chain_at = str(
            conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (at,)).fetchone()[0]
        )
    verification = ChainVerification(True, last, ChainHead(last, prev_hex), tree=tree)
    return _Replay(verification, tree_at, chain_at)


def _replay(conn: Connection, at: int | None = None) -> _Replay:
    """Recompute chain and tree from the events; when they do not hold (the fast pass gave
    up), again event by event, stopping at the first that does not hold and naming it."""
    with _one_moment(conn):
        return _replay_fast(conn, at) or _replay_precise(conn, at)


@contextlib.contextmanager
def _one_moment(conn: Connection) -> Iterator[None]:
    """Every read inside as of one moment (one read transaction): the events, the exported
    heads and the stored tree, while another window or command may be saving. Each statement
    alone would see the log as it is when it runs, and a sound log would read as broken."""
    if conn.in_transaction:  # already inside a change or a snapshot: it is one moment
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")  # nothing was written: this only ends the snapshot


def _replay_precise(conn: Connection, at: int | None = None) -> _Replay:
    """Recompute chain and tree from the events, stopping at the first that does not hold.

    The canonical bytes of each event come from SQLite (``_SQL_BODY``), so the loop below
    only compares and hashes: no escaping, formatting or per-field objects in Python."""
    expected_seq, prev = 1, GENESIS_HASH
    prev_bytes = bytes.fromhex(prev)
    frontier = merkle.Frontier()
    sha = hashlib.sha256
    tree_at: TreeHead | None = merkle.TreeHead(0, merkle.EMPTY_ROOT) if at == 0 else None
    chain_at: str | None = GENESIS_HASH if at == 0 else None
    leaves: list[bytes] = []
    exported = exported_tree_heads(conn)
    marks = set(exported) | ({at} if at else set())
    forked: int | None = None  # the first exported head the recomputed tree disagrees with
    cursor = conn.execute(f"SELECT seq, {_SQL_BODY}, prev_hash, hash FROM audit_event ORDER BY seq")
    bad: int | None = None
    reason = ""
    while bad is None:
        rows = cursor.fetchmany(8192)
        if not rows:
            break
        leaves.clear()
        append = leaves.append
        for seq, body, prev_hash, stored in rows:
            if seq != expected_seq:
                bad, reason = expected_seq, f"event {expected_seq} is missing"
                break
            if prev_hash != prev:
                bad, reason = seq, "it does not link to the previous event"
                break
            if body is None:  # a value this program never writes
                bad, reason = seq, "its content does not match its hash (altered)"
                break
            prev_bytes = sha(prev_bytes + body).digest()
            digest = prev_bytes.hex()
            if digest != stored:
                bad, reason = seq, "its content does not match its hash (altered)"
                break
            append(sha(b"\x00" + body).digest())
            expected_seq, prev = seq + 1, digest
            if seq in marks:
                frontier.extend(leaves)
                leaves.clear()
                here = frontier.head()
                if seq == at:
                    chain_at, tree_at = digest, here
                if forked is None and exported.get(seq, here.root.hex()) != here.root.hex():
                    forked = seq
        frontier.extend(leaves)
    count = expected_seq - 1
    tree = frontier.head()
    chain_head = ChainHead(count, prev)
    if bad is not None:
        result = ChainVerification(False, count, chain_head, bad, reason, tree)
        return _Replay(result, tree_at, chain_at)
    beyond = [size for size in exported if size > count]
    if forked is not None or beyond:
        size = forked if forked is not None else min(beyond)
        reason = (
            f"the log no longer extends tree head {size}:{exported[size][:16]} that it "
            "signed into an export (history rewritten, cut or rolled back)"
        )
        result = ChainVerification(False, count, chain_head, size, reason, tree)
        return _Replay(result, tree_at, chain_at)
    stored_size = tree_size(conn)
    if stored_size != count or stored_tree_root(conn, count) != tree.root:
        first = _first_bad_leaf(conn, count)
        reason = "the stored Merkle tree does not match the events"
        return _Replay(ChainVerification(False, count, chain_head, first, reason, tree), None, None)
    return _Replay(ChainVerification(True, count, chain_head, tree=tree), tree_at, chain_at)


def verify(conn: Connection) -> ChainVerification:
    """Recompute the whole chain and tree; report the first event that does not hold."""
    return _replay(conn).verification


def _first_bad_leaf(conn: Connection, count: int) -> int:
    cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit_event ORDER BY seq")
    stored = conn.execute("SELECT idx, hash FROM audit_tree WHERE level = 0 ORDER BY idx")
    for row in cursor:
        found = stored.fetchone()
        if found is None or int(found[0]) != row[0] - 1:
            return int(row[0])
        if bytes(found[1]) != merkle.leaf_hash(_fast_body(row)):
            return int(row[0])
    return count + 1


# -- the Merkle tree -------------------------------------------------------------------------
def _subtree(conn: Connection) -> merkle.SubtreeHashes:
    def subtree(level: int, index: int) -> bytes:
        row = conn.execute(
            "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?", (level, index)
        ).fetchone()
        if row is None:
            raise TreeIncomplete(f"node {level}/{index} of the audit tree is missing")
        return bytes(row[0])

    return subtree


class TreeIncomplete(LookupError):
    """A node the tree should hold is missing (the tree was cut or never built)."""


def _tree_append(conn: Connection, index: int, leaf: bytes) -> None:
    """Store leaf ``index`` and every perfect subtree it completes: O(log n)."""
    rows = [(0, index, leaf)]
    level, current = 0, leaf
    subtree = _subtree(conn)
    while index & 1:
        current = merkle.node_hash(subtree(level, index - 1), current)
        level, index = level + 1, index >> 1
        rows.append((level, index, current))
    conn.executemany("INSERT INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)", rows)


def rebuild_tree(conn: Connection) -> int:
    """Build the tree of the events already stored (schema 5); returns its size."""
    tree = merkle.Frontier()
    for row in conn.execute(f"SELECT {_COLUMNS} FROM audit_event ORDER BY seq").fetchall():
        conn.executemany(
            "INSERT INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)",
            tree.append(merkle.leaf_hash(_fast_body(row))),
        )
    return tree.size


def tree_size(conn: Connection) -> int:
    row = conn.execute("SELECT max(idx) FROM audit_tree WHERE level = 0").fetchone()
    return 0 if row is None or row[0] is None else int(row[0]) + 1


def stored_tree_root(conn: Connection, size: int) -> bytes | None:
    try:
        return merkle.tree_root(_subtree(conn), size)
    except TreeIncomplete:
        return None


def tree_head(conn: Connection, size: int | None = None) -> TreeHead:
    """The head of the stored tree (of its first ``size`` events)."""
    size = tree_size(conn) if size is None else size
    return TreeHead(size, merkle.tree_root(_subtree(conn), size))


def consistency_proof(conn: Connection, first: int, second: int) -> list[bytes]:
    return merkle.consistency_proof(_subtree(conn), first, second)


def inclusion_proof(conn: Connection, index: int, size: int) -> list[bytes]:
    return merkle.inclusion_proof(_subtree(conn), index, size)


# -- heads that have left the machine --------------------------------------------------------
@dataclass(frozen=True)
class HeadCheck:
    """Whether today's log extends a head printed or exported earlier."""

    size: int
    given: str  # the hex digits given (a prefix of the root or of the chain hash)
    extends: bool
    matched: str  # "tree", "chain" or "" (neither)
    log: ChainVerification
    tree_then: TreeHead | None  # recomputed from today's events


def parse_head(text: str) -> tuple[int, str] | None:
    """``SIZE:HEX`` (HEX: at least 8 of the 64 digits) -> (size, hex), or None."""
    size_text, colon, digits = text.strip().partition(":")
    digits = digits.strip().lower()
    if not colon or not size_text.strip().isdigit() or not 8 <= len(digits) <= 64:
        return None
    if any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return int(size_text), digits


def check_head(conn: Connection, size: int, digits: str) -> HeadCheck:
    """Recompute today's log from its events and see whether its first ``size`` events have
    the tree root (or, for heads printed before the tree, the chain hash) ``digits`` begin."""
    replay = _replay(conn, size)
    matched = ""
    if replay.tree_at is not None and replay.tree_at.root.hex().startswith(digits):
        matched = "tree"
    elif replay.chain_at is not None and replay.chain_at.startswith(digits):
        matched = "chain"
    return HeadCheck(size, digits, bool(matched), matched, replay.verification, replay.tree_at)


def exported_tree_heads(conn: Connection) -> dict[int, str]:
    """{tree size: root hex} of every export started with a tree head: heads this log signed
    and sent away, which today's log must still extend (the first one recorded per size)."""
    heads: dict[int, str] = {}
    for (detail_json,) in conn.execute(
        "SELECT detail_json FROM audit_event WHERE entity = 'export'"
        " AND action = 'export.started' ORDER BY seq"
    ):
        try:
            detail = json.loads(detail_json)
            size, root = int(detail["tree_size"]), str(detail["tree_root"])
        except (ValueError, TypeError, KeyError):
            continue
        heads.setdefault(size, root)
    return heads


def exported_tree_sizes(conn: Connection) -> list[int]:
    """The tree sizes of every export started (``export.started`` carries ``tree_size``;
    before the tree, ``export.written`` carried the chain head ``seq:hash``, seq being the
    size): the heads an office may hold, that the next package proves consistency from."""
    sizes: set[int] = set()
    for action, detail_json in conn.execute(
        "SELECT action, detail_json FROM audit_event WHERE entity = 'export'"
        " AND action IN ('export.started', 'export.written')"
    ):
        try:
            detail = json.loads(detail_json)
            if action == "export.started" and "tree_size" in detail:
                sizes.add(int(detail["tree_size"]))
            elif action == "export.written" and "head" in detail:
                sizes.add(int(str(detail["head"]).split(":", 1)[0]))
        except (ValueError, TypeError, AttributeError):
            continue  # a detail this program did not write: no head to prove from
    return sorted(sizes)
