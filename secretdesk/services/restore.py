"""Putting a backup (made by ``backup``) back in place of the vault (issue 13).

The backup is copied next to the vault and checked there before anything is replaced: both
files present and within size, free space for the copy, opened with the user's passphrase,
both integrity checks, the audit log recomputed. A backup whose log does not extend the last
tree head this vault exported (a package already at the office) is refused: restoring it would
roll history back behind a head that has left the machine, which the office would refuse too.
Then the vault is closed and swapped with the copy in one atomic step (renameat2
RENAME_EXCHANGE on Linux; two renames elsewhere), the old one kept aside under a new name; the
restore is recorded in the restored vault's audit log and becomes the head kept beside it
(last-head.json, see storage/backup_manifest.py).

Before anything else the backup's manifest (MANIFEST.json, written by ``backup``) is read and
every file's size and SHA-256 compared with it; a backup without a manifest (made before
manifests existed) is refused: open it with ``--data-dir`` and make a fresh backup of it.

An administrator may restore such an older backup anyway (``--accept-older``) only with the
countersignature of another approver or administrator, who proves their passphrase at that
moment (never the actor); the restore event then records the override, the head it goes
behind and who countersigned.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from secretdesk.domain.roles import Permission, Role
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services import interrupted_restore
from secretdesk.storage import audit, backup_manifest, users
from secretdesk.storage.keyslots import KeySlots
from secretdesk.storage.vault import DB_FILE, KEYS_FILE, Vault
from secretdesk.system.atomic import fsync_directory
from secretdesk.system.clock import Clock

MAX_BACKUP_BYTES = 64 << 30


class RestoreRefused(SecretDeskError):
    code = "restore.refused"
    message = N_("The backup {backup} was not restored: {reason} The vault was left as it was.")


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path
    events: int
    tree_head: str
    # The restored vault is re-keyed at once (a backup may hold the slot of someone disabled
    # since, the old recovery code, or come from a stick someone prepared): the new code,
    # shown once; None when format-1 slots make the re-key wait (see users.set_disabled).
    recovery_code: str | None = None
    disabled_again: tuple[str, ...] = ()


def _refuse(backup: Path, reason: str, **params: object) -> RestoreRefused:
    return RestoreRefused(backup=str(backup), reason=LazyText(reason, **params))


def _check_manifest(backup: Path) -> None:
    try:
        manifest = backup_manifest.read(backup)
        if manifest is None:
            raise _refuse(
                backup,
                N_(
                    "it has no manifest (it was made by an older version, or is not a backup). "
                    "Open it with --data-dir to check it and make a new backup from it."
                ),
            )
        backup_manifest.check(backup, manifest, (DB_FILE, KEYS_FILE))
    except backup_manifest.ManifestProblem as problem:
        raise _refuse(
            backup,
            N_("its files do not match its manifest ({detail})."),
            detail=LazyText(problem.message, **problem.params),
        ) from None


def restore(
    data_dir: Path,
    backup: Path,
    username: str,
    passphrase: str,
    clock: Clock,
    *,
    accept_older: tuple[str, str] | None = None,
) -> RestoreResult:
    """``accept_older``: (approver, their passphrase) to restore a backup whose log does not
    extend the last exported head anyway (countersigned, recorded)."""
    data_dir, backup = Path(data_dir), Path(backup)
    interrupted_restore.tidy(data_dir)  # never restore over a copy an earlier restore left
    _check_manifest(backup)
    sizes = 0
    for name in (DB_FILE, KEYS_FILE):
        path = backup / name
        if not path.is_file() or path.is_symlink():
            raise _refuse(backup, N_("it has no file {name}."), name=name)
        sizes += path.stat().st_size
    if sizes > MAX_BACKUP_BYTES:
        raise _refuse(backup, N_("it is larger than any vault this program writes."))
    if shutil.disk_usage(data_dir.parent).free < 2 * sizes + (64 << 20):
        raise _refuse(backup, N_("there is not enough free space beside the vault for a copy."))

    current = Vault.unlock(data_dir, username, passphrase, clock)
    try:
        actor = users.by_username(current.connection, username)
        if actor is None or actor.disabled:
            raise _refuse(backup, N_("only an administrator may restore a backup."))
        actor.require(Permission.MANAGE_USERS)
        approver = None
        if accept_older is not None:
            approver = _countersigned(current, backup, username, *accept_older, clock)
        exported = audit.exported_tree_heads(current.connection)
        enabled_now = {u.username for u in users.all_users(current.connection) if not u.disabled}
        # The restored vault keeps these slots (today's passphrases), never the backup's,
        # and only those whose public key today's log pins (or the restorer's passphrase
        # has just proved).
        trusted = (current.slots, bytes(current._data_key))
        pinned = users.slot_pins(current.connection)
        own = current.slot_fingerprint(username)
        if own is not None:
            pinned.setdefault(username, set()).add(own)
    finally:
        current.close()

    overridden: str | None = None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir.parent / f"{data_dir.name}.replaced-{stamp}-{secrets.token_hex(2)}"
    staging = interrupted_restore.staging_folder(data_dir)
    staging.mkdir(mode=0o700)
    try:
        # First the marker: a kill from here on leaves a folder the next start recognises.
        interrupted_restore.mark_copy(staging, backup, aside)
        for name in (DB_FILE, KEYS_FILE):
            shutil.copyfile(backup / name, staging / name)
            with open(staging / name, "rb+") as handle:
                os.fsync(handle.fileno())
        fsync_directory(staging)
        copy = Vault.unlock(staging, username, passphrase, clock)
        try:
            problems = copy.integrity_problems()
            if problems:
                raise _refuse(
                    backup, N_("it is damaged ({detail})."), detail="; ".join(problems[:3])
                )
            verified = audit.verify(copy.connection)
            if not verified.ok:
                raise _refuse(
                    backup, N_("its audit log does not hold ({detail})."), detail=verified.reason
                )
            if exported:
                size = max(exported)
                check = audit.check_head(copy.connection, size, exported[size])
                if not check.extends and approver is not None:
                    overridden = f"{size}:{exported[size]}"
                elif not check.extends:
                    raise _refuse(
                        backup,
                        N_(
                            "its audit log does not extend tree head {head} that this vault "
                            "exported: restoring it would roll history back behind a package "
                            "already sent."
                        ),
                        head=f"{size}:{exported[size][:16]}",
                    )
        finally:
            copy.close()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    if _exchange(staging, data_dir):
        # One atomic step: the vault folder is the old one or the restored one, never neither.
        os.rename(staging, aside)  # staging now holds the replaced vault
    else:  # pragma: no cover - kernels and systems without renameat2
        os.rename(data_dir, aside)
        os.rename(staging, data_dir)
    fsync_directory(data_dir.parent)

    restored = Vault.unlock(data_dir, username, passphrase, clock)
    try:
        conn = restored.connection
        at_utc = clock.now().astimezone(UTC).isoformat(timespec="seconds")
        # Whoever was disabled (or did not exist) in the vault just replaced stays out: an old
        # backup must not bring back a departed user's account, slot or data key.
        again = tuple(
            u.username
            for u in users.all_users(conn)
            if not u.disabled and u.username not in enabled_now
        )
        conn.execute("BEGIN IMMEDIATE")
        try:
            audit.append(
                conn,
                at_utc=at_utc,
                actor=username,
                action="vault.restored",
                entity="vault",
                detail={
                    "backup": backup.name,
                    "kept_aside": aside.name,
                    **(
                        {"accepted_older": overridden, "countersigned_by": approver}
                        if overridden is not None
                        else {}
                    ),
                },
            )
            for name in again:
                users.set_disabled(conn, name, True)
                audit.append(
                    conn,
                    at_utc=at_utc,
                    actor=username,
                    action="user.disabled",
                    entity="user",
                    entity_id=name,
                    detail={"reason": "disabled in the vault the restore replaced"},
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        code = _rekey_restored(restored, at_utc, username, trusted, pinned)
        head = audit.tree_head(conn)
    finally:
        restored.close()
    # The restored log extends every head exported (checked above): it is the new mark.
    backup_manifest.record_head(data_dir, head.size, head.root.hex(), "restore", force=True)
    interrupted_restore.unmark(data_dir)  # finished: a kill before this is rolled back
    return RestoreResult(backup, aside, head.size, str(head), code, again)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the system
    cannot, and nothing was changed."""
    if not sys.platform.startswith("linux"):
        return False  # pragma: no cover
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # pragma: no cover - glibc before 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()  # pragma: no cover - file systems without the exchange
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # pragma: no cover
        return False
    raise OSError(error, os.strerror(error), str(second))  # pragma: no cover


