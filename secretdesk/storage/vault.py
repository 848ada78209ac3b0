"""The vault: an SQLCipher database and its key slots (DESIGN.md §2).

Files in the data directory: ``secretdesk.db`` (SQLCipher 4, encrypted with a random
256-bit data key given as a raw key) and ``secretdesk.keys`` (the data key wrapped per user
and once under a recovery code). One thread owns a Vault's connection.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from secretdesk.crypto import kdf
from secretdesk.storage import migrations
from secretdesk.storage.errors import (
    KeyFileDamaged,
    MigrationFailed,
    NoEncryption,
    UnknownUser,
    VaultDamaged,
    VaultExists,
    VaultNotFound,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
)
from secretdesk.storage.keyslots import (
    RECOVERY_SLOT,
    KeySlots,
    new_recovery_code,
    normalise_recovery_code,
    user_slot_id,
)
from secretdesk.storage.lockout import Lockout
from secretdesk.storage.sqlite import Connection, DatabaseError, connect
from secretdesk.system.atomic import fsync_directory
from secretdesk.system.clock import Clock

DB_FILE = "secretdesk.db"
KEYS_FILE = "secretdesk.keys"
LOCKOUT_FILE = "secretdesk.lockout"
MIN_PASSPHRASE_LENGTH = 10
DATA_KEY_LENGTH = 32

REQUIRED_PRAGMAS = {
    "temp_store": "2",  # MEMORY
    "journal_mode": "wal",
    "synchronous": "2",  # FULL
    "foreign_keys": "1",
    "secure_delete": "1",
    "cipher_memory_security": "0",
}


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(minimum=MIN_PASSPHRASE_LENGTH)


class Vault:
    """An open vault. Create it with ``create``, ``unlock``, ``recover`` or ``open_with_key``."""

    def __init__(self, data_dir: Path, conn: Connection, data_key: bytes, slots: KeySlots):
        self.data_dir = data_dir
        self._conn: Connection | None = conn
        self._data_key = bytearray(data_key)
        self.slots = slots
        self.failed_unlocks_before = 0  # reported by the service layer into the audit log
        self.backup_made: Path | None = None

    # -- paths -------------------------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (Path(data_dir) / DB_FILE).exists() or (Path(data_dir) / KEYS_FILE).exists()

    @classmethod
    def usernames(cls, data_dir: Path) -> list[str]:
        """Users with a key slot, readable before unlocking (the names are not secret)."""
        return cls._load_slots(Path(data_dir)).usernames()

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE

    @property
    def keys_path(self) -> Path:
        return self.data_dir / KEYS_FILE

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create(
        cls, data_dir: Path, username: str, passphrase: str, params: kdf.KdfParams
    ) -> tuple[Vault, str]:
        """Create a new vault with one user slot and a recovery slot; return the recovery code."""
        data_dir = Path(data_dir)
        check_passphrase_strength(passphrase)
        if cls.exists(data_dir):
            raise VaultExists(path=str(data_dir))
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        data_key = os.urandom(DATA_KEY_LENGTH)
        slots = KeySlots(vault_id=secrets.token_hex(8))
        slots.put(user_slot_id(username), passphrase, data_key, params)
        recovery_code = new_recovery_code()
        slots.put(RECOVERY_SLOT, recovery_code, data_key, params)
        db_path = data_dir / DB_FILE
        try:
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            conn = _connect(db_path, data_key, new=True)
            vault = cls(data_dir, conn, data_key, slots)
            vault._migrate()
            slots.save(data_dir / KEYS_FILE)
        except BaseException:
            for leftover in (db_path, data_dir / KEYS_FILE):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise
        return vault, recovery_code

    @classmethod
    def unlock(cls, data_dir: Path, username: str, passphrase: str, clock: Clock) -> Vault:
        data_dir = Path(data_dir)
        slots = cls._load_slots(data_dir)
        slot_id = user_slot_id(username)
        lockout = Lockout(data_dir / LOCKOUT_FILE, clock)
        lockout.check(slot_id)
        try:
            data_key = slots.open(slot_id, passphrase)
        except (WrongPassphrase, UnknownUser):
            lockout.record_failure(slot_id)
            raise WrongPassphrase() from None
        vault = cls._open(data_dir, data_key, slots)
        vault.failed_unlocks_before = lockout.reset(slot_id)
        return vault

    @classmethod
    def recover(cls, data_dir: Path, recovery_code: str, clock: Clock) -> Vault:
        """Open with the printed recovery code (to set a forgotten passphrase)."""
        data_dir = Path(data_dir)
        slots = cls._load_slots(data_dir)
        lockout = Lockout(data_dir / LOCKOUT_FILE, clock)
        lockout.check(RECOVERY_SLOT)
        try:
            data_key = slots.open(RECOVERY_SLOT, normalise_recovery_code(recovery_code))
        except (WrongPassphrase, UnknownUser):
            lockout.record_failure(RECOVERY_SLOT)
            raise WrongRecoveryCode() from None
        vault = cls._open(data_dir, data_key, slots)
        vault.failed_unlocks_before = lockout.reset(RECOVERY_SLOT)
        return vault

    @classmethod
    def open_with_key(cls, data_dir: Path, data_key: bytes) -> Vault:
        """Open with the raw data key (tests, fixtures, tools); the key file is still read."""
        data_dir = Path(data_dir)
        return cls._open(data_dir, data_key, cls._load_slots(data_dir))

    @staticmethod
    def _load_slots(data_dir: Path) -> KeySlots:
        if not (data_dir / DB_FILE).exists():
            raise VaultNotFound(path=str(data_dir))
        try:
            return KeySlots.load(data_dir / KEYS_FILE)
        except FileNotFoundError:
            raise KeyFileDamaged(path=str(data_dir / KEYS_FILE), detail="missing") from None

    @classmethod
    def _open(cls, data_dir: Path, data_key: bytes, slots: KeySlots) -> Vault:
        conn = _connect(data_dir / DB_FILE, data_key, new=False)
        vault = cls(data_dir, conn, data_key, slots)
        try:
            vault._migrate()
        except BaseException:
            vault.close()
            raise
        return vault

    # -- connection --------------------------------------------------------------------
    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the vault is closed")
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic change: BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        conn = self.connection
        if conn.in_transaction:
            raise RuntimeError("transactions do not nest")
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(DatabaseError):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None
        for i in range(len(self._data_key)):
            self._data_key[i] = 0

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- key slots ---------------------------------------------------------------------
    def default_kdf_params(self) -> kdf.KdfParams:
        """New slots get the parameters this vault's slots were calibrated with."""
        user_slots = [s for s in self.slots.slots.values() if s.username is not None]
        return max((s.kdf_params for s in user_slots), key=lambda p: p.memory_kib * p.iterations)

    def weak_slots(self) -> list[str]:
        """Slots whose Argon2id cost is below the floor for real vaults (test or demo)."""
        floor = kdf.STANDARD_FLOOR
        return sorted(
            slot.slot_id
            for slot in self.slots.slots.values()
            if slot.kdf_params.memory_kib < floor.memory_kib
        )

    def set_user_passphrase(self, username: str, passphrase: str) -> None:
        """Create or replace a user's slot; the database is not touched."""
        check_passphrase_strength(passphrase)
        self.slots.put(
            user_slot_id(username), passphrase, bytes(self._data_key), self.default_kdf_params()
        )
        self.slots.save(self.keys_path)

    def check_passphrase(self, username: str, passphrase: str, clock: Clock) -> bool:
        """Does this passphrase open this user's slot? (countersignatures)

        Failures count against that account's lockout exactly like failed unlocks, and a
        locked-out account cannot countersign until its delay has passed.
        """
        slot_id = user_slot_id(username)
        lockout = Lockout(self.data_dir / LOCKOUT_FILE, clock)
        lockout.check(slot_id)
        try:
            matches = self.slots.open(slot_id, passphrase) == bytes(self._data_key)
        except (WrongPassphrase, UnknownUser):
            matches = False
        if matches:
            lockout.reset(slot_id)
        else:
            lockout.record_failure(slot_id)
        return matches

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        check_passphrase_strength(new)
        if self.slots.open(user_slot_id(username), old) != bytes(self._data_key):
            raise WrongPassphrase()
        self.set_user_passphrase(username, new)

    def remove_user_slot(self, username: str) -> None:
        self.slots.remove(user_slot_id(username))
        self.slots.save(self.keys_path)

    def new_recovery_code(self) -> str:
        code = new_recovery_code()
        self.slots.put(RECOVERY_SLOT, code, bytes(self._data_key), self.default_kdf_params())
        self.slots.save(self.keys_path)
        return code

    # -- checks ------------------------------------------------------------------------
    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def cipher_version(self) -> str:
        row = self.connection.execute("PRAGMA cipher_version").fetchone()
        return "" if row is None else str(row[0])

    def pragmas(self) -> dict[str, str]:
        conn = self.connection
        return {
            name: str(conn.execute(f"PRAGMA {name}").fetchone()[0]).lower()
            for name in REQUIRED_PRAGMAS
        }

    def integrity_problems(self) -> list[str]:
        """Run both SQLCipher's page-MAC check and SQLite's structural check."""
        conn = self.connection
        try:
            problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
            structural = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        except DatabaseError as error:
            return [str(error)]
        if structural != ["ok"]:
            problems.extend(structural)
        return problems

    # -- migrations --------------------------------------------------------------------
    def _migrate(self) -> None:
        found = self.schema_version()
        if found > migrations.LATEST_VERSION:
            raise VaultTooNew(found=found, known=migrations.LATEST_VERSION)
        if found == migrations.LATEST_VERSION:
            return
        backup = self.backup(f"before-v{migrations.LATEST_VERSION}") if found > 0 else None
        self.backup_made = backup
        conn = self.connection
        for module in migrations.MIGRATIONS[found:]:
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in module.STATEMENTS:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(module.VERSION)}")
                conn.execute("COMMIT")
            except DatabaseError as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise MigrationFailed(
                    version=module.VERSION, detail=str(error), backup=str(backup or "-")
                ) from error

    def backup(self, label: str, parent: Path | None = None) -> Path:
        """An encrypted copy of the database (same key) and of the key file, side by side.

        The copy is a complete vault folder: open it with ``--data-dir`` to restore or check
        it. It is written under a temporary name and renamed once both files are complete.
        """
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        parent = parent if parent is not None else self.data_dir / "backups"
        folder = parent / f"SecretDesk-backup-{stamp}-{label}"
        partial = parent / f".{folder.name}.partial-{secrets.token_hex(4)}"
        if folder.exists():
            raise VaultExists(path=str(folder))
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial.mkdir(mode=0o700)
        try:
            target_path = partial / DB_FILE
            os.close(os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            target = _connect(target_path, bytes(self._data_key), new=True)
            try:
                self.connection.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
            self.slots.save(partial / KEYS_FILE)
            os.replace(partial, folder)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        fsync_directory(parent)
        return folder


def _connect(path: Path, data_key: bytes, *, new: bool) -> Connection:
    """Key the connection, prove SQLCipher is there, read at once, then set the pragmas."""
    if len(data_key) != DATA_KEY_LENGTH:
        raise ValueError("the data key is 32 bytes")
    conn = connect(str(path))
    try:
        conn.execute("PRAGMA cipher_memory_security = OFF")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        if conn.execute("PRAGMA cipher_version").fetchone() is None:
            raise NoEncryption()
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA temp_store = MEMORY")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DatabaseError(f"journal mode is {mode}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
    except DatabaseError as error:
        conn.close()
        raise VaultDamaged(path=str(path), detail=str(error)) from error
    except BaseException:
        conn.close()
        raise
    return conn
