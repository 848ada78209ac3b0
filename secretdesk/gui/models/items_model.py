"""Table model of register entries, paged lazily (STYLE.md 4).

Rows are the service layer's ``ItemRow`` objects (the GUI never imports storage, so they are
typed ``Any``). The model holds the pages loaded so far; when the view scrolls to the end,
``fetchMore`` asks for the next page through ``more_wanted`` and the page loads it on the
worker, the way Anki's browser fetches rows on demand. The register's own order (newest year,
then register, then number, newest first) is the service's: sorting only the loaded pages would
mislead, so there is no sort proxy.

A Tuyệt mật summary is never shown, whatever the row holds (under the 2026 rules none is
stored; older entries may carry one recorded with the classifier's consent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from secretdesk.domain.levels import Level
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import (
    ALERT_BACKGROUND,
    ALERT_TEXT,
    NONE,
    day,
    level_name,
    register_name,
)
from secretdesk.gui.style import MUTED
from secretdesk.i18n import N_, _

ItemRow = Any  # secretdesk.storage.items.ItemRow, as the item service returns it

PAGE_SIZE = 200  # rows asked of the service at a time

# Column constants: views and tests refer to these, never to bare numbers.
REGISTER, NUMBER, SYMBOL, DATE, LEVEL, TYPE, SUMMARY, COPIES = range(8)
COLUMNS = {
    REGISTER: N_("Register"),
    NUMBER: N_("Entry no."),
    SYMBOL: N_("Number and symbol"),
    DATE: N_("Date"),  # of the document
    LEVEL: N_("Level"),
    TYPE: N_("Type"),
    SUMMARY: N_("Summary"),
    COPIES: N_("No. of copies"),
}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2  # the ItemRow itself

CANCELLED = N_("Cancelled: {summary}")
CANCELLED_NOTE = N_("This entry was cancelled in the register; it keeps its number.")
UNOPENED = N_("Unopened: only {name} may open the envelope")
TOP_SECRET_NOTE = N_("The summary of a Tuyệt mật item is never shown.")

_CANCELLED_COLOUR = QColor(MUTED)


BOLD_COLUMNS = (LEVEL,)  # Tối mật and Tuyệt mật are bold


def column_samples() -> dict[int, list[str]]:
    """The widest values a column shows, for sizing it (see widgets.common.size_columns)."""
    return {
        REGISTER: [register_name(kind) for kind in ("outgoing", "incoming", "internal")],
        NUMBER: ["9999/2026"],
        SYMBOL: ["999/UBND-VP"],  # longer ones are cut, with the issuer in the tooltip
        DATE: ["30/12/2026"],
        TYPE: ["Quyết định"],
        LEVEL: [level_name(level) for level in Level],
        COPIES: ["999"],
    }


def summary_text(item: ItemRow) -> str:
    """What the Summary column shows: never a Tuyệt mật summary, "—" when there is none."""
    if item.unopened:
        return _(UNOPENED).format(name=item.named_addressee)
    if item.level is Level.TUYET_MAT or not item.summary:
        return NONE
    return str(item.summary)


class ItemsTableModel(RowsTableModel):
    """Register entries, read-only, loaded a page at a time."""

    columns = COLUMNS

    more_wanted = Signal(int)  # the offset of the page the view wants next

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ItemRow] = []
        self._complete = True  # the last page was short: nothing more to fetch
        self._waiting = False  # a page (or a new query) is being loaded

    # -- feeding -----------------------------------------------------------------------
    def set_rows(self, rows: Sequence[ItemRow]) -> None:
        """The first page of a new query."""
        self.beginResetModel()
        self._rows = list(rows)
        self._complete = len(self._rows) < PAGE_SIZE
        self._waiting = False
        self.endResetModel()

    def add_page(self, rows: Sequence[ItemRow]) -> None:
        """The page asked for by ``more_wanted``, appended below the rows loaded so far."""
        self._waiting = False
        self._complete = len(rows) < PAGE_SIZE
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def hold(self) -> None:
        """A new query is on its way: fetch nothing more for the old one."""
        self._waiting = True

    def release(self) -> None:
        """Loading failed: scrolling may try again."""
        self._waiting = False

    @property
    def complete(self) -> bool:
        return self._complete

    def item_at(self, row: int) -> ItemRow:
        return self._rows[row]

    def row_of(self, item_id: int) -> int | None:
        return next((r for r, item in enumerate(self._rows) if item.id == item_id), None)

    # -- lazy paging -------------------------------------------------------------------
    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._complete and not self._waiting

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._waiting = True
            self.more_wanted.emit(len(self._rows))

    # -- reading -----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_object(index)
        if item is None:
            return None
        column = index.column()
        top_secret = item.level is Level.TUYET_MAT
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == OBJECT_ROLE:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.cancelled:
                return _CANCELLED_COLOUR
            if top_secret and column == LEVEL:
                return ALERT_TEXT
        if role == Qt.ItemDataRole.BackgroundRole and top_secret:
            return ALERT_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NUMBER, COPIES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(item: ItemRow, column: int) -> str:
        if column == REGISTER:
            return register_name(item.book_kind)
        if column == NUMBER:
            return f"{item.number}/{item.year}"
        if column == SYMBOL:
            return str(item.number_symbol)
        if column == DATE:
            return day(item.doc_date)
        if column == LEVEL:
            return level_name(item.level)
        if column == TYPE:
            return str(item.doc_type or NONE)
        if column == SUMMARY:
            text = summary_text(item)
            return _(CANCELLED).format(summary=text) if item.cancelled else text
        if column == COPIES:
            return str(item.copies_issued)
        return ""

    @staticmethod
    def _tooltip(item: ItemRow, column: int) -> str | None:
        if item.cancelled:
            return _(CANCELLED_NOTE)
        if column == SUMMARY and item.level is Level.TUYET_MAT:
            return _(TOP_SECRET_NOTE)
        if column == SUMMARY and item.summary and not item.unopened:
            return str(item.summary)
        if column == SYMBOL and item.issuer:
            return str(item.issuer)
        return None

    @staticmethod
    def _font(item: ItemRow, column: int) -> QFont | None:
        bold = column == LEVEL and item.level is not Level.MAT
        if not (item.cancelled or bold):
            return None
        font = QFont()
        # A cancelled line is struck through, as in the paper book; "Cancelled" itself is not.
        font.setStrikeOut(item.cancelled and column != SUMMARY)
        font.setItalic(item.cancelled and column == SUMMARY)
        font.setBold(bold)
        return font
