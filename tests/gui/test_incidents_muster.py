"""The incidents and the inventory and muster pages on a real vault: report a loss (refusals next
to their field, nothing changed), recover the copy; the inventory in the print preview; a muster
by ticking and by scanning label codes, with its discrepancy list printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.incidents import RecoverCopyDialog, ReportIncidentDialog
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.incidents_page import IncidentsPage
from secretdesk.gui.views.muster_page import MusterPage
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import call, day_session, day_vault, pdf_printer, refuse, submit

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def register(qtbot: Any, runner: TaskRunner, session: Session, copies: int = 2) -> Any:
    items = session.app.items
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.MAT,
        number_symbol="15/QĐ-BCA",
        doc_date=date(2026, 10, 30),
        copies=copies,
    )
    return call(qtbot, runner, lambda: items.register(registration))


def states(qtbot: Any, runner: TaskRunner, session: Session, item: Any) -> list[CopyState]:
    items = session.app.items
    return [copy.state for copy in call(qtbot, runner, lambda: items.copies(item.id))]


def test_report_a_loss_and_recover_the_copy(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    page = IncidentsPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.report_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReportIncidentDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("loss"))
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 2, timeout=5000)
    dialog.reported_to.setText("Giám đốc Sở")
    assert refuse(qtbot, dialog)[0] == "description"
    dialog.description.setPlainText("Không tìm thấy trong tủ sau cuộc họp.")
    assert refuse(qtbot, dialog)[0] == "copies"  # a loss names the copy
    dialog.picker.pick(item.number, 1)
    dialog.picker.pick(item.number, 2)
    assert refuse(qtbot, dialog) == ("copies", "Chỉ đánh dấu một bản.")
    dialog.picker.model.toggle(dialog.picker.model.find(item.number, 2) or 0, False)
    dialog.reported_to.setText("")
    assert refuse(qtbot, dialog)[0] == "reported_to"
    dialog.reported_to.setText("Giám đốc Sở")
    dialog.occurred_at.setText("29/10/2026 10:00")  # before the document's date
    assert refuse(qtbot, dialog)[0] == "occurred_at"
    incidents = session.app.incidents
    assert call(qtbot, runner, lambda: incidents.list()) == []  # nothing changed
    assert states(qtbot, runner, session, item)[0] is CopyState.IN_STORAGE
    dialog.occurred_at.setText("02/11/2026 08:00")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        incident = submit(qtbot, dialog)
    assert incident.kind == "loss"
    assert states(qtbot, runner, session, item)[0] is CopyState.LOST_OR_LEAKED
    assert page.model.rowCount() == 1 and "Bản số 1" in page.model.line_at(0).copy_text()

    page.select_incident(incident.id)
    assert page.recover_button.isEnabled()
    page.recover_button.click()
    recover = page.dialog
    assert isinstance(recover, RecoverCopyDialog)
    recover.note.setText("Trong ngăn kéo phòng họp")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        submit(qtbot, recover)
    assert states(qtbot, runner, session, item)[0] is CopyState.IN_STORAGE
    page.select_incident(incident.id)
    assert not page.recover_button.isEnabled()


def open_muster(
    qtbot: Any, runner: TaskRunner, session: Session, tmp_path: Path
) -> tuple[MusterPage, list[PrintPreview]]:
    previews: list[PrintPreview] = []

    def preview(title: str, render: Callable[[], bytes], name: str) -> None:
        shown = PrintPreview(
            runner, title, render, name, choose_printer=pdf_printer(tmp_path / name)
        )
        qtbot.addWidget(shown)
        previews.append(shown)

    page = MusterPage(runner, session, VaultEvents(), open_preview=preview)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page, previews


def test_inventory_preview_and_a_scanned_muster(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    item = register(qtbot, runner, session, copies=3)
    page, previews = open_muster(qtbot, runner, session, tmp_path)
    assert page.model.rowCount() == 3
    assert "Đã thấy 0 trên 3 bản." in page.count_label.text()

    page.inventory_day.setText("31-12-2026")
    page.inventory_button.click()
    assert not page.inventory_error.isHidden() and previews == []
    page.inventory_day.setText("02/11/2026")
    page.inventory_button.click()
    qtbot.waitUntil(lambda: bool(previews) and previews[0].ready, timeout=10000)
    assert previews[0].pdf_bytes.startswith(b"%PDF")

    # A scanner types each label's code and Enter; a bad code is said, nothing ticked.
    for code in (f"{item.number}/{item.year}-1", f" {item.number} / {item.year} - 3 "):
        page.scan.setText(code)
        page.scan.returnPressed.emit()
    assert "Đã thấy 2 trên 3 bản." in page.count_label.text()
    page.scan.setText("abc")
    page.scan.returnPressed.emit()
    assert "không phải mã" in page.scan_error.text()
    page.scan.setText(f"{item.number}/{item.year}-9")
    page.scan.returnPressed.emit()
    assert "Trong sổ không có bản" in page.scan_error.text()
    assert len(page.model.found) == 2

    with qtbot.waitSignal(page.recorded, timeout=5000) as recorded:
        page.record_button.click()
    result = recorded.args[0]
    assert result.expected == 3 and len(result.found) == 2
    assert [d.copy_id for d in result.missing] == [
        page.model.shelf_at(1).line.copy_id
    ]  # Bản số 2, not scanned
    assert page.discrepancies.rowCount() == 1 and not page.discrepancy_table.isHidden()
    assert "thiếu 1" in page.result_label.text()

    page.print_button.click()
    qtbot.waitUntil(lambda: len(previews) == 2 and previews[1].ready, timeout=10000)
    assert previews[1].print_document()
    assert (tmp_path / f"muster-{result.muster_id}.pdf").stat().st_size > 0
