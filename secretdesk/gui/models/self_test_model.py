"""Table model of the self-test checks shown on the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.style import DANGER, SUCCESS
from secretdesk.i18n import N_, _, render_value

if TYPE_CHECKING:
    from secretdesk.services.maintenance import Check

CHECK, RESULT, DETAIL = range(3)
COLUMNS = {CHECK: N_("Check"), RESULT: N_("Result"), DETAIL: N_("Detail")}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

PASSED = N_("Passed")
FAILED = N_("Failed")
WARNING = N_("Warning")
WARNING_COLOUR = "#9a6700"


def verdict(check: Check) -> str:
    if check.ok:
        return PASSED
    return WARNING if check.warning_only else FAILED


class SelfTestModel(RowsTableModel):
    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        check = self.row_object(index)
        if check is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CHECK:
                return _(check.name)
            if column == RESULT:
                outcome = verdict(check)
                return _(outcome)
            return render_value(check.detail)
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAIL:
            return render_value(check.detail)
        if role == Qt.ItemDataRole.ForegroundRole and column == RESULT:
            colour = {PASSED: SUCCESS, FAILED: DANGER}.get(verdict(check), WARNING_COLOUR)
            return QColor(colour)
        if role == OBJECT_ROLE:
            return check
        return None
