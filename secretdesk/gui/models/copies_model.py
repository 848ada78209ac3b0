"""Table model of one item's numbered copies: which copy, its custody state, who holds it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from secretdesk import i18n
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import NONE, copy_label, sentence
from secretdesk.i18n import N_

COPY, STATE, HOLDER = range(3)
COLUMNS = {COPY: N_("Copy"), STATE: N_("State"), HOLDER: N_("Held by")}
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2


class CopiesTableModel(RowsTableModel):
    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        copy = self.row_object(index)
        if copy is None:
            return None
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
