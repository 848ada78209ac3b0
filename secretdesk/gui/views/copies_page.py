"""Copying (Sao, chụp) page: requests waiting first, request, approve or refuse with the
countersignature dialog, record what was made and spoiled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.copies import Copy
from secretdesk.domain.items import Item
from secretdesk.domain.reproductions import Reproduction
from secretdesk.domain.roles import Actor, Permission
from secretdesk.gui.dialogs.copying import CopyRequestDialog, RecordCopiesDialog
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import copy_label, form_name, level_name, local_day, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import label, record_table
from secretdesk.gui.write import COPY, ENTRY, REPRODUCTION, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.copies import status_label

INTRO = N_(
    "Every reproduction is requested, approved by someone whose authority covers the level, "
    "and recorded with the number of copies made. Requests waiting for approval come first."
)
WAITING_ONLY = N_("Waiting for approval only")
SHOWN = N_("{count} requests, {waiting} waiting for approval.")
SHOWN_ONE = N_("{count} request, {waiting} waiting for approval.")
ENTRY_TEXT = N_("{symbol} (entry {number}/{year})")

NUMBER, ITEM_COL, LEVEL_COL, SOURCE, FORM, COUNT, REQUESTED, STATUS = range(8)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class RequestRow:
    request: Reproduction
    item: Item
    source: Copy

    @property
    def waiting(self) -> bool:
        return self.request.status == "requested"


def load_requests(app: Any) -> list[RequestRow]:
    """Every copy request with its entry and source copy (runs on the worker)."""
    rows = []
    items: dict[int, Item] = {}
    copies: dict[int, Copy] = {}
    for request in app.copies.list():
        if request.item_id not in items:
            items[request.item_id] = app.items.get(request.item_id)
            for copy in app.items.copies(request.item_id):
                copies[copy.id] = copy
        rows.append(RequestRow(request, items[request.item_id], copies[request.source_copy_id]))
    return rows


class RequestsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("No."),
        ITEM_COL: N_("Document"),
        LEVEL_COL: N_("Level"),
        SOURCE: N_("Copy"),
        FORM: N_("Form"),
        COUNT: N_("Requested"),
        REQUESTED: N_("Requested on"),
        STATUS: N_("Status"),
    }

    def request_at(self, row: int) -> RequestRow:
        found: RequestRow = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: RequestRow | None = self.row_object(index)
        if row is None:
            return None
        column = index.column()
        if role == SORT_ROLE:
            if column == NUMBER:
                return (0 if row.waiting else 1, -row.request.id)
            return str(self.data(index))
        if role == Qt.ItemDataRole.FontRole and row.waiting and column == STATUS:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        request = row.request
        if column == NUMBER:
            return str(request.id)
        if column == ITEM_COL:
            return _(ENTRY_TEXT).format(
                symbol=row.item.number_symbol, number=row.item.number, year=row.item.year
            )
        if column == LEVEL_COL:
            return level_name(row.item.level)
        if column == SOURCE:
            return copy_label(row.source.kind, row.source.number)
        if column == FORM:
            return form_name(request.form)
        if column == COUNT:
            if request.authorised_count is not None:
                return f"{request.authorised_count}/{request.requested_count}"
            return str(request.requested_count)
        if column == REQUESTED:
            return local_day(request.requested_at)
        if column == STATUS:
            return sentence(str(status_label(request.status)))
        return None


class CopiesPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(_("Copying"), "title"), 1)
        self.waiting_only = QCheckBox(_(WAITING_ONLY))
        self.waiting_only.toggled.connect(self._filter)
        top.addWidget(self.waiting_only, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(label(_(INTRO), "muted"))
        actions = QHBoxLayout()
        self.request_button = QPushButton(_("Request a reproduction…"))
        self.request_button.clicked.connect(self.new_record)
        self.approve_button = QPushButton(_("Approve…"))
        self.approve_button.clicked.connect(lambda: self.countersign(refuse=False))
        self.refuse_button = QPushButton(_("Refuse…"))
        self.refuse_button.clicked.connect(lambda: self.countersign(refuse=True))
        self.record_button = QPushButton(_("Record copies made…"))
        self.record_button.clicked.connect(self.record)
        writer = self._app.actor.can(Permission.RECORD)
        for button in (
            self.request_button,
            self.approve_button,
            self.refuse_button,
            self.record_button,
        ):
            button.setVisible(writer)  # absent, not an error, for who may not record
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.model = RequestsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = record_table(self.proxy, stretch=(ITEM_COL,))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._open_row)
        layout.addWidget(self.table, 1)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        events.changed.connect(self._vault_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        app = self._app
        self.model.load(
            self._runner, lambda: load_requests(app), self._show, self._failed, context=self
        )

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & {REPRODUCTION, COPY, ENTRY} and self.isVisible():
            self.refresh()

    def _show(self, rows: list[RequestRow]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        self._filter()
        waiting = sum(1 for row in rows if row.waiting)
        self.status.setText(
            translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(count=len(rows), waiting=waiting)
        )
        if chosen is not None:
            self.select_request(chosen.request.id)
        self._update_buttons()
        self.loaded.emit(len(rows))

    def _filter(self) -> None:
        only = self.waiting_only.isChecked()
        for row in range(self.model.rowCount()):
            hidden = only and not self.model.request_at(row).waiting
            source = self.proxy.mapFromSource(self.model.index(row, 0)).row()
            self.table.setRowHidden(source, hidden)

    def select_request(self, repro_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.request_at(row).request.id == repro_id:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return

    def selected(self) -> RequestRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.request_at(self.proxy.mapToSource(rows[0]).row())

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        waiting = row is not None and row.waiting
        self.approve_button.setEnabled(waiting)
        self.refuse_button.setEnabled(waiting)
        self.record_button.setEnabled(row is not None and row.request.status == "approved")

    def _open_row(self, _index: Index) -> None:
        row = self.selected()
        if row is None or not self._app.actor.can(Permission.RECORD):
            return
        if row.waiting:
            self.countersign(refuse=False)
        elif row.request.status == "approved":
            self.record()

    # -- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_record(self) -> None:
        self._open(CopyRequestDialog(self._runner, self.session, self.events, parent=self))

    def facts(self, row: RequestRow) -> list[tuple[str, str]]:
        request = row.request
        return [
            (_("Document:"), f"{row.item.number_symbol} ({row.item.number}/{row.item.year})"),
            (_("Level:"), level_name(row.item.level)),
            (_("Copy to reproduce:"), copy_label(row.source.kind, row.source.number)),
            (_("Form:"), form_name(request.form)),
            (_("Number of copies:"), str(request.requested_count)),
            (_("Requested by:"), request.requested_by),
            (_("Purpose:"), request.purpose or "—"),
        ]

    def countersign(self, *, refuse: bool) -> None:
        row = self.selected()
        if row is None or not row.waiting:
            return
        copies, repro_id = self._app.copies, row.request.id

        def approve(approver: Actor) -> Any:
            return copies.approve(repro_id, approver)

        def refuse_it(approver: Actor) -> Any:
            return copies.refuse(repro_id, approver)

        self._open(
            CountersignDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(row),
                refuse_it if refuse else approve,
                (REPRODUCTION,),
                refuse=refuse,
                parent=self,
            )
        )

    def record(self) -> None:
        row = self.selected()
        if row is None or row.request.status != "approved":
            return
        description = self.facts(row)[0][1] + " — " + copy_label(row.source.kind, row.source.number)
        self._open(
            RecordCopiesDialog(
                self._runner,
                self.session,
                self.events,
                row.request.id,
                row.request.authorised_count or 0,
                description,
                parent=self,
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
