"""Putting a backup (made by ``backup``) back in place of the vault (issue 13).

The backup is copied next to the vault and checked there before anything is replaced: both
files present and within size, free space for the copy, opened with the user's passphrase,
both integrity checks, the audit log recomputed. A backup whose log does not extend the last
tree head this vault exported (a package already at the office) is refused: restoring it would
roll history back behind a head that has left the machine, which the office would refuse too.
Then the vault is closed, kept aside under a new name, and the copy renamed into its place; the
restore is recorded in the restored vault's audit log.

Not done yet: a manifest of sizes and hashes written by ``backup``, and the administrator's
countersignature to restore a backup older than the last exported head anyway.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.storage import audit, users
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


def _refuse(backup: Path, reason: str, **params: object) -> RestoreRefused:
    return RestoreRefused(backup=str(backup), reason=LazyText(reason, **params))


def restore(
    data_dir: Path, backup: Path, username: str, passphrase: str, clock: Clock
) -> RestoreResult:
    data_dir, backup = Path(data_dir), Path(backup)
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
        exported = audit.exported_tree_heads(current.connection)
    finally:
        current.close()

    staging = data_dir.parent / f".{data_dir.name}.restore-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
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
                if not check.extends:
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

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir.parent / f"{data_dir.name}.replaced-{stamp}-{secrets.token_hex(2)}"
    os.rename(data_dir, aside)
    os.rename(staging, data_dir)
    fsync_directory(data_dir.parent)

    restored = Vault.unlock(data_dir, username, passphrase, clock)
    try:
        conn = restored.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            audit.append(
                conn,
                at_utc=clock.now().astimezone(UTC).isoformat(timespec="seconds"),
                actor=username,
                action="vault.restored",
                entity="vault",
                detail={"backup": backup.name, "kept_aside": aside.name},
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        head = audit.tree_head(conn)
    finally:
        restored.close()
    return RestoreResult(backup, aside, head.size, str(head))
