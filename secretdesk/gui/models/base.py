"""What every read-only table model here shares: rows, translated column headings, and the
loading state shown while a refresh runs on the worker (gui/widgets/common.py draws it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from secretdesk.i18n import _

if TYPE_CHECKING:
    from secretdesk.gui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex


def bold_font() -> QFont:
    """The font of a row or cell that must catch the eye: waiting, overdue, closing."""
    font = QFont()
    font.setBold(True)
    return font


class RowsTableModel(QAbstractTableModel):
    """A flat list of row objects; subclasses name their ``columns`` and implement ``data``."""

    columns: ClassVar[dict[int, str]] = {}  # column number -> English heading id
    loading_changed = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._loads = 0  # refreshes sent to the worker whose answer has not come back

    @property
    def loading(self) -> bool:
        return self._loads > 0

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def load(
        self,
        runner: Runner,
        work: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        context: QObject | None = None,
    ) -> None:
        """Refresh on the worker: the table shows its loading state (the old rows greyed, or
        "Loading…" over an empty table) until the answer or the error arrives."""
        self._loads += 1
        if self._loads == 1:
            self.loading_changed.emit(True)

        def finish() -> None:
            self._loads = max(0, self._loads - 1)
            if self._loads == 0:
                self.loading_changed.emit(False)

        def done(value: Any) -> None:
            try:
                on_result(value)
            finally:
                finish()

        def failed(error: BaseException) -> None:
            finish()
            on_error(error)

        runner.submit(work, done, failed, context=context)

    def row_object(self, index: Index) -> Any | None:
        """The row behind a valid index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section])
        return None
