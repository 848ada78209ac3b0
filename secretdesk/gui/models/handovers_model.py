"""Table model of handovers (giao nhận), with the overdue ones marked (STYLE.md 4).

Rows are the service layer's ``Handover`` objects; ``set_rows`` also takes the service's
``Overdue`` list, so a late receipt (or a late recall return) is shown with its days late, and
the documents of each handover (``HandoverService.documents``), so a row names what went:
"12/QĐ-STP: Bản số 1, 2". Sorted by status (descending, the page's default) the overdue ones
come first, the latest first, then those still open, then the closed ones, each newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from secretdesk.domain.handovers import Handover, HandoverKind
from secretdesk.gui.models.base import Index, RowsTableModel, bold_font
from secretdesk.gui.models.formats import (
    ALERT_BACKGROUND,
    ALERT_TEXT,
    COPY_LABELS,
    NONE,
    SCANS_HEADER,
    local_day,
    local_minute,
    scans_text,
)
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.handovers import KIND_LABELS, STATUS_LABELS, HandedDocument, Overdue

Document = HandedDocument

NUMBER, KIND, TO, COPIES, HANDED, STATUS, RECEIPT, SCANS = range(8)
COLUMNS = {
    NUMBER: N_("Number"),
    KIND: N_("Kind"),
    TO: N_("Body or person"),
    COPIES: N_("Documents and copies"),  # the count only when the documents are not known
    HANDED: N_("Handed on"),
    STATUS: N_("Status"),
    RECEIPT: N_("Receipt"),
    SCANS: SCANS_HEADER,
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

KINDS = KIND_LABELS  # the service's names of the kinds of handover
OPEN = STATUS_LABELS["open"]
OPEN_ISSUE = N_("Not returned yet")
OPEN_RECALL = N_("Awaiting return (recall)")
CLOSED = STATUS_LABELS["closed"]
LATE = N_("Overdue {days} days")
LATE_ONE = N_("Overdue {days} day")
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
        COPIES: ["12/QĐ-STP: " + _(COPY_LABELS["original"]).format(number="1, 2")],
        HANDED: ["30/12/2026"],
        STATUS: statuses,
    }


def documents_text(documents: Sequence[Document]) -> str:
    """ "12/QĐ-STP: Bản số 1, 2; 7/CV-VP: Bản sao số 1" in the language of the window."""
    parts = []
    for document in documents:
        copies = []
        for kind, numbers in (
            ("original", document.originals),
            ("reproduction", document.reproductions),
        ):
            if numbers:
                listed = ", ".join(str(n) for n in numbers)
                copies.append(_(COPY_LABELS[kind]).format(number=listed))
        parts.append(f"{document.number_symbol}: {', '.join(copies)}")
    return "; ".join(parts)


def kind_text(kind: str) -> str:
    name = KINDS.get(kind)
    return _(name) if name else kind


class HandoversTableModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Handover] = []
        self._overdue: dict[int, Overdue] = {}
        self._documents: dict[int, Sequence[Document]] = {}
        self._scans: dict[int, int] = {}

    def set_rows(
        self,
        handovers: Sequence[Handover],
        overdue: Sequence[Overdue] = (),
        documents: dict[int, Sequence[Document]] | None = None,
        scans: dict[int, int] | None = None,
    ) -> None:
        self.beginResetModel()
        self._scans = dict(scans or {})
        self._rows = list(handovers)
        self._overdue = {late.handover.id: late for late in overdue}
        self._documents = dict(documents or {})
        self.endResetModel()

    def handover_at(self, row: int) -> Handover:
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
            if column == COPIES and handover.id in self._documents:
                return documents_text(self._documents[handover.id])
            if column == SCANS:
                return scans_text(self._scans.get(handover.id))
            return self._display(handover, late, column)
        if role == SORT_ROLE:
            if column == COPIES and handover.id in self._documents:
                return documents_text(self._documents[handover.id]).casefold()
            if column == SCANS:
                return self._scans.get(handover.id, 0)
            return self._sort_key(handover, late, column)
        if role == OBJECT_ROLE:
            return handover
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS and late is not None:
                due = RECALL_DUE_ON if late.recall else DUE_ON
                return _(due).format(date=late.due.strftime("%d/%m/%Y"))
            if column == HANDED:
                return _(HANDED_AT).format(time=local_minute(handover.handed_at))
            if column == COPIES and handover.id in self._documents:
                return documents_text(self._documents[handover.id])
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
                return bold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column == NUMBER or (column == COPIES and handover.id not in self._documents)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(handover: Handover, late: Overdue | None, column: int) -> str:
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
                return translate(plural(late.days_late, LATE_ONE, LATE)).format(
                    days=late.days_late
                )  # the tooltip tells a recall
            if handover.status == "open":
                if handover.kind == HandoverKind.ISSUE:
                    return _(OPEN_ISSUE)
                return _(OPEN_RECALL if handover.receipt_at else OPEN)
            return _(CLOSED)
        if column == RECEIPT:
            if not handover.receipt_by:
                return NONE
            return _(RECEIVED).format(name=handover.receipt_by, date=local_day(handover.receipt_at))
        return ""

    @staticmethod
    def _sort_key(handover: Handover, late: Overdue | None, column: int) -> Any:
        if column == NUMBER:
            return handover.year * 1_000_000 + handover.number
        if column == COPIES:
            return len(handover.copy_ids)
        if column == HANDED:
            return handover.handed_at
        if column == STATUS:  # descending: the latest overdue first, open, then closed
            rank = late.days_late + 2 if late is not None else int(handover.status == "open")
            # a float: a Python int above 2**31 reaches Qt's sort cut to 32 bits
            return float(rank * 10_000_000_000 + handover.year * 1_000_000 + handover.number)
        return HandoversTableModel._display(handover, late, column).casefold()
