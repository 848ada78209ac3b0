"""The one module that imports sqlcipher3; the rest of storage/ uses these names."""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlcipher3 import dbapi2

# sqlcipher3 ships no type information; its connection follows the sqlite3 DB-API.
Connection: TypeAlias = Any
DatabaseError = dbapi2.DatabaseError
IntegrityError = dbapi2.IntegrityError
OperationalError = dbapi2.OperationalError


# Prepared statements kept per connection. A service call runs a dozen or more distinct
# statements (with their triggers compiled in); the driver's default cache of 100 was
# thrashed by a bulk registration, which then spent most of its time preparing statements.
CACHED_STATEMENTS = 512


def connect(path: str) -> Connection:
    """Autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE."""
    return dbapi2.connect(path, isolation_level=None, cached_statements=CACHED_STATEMENTS)
