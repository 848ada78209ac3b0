"""Table model of handovers (giao nhận), with the overdue ones marked (STYLE.md 4).

Rows are the service layer's ``HandoverRow`` objects; ``set_rows`` also takes the service's
``Overdue`` list, so a late receipt (or a late recall return) is shown with its days late.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import (
    ALERT_BACKGROUND,
    ALERT_TEXT,
    NONE,
    local_day,
    local_minute,
)
from secretdesk.i18n import N_, _
from secretdesk.services.handovers import KIND_LABELS, STATUS_LABELS

HandoverRow = Any  # secretdesk.storage.workflow.HandoverRow, as HandoverService.list returns it
Overdue = Any  # secretdesk.services.handovers.Overdue: handover, due, days_late, recall

NUMBER, KIND, TO, COPIES, HANDED, STATUS, RECEIPT = range(7)
COLUMNS = {
    NUMBER: N_("Number"),
    KIND: N_("Kind"),
    TO: N_("Body or person"),
    COPIES: N_("No. of copies"),
    HANDED: N_("Handed on"),
    STATUS: N_("Status"),
    RECEIPT: N_("Receipt"),
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

KINDS = KIND_LABELS  # the service's names of the kinds of handover
OPEN = STATUS_LABELS["open"]
OPEN_ISSUE = N_("Not returned yet")
OPEN_RECALL = N_("Awaiting return (recall)")
CLOSED = STATUS_LABELS["closed"]
LATE = N_("Overdue {days} days")
HANDED_AT = N_("Handed over on {time}")
DUE_ON = N_("The receipt was due on {date}.")
RECALL_DUE_ON = N_("The recalled copies were due back on {date}.")
RECEIVED = N_("{name}, {date}")


BOLD_COLUMNS = (STATUS,)  # an overdue status is bold


def column_samples() -> dict[int, list[str]]:
    """The widest values a column shows, for sizing it (see widgets.common.size_columns)."""
    statuses = [_(OPEN), _(OPEN_ISSUE), _(OPEN_RECALL), _(CLOSED)]
    statuses.append(_(LATE).format(days=99))
    return {
        NUMBER: ["9999/2026"],
        KIND: [_(name) for name in KINDS.values()],
        COPIES: ["99"],
        HANDED: ["30/12/2026"],
        STATUS: statuses,
    }


def kind_text(kind: str) -> str:
    name = KINDS.get(kind)
    return _(name) if name else kind


class HandoversTableModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HandoverRow] = []
        self._overdue: dict[int, Overdue] = {}

    def set_rows(self, handovers: Sequence[HandoverRow], overdue: Sequence[Overdue] = ()) -> None:
        self.beginResetModel()
        self._rows = list(handovers)
        self._overdue = {late.handover.id: late for late in overdue}
        self.endResetModel()

    def handover_at(self, row: int) -> HandoverRow:
        return self._rows[row]

    def overdue_of(self, row: int) -> Overdue | None:
        return self._overdue.get(self._rows[row].id)

    @property
    def overdue_count(self) -> int:
        return sum(1 for handover in self._rows if handover.id in self._overdue)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        handover = self.row_object(index)
        if handover is None:
            return None
        late = self._overdue.get(handover.id)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(handover, late, column)
        if role == SORT_ROLE:
            return self._sort_key(handover, late, column)
        if role == OBJECT_ROLE:
            return handover
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS and late is not None:
                due = RECALL_DUE_ON if late.recall else DUE_ON
                return _(due).format(date=late.due.strftime("%d/%m/%Y"))
            if column == HANDED:
                return _(HANDED_AT).format(time=local_minute(handover.handed_at))
            if column == NUMBER and handover.envelope_marks:
                return str(handover.envelope_marks)
            if column == RECEIPT and handover.receipt_by:
                return self._display(handover, late, column)
            if column == TO:
                parts = (handover.recipient_body, handover.recipient_person)
                return " — ".join(part for part in parts if part) or None
            return None
        if late is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return ALERT_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
                return ALERT_TEXT
            if role == Qt.ItemDataRole.FontRole and column == STATUS:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NUMBER, COPIES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(handover: HandoverRow, late: Overdue | None, column: int) -> str:
        if column == NUMBER:
            return str(handover.label)
        if column == KIND:
            return kind_text(handover.kind)
        if column == TO:
            return str(handover.recipient_body or handover.recipient_person or NONE)
        if column == COPIES:
            return str(len(handover.copy_ids))
        if column == HANDED:
            return local_day(handover.handed_at)
        if column == STATUS:
            if late is not None:
                return _(LATE).format(days=late.days_late)  # the tooltip tells a recall
            if handover.status == "open":
                if handover.kind == "issue":
                    return _(OPEN_ISSUE)
                return _(OPEN_RECALL if handover.receipt_at else OPEN)
            return _(CLOSED)
        if column == RECEIPT:
            if not handover.receipt_by:
                return NONE
            return _(RECEIVED).format(name=handover.receipt_by, date=local_day(handover.receipt_at))
        return ""

    @staticmethod
    def _sort_key(handover: HandoverRow, late: Overdue | None, column: int) -> Any:
        if column == NUMBER:
            return handover.year * 1_000_000 + handover.number
        if column == COPIES:
            return len(handover.copy_ids)
        if column == HANDED:
            return handover.handed_at
        if column == STATUS:  # the latest first when sorted descending, then the open ones
            return late.days_late + 1 if late is not None else -int(handover.status != "open")
        return HandoversTableModel._display(handover, late, column).casefold()
