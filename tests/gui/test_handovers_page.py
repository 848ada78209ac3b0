"""The handovers page on a real vault: the list, overdue highlighting, "open only", the slip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtTest import QAbstractItemModelTester

from secretdesk import i18n
from secretdesk.gui.models import handovers_model
from secretdesk.gui.models.handovers_model import HandoversTableModel
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.handovers_page import HandoversPage
from tests.gui import register_data
from tests.gui.register_data import Entries

DISPATCHED = date(*register_data.RECORDED)
DUE = DISPATCHED + timedelta(days=10)  # no due date given: the default 10 days


def local_day(hour: int, minute: int) -> str:
    """The day of a time on the recording day (UTC) as the clerk's computer shows it."""
    at = datetime(*register_data.RECORDED, hour, minute, tzinfo=UTC)
    return at.astimezone().strftime("%d/%m/%Y")


def make_page(qtbot: Any, runner: TaskRunner, session: Any, **options: Any) -> HandoversPage:
    page = HandoversPage(runner, session, **options)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page


def row_of(page: HandoversPage, year_number: tuple[int, int]) -> int:
    """The row in the view (sorted) of a handover."""
    for row in range(page.proxy.rowCount()):
        handover = page.proxy.data(page.proxy.index(row, 0), handovers_model.OBJECT_ROLE)
        if (handover.year, handover.number) == year_number:
            return row
    raise AssertionError(f"handover {year_number} is not shown")


DISPLAY = Qt.ItemDataRole.DisplayRole


def shown(page: HandoversPage, row: int, column: int, role: int = DISPLAY) -> Any:
    return page.proxy.data(page.proxy.index(row, column), role)


@pytest.fixture
def opened(
    qtbot: Any, runner: TaskRunner, register_vault: tuple[Path, Entries], open_session: Any
) -> tuple[HandoversPage, Entries]:
    template, entries = register_vault
    return make_page(qtbot, runner, open_session(template)), entries


def test_the_overdue_dispatch_is_highlighted_with_its_days_late(
    opened: tuple[HandoversPage, Entries],
) -> None:
    page, entries = opened
    assert page.proxy.rowCount() == 4
    assert [shown(page, r, handovers_model.NUMBER) for r in range(4)] == [
        "1/2025",
        "4/2025",
        "3/2025",
        "2/2025",
    ]  # the overdue one first, then the others newest first
    late = row_of(page, entries.overdue)
    days = (date(*register_data.VIEWED) - DUE).days
    assert shown(page, late, handovers_model.STATUS) == f"Overdue {days} days"
    assert shown(page, late, handovers_model.STATUS, Qt.ItemDataRole.ToolTipRole) == (
        "The receipt was due on 13/03/2025."
    )
    assert shown(page, late, handovers_model.KIND) == "Sent out"
    assert shown(page, late, handovers_model.TO) == register_data.DISPATCHED_TO
    assert shown(page, late, handovers_model.COPIES) == "15/QĐ-UBND: Copy no. 1"
    assert shown(page, late, handovers_model.HANDED) == local_day(8, 30)
    assert shown(page, late, handovers_model.RECEIPT) == "—"
    for column in (handovers_model.NUMBER, handovers_model.RECEIPT):
        assert shown(page, late, column, Qt.ItemDataRole.BackgroundRole) is not None
    assert shown(page, late, handovers_model.STATUS, Qt.ItemDataRole.FontRole).bold()
    assert page.overdue_note.text().startswith("Overdue handovers: 1.")
    assert page.overdue_note.property("role") == "alert"

    received = row_of(page, entries.received)
    assert shown(page, received, handovers_model.STATUS) == "Completed"
    assert shown(page, received, handovers_model.RECEIPT) == (
        f"{register_data.RECEIVED_BY}, {local_day(10, 0)}"
    )
    assert shown(page, received, handovers_model.STATUS, Qt.ItemDataRole.BackgroundRole) is None
    kinds = {shown(page, r, handovers_model.KIND) for r in range(4)}
    assert kinds == {"Sent out", "Issued to a person", "Returned"}


def test_open_only_leaves_the_handovers_still_waiting(
    qtbot: Any, opened: tuple[HandoversPage, Entries]
) -> None:
    page, entries = opened
    with qtbot.waitSignal(page.loaded, timeout=5000) as loaded:
        page.open_only.setChecked(True)
    assert loaded.args == [1]
    assert row_of(page, entries.overdue) == 0
    assert page.status.text() == "1 handover."
    with qtbot.waitSignal(page.loaded, timeout=5000) as loaded:
        page.open_only.setChecked(False)
    assert loaded.args == [4]


def test_print_receipt_slip_of_the_selected_handover(
    qtbot: Any,
    runner: TaskRunner,
    register_vault: tuple[Path, Entries],
    open_session: Any,
    tmp_path: Path,
) -> None:
    template, entries = register_vault
    target = tmp_path / "slips" / "phieu.pdf"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(_parent: Any, title: str, suggested: str) -> Path:
        asked.append(suggested)
        return target

    page = make_page(qtbot, runner, open_session(template), choose_path=choose)
    assert not page.print_button.isEnabled()
    page.table.selectRow(row_of(page, entries.overdue))
    assert page.print_button.isEnabled()
    assert page.print_button.toolTip() == "Save the receipt slip of handover 1/2025"
    with qtbot.waitSignal(page.saved, timeout=10000) as saved:
        page.print_button.click()
    assert asked == ["handover-slip-2025-1.pdf"]
    assert saved.args == [str(target)]
    assert target.read_bytes().startswith(b"%PDF-")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.selected() is not None and page.selected().number == 1  # still selected


