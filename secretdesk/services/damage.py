"""Database errors met after a vault opened, told as what they are (issue 13): a corrupt page,
a truncated file or a lost write-ahead log is the vault being damaged; a write lock held too
long by another window or command of the program is the vault being busy. Never "an
unexpected error". The front ends ask ``as_vault_error`` before giving up."""

from __future__ import annotations

from pathlib import Path

from secretdesk.errors import SecretDeskError
from secretdesk.storage.errors import VaultBusy, VaultDamaged
from secretdesk.storage.sqlite import DatabaseError, OperationalError

# SQLite's words for a lock another connection holds past the wait (SQLITE_BUSY, SQLITE_LOCKED).
_BUSY = ("database is locked", "database table is locked", "database is busy")
# Operational errors that are about the program's use of the database, not the file.
_NOT_DAMAGE = ("locked", "busy", "interrupt", "readonly", "read-only", "no such ")


def as_vault_error(error: BaseException, data_dir: Path | None) -> SecretDeskError | None:
    """The VaultBusy or VaultDamaged error to show for ``error``, or None when it is neither."""
    if not isinstance(error, DatabaseError):
        return None
    text = str(error)
    path = "-" if data_dir is None else str(Path(data_dir) / "secretdesk.db")
    if isinstance(error, OperationalError):
        if any(words in text.lower() for words in _BUSY):
            return VaultBusy()
        if any(w in text.lower() for w in _NOT_DAMAGE):
            return None
    return VaultDamaged(path=path, detail=text or type(error).__name__)
