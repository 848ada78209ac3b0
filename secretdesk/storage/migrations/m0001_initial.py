"""Schema 1: the unit, users, settings and the audit chain."""

VERSION = 1

STATEMENTS = (
    """
    CREATE TABLE unit (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        superior_body TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        signing_private BLOB NOT NULL CHECK (length(signing_private) = 32),
        signing_public BLOB NOT NULL CHECK (length(signing_public) = 32),
        signing_key_id BLOB NOT NULL CHECK (length(signing_key_id) = 8),
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE user (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN ('clerk', 'approver', 'council', 'auditor', 'admin')),
        max_level TEXT CHECK (max_level IS NULL OR max_level IN ('mat', 'toi-mat', 'tuyet-mat')),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE audit_event (
        seq INTEGER PRIMARY KEY,
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        detail_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    )
    """,
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
)
