"""Schema 9: the unit signing key rotated (issue 12).

``unit_key_rotation`` (unit side): every rotation of the unit's Ed25519 key, with the
statement the old key signed (the new public key, from which export sequence number, why,
when) and that signature; the latest statement travels in every later package. The unit row
then holds the new key.

``office_key_rotation`` (office side): a rotation the office accepted: the pinned key it
retired, the key it pinned instead, the first sequence number of the new key, and the
statement with its signature. Packages signed by the retired key with that number or a later
one are refused. Both tables are append-only, like the audit chain.
"""

VERSION = 9

STATEMENTS = (
    """
    CREATE TABLE unit_key_rotation (
        id INTEGER PRIMARY KEY,
        old_public BLOB NOT NULL CHECK (length(old_public) = 32),
        new_public BLOB NOT NULL CHECK (length(new_public) = 32),
        from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
        reason TEXT NOT NULL,
        at_utc TEXT NOT NULL,
        statement BLOB NOT NULL,
        signature TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE office_key_rotation (
        id INTEGER PRIMARY KEY,
        unit_code TEXT NOT NULL,
        old_trusted_unit_id INTEGER NOT NULL UNIQUE REFERENCES trusted_unit(id),
        new_trusted_unit_id INTEGER NOT NULL UNIQUE REFERENCES trusted_unit(id),
        from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
        statement TEXT NOT NULL,
        signature TEXT NOT NULL,
        accepted_at TEXT NOT NULL,
        accepted_by TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER unit_key_rotation_no_change BEFORE UPDATE ON unit_key_rotation
    BEGIN SELECT RAISE(ABORT, 'key rotations are never changed'); END
    """,
    """
    CREATE TRIGGER unit_key_rotation_no_delete BEFORE DELETE ON unit_key_rotation
    BEGIN SELECT RAISE(ABORT, 'key rotations are never deleted'); END
    """,
    """
    CREATE TRIGGER office_key_rotation_no_change BEFORE UPDATE ON office_key_rotation
    BEGIN SELECT RAISE(ABORT, 'key rotations are never changed'); END
    """,
    """
    CREATE TRIGGER office_key_rotation_no_delete BEFORE DELETE ON office_key_rotation
    BEGIN SELECT RAISE(ABORT, 'key rotations are never deleted'); END
    """,
)
