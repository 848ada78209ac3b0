"""Schema 3: the supervising office's side of export packages (DESIGN.md §5, DOMAIN.md §8).

``trusted_unit``: unit keys pinned by the office after checking their fingerprint against the
paper report. A unit has at most one key in use (``retired_at`` empty) and a key serves at
most one unit at a time; key ids are not unique (a key's owner chooses its id), so packages
are checked against every pinned key with the id their signatures name. A key pinned by
mistake is retired (who, when, why), never deleted or edited: the office may then pin the
right one. ``received_package``: every package accepted, with its signed sequence number and
audit-chain head and the pinned key that verified it, so replays, gaps and a unit database
rolled back can be detected. Neither table may be emptied, nor a row changed once written
(retiring a pinned key once is the one change allowed): a pinned key or a received package
is evidence, like the audit chain.

On the unit side, audit events are indexed by entity, so the exports started but never
confirmed as written (entity ``export``) are found without reading the whole chain.
"""

VERSION = 3

STATEMENTS = (
    """
    CREATE TABLE trusted_unit (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        key_id TEXT NOT NULL CHECK (length(key_id) = 16),
        fingerprint TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        pinned_by TEXT NOT NULL,
        retired_at TEXT,
        retired_by TEXT,
        retired_reason TEXT,
        CHECK ((retired_at IS NULL) = (retired_by IS NULL)),
        CHECK ((retired_at IS NULL) = (retired_reason IS NULL)),
        CHECK (retired_reason IS NULL OR length(trim(retired_reason)) > 0)
    )
    """,
    """
    CREATE UNIQUE INDEX trusted_unit_one_key_per_unit ON trusted_unit(code)
    WHERE retired_at IS NULL
    """,
    """
    CREATE UNIQUE INDEX trusted_unit_one_unit_per_key ON trusted_unit(fingerprint)
    WHERE retired_at IS NULL
    """,
    """
    CREATE INDEX trusted_unit_by_key_id ON trusted_unit(key_id)
    """,
    """
    CREATE TABLE received_package (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL,
        trusted_unit_id INTEGER NOT NULL REFERENCES trusted_unit(id),
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
    CREATE INDEX audit_event_by_entity ON audit_event(entity, entity_id)
    """,
    """
    CREATE INDEX received_package_by_period ON received_package(period, kind, unit_code, seq)
    """,
    """
    CREATE TRIGGER trusted_unit_no_update BEFORE UPDATE ON trusted_unit
    WHEN NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.name IS NOT OLD.name
        OR NEW.public_key IS NOT OLD.public_key OR NEW.key_id IS NOT OLD.key_id
        OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.pinned_at IS NOT OLD.pinned_at
        OR NEW.pinned_by IS NOT OLD.pinned_by OR OLD.retired_at IS NOT NULL
        OR NEW.retired_at IS NULL
    BEGIN SELECT RAISE(ABORT, 'pinned unit keys are never changed, only retired once'); END
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
