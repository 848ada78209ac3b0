"""The audit page says how many events of the whole selection clearance left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secretdesk.gui import session as sessions
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.audit_page import AuditPage
from tests.helpers import fixed_clock
from tests.integration.test_audit_hidden_count import CLERK_PASS, _hidden_in_whole_log, _vault


def test_the_audit_page_counts_left_out_events_over_the_whole_log(
    qtbot: Any, runner: TaskRunner, tmp_path: Path
) -> None:
    data_dir = _vault(tmp_path)
    expected = _hidden_in_whole_log(data_dir)
    got: list[object] = []
    runner.submit(
        lambda: sessions.unlock(data_dir, "canbo", CLERK_PASS, fixed_clock()),
        got.append,
        got.append,
    )
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    session = got[0]
    assert isinstance(session, sessions.Session), session
    page = AuditPage(runner, session)
    qtbot.addWidget(page)
    try:
        with qtbot.waitSignal(page.loaded, timeout=5000) as loaded:
            page.refresh()
        assert loaded.args[0] > 0
        assert not page.left_out.isHidden()
        assert page.left_out.text() == f"Records above your clearance left out: {expected}."
        shown = [page.model.event_at(row) for row in range(page.model.rowCount())]
        assert all("tuyet-mat" not in event.detail_json for event in shown)
        page.user_filter.setText("canbo")  # only the clerk's own events: nothing left out
        with qtbot.waitSignal(page.loaded, timeout=5000):
            page.refresh()
        assert page.left_out.isHidden()
    finally:
        runner.submit(session.app.close)
