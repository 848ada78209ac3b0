"""Copying (Sao, chụp) page: requests waiting first, request, approve or refuse with the
countersignature dialog, record what was made and spoiled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget

from secretdesk.domain.copies import Copy
from secretdesk.domain.items import Item
from secretdesk.domain.reproductions import Reproduction
from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.copying import CopyRequestDialog, RecordCopiesDialog
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.models.base import Index, RowsTableModel, bold_font
from secretdesk.gui.models.formats import copy_label, form_name, level_name, local_day, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage, sorted_proxy
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
            return bold_font()
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


class CopiesPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({REPRODUCTION, COPY, ENTRY})
    model: RequestsModel

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, session, events, parent)
        self.waiting_only = QCheckBox(_(WAITING_ONLY))
        self.waiting_only.toggled.connect(self._filter)
        self.heading(_("Copying"), _(INTRO), self.waiting_only)
        self.request_button = self.button(
            _("Request a reproduction…"), self.new_record, writer=True
        )
        self.approve_button, self.refuse_button = self.approval_buttons(self.countersign)
        self.record_button = self.button(_("Record copies made…"), self.record, writer=True)
        self.button_row(
            self.request_button, self.approve_button, self.refuse_button, self.record_button
        )
        self.model = RequestsModel(self)
        self.proxy = sorted_proxy(self.model, SORT_ROLE, self)
        self.table = self.add_table(self.proxy, stretch=(ITEM_COL,), sort_by=NUMBER)
        self.table.doubleClicked.connect(self._open_row)
        self.status = self.add_status()
        self.watch_vault()

    # -- loading -----------------------------------------------------------------------
    def loader(self) -> Callable[[], list[RequestRow]]:
        app = self._app
        return lambda: load_requests(app)

    def _show(self, rows: list[RequestRow]) -> None:
        with self.selection_kept(lambda row: row.request.id):
            self.model.set_rows(rows)
            self._filter()
            waiting = sum(1 for row in rows if row.waiting)
            self.status.setText(
                translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(
                    count=len(rows), waiting=waiting
                )
            )
        self.rows_shown(len(rows))

    def _filter(self) -> None:
        only = self.waiting_only.isChecked()
        self.hide_where(lambda row: only and not row.waiting)

    def select_request(self, repro_id: int) -> None:
        self.select_where(lambda row: row.request.id == repro_id)

    def _update_buttons(self, *_args: object) -> None:
        row: RequestRow | None = self.selected()
        waiting = row is not None and row.waiting
        self.approve_button.setEnabled(waiting)
        self.refuse_button.setEnabled(waiting)
        self.record_button.setEnabled(row is not None and row.request.status == "approved")

    def _open_row(self, _index: Index) -> None:
        row: RequestRow | None = self.selected()
        if row is None or not self.may_record:
            return
        if row.waiting:
            self.countersign(refuse=False)
        elif row.request.status == "approved":
            self.record()

    # -- actions -----------------------------------------------------------------------
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
        row: RequestRow | None = self.selected()
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
        row: RequestRow | None = self.selected()
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
