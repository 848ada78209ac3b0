"""A self-test whose audit checks fail stops the page check running beside them: the
structural check (40 s at a million items) is not started once the self-test has failed,
and the second connection is closed (review of issue 16)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from secretdesk.services import maintenance
from secretdesk.storage import vault as vault_module
from tests.helpers import new_app


def test_a_failing_self_test_starts_no_structural_check_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = new_app(tmp_path / "v")
    failed = threading.Event()
    statements: list[str] = []
    aside: list[Any] = []
    connect = vault_module._connect

    def slow_connect(*args: Any, **kwargs: Any) -> Any:
        conn = connect(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            aside.append(conn)
            conn.set_trace_callback(statements.append)
            assert failed.wait(10)  # the connection opens while the audit check fails
        return conn

    def broken_verify(*_args: Any, **_kwargs: Any) -> Any:
        failed.set()
        raise RuntimeError("the audit check failed")

    monkeypatch.setattr(vault_module, "_connect", slow_connect)
    monkeypatch.setattr(maintenance.audit, "verify", broken_verify)
    with app, pytest.raises(RuntimeError, match="the audit check failed"):
        app.maintenance.self_test(full=True)
    assert not [s for s in statements if "integrity_check" in s]
    assert len(aside) == 1
    with pytest.raises(vault_module.DatabaseError):  # closed
        aside[0].execute("SELECT 1")
