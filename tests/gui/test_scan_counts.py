"""The tables of handovers, destruction cases, permits and incidents show how many scans each
record keeps (issue 18): one query per table, removed scans not counted, both languages."""

from __future__ import annotations

from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.gui.models import handovers_model
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views import destruction_page, incidents_page, permits_page
from secretdesk.gui.views.handovers_page import HandoversPage
from tests.gui.test_evidence_records import call, make_page, records, scans, session
from tests.scan_samples import ScanSet

__all__ = ["records", "scans", "session"]  # fixtures used by name

COLUMN = {
    "destruction": destruction_page.SCANS,
    "permit": permits_page.SCANS,
    "incident": incidents_page.SCANS,
}


def attach(
    qtbot: Any,
    runner: TaskRunner,
    session: Session,
    scans: ScanSet,
    kind: str,
    ref: str,
    times: int,
) -> list[Any]:
    data = (scans.folder / "slip-4.pdf").read_bytes()
    app = session.app
    return [
        call(qtbot, runner, lambda n=n: app.attachments.add(kind, ref, f"scan-{n}.pdf", data))
        for n in range(times)
    ]


@pytest.mark.parametrize("kind", ["destruction", "permit", "incident"])
def test_each_record_table_counts_its_scans(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet, kind: str
) -> None:
    page = make_page(qtbot, runner, session, kind)
    assert page.model.data(page.model.index(0, COLUMN[kind])) == "—"
    added = attach(qtbot, runner, session, scans, kind, "1", 2)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.model.data(page.model.index(0, COLUMN[kind])) == "2"
    call(qtbot, runner, lambda: session.app.attachments.remove(added[0].id, "Nhầm tệp"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.model.data(page.model.index(0, COLUMN[kind])) == "1"  # removed: not counted


def test_the_handovers_table_counts_scans_in_both_languages(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    from PySide6.QtCore import Qt

    attach(qtbot, runner, session, scans, "handover", "2/2026", 3)
    page = HandoversPage(runner, session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    model = page.model
    shown = {
        model.handover_at(r).label: model.data(model.index(r, handovers_model.SCANS))
        for r in range(model.rowCount())
    }
    assert shown["2/2026"] == "3" and shown["1/2026"] == "—"
    assert model.headerData(handovers_model.SCANS, Qt.Orientation.Horizontal) == "Scans"
    i18n.set_language("vi")
    try:
        assert model.headerData(handovers_model.SCANS, Qt.Orientation.Horizontal) == "Bản quét"
    finally:
        i18n.set_language("en")


def test_the_counts_are_one_query(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    attach(qtbot, runner, session, scans, "handover", "1/2026", 1)
    attach(qtbot, runner, session, scans, "handover", "3/2026", 2)
    statements: list[str] = []

    def counted() -> dict[int, int]:
        conn = session.app.attachments.ctx.read()
        conn.set_trace_callback(statements.append)
        try:
            return session.app.attachments.counts("handover")
        finally:
            conn.set_trace_callback(None)

    counts = call(qtbot, runner, counted)
    assert len(counts) == 2 and sorted(counts.values()) == [1, 2]
    assert len([s for s in statements if "attachment" in s]) == 1
