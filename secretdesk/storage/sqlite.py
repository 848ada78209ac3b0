"""The one module that imports sqlcipher3; the rest of storage/ uses these names."""

from __future__ import annotations

from sqlcipher3 import dbapi2

Connection = dbapi2.Connection
DatabaseError = dbapi2.DatabaseError
IntegrityError = dbapi2.IntegrityError
OperationalError = dbapi2.OperationalError
Row = dbapi2.Row


def connect(path: str) -> Connection:
    """Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE."""
    return dbapi2.connect(path, isolation_level=None)
