"""A table being refreshed on the worker shows a loading state instead of going blank: one
overlay in the shared table code (gui/widgets/common.py, gui/models/base.py), used by every
list page: "Loading…" over an empty table at once, the old rows kept and greyed over a full
one (after a short delay, so a quick refresh does not flicker), gone when the rows or an
error arrive."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from secretdesk import i18n
from secretdesk.errors import UsageError
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.incidents_page import IncidentsPage
from secretdesk.gui.widgets.common import LoadingOverlay, record_table
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import day_session, day_vault

__all__ = ["day_session", "day_vault"]  # fixtures used by name


class Words(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {0: "Word"}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_object(index)
        return row if row is not None and role == Qt.ItemDataRole.DisplayRole else None


def _block(runner: TaskRunner) -> threading.Event:
    """Keep the worker busy until the returned event is set (a long refresh)."""
    gate = threading.Event()
    runner.submit(lambda: gate.wait(10))
    return gate


def _overlay(table: Any) -> LoadingOverlay:
    overlay = LoadingOverlay.of(table)
    assert overlay is not None
    return overlay


def test_an_empty_table_says_loading_at_once_and_rows_replace_it(
    qtbot: Any, runner: TaskRunner
) -> None:
    model = Words()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    table = record_table(proxy, stretch=(0,))  # the overlay finds the model behind the proxy
    qtbot.addWidget(table)
    table.resize(400, 300)
    table.show()
    overlay = _overlay(table)
    gate = _block(runner)
    got: list[Any] = []
    model.load(runner, lambda: ["một", "hai"], lambda rows: model.set_rows(rows), got.append)
    assert model.loading and overlay.isVisible()
    assert overlay.geometry() == table.viewport().rect()
    image = table.viewport().grab().toImage()
    dark = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, 40)
        if QColor(image.pixel(x, y)).lightness() < 160
    )
    assert dark > 20  # the words are drawn near the top of the empty table
    gate.set()
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    assert not overlay.isVisible() and model.rowCount() == 2 and got == []


def test_old_rows_stay_greyed_while_loading_and_an_error_ends_it(
    qtbot: Any, runner: TaskRunner
) -> None:
    model = Words()
    model.set_rows(["cũ"])
    table = record_table(model, stretch=(0,))
    qtbot.addWidget(table)
    table.show()
    overlay = _overlay(table)
    gate = _block(runner)
    errors: list[BaseException] = []

    def refuse() -> list[str]:
        raise UsageError(detail="không đọc được")

    model.load(runner, refuse, model.set_rows, errors.append)
    assert model.loading and not overlay.isVisible()  # no flicker on a quick refresh
    qtbot.waitUntil(overlay.isVisible, timeout=2000)
    assert model.rowCount() == 1 and model.index(0, 0).data() == "cũ"  # never blank
    assert overlay.over_rows
    gate.set()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert not model.loading and not overlay.isVisible()
    assert model.rowCount() == 1  # the old rows are kept after a failed refresh
    assert model.rowCount(QModelIndex()) == 1


def test_a_list_page_shows_the_loading_state_while_the_worker_is_busy(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    i18n.set_language("vi")
    try:
        page = IncidentsPage(runner, day_session(), VaultEvents())
        qtbot.addWidget(page)
        page.show()
        gate = _block(runner)
        page.refresh()
        overlay = _overlay(page.table)
        assert page.model.loading and overlay.isVisible()
        assert i18n._("Loading…") == "Đang tải…"
        gate.set()
        with qtbot.waitSignal(page.loaded, timeout=5000):
            pass
        assert not page.model.loading and not overlay.isVisible()
    finally:
        i18n.set_language("en")
