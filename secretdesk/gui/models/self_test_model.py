"""Table model of the self-test checks shown on the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from secretdesk.gui.style import DANGER, SUCCESS
from secretdesk.i18n import N_, _

if TYPE_CHECKING:
    from secretdesk.services.maintenance import Check

CHECK, RESULT, DETAIL = range(3)
COLUMNS = {CHECK: N_("Check"), RESULT: N_("Result"), DETAIL: N_("Detail")}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

PASSED = N_("Passed")
FAILED = N_("Failed")
WARNING = N_("Warning")
WARNING_COLOUR = "#9a6700"

_Index = QModelIndex | QPersistentModelIndex


def verdict(check: Check) -> str:
    if check.ok:
        return PASSED
    return WARNING if check.warning_only else FAILED


class SelfTestModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Check] = []

    def set_rows(self, checks: Sequence[Check]) -> None:
        self.beginResetModel()
        self._rows = list(checks)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        check = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CHECK:
                return _(check.name)
            if column == RESULT:
                outcome = verdict(check)
                return _(outcome)
            return check.detail
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAIL:
            return check.detail
        if role == Qt.ItemDataRole.ForegroundRole and column == RESULT:
            colour = {PASSED: SUCCESS, FAILED: DANGER}.get(verdict(check), WARNING_COLOUR)
            return QColor(colour)
        if role == OBJECT_ROLE:
            return check
        return None
