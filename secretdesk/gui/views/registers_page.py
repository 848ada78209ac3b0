"""Registers page: search and filter the register entries, see an item's copies, print a book.

Every service call runs on the worker (STYLE.md 5). The table pages lazily: the first page of
a query comes with the search, later pages when the view scrolls to the end. Each query has a
generation number, so a page that arrives after the clerk changed the filters is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.items import Direction
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.item_window import ItemWindow, PreviewOpener
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.models import items_model
from secretdesk.gui.models.formats import REGISTER_NAMES, level_name
from secretdesk.gui.models.items_model import PAGE_SIZE, ItemsTableModel
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LeftOutNotice, label, sized_record_table
from secretdesk.gui.widgets.item_panel import ItemPanel
from secretdesk.gui.widgets.pdf_export import (
    SAVED,
    PathChooser,
    ask_pdf_path,
    print_to_file,
    save_error_text,
)
from secretdesk.gui.write import COPY, ENTRY, HANDOVER, ITEM, REPRODUCTION, VaultEvents
from secretdesk.i18n import N_, _, plural
from secretdesk.services.items import ItemDetails

SEARCH_DELAY_MS = 300  # typing pauses this long before the register is searched

SEARCH_HINT = N_("Search (accents optional): number, type, issuer, summary…")
ALL_REGISTERS = N_("All registers")
ALL_YEARS = N_("All years")
ALL_LEVELS = N_("All levels")
NO_MATCH = N_("No entry matches.")
SHOWN = N_("{count} entries.")
SHOWN_ONE = N_("{count} entry.")
SHOWN_MORE = N_("{count} entries loaded; scroll down for more.")
SHOWN_MORE_ONE = N_("{count} entry loaded; scroll down for more.")
PRINT = N_("Print register…")
PRINT_TITLES = {
    "outgoing": N_("Save the outgoing register of {year}"),
    "incoming": N_("Save the incoming register of {year}"),
    "internal": N_("Save the internal register of {year}"),
}
PRINT_CHOOSE = N_("Choose the outgoing, incoming or internal register to print it.")
PRINT_NO_BOOK = N_("This register has no book yet.")


# Columns one register never fills: an item sent or kept inside has no day received and
# its issuer is the unit itself; an incoming one has no recipients. All registers: all shown.
UNUSED_COLUMNS = {
    "outgoing": (items_model.ISSUER, items_model.RECEIVED),
    "internal": (items_model.ISSUER, items_model.RECEIVED),
    "incoming": (items_model.RECIPIENTS,),
}


@dataclass(frozen=True)
class Query:
    text: str = ""
    kind: str | None = None
    year: int | None = None
    level: Level | None = None

    def page(self, items: Any, after: Any = None) -> list[Any]:
        """One page of entries from the item service, after row ``after``; runs on the worker."""
        rows: list[Any] = items.search(
            self.text,
            kind=self.kind,
            year=self.year,
            level=self.level,
            limit=PAGE_SIZE,
            after=after,
        )
        return rows

    def first_page(self, items: Any) -> tuple[list[Any], int]:
        """The first page and how many entries of the whole search clearance leaves out;
        runs on the worker."""
        hidden = items.hidden_count(self.text, kind=self.kind, year=self.year, level=self.level)
        return self.page(items), int(hidden)


class RegistersPage(QWidget):
    loaded = Signal(int)  # rows shown after the first page of a query
    page_added = Signal(int)  # rows shown after a further page
    details_shown = Signal(object)  # ItemDetails of the selected entry
    saved = Signal(str)  # where a printout was saved
    failed = Signal(str)  # a message for the window to show

    def __init__(
        self,
        runner: Runner,
        session: Session,
        *,
        choose_path: PathChooser = ask_pdf_path,
        events: VaultEvents | None = None,
        open_preview: PreviewOpener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self.events = events or VaultEvents(self)
        self.events.changed.connect(self._vault_changed)
        self.open_preview = open_preview
        self.dialog: QDialog | None = None  # the dialog or item window open now
        self._app = session.app
        self.choose_path = choose_path
        self._generation = 0
        self._active = Query()
        self._latest_year: dict[str, int] = {}
        self._shown_id: int | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(_("Registers"), "title"), 1)
        self.new_button = QPushButton(_("New entry…"))
        self.new_button.setToolTip(_("Register an item (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_record)
        self.new_button.setVisible(self._app.actor.can(Permission.RECORD))
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.preview_button = QPushButton(_("Print preview…"))
        self.preview_button.clicked.connect(self.preview_register)
        top.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.print_button = QPushButton(_(PRINT))
        self.print_button.clicked.connect(self.print_register)
        top.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addLayout(self._filters())

        self.model = ItemsTableModel(self)
        self.model.more_wanted.connect(self._load_more)
        self.table = self._table()
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table, 1)
        self.left_out = LeftOutNotice()
        layout.addWidget(self.left_out)
        self.panel = ItemPanel()  # as high as its content: the table takes the rest
        layout.addWidget(self.panel)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        self._update_print_button()

    # -- building ----------------------------------------------------------------------
    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_(SEARCH_HINT))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.run_search)
        row.addWidget(self.search, 1)

        self.register_filter = QComboBox()
        self.register_filter.addItem(_(ALL_REGISTERS), None)
        for kind, name in REGISTER_NAMES.items():
            self.register_filter.addItem(_(name), kind)
        self.year_filter = QComboBox()
        self.year_filter.addItem(_(ALL_YEARS), None)
        self.level_filter = QComboBox()
        self.level_filter.addItem(_(ALL_LEVELS), None)
        for level in sorted(Level, key=lambda lv: -lv.rank):
            self.level_filter.addItem(level_name(level), level)
        for combo in (self.register_filter, self.year_filter, self.level_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.run_search)
            row.addWidget(combo)
        self.register_filter.currentIndexChanged.connect(self._update_print_button)
        self.year_filter.currentIndexChanged.connect(self._update_print_button)
        return row

    def _table(self) -> QTableView:
        table = sized_record_table(
            self.model,
            items_model.column_samples(),
            bold=items_model.BOLD_COLUMNS,
            stretch=(items_model.SUMMARY,),
        )
        header = table.horizontalHeader()
        for visual, column in enumerate(items_model.VISUAL_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        # Sorting sorts the loaded rows (see models.items_model); no indicator: register order.
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.selectionModel().currentRowChanged.connect(self._row_chosen)
        table.doubleClicked.connect(lambda _index: self.open_selected())
        return table

    # -- searching ---------------------------------------------------------------------
    def query(self) -> Query:
        """What the search field and the filters ask for now."""
        level = self.level_filter.currentData()  # Qt hands the StrEnum back as a plain str
        return Query(
            self.search.text().strip(),
            self.register_filter.currentData(),
            self.year_filter.currentData(),
            Level(level) if level else None,
        )

    def refresh(self) -> None:
        """Reload the years that have books, then search again with the current filters."""
        registry = self._app.registry
        self._runner.submit(registry.books, self._show_years, self._failed, context=self)
        self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        self._generation += 1
        generation, query = self._generation, self.query()
        self._active = query
        self.model.hold()
        self.table.setColumnHidden(items_model.REGISTER, query.kind is not None)
        for column in (items_model.ISSUER, items_model.RECIPIENTS, items_model.RECEIVED):
            self.table.setColumnHidden(column, column in UNUSED_COLUMNS.get(query.kind or "", ()))
        items = self._app.items
        self.model.load(
            self._runner,
            lambda: query.first_page(items),
            lambda loaded: self._first_page(generation, *loaded),
            lambda error: self._load_failed(generation, error),
            context=self,
        )

    def _first_page(self, generation: int, rows: list[Any], left_out: int = 0) -> None:
        if generation != self._generation:
            return  # the filters changed while this page was loading
        selected = self._shown_id
        self.model.set_rows(rows)
        self.left_out.show_count(left_out)
        self._show_count()
        row = self.model.row_of(selected) if selected is not None else None
        if row is None:
            self._shown_id = None
            self.panel.clear()
        else:  # the same entry again, e.g. when the page is shown again after other work
            self.table.selectRow(row)
        self.loaded.emit(len(rows))

    def _load_more(self, offset: int) -> None:
        generation, query, items = self._generation, self._active, self._app.items
        after = self.model.last_loaded() if offset > 0 else None
        self._runner.submit(
            lambda: query.page(items, after),
            lambda rows: self._next_page(generation, offset, rows),
            lambda error: self._load_failed(generation, error),
            context=self,
        )

    def _next_page(self, generation: int, offset: int, rows: list[Any]) -> None:
        if generation != self._generation:
            return
        if offset != self.model.rowCount():  # cannot happen: pages of a query come in order
            self.model.release()
            return
        self.model.add_page(rows)
        self._show_count()
        self.page_added.emit(self.model.rowCount())

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.model.release()
        self._failed(error)

    def _show_count(self) -> None:
        count = self.model.rowCount()
        if not count:
            self.status.setText(_(NO_MATCH))
        else:
            message = (
                plural(count, SHOWN_ONE, SHOWN)
                if self.model.complete
                else plural(count, SHOWN_MORE_ONE, SHOWN_MORE)
            )
            self.status.setText(_(message).format(count=count))

    def _show_years(self, books: list[Any]) -> None:
        """Books (secretdesk.domain.books.Book) of every register: the years to filter."""
        kinds = [book for book in books if book.kind in REGISTER_NAMES]
        self._latest_year = {}
        for book in kinds:
            self._latest_year[book.kind] = max(book.year, self._latest_year.get(book.kind, 0))
        years = sorted({book.year for book in kinds}, reverse=True)
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem(_(ALL_YEARS), None)
        for year in years:
            self.year_filter.addItem(str(year), year)
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(chosen)))
        self.year_filter.blockSignals(False)
        self._update_print_button()

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & {ITEM, COPY, ENTRY, HANDOVER, REPRODUCTION} and self.isVisible():
            self.run_search()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the selected entry; Esc clears the search."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.focusWidget() is self.table:
            self.open_selected()
            return
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.run_search()
            return
        super().keyPressEvent(event)

    # -- writing -----------------------------------------------------------------------
    def new_record(self) -> None:
        if not self._app.actor.can(Permission.RECORD):
            return
        kind = self.register_filter.currentData()
        direction = Direction(kind) if kind in {d.value for d in Direction} else Direction.INCOMING
        dialog = RegisterItemDialog(
            self._runner, self.session, self.events, direction=direction, parent=self
        )
        self.dialog = dialog
        dialog.open()

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        self.open_item(self.model.item_at(index.row()).id)

    def open_item(self, item_id: int) -> ItemWindow:
        window = ItemWindow(
            self._runner,
            self.session,
            self.events,
            item_id,
            open_preview=self.open_preview,
            parent=self,
        )
        self.dialog = window
        window.open()
        return window

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def preview_register(self) -> None:
        target = self.print_target()
        if target is None or self.open_preview is None:
            return
        kind, year = target
        printing = self._app.printing
        self.open_preview(
            _(PRINT_TITLES[kind]).format(year=year),
            lambda: printing.register(kind, year),
            f"register-{kind}-{year}.pdf",
        )

    # -- the selected entry ------------------------------------------------------------
    def _row_chosen(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object = None
    ) -> None:
        if not current.isValid():
            return
        item_id = self.model.item_at(current.row()).id
        self._shown_id = item_id
        self.panel.loading()
        items = self._app.items
        self._runner.submit(
            lambda: items.show(item_id),  # viewing a Tuyệt mật item is audited, as intended
            self._show_details,
            self._failed,
            context=self,
        )

    def _show_details(self, details: ItemDetails) -> None:
        if details.item.id != self._shown_id:
            return  # another row was selected meanwhile
        self.panel.show_details(details)
        self.details_shown.emit(details)

    # -- printing ----------------------------------------------------------------------
    def print_target(self) -> tuple[str, int] | None:
        """(register, year) the print button prints: the chosen year, else the latest book."""
        kind = self.register_filter.currentData()
        if kind not in PRINT_TITLES:
            return None
        year = self.year_filter.currentData() or self._latest_year.get(kind)
        return (kind, year) if year else None

    def _update_print_button(self) -> None:
        target = self.print_target()
        self.print_button.setEnabled(target is not None)
        self.preview_button.setEnabled(target is not None and self.open_preview is not None)
        if target is None:
            kind = self.register_filter.currentData()
            self.print_button.setToolTip(_(PRINT_NO_BOOK if kind in PRINT_TITLES else PRINT_CHOOSE))
        else:
            kind, year = target
            self.print_button.setToolTip(_(PRINT_TITLES[kind]).format(year=year))

    def print_register(self) -> None:
        target = self.print_target()
        if target is None:
            return
        (kind, year), printing = target, self._app.printing
        print_to_file(
            self._runner,
            self,
            self.choose_path,
            _(PRINT_TITLES[kind]).format(year=year),
            f"register-{kind}-{year}.pdf",
            lambda: printing.register(kind, year),
            button=self.print_button,
            status=self.status,
            on_saved=self._saved,
            on_error=self._print_failed,
        )

    def _saved(self, path: Any) -> None:
        self._update_print_button()
        self.status.setText(_(SAVED).format(path=path))
        self.saved.emit(str(path))

    def _print_failed(self, error: BaseException) -> None:
        self._update_print_button()
        self._show_count()
        self.failed.emit(save_error_text(error))

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