def _countersigned(
    current: Vault, backup: Path, username: str, approver: str, secret: str, clock: Clock
) -> str:
    """The approver of an older restore: another enabled approver or administrator whose
    passphrase opens their slot now (a failure counts against their lockout)."""
    someone = users.by_username(current.connection, approver)
    if (
        someone is None
        or someone.disabled
        or someone.username == username
        or someone.role not in (Role.APPROVER, Role.ADMIN)
        or not current.check_passphrase(approver, secret, clock)
    ):
        raise _refuse(
            backup,
            N_(
                "restoring a backup older than the last exported head needs the "
                "countersignature of another approver or administrator (--approver USER, "
                "never the one restoring), and {user} did not give it."
            ),
            user=approver,
        )
    return someone.username


def _rekey_restored(
    vault: Vault,
    at_utc: str,
    username: str,
    trusted: tuple[KeySlots, bytes],
    pinned: dict[str, set[str]],
) -> str | None:
    """A new data key sealed only to the restored vault's enabled users, through the slots
    of the vault it replaced; the new recovery code. The backup's data key, its recovery
    code and every slot of its key file (which whoever prepared the backup chose) no longer
    open the vault."""
    conn = vault.connection
    enabled = {u.username for u in users.all_users(conn) if not u.disabled}
    waiting = [
        s.removeprefix("user:")
        for s in trusted[0].legacy_slots()
        if s.removeprefix("user:") in enabled
    ]
    code = None if waiting else vault.rekey(only=enabled, sealed_to=trusted, pinned=pinned)
    quarantined = [s.removeprefix("user:") for s in vault.rekey_quarantined]
    conn.execute("BEGIN IMMEDIATE")
    try:
        detail: dict[str, object] = {"reason": "restore"}
        if waiting:
            detail["waiting_for"] = waiting
        if quarantined:
            detail["slots_quarantined"] = quarantined
        audit.append(
            conn,
            at_utc=at_utc,
            actor=username,
            action="vault.rekey_postponed" if waiting else "vault.rekeyed",
            entity="vault",
            detail=detail,
        )
        restored_pins = users.slot_pins(conn)
        for name in vault.slots.usernames():
            found = vault.slot_fingerprint(name)
            if found is not None and found not in restored_pins.get(name, set()):
                audit.append(
                    conn,
                    at_utc=at_utc,
                    actor=username,
                    action=users.SLOT_PIN_ACTION,
                    entity="user",
                    entity_id=name,
                    detail={"fingerprint": found, "why": "restore"},
                )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return code
