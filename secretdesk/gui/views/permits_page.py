"""Permits page: take-out and provision requests, approval or refusal with the countersignature
dialog, closing with the report of return, the printed take-out permit; permits due back first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.roles import Actor, Permission
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.destruction import shown_copy
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.item_window import PreviewOpener
from secretdesk.gui.dialogs.permits import PERMIT, ClosePermitDialog, PermitRequestDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import (
    SCANS_HEADER,
    level_name,
    local_minute,
    scans_text,
    sentence,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LeftOutNotice, label, record_table
from secretdesk.gui.widgets.evidence_actions import EvidenceActions
from secretdesk.gui.write import COPY, ENTRY, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.permits import (
    STATUSES,
    PermitDocument,
    status_label,
    variant_label,
    variant_title,
)

INTRO = N_(
    "Taking copies out of the office and providing them to another body need a written "
    "request and the approval of someone whose authority covers the level. Permits due back "
    "come first; those past their time are in bold."
)
ALL_PERMITS = N_("All permits")
SHOWN = N_("{count} permits, {waiting} waiting for approval, {overdue} past their time.")
SHOWN_ONE = N_("{count} permit, {waiting} waiting for approval, {overdue} past their time.")
PERMIT_TEXT = N_("Permit #{id}: {copies}")
OVERDUE_MARK = N_("past its time")

NUMBER, KIND, COPIES_COL, WHO, BACK_BY, STATUS, SCANS = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PermitItem:
    document: PermitDocument
    overdue: bool
    scans: int = 0  # the scans it keeps (the report of use)

    @property
    def permit(self) -> Any:
        return self.document.permit

    @property
    def waiting(self) -> bool:
        return bool(self.permit.status == "requested")

    @property
    def due_back(self) -> bool:
        return bool(self.permit.status == "approved" and self.permit.kind == "take-out")

    @property
    def abroad(self) -> bool:
        """Taken abroad (a take-out) or provided to a foreign body or person (a provision)."""
        return bool(self.document.legal is not None and self.document.legal.abroad)

    def kind_text(self) -> str:
        return sentence(str(variant_label(self.permit.kind, self.abroad)))

    def title(self) -> str:
        return str(variant_title(self.permit.kind, self.abroad, self.permit.id))

    @property
    def printable(self) -> bool:
        """A take-out permit, or the decision on a provision to a foreign body or person."""
        foreign = self.permit.kind == "provision" and self.abroad
        return bool(self.permit.kind == "take-out" or foreign)

    def copy_text(self) -> str:
        return "; ".join(
            f"{line.register_number} {', '.join(shown_copy(c) for c in line.copy_labels)}"
            for line in self.document.lines
        )


def load_permits(app: Any) -> tuple[list[PermitItem], int]:
    """Every permit with its copies, and whether it is past its time, and how many permits
    clearance leaves out (runs on the worker)."""
    service = app.permits
    overdue = {permit.id for permit in service.overdue()}
    scans = app.attachments.counts("permit")
    lines = [
        PermitItem(service.document(permit.id), permit.id in overdue, scans.get(permit.id, 0))
        for permit in service.list()
    ]
    return lines, int(service.hidden_count())


class PermitsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("No."),
        KIND: N_("Kind"),
        COPIES_COL: N_("Copies"),
        WHO: N_("Requester"),
        BACK_BY: N_("Back by"),
        STATUS: N_("Status"),
        SCANS: SCANS_HEADER,
    }

    def line_at(self, row: int) -> PermitItem:
        found: PermitItem = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: PermitItem | None = self.row_object(index)
        if line is None:
            return None
        permit, column = line.permit, index.column()
        if role == SORT_ROLE:
            if column == NUMBER:
                # Due back first (the earliest first), then waiting, then the rest, newest first.
                if line.due_back:
                    return f"0|{permit.ends_at or ''}"
                return f"{1 if line.waiting else 2}|{10**9 - permit.id:010d}"
            return str(self.data(index))
        if role == Qt.ItemDataRole.FontRole and line.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == NUMBER:
            return str(permit.id)
        if column == KIND:
            return line.kind_text()
        if column == COPIES_COL:
            return line.copy_text()
        if column == WHO:
            if permit.requesting_body:
                return f"{permit.requester} ({permit.requesting_body})"
            return permit.requester
        if column == BACK_BY:
            return local_minute(permit.ends_at) if permit.ends_at else ""
        if column == STATUS:
            text = sentence(str(status_label(permit.status)))
            return f"{text} ({_(OVERDUE_MARK)})" if line.overdue else text
        if column == SCANS:
            return scans_text(line.scans)
        return None


class PermitsPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)

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
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(_("Permits"), "title"), 1)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_(ALL_PERMITS), None)
        for status in STATUSES:
            self.status_filter.addItem(sentence(str(status_label(status))), status)
        self.status_filter.currentIndexChanged.connect(self._filter)
        top.addWidget(self.status_filter, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(label(_(INTRO), "muted"))
        actions = QHBoxLayout()
        self.request_button = QPushButton(_("Request a permit…"))
        self.request_button.clicked.connect(self.new_record)
        self.approve_button = QPushButton(_("Approve…"))
        self.approve_button.clicked.connect(lambda: self.countersign(refuse=False))
        self.refuse_button = QPushButton(_("Refuse…"))
        self.refuse_button.clicked.connect(lambda: self.countersign(refuse=True))
        self.close_button = QPushButton(_("Close with the report…"))
        self.close_button.clicked.connect(self.close_permit)
        writer = self._app.actor.can(Permission.RECORD)
        for button in (
            self.request_button,
            self.approve_button,
            self.refuse_button,
            self.close_button,
        ):
            button.setVisible(writer)
            actions.addWidget(button)
        self.print_button = QPushButton(_("Permit preview…"))
        self.print_button.clicked.connect(self.preview_permit)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        evidence = QHBoxLayout()  # a second row: the first is full at 1366 pixels in Vietnamese
        layout.addLayout(evidence)
        self.model = PermitsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = record_table(self.proxy, stretch=(COPIES_COL,), wrap=False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._open_row)
        layout.addWidget(self.table, 1)
        self.left_out = LeftOutNotice()
        layout.addWidget(self.left_out)
        self.evidence = EvidenceActions(
            self, runner, session, events, self.table, self._record, self._open
        )
        self.attach_button, self.scans_button = self.evidence.buttons()
        evidence.addWidget(self.attach_button)
        evidence.addWidget(self.scans_button)
        evidence.addStretch(1)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        events.changed.connect(self._vault_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        app = self._app
        self.model.load(
            self._runner, lambda: load_permits(app), self._show, self._failed, context=self
        )

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & {PERMIT, COPY, ENTRY} and self.isVisible():
            self.refresh()

    def _show(self, loaded: tuple[list[PermitItem], int]) -> None:
        lines, left_out = loaded
        chosen = self.selected()
        self.model.set_rows(lines)
        self.left_out.show_count(left_out)
        self.proxy.sort(NUMBER, Qt.SortOrder.AscendingOrder)
        self._filter()
        self.status.setText(
            translate(plural(len(lines), SHOWN_ONE, SHOWN)).format(
                count=len(lines),
                waiting=sum(1 for line in lines if line.waiting),
                overdue=sum(1 for line in lines if line.overdue),
            )
        )
        if chosen is not None:
            self.select_permit(chosen.permit.id)
        self._update_buttons()
        self.loaded.emit(len(lines))

    def _filter(self, *_args: object) -> None:
        wanted = self.status_filter.currentData()
        for row in range(self.model.rowCount()):
            hidden = wanted is not None and self.model.line_at(row).permit.status != wanted
            shown_row = self.proxy.mapFromSource(self.model.index(row, 0)).row()
            self.table.setRowHidden(shown_row, hidden)

    def select_permit(self, permit_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.line_at(row).permit.id == permit_id:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return

    def selected(self) -> PermitItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.line_at(self.proxy.mapToSource(rows[0]).row())

    def shown_order(self) -> list[int]:
        """The permit numbers in the order the table shows them."""
        return [
            self.model.line_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).permit.id
            for row in range(self.proxy.rowCount())
        ]

    def _update_buttons(self, *_args: object) -> None:
        line = self.selected()
        status = line.permit.status if line is not None else ""
        self.approve_button.setEnabled(status == "requested")
        self.refuse_button.setEnabled(status == "requested")
        self.close_button.setEnabled(status == "approved")
        self.print_button.setEnabled(
            line is not None
            and line.printable
            and line.permit.approved_at is not None
            and status in ("approved", "closed")
            and self.open_preview is not None
        )
        self.evidence.update()

    def _record(self) -> EvidenceRecord | None:
        line = self.selected()
        return None if line is None else EvidenceRecord.permit(line.permit.id)

    def _open_row(self, _index: Index) -> None:
        line = self.selected()
        if line is None or not self._app.actor.can(Permission.RECORD):
            return
        if line.waiting:
            self.countersign(refuse=False)
        elif line.permit.status == "approved":
            self.close_permit()

    # -- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_record(self) -> None:
        self._open(PermitRequestDialog(self._runner, self.session, self.events, parent=self))

    def facts(self, line: PermitItem) -> list[tuple[str, str]]:
        permit = line.permit
        facts = [
            (_("Permit:"), f"#{permit.id}, {variant_label(permit.kind, line.abroad)}"),
            (_("Level:"), level_name(line.document.level)),
            (_("Copies:"), line.copy_text()),
            (_("Requester:"), permit.requester),
            (_("Purpose:"), permit.purpose),
        ]
        if permit.kind == "take-out":
            facts.append((_("Taken to:"), permit.place))
            facts.append((_("Back by:"), local_minute(permit.ends_at) if permit.ends_at else "—"))
        else:
            facts.append((_("Requesting body:"), permit.requesting_body))
        return facts

    def countersign(self, *, refuse: bool) -> None:
        line = self.selected()
        if line is None or not line.waiting:
            return
        permits, permit_id = self._app.permits, line.permit.id

        def approve(approver: Actor) -> Any:
            return permits.approve(permit_id, approver)

        def refuse_it(approver: Actor) -> Any:
            return permits.refuse(permit_id, approver)

        self._open(
            CountersignDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(line),
                refuse_it if refuse else approve,
                (PERMIT, COPY),
                refuse=refuse,
                parent=self,
            )
        )

    def close_permit(self) -> None:
        line = self.selected()
        if line is None or line.permit.status != "approved":
            return
        description = _(PERMIT_TEXT).format(id=line.permit.id, copies=line.copy_text())
        self._open(
            ClosePermitDialog(
                self._runner, self.session, self.events, line.permit.id, description, parent=self
            )
        )

    def preview_permit(self) -> None:
        line = self.selected()
        if line is None or self.open_preview is None:
            return
        permit_id, printing = line.permit.id, self._app.printing
        self.open_preview(
            line.title(),
            lambda: printing.permit(permit_id),
            f"permit-{permit_id}.pdf",
            evidence=EvidenceRecord.permit(permit_id),
        )

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
