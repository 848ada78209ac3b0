"""The unit (đơn vị): one row, holding the unit's signing key."""

from __future__ import annotations

from dataclasses import dataclass

from secretdesk.storage.sqlite import Connection


@dataclass(frozen=True)
class UnitRecord:
    name: str
    code: str
    superior_body: str
    place: str
    signing_private: bytes
    signing_public: bytes
    signing_key_id: bytes
    created_at: str

    def __repr__(self) -> str:
        return f"UnitRecord(code={self.code!r}, name={self.name!r})"


def insert(conn: Connection, unit: UnitRecord) -> None:
    conn.execute(
        "INSERT INTO unit (id, name, code, superior_body, place, signing_private,"
        " signing_public, signing_key_id, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            unit.name,
            unit.code,
            unit.superior_body,
            unit.place,
            unit.signing_private,
            unit.signing_public,
            unit.signing_key_id,
            unit.created_at,
        ),
    )


def get(conn: Connection) -> UnitRecord | None:
    row = conn.execute(
        "SELECT name, code, superior_body, place, signing_private, signing_public,"
        " signing_key_id, created_at FROM unit WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return UnitRecord(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        bytes(row[4]),
        bytes(row[5]),
        bytes(row[6]),
        str(row[7]),
    )


# -- the kind of vault: a unit's register or the supervising office's ----------------------
VAULT_KIND_KEY = "vault.kind"
UNIT_VAULT, OFFICE_VAULT = "unit", "office"


def vault_kind(conn: Connection) -> str:
    """ "office" for the supervising office's vault, else "unit".

    Chosen at setup (setting ``vault.kind``); a vault made before the choice existed is the
    office's when it already holds office data (a pinned unit key or a received package)."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (VAULT_KIND_KEY,)).fetchone()
    if row is not None:
        return OFFICE_VAULT if str(row[0]) == OFFICE_VAULT else UNIT_VAULT
    held = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM trusted_unit) OR EXISTS (SELECT 1 FROM received_package)"
    ).fetchone()
    return OFFICE_VAULT if held[0] else UNIT_VAULT


def set_vault_kind(conn: Connection, kind: str) -> None:
    if kind not in (UNIT_VAULT, OFFICE_VAULT):
        raise ValueError(kind)
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (VAULT_KIND_KEY, kind),
    )


# -- key rotation (issue 12) -----------------------------------------------------------------
@dataclass(frozen=True)
class KeyRotation:
    """The unit key replaced: the statement the old key signed, and that signature."""

    old_public: bytes
    new_public: bytes
    from_seq: int
    reason: str
    at_utc: str
    statement: bytes
    signature: str


def replace_signing_key(conn: Connection, private: bytes, public: bytes, key_id: bytes) -> None:
    conn.execute(
        "UPDATE unit SET signing_private = ?, signing_public = ?, signing_key_id = ? WHERE id = 1",
        (private, public, key_id),
    )


def insert_rotation(conn: Connection, rotation: KeyRotation) -> None:
    conn.execute(
        "INSERT INTO unit_key_rotation (old_public, new_public, from_seq, reason, at_utc,"
        " statement, signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            rotation.old_public,
            rotation.new_public,
            rotation.from_seq,
            rotation.reason,
            rotation.at_utc,
            rotation.statement,
            rotation.signature,
        ),
    )


def latest_rotation(conn: Connection) -> KeyRotation | None:
    row = conn.execute(
        "SELECT old_public, new_public, from_seq, reason, at_utc, statement, signature"
        " FROM unit_key_rotation ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return KeyRotation(
        bytes(row[0]),
        bytes(row[1]),
        int(row[2]),
        str(row[3]),
        str(row[4]),
        bytes(row[5]),
        str(row[6]),
    )
