"""Schema 10: evidence an inspector can check (issue 18): scans kept inside the vault.

``attachment``: one row per file attached to a handover, a destruction case, a permit or an
incident (the signed slip, the signed minutes, the report of use): its name, kind, size and
SHA-256, who added it and when, and how (``attach`` by hand, ``scan`` by scan-back). The row
is never deleted and its hash never changes: removing an attachment drops its bytes and
records who removed it, when and why, so the record of what was there stays.

``attachment_chunk``: the bytes, in chunks of at most 1 MiB (a large scan is never one huge
value in memory or in a page chain), inside the encrypted database, never next to it.
"""

VERSION = 10

STATEMENTS = (
    """
    CREATE TABLE attachment (
        id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL
            CHECK (entity IN ('handover', 'destruction', 'permit', 'incident')),
        entity_id INTEGER NOT NULL,
        filename TEXT NOT NULL CHECK (filename <> ''),
        media_type TEXT NOT NULL
            CHECK (media_type IN ('image/png', 'image/jpeg', 'image/tiff', 'application/pdf')),
        size INTEGER NOT NULL CHECK (size > 0),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        source TEXT NOT NULL DEFAULT 'attach' CHECK (source IN ('attach', 'scan')),
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        removed_at TEXT,
        removed_by TEXT,
        removed_reason TEXT
    )
    """,
    "CREATE INDEX attachment_of ON attachment(entity, entity_id)",
    """
    CREATE TABLE attachment_chunk (
        attachment_id INTEGER NOT NULL REFERENCES attachment(id),
        seq INTEGER NOT NULL CHECK (seq >= 0),
        data BLOB NOT NULL,
        PRIMARY KEY (attachment_id, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER attachment_never_deleted BEFORE DELETE ON attachment
    BEGIN SELECT RAISE(ABORT, 'attachment records are never deleted'); END
    """,
    """
    CREATE TRIGGER attachment_record_fixed BEFORE UPDATE OF
        entity, entity_id, filename, media_type, size, sha256, source, added_at, added_by
        ON attachment
    BEGIN SELECT RAISE(ABORT, 'an attachment record does not change'); END
    """,
)
