"""Table model of register entries, paged lazily (STYLE.md 4).

Rows are the domain's ``Item`` objects, as the item service returns them. The model holds
the pages loaded so far; when the view scrolls to the end, ``fetchMore`` asks for the next
page through ``more_wanted`` and the page loads it on the worker, the way Anki's browser
fetches rows on demand. The register's own order (newest year, then register, then number,
newest first) is the service's, and keyset paging continues after the last row *in that
order* (``last_loaded``).

Sorting by a column (a click on its heading) sorts the rows loaded so far, in memory, and keeps
them sorted as further pages arrive (each page is merged in, so the view never shows an unsorted
stretch); it does not re-query. While not every page is loaded the status line says so ("… loaded;
scroll down for more"), so a sorted view is never taken for the whole register. Re-querying per
column would need a keyset index per column in storage, for a register a clerk reads by number.
Clicking a sorted heading a third time (column -1) brings back the register's order.

A Tuyệt mật summary is never shown, whatever the row holds (under the 2026 rules none is
stored; older entries may carry one recorded with the classifier's consent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from secretdesk.domain.items import Item
from secretdesk.domain.levels import Level
from secretdesk.domain.text import fold
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import (
    ALERT_BACKGROUND,
    ALERT_TEXT,
    NONE,
    day,
    level_name,
    local_day,
    register_name,
)
from secretdesk.gui.style import MUTED
from secretdesk.i18n import N_, _

PAGE_SIZE = 200  # rows asked of the service at a time

# Column constants: views and tests refer to these, never to bare numbers.
REGISTER, NUMBER, SYMBOL, DATE, LEVEL, TYPE, SUMMARY, COPIES = range(8)
ISSUER, RECIPIENTS, RECEIVED = range(8, 11)  # shown before Summary (see VISUAL_ORDER)
COLUMNS = {
    REGISTER: N_("Register"),
    NUMBER: N_("Entry no."),
    SYMBOL: N_("Number and symbol"),
    DATE: N_("Date"),  # of the document
    LEVEL: N_("Level"),
    TYPE: N_("Type"),
    SUMMARY: N_("Summary"),
    COPIES: N_("No. of copies"),
    ISSUER: N_("Issuer"),
    RECIPIENTS: N_("Recipients"),
    RECEIVED: N_("Date received"),  # the day an incoming item was registered
}
# Left to right on screen; the model's column numbers stay stable for code and tests.
VISUAL_ORDER = (
    REGISTER,
    NUMBER,
    SYMBOL,
    DATE,
    RECEIVED,
    ISSUER,
    RECIPIENTS,
    LEVEL,
    TYPE,
    SUMMARY,
    COPIES,
)
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2  # the Item itself

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
        RECEIVED: ["30/12/2026"],
        ISSUER: ["UBND tỉnh Hà"],  # longer ones are cut, whole in the tooltip
        RECIPIENTS: ["Sở Tư pháp"],
    }


def received_day(item: Item) -> str:
    """The day an incoming item was received (registered), in local time; "—" otherwise."""
    return local_day(item.created_at) if item.book_kind == "incoming" else NONE


def sort_key(item: Item, column: int) -> Any:
    """What a column sorts by: numbers as numbers, dates as ISO, text without accents."""
    if column == NUMBER:
        return (item.year, item.number)
    if column == DATE:
        return item.doc_date or ""
    if column == RECEIVED:
        return item.created_at if item.book_kind == "incoming" else ""
    if column == LEVEL:
        return item.level.rank
    if column == COPIES:
        return item.copies_issued
    if column == SUMMARY:
        return fold(summary_text(item))
    return fold(ItemsTableModel.display(item, column))


def summary_text(item: Item) -> str:
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
        self._rows: list[Item] = []  # in the order shown
        self._loaded: list[Item] = []  # in the service's (register) order, for paging
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._complete = True  # the last page was short: nothing more to fetch
        self._waiting = False  # a page (or a new query) is being loaded

    # -- feeding -----------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Item]) -> None:
        """The first page of a new query."""
        self.beginResetModel()
        self._loaded = list(rows)
        self._rows = self._sorted(self._loaded)
        self._complete = len(self._loaded) < PAGE_SIZE
        self._waiting = False
        self.endResetModel()

    def add_page(self, rows: Sequence[Item]) -> None:
        """The page asked for by ``more_wanted``, appended below the rows loaded so far."""
        self._waiting = False
        self._complete = len(rows) < PAGE_SIZE
        if not rows:
            return
        self._loaded.extend(rows)
        if self._sort[0] >= 0:  # merged into the sorted rows, not appended below them
            self._relayout(self._sorted(self._loaded))
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    # -- sorting -----------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the loaded rows by ``column`` (-1: the register's order); see the module note."""
        self._sort = (column, order)
        self._relayout(self._sorted(self._loaded))

    def _sorted(self, rows: list[Item]) -> list[Item]:
        column, order = self._sort
        if column < 0:
            return list(rows)
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=lambda item: sort_key(item, column), reverse=descending)

    def _relayout(self, rows: list[Item]) -> None:
        """Show ``rows`` (the same or more objects) in a new order, keeping the selection."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = {id(item): row for row, item in enumerate(rows)}
        new = [self.index(where[id(self._rows[i.row()])], i.column()) for i in old]
        self._rows = rows
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def hold(self) -> None:
        """A new query is on its way: fetch nothing more for the old one."""
        self._waiting = True

    def release(self) -> None:
        """Loading failed: scrolling may try again."""
        self._waiting = False

    @property
    def complete(self) -> bool:
        return self._complete

    def item_at(self, row: int) -> Item:
        return self._rows[row]

    def last_loaded(self) -> Item | None:
        """The last row in the service's order: the next page starts after it."""
        return self._loaded[-1] if self._loaded else None

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
            return self.display(item, column)
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
    def display(item: Item, column: int) -> str:
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
        if column == ISSUER:
            return str(item.issuer or NONE)
        if column == RECIPIENTS:
            return str(item.recipients or NONE)
        if column == RECEIVED:
            return received_day(item)
        return ""

    @staticmethod
    def _tooltip(item: Item, column: int) -> str | None:
        if item.cancelled:
            return _(CANCELLED_NOTE)
        if column == SUMMARY and item.level is Level.TUYET_MAT:
            return _(TOP_SECRET_NOTE)
        if column == SUMMARY and item.summary and not item.unopened:
            return str(item.summary)
        if column in (SYMBOL, ISSUER) and item.issuer:
            return str(item.issuer)
        if column == RECIPIENTS and item.recipients:
            return str(item.recipients)
        return None

    @staticmethod
    def _font(item: Item, column: int) -> QFont | None:
        bold = column == LEVEL and item.level is not Level.MAT
        if not (item.cancelled or bold):
            return None
        font = QFont()
        # A cancelled line is struck through, as in the paper book; "Cancelled" itself is not.
        font.setStrikeOut(item.cancelled and column != SUMMARY)
        font.setItalic(item.cancelled and column == SUMMARY)
        font.setBold(bold)
        return font
