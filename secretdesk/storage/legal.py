"""The legal bases known to the database, kept in step with resources/rules."""

from __future__ import annotations

from collections.abc import Iterable

from secretdesk.domain.legal import LegalBasis
from secretdesk.storage.sqlite import Connection


def sync(conn: Connection, bases: Iterable[LegalBasis]) -> list[str]:
    """Insert or update each basis; return the codes that changed."""
    changed = []
    for basis in bases:
        values = (
            basis.title,
            basis.effective_from.isoformat(),
            basis.effective_until.isoformat() if basis.effective_until else None,
            basis.tuyet_mat_summary.value,
        )
        row = conn.execute(
            "SELECT title, effective_from, effective_until, tuyet_mat_summary"
            " FROM legal_basis WHERE code = ?",
            (basis.code,),
        ).fetchone()
        if row is not None and tuple(row) == values:
            continue
        conn.execute(
            "INSERT INTO legal_basis (code, title, effective_from, effective_until,"
            " tuyet_mat_summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET"
            " title = excluded.title, effective_from = excluded.effective_from,"
            " effective_until = excluded.effective_until,"
            " tuyet_mat_summary = excluded.tuyet_mat_summary",
            (basis.code, *values),
        )
        changed.append(basis.code)
    return changed
