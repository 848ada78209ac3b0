"""The registers page on a real vault: search, filters, lazy paging, the detail panel, printing."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from secretdesk import i18n
from secretdesk.domain.levels import Level
from secretdesk.gui.models import items_model
from secretdesk.gui.models.items_model import PAGE_SIZE, ItemsTableModel
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.registers_page import RegistersPage
from tests.gui import register_data
from tests.gui.register_data import Entries

Opened = tuple[RegistersPage, Entries, list[tuple[str, str]]]


@pytest.fixture
def opened(
    qtbot: Any,
    runner: TaskRunner,
    register_vault: tuple[Path, Entries],
    open_session: Any,
    tmp_path: Path,
) -> Opened:
    """The page on a copy of the register vault, first page loaded; prints go to tmp_path."""
    template, entries = register_vault
    asked: list[tuple[str, str]] = []

    def choose(_parent: Any, title: str, suggested: str) -> Path:
        asked.append((title, suggested))
        return tmp_path / suggested

    page = RegistersPage(runner, open_session(template), choose_path=choose)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page, entries, asked


DISPLAY = Qt.ItemDataRole.DisplayRole


def cell(page: RegistersPage, row: int, column: int, role: int = DISPLAY) -> Any:
    return page.model.data(page.model.index(row, column), role)


def row_of(page: RegistersPage, item_id: int) -> int:
    row = page.model.row_of(item_id)
    assert row is not None, f"item {item_id} is not loaded"
    return row


def show(qtbot: Any, page: RegistersPage, item_id: int) -> Any:
    with qtbot.waitSignal(page.details_shown, timeout=5000) as shown:
        page.table.selectRow(row_of(page, item_id))
    return shown.args[0]


def test_typing_without_diacritics_finds_vietnamese_text(qtbot: Any, opened: Opened) -> None:
    page, entries, _asked = opened
    page.search.setText("quyet dinh")
    assert page.model.rowCount() == PAGE_SIZE  # nothing yet: the search waits for a pause
    with qtbot.waitSignal(page.loaded, timeout=3000) as loaded:
        pass
    assert loaded.args == [1]
    assert cell(page, 0, items_model.SYMBOL) == "15/QĐ-UBND"
    assert cell(page, 0, items_model.TYPE) == "Quyết định"

    with qtbot.waitSignal(page.loaded, timeout=3000):
        page.search.setText("tuyet mat")
    assert [page.model.item_at(r).id for r in range(page.model.rowCount())] == [entries.top_secret]
    # The service hands back the summary recorded with consent in 2025; the table hides it.
    assert page.model.item_at(0).summary == "Tình hình an ninh nội bộ"
    assert cell(page, 0, items_model.SUMMARY) == "—"
    assert cell(page, 0, items_model.LEVEL) == "Top secret"
    assert cell(page, 0, items_model.LEVEL, Qt.ItemDataRole.FontRole).bold()
    assert cell(page, 0, items_model.SYMBOL, Qt.ItemDataRole.BackgroundRole) is not None

    with qtbot.waitSignal(page.loaded, timeout=3000) as loaded:
        page.search.setText("21/CAT")
        page.search.returnPressed.emit()  # Enter searches at once
    assert cell(page, 0, items_model.SUMMARY) == (
        "Unopened: only Trần Văn Hùng may open the envelope"
    )


def test_filters_by_level_and_register(qtbot: Any, opened: Opened) -> None:
    page, entries, _asked = opened
    with qtbot.waitSignal(page.loaded, timeout=3000) as loaded:
        page.level_filter.setCurrentIndex(page.level_filter.findData(Level.TOI_MAT))
    assert loaded.args == [1] and page.model.item_at(0).id == entries.expiring
    assert not page.table.isColumnHidden(items_model.REGISTER)
    assert cell(page, 0, items_model.REGISTER) == "Outgoing"

    with qtbot.waitSignal(page.loaded, timeout=3000):
        page.level_filter.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=3000) as loaded:
        page.register_filter.setCurrentIndex(page.register_filter.findData("internal"))
    assert loaded.args == [1] and page.model.item_at(0).id == entries.cancelled
    assert page.table.isColumnHidden(items_model.REGISTER)  # one register: no need to say
    hidden = [c for c in range(page.model.columnCount()) if page.table.isColumnHidden(c)]
    assert hidden == [items_model.REGISTER, items_model.ISSUER, items_model.RECEIVED]
    assert cell(page, 0, items_model.SUMMARY) == "Cancelled: Lịch trực bảo vệ cơ quan"
    assert cell(page, 0, items_model.SYMBOL, Qt.ItemDataRole.FontRole).strikeOut()
    assert not cell(page, 0, items_model.SUMMARY, Qt.ItemDataRole.FontRole).strikeOut()
    assert cell(page, 0, items_model.SYMBOL, Qt.ItemDataRole.ForegroundRole) is not None
    assert page.status.text() == "1 entry."

    years = [page.year_filter.itemData(i) for i in range(page.year_filter.count())]
    assert years == [None, register_data.YEAR]
    with qtbot.waitSignal(page.loaded, timeout=3000) as loaded:
        page.search.setText("không có mục này")
        page.run_search()
    assert loaded.args == [0] and page.status.text() == "No entry matches."


def test_scrolling_to_the_end_loads_the_next_page(qtbot: Any, opened: Opened) -> None:
    page, _entries, _asked = opened
    total = register_data.FILLERS + 5
    assert page.model.rowCount() == PAGE_SIZE
    assert page.model.canFetchMore(QModelIndex())
    assert page.status.text() == "200 entries loaded; scroll down for more."
    with qtbot.waitSignal(page.page_added, timeout=5000) as added:
        page.table.scrollToBottom()  # the view asks the model for more (fetchMore)
    assert added.args == [total] and page.model.rowCount() == total
    assert page.model.complete and not page.model.canFetchMore(QModelIndex())
    assert page.status.text() == f"{total} entries."
    rows = [page.model.item_at(r) for r in range(total)]
    assert len({(item.book_kind, item.number) for item in rows}) == total  # none twice


def test_the_detail_panel_shows_the_copies_and_the_protection_period(
    qtbot: Any, opened: Opened, runner: TaskRunner
) -> None:
    page, entries, _asked = opened
    assert not page.panel.copies.isVisible()
    details = show(qtbot, page, entries.decision)
    assert details.item.id == entries.decision
    copies = page.panel.copies_model
    rows = [[copies.data(copies.index(r, c)) for c in range(3)] for r in range(copies.rowCount())]
    assert rows == [
        ["Copy no. 1", "In transit", register_data.DISPATCHED_TO],
        ["Copy no. 2", "In storage", "Kho lưu trữ"],
    ]
    assert page.panel.heading.text() == "Incoming 251/2025 — 15/QĐ-UBND"
    assert page.panel.summary.text() == "Summary: Về việc bảo vệ bí mật nhà nước năm 2025"
    assert page.panel.expiry.text() == "Protected until 27/02/2035."
    assert page.panel.expiry.property("role") == ""

    with qtbot.waitSignal(page.loaded, timeout=3000):
        page.register_filter.setCurrentIndex(page.register_filter.findData("outgoing"))
    assert page.panel.copies.isHidden()  # the entry shown before is not in this register
    show(qtbot, page, entries.expiring)
    assert page.panel.expiry.text().startswith("Protection ends soon, on ")
    assert page.panel.expiry.property("role") == "warn"

    show(qtbot, page, entries.top_secret)
    assert "Tình hình" not in page.panel.facts.text() + page.panel.summary.text()
    assert page.panel.summary.text() == "The summary of a Tuyệt mật item is never shown."
    events: list[Any] = []
    audit = page.session.app.audit
    runner.submit(lambda: audit.events(limit=3), events.extend)
    qtbot.waitUntil(lambda: bool(events), timeout=3000)
    assert events[-1].action == "item.viewed"  # viewing a Tuyệt mật item is recorded

    with qtbot.waitSignal(page.details_shown, timeout=5000) as again:
        page.refresh()  # e.g. the page shown again: the same entry stays selected and is reread
    assert again.args[0].item.id == entries.top_secret


def test_print_register_saves_the_pdf_where_the_clerk_chose(
    qtbot: Any, opened: Opened, tmp_path: Path
) -> None:
    page, _entries, asked = opened
    assert not page.print_button.isEnabled()  # all registers: which one to print?
    assert page.print_button.toolTip() == (
        "Choose the outgoing, incoming or internal register to print it."
    )
    page.register_filter.setCurrentIndex(page.register_filter.findData("internal"))
    assert page.print_button.isEnabled()  # the internal book prints too
    assert page.print_button.toolTip() == "Save the internal register of 2025"
    with qtbot.waitSignal(page.saved, timeout=10000) as saved:
        page.print_button.click()
    internal = Path(saved.args[0])
    assert internal == tmp_path / "register-internal-2025.pdf"
    assert internal.read_bytes().startswith(b"%PDF-")
    asked.clear()
    page.register_filter.setCurrentIndex(page.register_filter.findData("outgoing"))
    assert page.print_button.isEnabled()
    assert page.print_button.toolTip() == "Save the outgoing register of 2025"
    with qtbot.waitSignal(page.saved, timeout=10000) as saved:
        page.print_button.click()
    assert asked == [("Save the outgoing register of 2025", "register-outgoing-2025.pdf")]
    path = Path(saved.args[0])
    assert path == tmp_path / "register-outgoing-2025.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert page.status.text() == f"Saved to {path}"
    assert page.print_button.isEnabled()


def test_the_page_speaks_vietnamese(
    qtbot: Any, runner: TaskRunner, register_vault: tuple[Path, Entries], open_session: Any
) -> None:
    i18n.set_language("vi")
    template, entries = register_vault
    page = RegistersPage(runner, open_session(template))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    header = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in items_model.COLUMNS]
    assert header[items_model.SUMMARY] == "Trích yếu" and header[items_model.LEVEL] == "Độ mật"
    assert page.status.text() == "Đã tải 200 mục; cuộn xuống để xem thêm."
    with qtbot.waitSignal(page.loaded, timeout=3000):
        page.search.setText("bao ve co quan")
        page.run_search()
    assert cell(page, 0, items_model.SUMMARY) == "Đã hủy: Lịch trực bảo vệ cơ quan"
    assert cell(page, 0, items_model.REGISTER) == "Nội bộ"
    details = show(qtbot, page, entries.cancelled)
    assert details.item.cancelled
    assert page.panel.copies_model.data(page.panel.copies_model.index(0, 0)) == "Bản số 1"
    assert "Mục này đã bị hủy trong sổ." in page.panel.facts.text()


def _row(**changes: Any) -> Any:
    values = {
        "id": 1,
        "book_kind": "incoming",
        "year": 2026,
        "number": 1,
        "cancelled": False,
        "number_symbol": "1/UBND",
        "doc_date": "2026-03-02",
        "doc_type": "Công văn",
        "issuer": "UBND tỉnh",
        "summary": "Trích yếu",
        "level": Level.MAT,
        "copies_issued": 3,
        "named_addressee": None,
        "unopened": False,
    }
    return SimpleNamespace(**{**values, **changes})


def test_the_model_pages_on_demand_without_a_window(qtbot: Any) -> None:
    model = ItemsTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows([_row(id=n, number=n) for n in range(PAGE_SIZE)])
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.more_wanted) as wanted:
        model.fetchMore(QModelIndex())
    assert wanted.args == [PAGE_SIZE]
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    model.add_page([_row(id=1000, summary=None), _row(id=1001, level=Level.TUYET_MAT)])
    assert model.rowCount() == PAGE_SIZE + 2 and model.complete
    assert model.data(model.index(PAGE_SIZE, items_model.SUMMARY)) == "—"
    assert model.data(model.index(PAGE_SIZE + 1, items_model.SUMMARY)) == "—"
    assert model.data(model.index(0, items_model.DATE)) == "02/03/2026"
    assert model.data(model.index(0, items_model.NUMBER)) == "0/2026"
    assert model.data(model.index(0, items_model.COPIES)) == "3"
    assert model.data(model.index(0, items_model.SYMBOL), items_model.OBJECT_ROLE).id == 0
    assert model.row_of(1001) == PAGE_SIZE + 1 and model.row_of(5000) is None
    model.hold()
    model.set_rows([])
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())


def test_issuer_recipients_and_date_received_have_columns(opened: Opened) -> None:
    page, entries, _asked = opened
    incoming = row_of(page, entries.decision)
    assert cell(page, incoming, items_model.ISSUER) == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    created = page.model.item_at(incoming).created_at
    local = datetime.fromisoformat(created).astimezone().strftime("%d/%m/%Y")
    assert cell(page, incoming, items_model.RECEIVED) == local
    outgoing = row_of(page, entries.expiring)
    assert cell(page, outgoing, items_model.RECEIVED) == "—"  # sent, not received
    assert cell(page, outgoing, items_model.RECIPIENTS) == "—"
    header = page.table.horizontalHeader()
    headings = [
        page.model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal)
        for v in range(header.count())
    ]
    assert headings[:7] == [
        "Register",
        "Entry no.",
        "Number and symbol",
        "Date",
        "Date received",
        "Issuer",
        "Recipients",
    ]


def _keys(page: RegistersPage, column: int) -> list[Any]:
    return [
        items_model.sort_key(page.model.item_at(r), column) for r in range(page.model.rowCount())
    ]


def test_every_column_sorts_the_loaded_rows_and_pages_merge_in_sorted(
    qtbot: Any, opened: Opened
) -> None:
    page, entries, _asked = opened
    register_order = [page.model.item_at(r).id for r in range(page.model.rowCount())]
    page.table.selectRow(row_of(page, entries.decision))
    page.table.sortByColumn(items_model.SYMBOL, Qt.SortOrder.AscendingOrder)
    keys = _keys(page, items_model.SYMBOL)
    assert keys == sorted(keys) and len(keys) == PAGE_SIZE
    assert page.model.item_at(page.table.currentIndex().row()).id == entries.decision  # kept

    total = register_data.FILLERS + 5
    with qtbot.waitSignal(page.page_added, timeout=5000) as added:
        page.table.scrollToBottom()
    assert added.args == [total]
    keys = _keys(page, items_model.SYMBOL)
    assert keys == sorted(keys)  # the new page is merged in, not appended below
    assert len({page.model.item_at(r).id for r in range(total)}) == total  # none twice, none lost
    assert page.model.item_at(page.table.currentIndex().row()).id == entries.decision

    for column in range(page.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            page.table.sortByColumn(column, order)
            keys = _keys(page, column)
            descending = order == Qt.SortOrder.DescendingOrder
            assert keys == sorted(keys, reverse=descending), (column, order)
    page.table.sortByColumn(items_model.LEVEL, Qt.SortOrder.DescendingOrder)
    levels = _keys(page, items_model.LEVEL)
    assert levels[0] == Level.TUYET_MAT.rank  # sorted descending by level: Tuyệt mật first

    page.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # back to the register's order
    ids = [page.model.item_at(r).id for r in range(total)]
    assert ids[:PAGE_SIZE] == register_order
