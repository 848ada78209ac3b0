"""The vault: an SQLCipher database and its key slots (DESIGN.md §2).

Files in the data directory: ``secretdesk.db`` (SQLCipher 4, encrypted with a random
256-bit data key given as a raw key) and ``secretdesk.keys`` (the data key wrapped per user
and once under a recovery code). One thread owns a Vault's connection.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from secretdesk.crypto import kdf
from secretdesk.i18n import N_, LazyText
from secretdesk.storage import audit, backup_manifest, migrations, wal
from secretdesk.storage.errors import (
    KeyFileDamaged,
    MigrationFailed,
    NoEncryption,
    RekeyBlocked,
    RekeyPending,
    SlotPublicReplaced,
    SlotQuarantined,
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
    fingerprint,
    new_recovery_code,
    normalise_recovery_code,
    user_slot_id,
)
from secretdesk.storage.lockout import Lockout
from secretdesk.storage.sqlite import Connection, DatabaseError, connect
from secretdesk.system.atomic import fsync_directory, write_atomic
from secretdesk.system.clock import Clock

DB_FILE = "secretdesk.db"
KEYS_FILE = "secretdesk.keys"
LOCKOUT_FILE = "secretdesk.lockout"
# The re-key journal: the complete new key file, written before the database is re-encrypted.
# While it exists, the database opens with either the old data key (the journal is then
# rolled forward by the next unlock) or the new one (the journal only has to be renamed).
REKEY_FILE = "secretdesk.keys.rekey"
# PRAGMA application_id once every slot's public key is bound (see _bind_public_keys).
PUBLICS_BOUND_ID = 0x53444B32
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
        self.opened_with_recovery_code = False  # set by ``recover``: only then may it be used
        self.rekey_refused: list[str] = []  # slots the last re-key left out (public key unbound)
        self.rekey_quarantined: list[str] = []  # slots it set aside (public key never pinned)
        self.public_replaced: str | None = None  # see _restore_public
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

    @property
    def rekey_path(self) -> Path:
        return self.data_dir / REKEY_FILE

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
            vault._bind_public_keys()
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
        pending = cls._load_pending(data_dir)
        slot_id = user_slot_id(username)
        lockout = Lockout(data_dir / LOCKOUT_FILE, clock, slots.vault_id)
        lockout.check(slot_id)
        keys: dict[str, bytes] = {}
        genuine: bytes | None = None  # the owner's public key, when the slot holds another
        swapped: SlotPublicReplaced | None = None
        for name, keyfile in (("new", pending), ("old", slots)):
            if keyfile is None or slot_id not in keyfile.slots:
                continue
            try:
                keys[name], found = keyfile.open_checked(slot_id, passphrase)
            except WrongPassphrase:
                continue
            except SlotPublicReplaced as error:
                swapped = error
                continue
            genuine = genuine or found
        if not keys:
            if swapped is not None:
                raise swapped  # the passphrase was right: not a failed unlock
            if slot_id in slots.quarantined and (pending is None or slot_id not in pending.slots):
                raise SlotQuarantined(user=username)
            lockout.record_failure(slot_id)
            raise WrongPassphrase()
        vault = cls._open_resolving(data_dir, slots, pending, keys)
        vault.failed_unlocks_before = lockout.reset(slot_id)
        if genuine is not None:
            vault._restore_public(slot_id, genuine)
        vault._upgrade_slot(slot_id, passphrase)
        return vault

    @classmethod
    def recover(cls, data_dir: Path, recovery_code: str, clock: Clock) -> Vault:
        """Open with the printed recovery code (to set a forgotten passphrase)."""
        data_dir = Path(data_dir)
        slots = cls._load_slots(data_dir)
        lockout = Lockout(data_dir / LOCKOUT_FILE, clock, slots.vault_id)
        lockout.check(RECOVERY_SLOT)
        try:
            data_key = slots.open(RECOVERY_SLOT, normalise_recovery_code(recovery_code))
        except (WrongPassphrase, UnknownUser):
            lockout.record_failure(RECOVERY_SLOT)
            raise WrongRecoveryCode() from None
        pending = cls._load_pending(data_dir)
        vault = cls._open_resolving(data_dir, slots, pending, {"old": data_key})
        vault.failed_unlocks_before = lockout.reset(RECOVERY_SLOT)
        vault.opened_with_recovery_code = True
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

    @staticmethod
    def _load_pending(data_dir: Path) -> KeySlots | None:
        for leftover in data_dir.glob(f"{KEYS_FILE}*.part-*"):
            with contextlib.suppress(OSError):
                leftover.unlink()  # a key file write that was cut off before its rename
        try:
            return KeySlots.load(data_dir / REKEY_FILE)
        except FileNotFoundError:
            return None

    @classmethod
    def _open_resolving(
        cls, data_dir: Path, slots: KeySlots, pending: KeySlots | None, keys: dict[str, bytes]
    ) -> Vault:
        """Open the database, finishing a re-key that was interrupted (see REKEY_FILE).

        ``keys`` holds the data key from the current key file ("old") and/or from the
        journal ("new"). Exactly one of them opens the database: the new one when the
        database was already re-encrypted (the journal becomes the key file), else the old
        one, and then the re-encryption is done again now when the new key is known.
        """
        db_path = data_dir / DB_FILE
        if pending is None:
            return cls._open(data_dir, keys["old"], slots)
        new_key, old_key = keys.get("new"), keys.get("old")
        if new_key is not None and _opens(db_path, new_key):
            _finish_rekey(data_dir)
            return cls._open(data_dir, new_key, pending)
        if old_key is None or not _opens(db_path, old_key):
            if new_key is None:
                raise RekeyPending()
            raise VaultDamaged(path=str(db_path), detail="neither key of the re-key opens it")
        if new_key is None:
            # Only someone holding a slot in the journal can finish it; open as before.
            return cls._open(data_dir, old_key, slots)
        if not _rekey_authentic(pending, old_key, new_key):
            # Not written by rekey(): someone without the data key chose the "new" key. Never
            # re-encrypt under it; the file is kept aside for the investigation.
            os.replace(data_dir / REKEY_FILE, data_dir / f"{REKEY_FILE}.rejected")
            fsync_directory(data_dir)
            return cls._open(data_dir, old_key, slots)
        conn = _connect(db_path, old_key, new=False)
        try:
            _rekey_connection(conn, new_key)
        finally:
            conn.close()
        _finish_rekey(data_dir)
        return cls._open(data_dir, new_key, pending)

    @classmethod
    def _open(cls, data_dir: Path, data_key: bytes, slots: KeySlots) -> Vault:
        if os.name == "posix" and data_dir.stat().st_mode & 0o077:
            data_dir.chmod(0o700)  # a folder made by an older version or by hand
        log_file = data_dir / f"{DB_FILE}-wal"
        lost = wal.lost_commits(log_file)  # before SQLite replays the log and drops them
        if lost is not None:
            detail = LazyText(
                N_(
                    "frame {frame} of its write-ahead log is damaged; saved transactions after"
                    " it that opening it would lose: {count}"
                ),
                frame=lost.frame,
                count=lost.commits,
            )
            raise VaultDamaged(path=str(log_file), detail=detail)
        conn = _connect(data_dir / DB_FILE, data_key, new=False)
        vault = cls(data_dir, conn, data_key, slots)
        try:
            vault._migrate()
            vault._bind_public_keys()
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
        return sorted(
            slot.slot_id
            for slot in self.slots.slots.values()
            if slot.kdf_params.below(kdf.STANDARD_FLOOR)
        )

    def set_user_passphrase(self, username: str, passphrase: str) -> None:
        """Create or replace a user's slot; the database is not touched.

        Refused while an interrupted re-key waits to be finished: the journal holds each
        user's public key, and a new key pair written now would not open it afterwards."""
        check_passphrase_strength(passphrase)
        if self.rekey_path.exists():
            raise RekeyPending()
        self.slots.put(
            user_slot_id(username), passphrase, bytes(self._data_key), self.default_kdf_params()
        )
        self.slots.save(self.keys_path)

    def check_passphrase(self, username: str, passphrase: str, clock: Clock) -> bool:
        """Does this passphrase open this user's slot? (countersignatures)

        Failures count against that account's countersignature counter (separate from its
        unlock counter, so a clerk's guesses never lock the approver out of their own unlock),
        and an account with too many failures cannot countersign until its delay has passed.
        """
        slot_id = user_slot_id(username)
        counter = f"countersign:{slot_id}"
        lockout = Lockout(self.data_dir / LOCKOUT_FILE, clock, self.slots.vault_id)
        lockout.check(counter)
        try:
            # A swapped public key (put back at the owner's next unlock) does not make a
            # right passphrase wrong: the private key unwrapped under it proves it.
            opened, _swapped = self.slots.open_checked(slot_id, passphrase)
            matches = opened == bytes(self._data_key)
        except (WrongPassphrase, UnknownUser, SlotPublicReplaced, SlotQuarantined):
            matches = False
        if matches:
            lockout.reset(counter)
        else:
            lockout.record_failure(counter)
        return matches

    def change_passphrase(self, username: str, old: str, new: str) -> None:
        check_passphrase_strength(new)
        if self.slots.open(user_slot_id(username), old) != bytes(self._data_key):
            raise WrongPassphrase()
        self.set_user_passphrase(username, new)

    def remove_user_slot(self, username: str) -> None:
        if self.rekey_path.exists():
            raise RekeyPending()
        self.slots.remove(user_slot_id(username))
        self.slots.save(self.keys_path)

    def slot_fingerprint(self, username: str) -> str | None:
        """The fingerprint of a user's slot public key (pinned in the audit log)."""
        slot = self.slots.slots.get(user_slot_id(username))
        return None if slot is None or slot.legacy else fingerprint(slot.public)

    def _restore_public(self, slot_id: str, genuine: bytes) -> None:
        """The owner's passphrase showed that someone swapped the public key of their slot
        while the data key was still sealed to the owner's own: put the owner's key back
        (``public_replaced`` names the swapped key; the session records it)."""
        slot = self.slots.slots.get(slot_id)
        if slot is None or slot.public == genuine:
            return
        self.public_replaced = self.slots.restore_public(slot_id, genuine, bytes(self._data_key))
        if not self.rekey_path.exists():
            self.slots.save(self.keys_path)

    def _upgrade_slot(self, slot_id: str, secret: str) -> None:
        """Re-wrap a format-1 slot, or one below the Argon2id floor, with what it opened."""
        slot = self.slots.slots.get(slot_id)
        if slot is None or self.rekey_path.exists():
            return
        params = slot.kdf_params
        if params.below(kdf.STANDARD_FLOOR) and params != kdf.TEST_PARAMS:
            params = kdf.STANDARD_FLOOR
        if slot.legacy or params != slot.kdf_params:
            self.slots.put(slot_id, secret, bytes(self._data_key), params)
            self.slots.save(self.keys_path)

    def _bind_public_keys(self) -> None:
        """Once per vault (remembered in the database header, inside the encryption, where no
        one without the data key can reset it): bind every slot's public key with an HMAC
        under the data key. From then on a slot without a valid binding is never sealed a new
        key by ``rekey``, so a public key swapped into the key file by someone without the
        data key (whose checksum anyone can recompute) does not receive the next data key."""
        if self.rekey_path.exists():
            return
        conn = self.connection
        try:
            if int(conn.execute("PRAGMA application_id").fetchone()[0]) == PUBLICS_BOUND_ID:
                return
            if self.slots.bind_publics(bytes(self._data_key)):
                self.slots.save(self.keys_path)
            conn.execute(f"PRAGMA application_id = {PUBLICS_BOUND_ID}")
        except DatabaseError:
            return  # a damaged database is reported by the checks, not here; bound next time

    def legacy_slot_users(self) -> list[str]:
        """Users whose slot is still of format 1 (they must unlock once before a re-key)."""
        return [s.removeprefix("user:") for s in self.slots.legacy_slots() if s != RECOVERY_SLOT]

    def rekey(
        self,
        drop: tuple[str, ...] = (),
        *,
        only: Collection[str] | None = None,
        sealed_to: tuple[KeySlots, bytes] | None = None,
        pinned: Mapping[str, Collection[str]] | None = None,
    ) -> str:
        """A new data key: the database re-encrypted, every remaining slot sealed again.

        ``drop`` names users whose slots are left out; when ``only`` is given, the slot of
        anyone not in it is left out too (a slot added to the key file by hand, for a user
        the register does not know, must not be sealed the new key). The recovery slot is
        replaced: the new recovery code is returned, to be shown once. Crash-safe: the new
        key file is written first as a journal (REKEY_FILE); the database is re-encrypted in
        one SQLCipher transaction; then the journal is renamed over the key file. An unlock
        after a kill at any point finishes the job (``_open_resolving``).

        ``sealed_to`` (a key file and the data key its public keys are bound under) seals the
        new key to those slots instead of this vault's own: a restore keeps the slots of the
        vault it replaces, never those of the backup (which anyone may have prepared).

        ``pinned`` (user name -> slot fingerprints the audit log pins for them): a slot whose
        public key is not pinned for its user is set aside (``rekey_quarantined``) instead
        of being sealed the new key.
        """
        if self.rekey_path.exists():
            raise RekeyPending()
        source, binding = sealed_to or (self.slots, bytes(self._data_key))
        dropped = {user_slot_id(name) for name in drop}

        def kept(slot_id: str) -> bool:
            return (
                slot_id != RECOVERY_SLOT
                and slot_id not in dropped
                and (only is None or slot_id in {user_slot_id(name) for name in only})
            )

        keep = sorted(slot_id for slot_id in source.slots if kept(slot_id))
        legacy = [slot_id for slot_id in keep if source.slots[slot_id].legacy]
        if legacy:
            raise RekeyBlocked(users=", ".join(s.removeprefix("user:") for s in legacy))
        params = self.default_kdf_params()
        new_key = bytearray(os.urandom(DATA_KEY_LENGTH))
        try:
            fresh, self.rekey_refused = source.resealed_for(bytes(new_key), keep, binding, pinned)
            self.rekey_quarantined = sorted(fresh.quarantined)
            for slot_id, found in source.quarantined.items():
                if kept(slot_id) and slot_id not in fresh.slots:
                    fresh.quarantined.setdefault(slot_id, found)  # still waiting for a reset
            fresh.vault_id = self.slots.vault_id
            code = new_recovery_code()
            fresh.put(RECOVERY_SLOT, code, bytes(new_key), params)
            fresh.rekey_auth = _rekey_mac(bytes(self._data_key), bytes(new_key), fresh.vault_id)
            write_atomic(self.rekey_path, fresh.to_bytes())
            _rekey_connection(self.connection, bytes(new_key))
            self._data_key[:] = new_key
            self.slots = fresh
            _finish_rekey(self.data_dir)
        finally:
            new_key[:] = bytes(DATA_KEY_LENGTH)
        return code

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

    def integrity_problems(self, *, structure: bool = True) -> list[str]:
        """SQLCipher's page-MAC check: every page read and authenticated (any byte changed
        on disk without the key, or rotted); then, with ``structure``, SQLite's structural
        check (every table and index consistent), which costs six times as much: 5.5 s and
        35 s for the two checks of a 2 GB vault (issue 16)."""
        return _integrity_problems(self.connection, structure)

    @contextlib.contextmanager
    def integrity_aside(self, *, structure: bool) -> Iterator[Future[PageCheck]]:
        """``integrity_problems`` on a connection and a thread of their own, while this
        connection does other work (the self-test verifies the audit log meanwhile): on two
        cores the two take about the time of the longer. Leaving the block early stops the
        check: SQLCipher's page check cannot be interrupted once started (it reads every page
        at once), so what is not started yet is not started, and the structural check is
        interrupted by the connection's progress handler. The connection is closed either way."""
        key = bytes(self._data_key)
        path = self.data_dir / DB_FILE
        stop = threading.Event()

        def check() -> PageCheck:
            started = time.perf_counter()
            try:
                conn = _connect(path, key, new=False)  # a connection belongs to its thread
            except VaultDamaged as error:
                return PageCheck([str(error.__cause__ or error)], time.perf_counter() - started)
            try:
                if stop.is_set():
                    return PageCheck([], 0.0)
                conn.set_progress_handler(stop.is_set, 1000)  # true: the statement stops
                return PageCheck(
                    _integrity_problems(conn, structure, stop), time.perf_counter() - started
                )
            finally:
                conn.close()

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity") as pool:
            found = pool.submit(check)
            try:
                yield found
            except BaseException:
                stop.set()
                raise

    # -- migrations --------------------------------------------------------------------
    def _migrate(self) -> None:
        found = self.schema_version()
        if found > migrations.LATEST_VERSION:
            raise VaultTooNew(found=found, known=migrations.LATEST_VERSION)
        if found == migrations.LATEST_VERSION:
            return
        if found > 0:
            self._refuse_damaged_pages()
        backup = self.backup(f"before-v{migrations.LATEST_VERSION}") if found > 0 else None
        self.backup_made = backup
        conn = self.connection
        for module in migrations.MIGRATIONS[found:]:
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in module.STATEMENTS:
                    conn.execute(statement)
                upgrade = getattr(module, "upgrade", None)
                if upgrade is not None:
                    upgrade(conn)
                conn.execute(f"PRAGMA user_version = {int(module.VERSION)}")
                conn.execute("COMMIT")
            except DatabaseError as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise MigrationFailed(
                    version=module.VERSION, detail=str(error), backup=str(backup or "-")
                ) from error

    def _refuse_damaged_pages(self) -> None:
        """Never back up and upgrade a file with a page failing its MAC: the upgrade would
        fail half-way with SQLCipher's "readonly database" (or, not touching that page,
        succeed on a damaged vault) and leave a damaged backup beside it. Refused untouched
        instead, before anything is written. Only the page MACs are read here (a flipped
        byte anywhere fails one), about half the cost of the backup that follows; the
        structural check, six times as much, stays with the full self-test and restore."""
        problems = self.integrity_problems(structure=False)
        if problems:
            raise VaultDamaged(path=str(self.data_dir / DB_FILE), detail="; ".join(problems[:3]))

    def backup(self, label: str, parent: Path | None = None, created_at: str | None = None) -> Path:
        """An encrypted copy of the database (same key) and of the key file, side by side.

        The copy is a complete vault folder: open it with ``--data-dir`` to restore or check
        it. It is written under a temporary name and renamed once both files and the manifest
        (sizes, SHA-256, schema version, tree head; storage/backup_manifest.py) are complete.
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
            backup_manifest.write(
                partial,
                [DB_FILE, KEYS_FILE],
                schema_version=self.schema_version(),
                tree_head=self._tree_head_or_dash(),
                created_at=created_at or datetime.now().astimezone().isoformat(timespec="seconds"),
            )
            os.replace(partial, folder)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        fsync_directory(parent)
        return folder

    def _tree_head_or_dash(self) -> str:
        """The tree head for the manifest; "-" on a schema older than the tree (a backup made
        before a migration)."""
        try:
            return str(audit.tree_head(self.connection))
        except DatabaseError:  # pragma: no cover - schemas before the tree
            return "-"


def _opens(db_path: Path, data_key: bytes) -> bool:
    """Does this key open the database? (Reads only; a wrong key changes nothing.)"""
    try:
        conn = _connect(db_path, data_key, new=False)
    except VaultDamaged:
        return False
    conn.close()
    return True


def _rekey_mac(old_key: bytes, new_key: bytes, vault_id: str) -> str:
    message = b"secretdesk-rekey/v1/" + vault_id.encode() + b"/" + new_key
    return hmac.new(old_key, message, hashlib.sha256).hexdigest()


def _rekey_authentic(pending: KeySlots, old_key: bytes, new_key: bytes) -> bool:
    """Was this journal written by someone holding the old data key (rekey())?"""
    expected = _rekey_mac(old_key, new_key, pending.vault_id)
    return pending.rekey_auth is not None and hmac.compare_digest(pending.rekey_auth, expected)


def _rekey_connection(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page under ``new_key`` in one transaction, WAL folded in first."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _finish_rekey(data_dir: Path) -> None:
    os.replace(data_dir / REKEY_FILE, data_dir / KEYS_FILE)
    fsync_directory(data_dir)


# The page cache (decrypted pages): 64 MiB rather than SQLite's 2 MiB, so a bulk registration
# does not spill its transaction to the WAL half-way and reading a large register or the whole
# audit log does not decrypt the same pages again (a page once read stays decrypted here).
CACHE_KIB = 65_536


@dataclass(frozen=True)
class PageCheck:
    """What the integrity checks found (nothing: sound), and the seconds they took."""

    problems: list[str]
    seconds: float


def _integrity_problems(
    conn: Connection, structure: bool, stop: threading.Event | None = None
) -> list[str]:
    # The page check reads the database file only; pages written since the last checkpoint
    # are in the -wal file. Copy them in first (as they are, still encrypted: what SQLite
    # does every 1,000 pages and at close) so that they are authenticated too.
    with contextlib.suppress(DatabaseError):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
        if not structure or (stop is not None and stop.is_set()):
            return problems
        structural = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except DatabaseError as error:
        return [str(error)]
    if structural != ["ok"]:
        problems.extend(structural)
    return problems


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
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except DatabaseError as error:
        conn.close()
        raise VaultDamaged(path=str(path), detail=str(error)) from error
    except BaseException:
        conn.close()
        raise
    return conn
