"""Classification page: the entries whose protection ends within 90 days (or has ended), soonest
first, with the extension window; extend, change level, declassify; any other entry is found by
its register number; the expired ones are declassified in bulk after a preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from secretdesk.gui.dialogs.classification import (
    CLASSIFICATION,
    ChangeLevelDialog,
    DeclassifyDialog,
    DeclassifyExpiredDialog,
    ExtendDialog,
    Target,
)
from secretdesk.gui.dialogs.handover import find_copies
from secretdesk.gui.models.base import Index, RowsTableModel, bold_font
from secretdesk.gui.models.formats import level_name, register_name
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage
from secretdesk.gui.write import ENTRY, ITEM, VaultEvents
from secretdesk.i18n import N_, _, plural, translate

INTRO = N_(
    "Entries whose protection ends within 90 days, or has ended, soonest first. An extension "
    "must be decided at least 60 days before the end: those whose window is closing are in bold."
)
FIND_HINT = N_("Find any entry: register number (12/2026) or number and symbol, then Enter")
SHOWN = N_("{count} entries, {expired} expired, {closing} with the extension window closing.")
SHOWN_ONE = N_("{count} entry, {expired} expired, {closing} with the extension window closing.")
FOUND = N_("{count} entries found.")
FOUND_ONE = N_("{count} entry found.")
EXPIRED = N_("Protection ended")
CLOSING = N_("Extension window closing")
DAYS_LEFT = N_("{days} days left")
DAYS_LEFT_ONE = N_("{days} day left")

ENTRY_NO, SYMBOL, LEVEL_COL, ENDS, EXTEND_BY, STATE = range(6)


@dataclass(frozen=True)
class ClassRow:
    target: Target
    expiry: date | None = None
    days_left: int | None = None
    expired: bool = False
    extension_deadline: date | None = None
    closing: bool = False


def load_expiring(app: Any) -> list[ClassRow]:
    return [
        ClassRow(
            Target(w.item_id, w.register_number, w.number_symbol, w.level),
            w.expiry,
            w.days_left,
            w.expired,
            w.extension_deadline,
            w.extension_window_closing,
        )
        for w in app.classification.expiring()
    ]


def find_entries(app: Any, text: str) -> list[ClassRow]:
    """The entries that match ``text`` (the handover search), once each (runs on the worker)."""
    seen: dict[int, ClassRow] = {}
    for row in find_copies(app.items, text):
        item = row.item
        if item.id not in seen:
            entry = f"{register_name(item.book_kind)} {item.number}/{item.year}"
            seen[item.id] = ClassRow(Target(item.id, entry, item.number_symbol, item.level))
    return list(seen.values())


def shown_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class ClassModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        ENTRY_NO: N_("Entry no."),
        SYMBOL: N_("Number and symbol"),
        LEVEL_COL: N_("Level"),
        ENDS: N_("Protection ends"),
        EXTEND_BY: N_("Extension decided by"),
        STATE: N_("State"),
    }

    def row_at(self, row: int) -> ClassRow:
        found: ClassRow = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: ClassRow | None = self.row_object(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.FontRole and (row.closing or row.expired):
            return bold_font()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == ENTRY_NO:
            return row.target.register_number
        if column == SYMBOL:
            return row.target.number_symbol
        if column == LEVEL_COL:
            return level_name(row.target.level)
        if column == ENDS:
            return shown_day(row.expiry)
        if column == EXTEND_BY:
            return "" if row.expired else shown_day(row.extension_deadline)
        if column == STATE:
            if row.expiry is None:
                return ""
            if row.expired:
                return _(EXPIRED)
            days = translate(plural(row.days_left or 0, DAYS_LEFT_ONE, DAYS_LEFT)).format(
                days=row.days_left
            )
            return f"{_(CLOSING)}, {days}" if row.closing else days
        return None


class ClassificationPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({CLASSIFICATION, ITEM, ENTRY})
    model: ClassModel

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, parent)
        self._expiring: list[ClassRow] = []
        self.heading(_("Classification"), _(INTRO))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_(FIND_HINT))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        self.search.textChanged.connect(self._search_cleared)
        self.page_layout.addWidget(self.search)
        self.extend_button = self.button(_("Extend…"), self.extend, writer=True)
        self.level_button = self.button(_("Change the level…"), self.change_level, writer=True)
        self.declassify_button = self.button(_("Declassify…"), self.declassify, writer=True)
        self.expired_button = self.button(
            _("Declassify the expired…"), self.declassify_expired, writer=True
        )
        self.button_row(
            self.extend_button, self.level_button, self.declassify_button, self.expired_button
        )
        self.model = ClassModel(self)
        self.table = self.add_table(self.model, stretch=(SYMBOL,), wrap=False)
        self.status = self.add_status()
        self.watch_vault()

    # -- loading -----------------------------------------------------------------------
    def loader(self) -> Callable[[], list[ClassRow]]:
        app = self._app
        return lambda: load_expiring(app)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        text, app = self.search.text().strip(), self._app
        if not text:
            self.refresh()
            return
        self._runner.submit(
            lambda: find_entries(app, text), self._found, self._failed, context=self
        )

    def _search_cleared(self, text: str) -> None:
        if not text:
            self.refresh()

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & self.watches and self.isVisible():
            self.run_search()

    def _show(self, rows: list[ClassRow]) -> None:
        self._expiring = rows
        self._set_rows(rows)
        self.status.setText(
            translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(
                count=len(rows),
                expired=sum(1 for r in rows if r.expired),
                closing=sum(1 for r in rows if r.closing),
            )
        )
        self.loaded.emit(len(rows))

    def _found(self, rows: list[ClassRow]) -> None:
        self._set_rows(rows)
        self.status.setText(translate(plural(len(rows), FOUND_ONE, FOUND)).format(count=len(rows)))
        self.loaded.emit(len(rows))

    def _set_rows(self, rows: list[ClassRow]) -> None:
        with self.selection_kept(lambda row: row.target.item_id):
            self.model.set_rows(rows)
        self._update_buttons()

    def select_item(self, item_id: int) -> None:
        self.select_where(lambda row: row.target.item_id == item_id)

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        for button in (self.extend_button, self.level_button, self.declassify_button):
            button.setEnabled(row is not None)

    def expired_rows(self) -> list[ClassRow]:
        return [row for row in self._expiring if row.expired]

    # -- actions -----------------------------------------------------------------------
    def extend(self) -> None:
        row: ClassRow | None = self.selected()
        if row is not None:
            self._open(
                ExtendDialog(self._runner, self.session, self.events, row.target, parent=self)
            )

    def change_level(self) -> None:
        row: ClassRow | None = self.selected()
        if row is not None:
            self._open(
                ChangeLevelDialog(self._runner, self.session, self.events, row.target, parent=self)
            )

    def declassify(self) -> None:
        row: ClassRow | None = self.selected()
        if row is not None:
            self._open(
                DeclassifyDialog(self._runner, self.session, self.events, row.target, parent=self)
            )

    def declassify_expired(self) -> None:
        preview = [
            (
                row.target.register_number,
                row.target.number_symbol,
                level_name(row.target.level),
                shown_day(row.expiry),
            )
            for row in self.expired_rows()
        ]
        self._open(
            DeclassifyExpiredDialog(self._runner, self.session, self.events, preview, parent=self)
        )
