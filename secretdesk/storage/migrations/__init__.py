"""Schema migrations, one module per version, applied in order on PRAGMA user_version.

Each module has ``VERSION`` and ``STATEMENTS``, and may have ``upgrade(conn)`` run after
them in the same transaction (for data SQL cannot compute). The runner takes a backup copy of an
existing vault first, then applies each pending version in its own transaction together
with the new user_version, so a failure leaves the vault at the previous version.
A vault newer than the program is refused untouched.
"""

from __future__ import annotations

from types import ModuleType

from secretdesk.storage.migrations import (
    m0001_initial,
    m0002_custody,
    m0003_office,
    m0004_summary_basis,
    m0005_audit_tree,
    m0006_keys,
    m0007_legal,
    m0008_scale,
    m0009_rotation,
    m0010_evidence,
    m0011_withdrawal,
    m0012_lookups,
)

MIGRATIONS: tuple[ModuleType, ...] = (
    m0001_initial,
    m0002_custody,
    m0003_office,
    m0004_summary_basis,
    m0005_audit_tree,
    m0006_keys,
    m0007_legal,
    m0008_scale,
    m0009_rotation,
    m0010_evidence,
    m0011_withdrawal,
    m0012_lookups,
)
LATEST_VERSION = len(MIGRATIONS)

for _number, _module in enumerate(MIGRATIONS, start=1):
    assert _number == _module.VERSION, f"migration {_module.__name__} is out of order"
