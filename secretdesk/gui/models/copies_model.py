"""Table model of one item's numbered copies: which copy, its custody state, who holds it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from secretdesk import i18n
from secretdesk.gui.models.formats import NONE, copy_label, sentence
from secretdesk.i18n import N_, _

CopyRow = Any  # secretdesk.storage.items.CopyRow, as ItemService.show returns it

COPY, STATE, HOLDER = range(3)
COLUMNS = {COPY: N_("Copy"), STATE: N_("State"), HOLDER: N_("Held by")}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class CopiesTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CopyRow] = []

    def set_rows(self, copies: Sequence[CopyRow]) -> None:
        self.beginResetModel()
        self._rows = list(copies)
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
        copy = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return copy
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == COPY:
            return copy_label(copy.kind, copy.number)
        if column == STATE:
            return sentence(copy.state.label(i18n.current_language()))
        if column == HOLDER:
            return str(copy.holder or NONE)
        return None
