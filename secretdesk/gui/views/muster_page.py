"""Inventory and muster page: the inventory at a date in the print preview; a muster where the
clerk ticks the copies found on the shelf or scans their labels (a scanner types the label's
code and presses Enter), then records it and gets the discrepancy list, printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk import i18n
from secretdesk.domain.custody import ACTIVE_STATES
from secretdesk.gui.dialogs.destruction import shown_copy
from secretdesk.gui.dialogs.item_window import PreviewOpener
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import level_name, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import (
    BusyBar,
    ErrorLabel,
    label,
    record_table,
    size_columns,
)
from secretdesk.gui.widgets.fields import DayField
from secretdesk.gui.write import FieldProblem, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.inventory import (
    MISSING,
    Discrepancy,
    InventoryLine,
    MusterResult,
)

MUSTER = "muster"  # the entity this page announces

INTRO = N_(
    "The inventory lists every copy held at the end of a day. In a muster, tick each copy found "
    "on the shelf, or scan its label: the scanner types the label's code and presses Enter."
)
INVENTORY_AT = N_("Inventory at:")
INVENTORY_TITLE = N_("Inventory at {day}")
MUSTER_TITLE = N_("Muster")
SCAN_HINT = N_("Scan a label or type its code (12/2026-1, 12/2026-S1 for a reproduction), Enter")
TICKED = N_("{found} of {expected} copies found.")
TICKED_ONE = N_("{found} of {expected} copy found.")
NOT_A_CODE = N_("{code} is not a copy code: the entry, a dash, the copy (12/2026-1).")
NO_SUCH_COPY = N_("No copy {code} in the register.")
SEVERAL = N_("{code} matches copies of several registers; tick the right one in the list.")
SCANNED = N_("Found: {copy}")
RECORDED = N_(
    "Muster #{id} recorded: {expected} expected, {found} found, {missing} missing, "
    "{unexpected} found that the register says are not here."
)
NO_DISCREPANCY = N_("No discrepancy: every copy the register holds was found.")
MISSING_TEXT = N_("missing")
UNEXPECTED_TEXT = N_("found, not expected here")
CODE = re.compile(r"^\s*(\d+)\s*/\s*(\d{4})\s*[-–.:]\s*([sS]?)\s*(\d+)\s*$")

FOUND_COL, ENTRY_COL, SYMBOL, LEVEL_COL, COPY_COL, STATE, HOLDER = range(7)


@dataclass(frozen=True)
class Shelf:
    line: InventoryLine
    expected: bool  # in active custody according to the register

    def matches(self, number: int, year: int, reproduction: bool, copy_number: int) -> bool:
        kind_ok = self.line.copy_number.startswith("Bản sao") == reproduction
        entry = f"{number}/{year}"
        return (
            self.line.register_number == entry
            and kind_ok
            and self.line.copy_number.split()[-1] == str(copy_number)
        )


def load_shelf(app: Any) -> list[Shelf]:
    """Every copy the register knows today; those in active custody first (on the worker)."""
    lines = app.inventory.inventory().lines
    shelf = [Shelf(line, line.state in ACTIVE_STATES) for line in lines]
    return sorted(shelf, key=lambda s: not s.expected)


class ShelfModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        FOUND_COL: N_("Found"),
        ENTRY_COL: N_("Entry no."),
        SYMBOL: N_("Number and symbol"),
        LEVEL_COL: N_("Level"),
        COPY_COL: N_("Copy"),
        STATE: N_("State"),
        HOLDER: N_("Holder"),
    }

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.found: set[int] = set()

    def shelf_at(self, row: int) -> Shelf:
        found: Shelf = self._rows[row]
        return found

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == FOUND_COL:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shelf: Shelf | None = self.row_object(index)
        if shelf is None:
            return None
        line, column = shelf.line, index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == FOUND_COL:
            ticked = line.copy_id in self.found
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == ENTRY_COL:
            return line.register_number
        if column == SYMBOL:
            return line.number_symbol
        if column == LEVEL_COL:
            return level_name(line.level)
        if column == COPY_COL:
            return shown_copy(line.copy_number)
        if column == STATE:
            return sentence(line.state.label(i18n.current_language()))
        if column == HOLDER:
            return line.holder
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != FOUND_COL:
            return False
        self.tick(index.row(), Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def tick(self, row: int, on: bool) -> None:
        copy_id = self.shelf_at(row).line.copy_id
        if on:
            self.found.add(copy_id)
        else:
            self.found.discard(copy_id)
        index = self.index(row, FOUND_COL)
        self.dataChanged.emit(index, index)


class DiscrepancyModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        0: N_("Copy"),
        1: N_("Level"),
        2: N_("The register says"),
        3: N_("Found"),
    }

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found: Discrepancy | None = self.row_object(index)
        if found is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            copy, _dash, symbol = found.copy.partition(" - ")
            return f"{shown_copy(copy)} - {symbol}" if symbol else shown_copy(copy)
        if column == 1:
            return level_name(found.level)
        if column == 2:
            state = sentence(found.recorded_state.label(i18n.current_language()))
            return f"{state} — {found.recorded_holder}" if found.recorded_holder else state
        return _(MISSING_TEXT) if found.kind == MISSING else _(UNEXPECTED_TEXT)


def table(model: RowsTableModel, stretch: int) -> QTableView:
    """A record table (``record_table``) whose rows may be selected several at once."""
    view = record_table(model, stretch=(stretch,), wrap=False)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    return view


class MusterPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)
    recorded = Signal(object)  # MusterResult

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        open_preview: PreviewOpener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.open_preview = open_preview
        self.result: MusterResult | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(label(_("Inventory and muster"), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        inventory_row = QHBoxLayout()
        inventory_row.addWidget(label(_(INVENTORY_AT), wrap=False))
        self.inventory_day = DayField(self._app.ctx.today())
        self.inventory_day.setMaximumWidth(130)
        inventory_row.addWidget(self.inventory_day)
        self.inventory_button = QPushButton(_("Inventory preview…"))
        self.inventory_button.clicked.connect(self.preview_inventory)
        inventory_row.addWidget(self.inventory_button)
        self.inventory_error = ErrorLabel()
        inventory_row.addWidget(self.inventory_error, 1)
        inventory_row.addStretch(1)
        layout.addLayout(inventory_row)
        layout.addWidget(label(_(MUSTER_TITLE), "section"))
        scan_row = QHBoxLayout()
        self.scan = QLineEdit()
        self.scan.setPlaceholderText(_(SCAN_HINT))
        self.scan.returnPressed.connect(self.scanned)
        scan_row.addWidget(self.scan, 1)
        self.record_button = QPushButton(_("Record the muster"))
        self.record_button.clicked.connect(self.record)
        scan_row.addWidget(self.record_button)
        self.print_button = QPushButton(_("Print the discrepancies…"))
        self.print_button.clicked.connect(self.preview_discrepancies)
        self.print_button.setEnabled(False)
        scan_row.addWidget(self.print_button)
        layout.addLayout(scan_row)
        self.scan_note = label("", "muted", wrap=False)
        layout.addWidget(self.scan_note)
        self.scan_error = ErrorLabel()
        layout.addWidget(self.scan_error)
        self.model = ShelfModel(self)
        self.model.dataChanged.connect(self._count)
        self.table = table(self.model, SYMBOL)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSectionResizeMode(HOLDER, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._toggle_row)
        layout.addWidget(self.table, 3)
        self.count_label = label("", "muted", wrap=False)
        layout.addWidget(self.count_label)
        self.busy = BusyBar()
        layout.addWidget(self.busy)
        self.result_label = label("", "section")
        layout.addWidget(self.result_label)
        self.discrepancies = DiscrepancyModel(self)
        self.discrepancy_table = table(self.discrepancies, 0)
        self.discrepancy_table.hide()
        layout.addWidget(self.discrepancy_table, 2)

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        app = self._app
        self.model.load(
            self._runner, lambda: load_shelf(app), self._show, self._failed, context=self
        )

    def focus_search(self) -> None:
        self.scan.setFocus()

    def _show(self, shelf: list[Shelf]) -> None:
        known = {s.line.copy_id for s in shelf}
        self.model.found &= known
        self.model.set_rows(shelf)
        self._size_columns()
        self._count()
        self.loaded.emit(len(shelf))

    def _size_columns(self) -> None:
        """Widths measured once on the first rows (ResizeToContents would measure every row
        again at each tick, which freezes a long register)."""
        rows = range(min(self.model.rowCount(), 300))
        samples = {
            column: [str(self.model.data(self.model.index(row, column)) or "") for row in rows]
            for column in (ENTRY_COL, SYMBOL, LEVEL_COL, COPY_COL, STATE)
        }
        size_columns(self.table, samples)
        self.table.horizontalHeader().resizeSection(FOUND_COL, 110)

    def _count(self, *_args: object) -> None:
        expected = sum(
            1 for row in range(self.model.rowCount()) if self.model.shelf_at(row).expected
        )
        self.count_label.setText(
            translate(plural(expected, TICKED_ONE, TICKED)).format(
                found=len(self.model.found), expected=expected
            )
        )

    def _toggle_row(self, index: Index) -> None:
        shelf: Shelf | None = self.model.row_object(index)
        if shelf is not None:
            self.model.tick(index.row(), shelf.line.copy_id not in self.model.found)

    # -- scanning ----------------------------------------------------------------------
    def scanned(self) -> None:
        """A label's code typed or scanned (ended by Enter) ticks that copy."""
        code = self.scan.text().strip()
        self.scan_error.clear_message()
        if not code:
            return
        match = CODE.match(code)
        if match is None:
            self.scan_error.show_message(_(NOT_A_CODE).format(code=code))
            self.scan.selectAll()
            return
        number, year, repro, copy_number = match.groups()
        rows = [
            row
            for row in range(self.model.rowCount())
            if self.model.shelf_at(row).matches(
                int(number), int(year), bool(repro), int(copy_number)
            )
        ]
        if not rows:
            self.scan_error.show_message(_(NO_SUCH_COPY).format(code=code))
        elif len(rows) > 1:
            self.scan_error.show_message(_(SEVERAL).format(code=code))
        else:
            self.model.tick(rows[0], True)
            self.table.scrollTo(self.model.index(rows[0], 0))
            line = self.model.shelf_at(rows[0]).line
            self.scan_note.setText(
                _(SCANNED).format(copy=f"{line.register_number} {shown_copy(line.copy_number)}")
            )
        self.scan.clear()

    # -- the muster --------------------------------------------------------------------
    def record(self) -> None:
        if self.busy.isVisible():
            return
        found, inventory = sorted(self.model.found), self._app.inventory
        self.busy.show()
        self.record_button.setEnabled(False)
        self._runner.submit(
            lambda: inventory.muster(found), self._recorded, self._record_failed, context=self
        )

    def _recorded(self, result: MusterResult) -> None:
        self.busy.hide()
        self.record_button.setEnabled(True)
        self.result = result
        self.result_label.setText(
            _(RECORDED).format(
                id=result.muster_id,
                expected=result.expected,
                found=len(result.found),
                missing=len(result.missing),
                unexpected=len(result.unexpected),
            )
            + ("" if result.discrepancies else " " + _(NO_DISCREPANCY))
        )
        self.discrepancies.set_rows(list(result.discrepancies))
        self.discrepancy_table.setVisible(bool(result.discrepancies))
        self.print_button.setEnabled(self.open_preview is not None)
        self.events.announce((MUSTER,))
        self.recorded.emit(result)

    def _record_failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.record_button.setEnabled(True)
        self.scan_error.show_message(error_text(error))

    # -- printing ----------------------------------------------------------------------
    def preview_inventory(self) -> None:
        self.inventory_error.clear_message()
        try:
            day = self.inventory_day.day("inventory_day", required=True)
        except FieldProblem as problem:
            self.inventory_error.show_message(problem.message)
            return
        assert isinstance(day, date)
        if self.open_preview is None:
            return
        printing = self._app.printing
        self.open_preview(
            _(INVENTORY_TITLE).format(day=day.strftime("%d/%m/%Y")),
            lambda: printing.inventory(day),
            f"inventory-{day.isoformat()}.pdf",
        )

    def preview_discrepancies(self) -> None:
        result = self.result
        if result is None or self.open_preview is None:
            return
        printing, held_on, muster_id = self._app.printing, result.held_on, result.muster_id
        self.open_preview(
            _(INVENTORY_TITLE).format(day=held_on.strftime("%d/%m/%Y")),
            lambda: printing.inventory(held_on, muster_id),
            f"muster-{muster_id}.pdf",
        )

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