def test_a_failed_save_is_reported_in_words(
    qtbot: Any,
    runner: TaskRunner,
    register_vault: tuple[Path, Entries],
    open_session: Any,
    tmp_path: Path,
) -> None:
    template, entries = register_vault
    missing = tmp_path / "no such folder" / "slip.pdf"
    session = open_session(template)
    page = make_page(qtbot, runner, session, choose_path=lambda *_: missing)
    page.table.selectRow(row_of(page, entries.received))
    with qtbot.waitSignal(page.failed, timeout=10000) as failed:
        page.print_slip()
    assert failed.args[0].startswith("The file could not be saved: ")
    assert not missing.exists() and page.print_button.isEnabled()
    events: list[Any] = []
    runner.submit(lambda: session.app.audit.events(limit=5), events.extend)
    qtbot.waitUntil(lambda: bool(events), timeout=3000)
    assert not any(event.action.startswith("print.") for event in events)  # nothing printed


def test_the_page_speaks_vietnamese(
    qtbot: Any, runner: TaskRunner, register_vault: tuple[Path, Entries], open_session: Any
) -> None:
    i18n.set_language("vi")
    template, entries = register_vault
    page = make_page(qtbot, runner, open_session(template))
    late = row_of(page, entries.overdue)
    assert shown(page, late, handovers_model.STATUS).startswith("Quá hạn ")
    assert shown(page, late, handovers_model.KIND) == "Gửi đi"
    assert shown(page, late, handovers_model.COPIES) == "15/QĐ-UBND: Bản số 1"
    assert page.model.headerData(handovers_model.COPIES, Qt.Orientation.Horizontal) == (
        "Tài liệu và bản số"
    )
    assert page.open_only.text() == "Chỉ hiện chưa kết thúc"
    assert page.model.headerData(handovers_model.RECEIPT, Qt.Orientation.Horizontal) == (
        "Biên nhận"
    )


def test_the_model_marks_overdue_rows_without_a_window() -> None:
    def handover(number: int, **changes: Any) -> Any:
        values = {
            "id": number,
            "year": 2026,
            "number": number,
            "kind": "dispatch",
            "recipient_body": "Ban Nội chính",
            "recipient_person": "",
            "copy_ids": (1, 2),
            "handed_at": "2026-03-02T08:00:00+00:00",
            "status": "open",
            "receipt_by": None,
            "receipt_at": None,
            "envelope_marks": "C (Mật)",
        }
        return SimpleNamespace(**{**values, **changes})

    recall = handover(2, receipt_by="Lê Thị Hoa", receipt_at="2026-03-05T09:00")
    rows = [handover(1), recall, handover(3, kind="issue", recipient_body="")]
    late = SimpleNamespace(handover=recall, due=date(2026, 4, 1), days_late=5, recall=True)
    model = HandoversTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(rows, [late])

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.data(model.index(row, column), role)

    assert model.overdue_count == 1 and model.overdue_of(1) is late
    assert cell(0, handovers_model.STATUS) == "Awaiting receipt"
    assert cell(1, handovers_model.STATUS) == "Overdue 5 days"
    assert cell(1, handovers_model.STATUS, Qt.ItemDataRole.ToolTipRole) == (
        "The recalled copies were due back on 01/04/2026."
    )
    assert cell(2, handovers_model.STATUS) == "Not returned yet"
    assert cell(2, handovers_model.TO) == "—"
    assert cell(0, handovers_model.COPIES) == "2"
    assert cell(0, handovers_model.NUMBER, Qt.ItemDataRole.ToolTipRole) == "C (Mật)"
    assert cell(1, handovers_model.STATUS, handovers_model.SORT_ROLE) == 7_2026_000_002.0
    assert cell(0, handovers_model.NUMBER, handovers_model.SORT_ROLE) == 2026_000_001


def test_each_row_names_its_documents_and_copies_overdue_first() -> None:
    def handover(number: int, status: str = "closed") -> Any:
        return SimpleNamespace(
            id=number,
            year=2026,
            number=number,
            label=f"{number}/2026",
            kind="dispatch",
            status=status,
            copy_ids=(1, 2),
        )

    def document(symbol: str, originals: tuple[int, ...], copies: tuple[int, ...] = ()) -> Any:
        return SimpleNamespace(number_symbol=symbol, originals=originals, reproductions=copies)

    rows = [handover(1, "open"), handover(2, "open"), handover(3), handover(4)]
    late = SimpleNamespace(handover=rows[0], due=date(2025, 4, 1), days_late=598, recall=False)
    documents = {
        1: [document("12/QĐ-STP", (1, 2), (1,)), document("7/CV-VP", (3,))],
        4: [document("9/TB-VP", (2,))],
    }
    model = HandoversTableModel()
    model.set_rows(rows, [late], documents)

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.data(model.index(row, column), role)

    assert cell(0, handovers_model.COPIES) == (
        "12/QĐ-STP: Copy no. 1, 2, Reproduction no. 1; 7/CV-VP: Copy no. 3"
    )
    assert cell(3, handovers_model.COPIES) == "9/TB-VP: Copy no. 2"
    assert cell(1, handovers_model.COPIES) == "2"  # documents not known: the count
    proxy = QSortFilterProxyModel()  # as the page sorts: through Qt, by SORT_ROLE
    proxy.setSourceModel(model)
    proxy.setSortRole(handovers_model.SORT_ROLE)
    proxy.sort(handovers_model.STATUS, Qt.SortOrder.DescendingOrder)
    shown = [proxy.data(proxy.index(r, handovers_model.NUMBER)) for r in range(4)]
    assert shown == ["1/2026", "2/2026", "4/2026", "3/2026"]  # overdue, open, closed
