"""Schema 5: the audit log as a Merkle tree (RFC 9162 §2.1, DESIGN.md §3).

``audit_tree`` keeps the hash of every aligned perfect subtree of the events: level 0 holds
the leaf hash of event ``idx + 1``, level ``l`` the node over leaves ``idx * 2**l`` to
``(idx + 1) * 2**l - 1``. Appending an event adds one row and, on average, one node above it
(O(log n) at worst); a tree head or a proof needs O(log² n) look-ups. The rows are derived
from the events and checked against them by ``audit verify``; like the events they may not be
changed or deleted.

On the office side, ``received_package`` gains the tree head each package signed
(``tree_size``, ``tree_root``; empty for packages from before the tree), which is the
reference a unit's next package must prove consistency with.

``upgrade`` computes the tree of the events already in the vault (same transaction).
"""

from __future__ import annotations

from typing import Any

VERSION = 5

STATEMENTS = (
    """
    CREATE TABLE audit_tree (
        level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 62),
        idx INTEGER NOT NULL CHECK (idx >= 0),
        hash BLOB NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER audit_tree_no_update BEFORE UPDATE ON audit_tree
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
    """
    CREATE TRIGGER audit_tree_no_delete BEFORE DELETE ON audit_tree
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
    """
    ALTER TABLE received_package ADD COLUMN tree_size INTEGER CHECK (tree_size >= 0)
    """,
    """
    ALTER TABLE received_package ADD COLUMN tree_root TEXT CHECK (length(tree_root) = 64)
    """,
)


def upgrade(conn: Any) -> None:
    from secretdesk.storage import audit

    audit.rebuild_tree(conn)
