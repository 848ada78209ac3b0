"""The audit log as a Merkle tree: append cost, `audit verify` of 1,000,000 events, proofs.

Run: ``python -m tests.benchmarks.bench_audit_tree [EVENTS]`` (not part of the test run).
Prints JSON: the cost of one event appended through ``audit.append`` (chain and tree, in one
transaction of 2,000 events, as a real vault on disk stores them); the wall-clock seconds of
``audit.verify`` (chain and tree recomputed from every event, compared with the stored tree)
over EVENTS events (default 1,000,000, bulk-loaded first); and the size and the time to make
and to check consistency proofs between heads 1,000 and 1,000,000 events apart. Exits 1 when
verify of 1,000,000 events takes more than 5 s.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain import merkle
from secretdesk.storage import audit
from secretdesk.storage.vault import Vault

TARGET_VERIFY_S = 5.0
DETAIL = '{"after":{"copies":3,"level":"mat"},"item":12345,"number_symbol":"12/QĐ-STP"}'


def bulk_load(conn: object, count: int) -> None:
    """``count`` events with their chain and tree, written in large batches (fast set-up)."""
    prev = audit.GENESIS_HASH
    frontier = merkle.Frontier()
    start = audit.head(conn).seq + 1
    events: list[tuple[object, ...]] = []
    nodes: list[tuple[int, int, bytes]] = []
    # replay what is already there so the frontier matches the stored tree
    for row in conn.execute(  # type: ignore[attr-defined]
        "SELECT seq, at_utc, actor, action, entity, entity_id, detail_json, prev_hash, hash"
        " FROM audit_event ORDER BY seq"
    ).fetchall():
        frontier.append(merkle.leaf_hash(audit._fast_body(row)))
        prev = row[8]
    conn.execute("BEGIN IMMEDIATE")  # type: ignore[attr-defined]
    for seq in range(start, start + count):
        row = (
            seq,
            "2026-11-02T08:30:00+00:00",
            "vanthu",
            "item.registered",
            "item",
            str(seq),
            DETAIL,
        )
        body = audit._fast_body(row)
        digest = hashlib.sha256(bytes.fromhex(prev) + body).hexdigest()
        events.append((*row, prev, digest))
        prev = digest
        nodes.extend(frontier.append(merkle.leaf_hash(body)))
        if len(events) >= 50_000:
            flush(conn, events, nodes)
    flush(conn, events, nodes)
    conn.execute("COMMIT")  # type: ignore[attr-defined]


def flush(conn: object, events: list, nodes: list) -> None:  # type: ignore[type-arg]
    conn.executemany(  # type: ignore[attr-defined]
        "INSERT INTO audit_event (seq, at_utc, actor, action, entity, entity_id, detail_json,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    conn.executemany("INSERT INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)", nodes)  # type: ignore[attr-defined]
    events.clear()
    nodes.clear()


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    result: dict[str, object] = {"events": count}
    with tempfile.TemporaryDirectory() as tmp:
        vault, _code = Vault.create(
            Path(tmp) / "v", "admin", "benchmark passphrase 2026", TEST_PARAMS
        )
        conn = vault.connection
        appended = 2_000
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for n in range(appended):
            audit.append(
                conn,
                at_utc="2026-11-02T08:30:00+00:00",
                actor="vanthu",
                action="item.registered",
                entity="item",
                entity_id=n,
                detail={"item": n, "number_symbol": "12/QĐ-STP"},
            )
        conn.execute("COMMIT")
        result["append_us_per_event"] = round((time.perf_counter() - started) / appended * 1e6, 1)

        started = time.perf_counter()
        bulk_load(conn, count - appended)
        result["bulk_load_s"] = round(time.perf_counter() - started, 2)

        started = time.perf_counter()
        cpu = time.process_time()
        verified = audit.verify(conn)
        result["verify_s"] = round(time.perf_counter() - started, 2)
        result["verify_cpu_s"] = round(time.process_time() - cpu, 2)
        result["verify_ok"] = verified.ok and verified.events == count
        now = audit.tree_head(conn)
        for label, first in (("1000_to_n", 1_000), ("n_minus_1000_to_n", count - 1_000)):
            started = time.perf_counter()
            proof = audit.consistency_proof(conn, first, now.size)
            made = time.perf_counter() - started
            old = audit.tree_head(conn, first)
            started = time.perf_counter()
            ok = merkle.verify_consistency(first, now.size, old.root, now.root, proof)
            checked = time.perf_counter() - started
            result[f"proof_{label}"] = {
                "first": first,
                "second": now.size,
                "hashes": len(proof),
                "bytes": 32 * len(proof),
                "make_ms": round(made * 1e3, 2),
                "check_ms": round(checked * 1e3, 3),
                "ok": ok,
            }
        vault.close()
    print(json.dumps(result, indent=2))
    return 0 if result["verify_ok"] and result["verify_s"] <= TARGET_VERIFY_S else 1  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main())
