"""`audit verify` (and the self-test) read the events and the stored tree as of one moment, so
another window or command saving meanwhile never makes a sound log read as broken (found by
the review: "BROKEN at event 40598" while another process wrote)."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Permission
from secretdesk.storage import audit
from tests.helpers import PASSPHRASE, fixed_clock, new_app


def test_a_save_by_another_program_during_verify_is_not_a_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = new_app(tmp_path / "v")
    other = app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())  # a 2nd window
    original = audit.tree_size

    def meanwhile(conn, *args):  # type: ignore[no-untyped-def]
        if conn is app.vault.connection:  # after the events were read, before the tree is
            with other.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", 1)
        return original(conn, *args)

    monkeypatch.setattr(audit, "tree_size", meanwhile)
    with app, other:
        verified = app.audit.verify()
        assert verified.ok, verified.reason
        report = app.maintenance.self_test()
        chain = next(c for c in report.checks if c.name == "Audit chain")
        assert chain.ok, chain.detail
        monkeypatch.setattr(audit, "tree_size", original)
        after = app.audit.verify()  # the saves made meanwhile are there now, and sound
        assert after.ok and after.events > verified.events
