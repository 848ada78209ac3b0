"""Schema 3: the supervising office's side of export packages (DESIGN.md §5, DOMAIN.md §8).

``trusted_unit``: unit keys pinned by the office after checking their fingerprint against the
paper report. ``received_package``: every package accepted, with its signed sequence number
and audit-chain head, so replays, gaps and a unit database rolled back can be detected.
Neither table may be changed or emptied once written: a pinned key or a received package is
evidence, like the audit chain.
"""

VERSION = 3

STATEMENTS = (
    """
    CREATE TABLE trusted_unit (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        key_id TEXT NOT NULL UNIQUE CHECK (length(key_id) = 16),
        fingerprint TEXT NOT NULL UNIQUE,
        pinned_at TEXT NOT NULL,
        pinned_by TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE received_package (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL REFERENCES trusted_unit(code),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL,
        period TEXT NOT NULL,
        head_seq INTEGER NOT NULL CHECK (head_seq >= 0),
        head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
        folder_name TEXT NOT NULL,
        sums_sha256 TEXT NOT NULL CHECK (length(sums_sha256) = 64),
        report_json TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        UNIQUE (unit_code, seq)
    )
    """,
    """
    CREATE INDEX received_package_by_period ON received_package(period, kind, unit_code, seq)
    """,
    """
    CREATE TRIGGER trusted_unit_no_update BEFORE UPDATE ON trusted_unit
    BEGIN SELECT RAISE(ABORT, 'pinned unit keys are never changed'); END
    """,
    """
    CREATE TRIGGER trusted_unit_no_delete BEFORE DELETE ON trusted_unit
    BEGIN SELECT RAISE(ABORT, 'pinned unit keys are never deleted'); END
    """,
    """
    CREATE TRIGGER received_package_no_update BEFORE UPDATE ON received_package
    BEGIN SELECT RAISE(ABORT, 'received packages are never changed'); END
    """,
    """
    CREATE TRIGGER received_package_no_delete BEFORE DELETE ON received_package
    BEGIN SELECT RAISE(ABORT, 'received packages are never deleted'); END
    """,
)
