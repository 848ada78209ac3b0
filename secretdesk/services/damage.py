"""Damage reported as damage (issue 13): a database error met while reading or writing a vault
that opened (a corrupt page, a truncated file, a lost write-ahead log) is the vault being
damaged, never "an unexpected error". The front ends ask ``as_damage`` before giving up."""

from __future__ import annotations

from pathlib import Path

from secretdesk.storage.errors import VaultDamaged
from secretdesk.storage.sqlite import DatabaseError, OperationalError

# Operational errors that are about the program's use of the database, not the file.
_NOT_DAMAGE = ("locked", "busy", "interrupt", "readonly", "read-only", "no such ")


def as_damage(error: BaseException, data_dir: Path | None) -> VaultDamaged | None:
    """The VaultDamaged error to show for ``error``, or None when it is something else."""
    if not isinstance(error, DatabaseError):
        return None
    text = str(error)
    if isinstance(error, OperationalError) and any(w in text.lower() for w in _NOT_DAMAGE):
        return None
    path = "-" if data_dir is None else str(Path(data_dir) / "secretdesk.db")
    return VaultDamaged(path=path, detail=text or type(error).__name__)
