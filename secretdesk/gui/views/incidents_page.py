"""Incidents page: every loss, leak and tampering reported, newest first; report one; recover a
lost copy found again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.incidents import Incident
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.destruction import shown_copy
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.incidents import INCIDENT, RecoverCopyDialog, ReportIncidentDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import SCANS_HEADER, scans_text, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import label, record_table
from secretdesk.gui.widgets.evidence_actions import EvidenceActions
from secretdesk.gui.write import COPY, ENTRY, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.incidents import kind_label
from secretdesk.services.inventory import InventoryLine

INTRO = N_(
    "Every loss, leak or tampering is reported at once to the head of the unit and recorded "
    "here. A lost copy found again is recovered into storage."
)
SHOWN = N_("{count} incidents; copies still lost or leaked: {lost}.")
SHOWN_ONE = N_("{count} incident; copies still lost or leaked: {lost}.")
COPY_TEXT = N_("{copy} of {symbol} (entry {entry})")

NUMBER, KIND, COPY_COL, WHAT, WHEN, REPORTED_TO, NOW, SCANS = range(8)


@dataclass(frozen=True)
class IncidentLine:
    incident: Incident
    copy: InventoryLine | None
    scans: int = 0  # the scans it keeps

    @property
    def lost(self) -> bool:
        return self.copy is not None and self.copy.state is CopyState.LOST_OR_LEAKED

    def copy_text(self) -> str:
        if self.copy is None:
            return "—"
        return _(COPY_TEXT).format(
            copy=shown_copy(self.copy.copy_number),
            symbol=self.copy.number_symbol,
            entry=self.copy.register_number,
        )


def load_incidents(app: Any) -> list[IncidentLine]:
    """Every incident with its copy as the register shows it today (runs on the worker)."""
    copies = {line.copy_id: line for line in app.inventory.inventory().lines}
    rows = sorted(app.incidents.list(), key=lambda r: r.id, reverse=True)
    scans = app.attachments.counts("incident")
    return [IncidentLine(row, copies.get(row.copy_id or -1), scans.get(row.id, 0)) for row in rows]


class IncidentsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("No."),
        KIND: N_("Kind"),
        COPY_COL: N_("Copy"),
        WHAT: N_("What happened"),
        WHEN: N_("Happened at"),
        REPORTED_TO: N_("Reported to"),
        NOW: N_("The copy now"),
        SCANS: SCANS_HEADER,
    }

    def line_at(self, row: int) -> IncidentLine:
        found: IncidentLine = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: IncidentLine | None = self.row_object(index)
        if line is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        incident, column = line.incident, index.column()
        if column == NUMBER:
            return str(incident.id)
        if column == KIND:
            return sentence(str(kind_label(incident.kind)))
        if column == COPY_COL:
            return line.copy_text()
        if column == WHAT:
            return incident.description.splitlines()[0] if incident.description else ""
        if column == WHEN:
            return incident.occurred_at.replace("T", " ")[:16]
        if column == REPORTED_TO:
            return incident.reported_to
        if column == NOW:
            if line.copy is None:
                return ""
            return sentence(line.copy.state.label(i18n.current_language()))
        if column == SCANS:
            return scans_text(line.scans)
        return None


class IncidentsPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        parent: QWidget | None = None,
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
        layout.addWidget(label(_("Incidents"), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        actions = QHBoxLayout()
        self.report_button = QPushButton(_("Report an incident…"))
        self.report_button.clicked.connect(self.new_record)
        self.recover_button = QPushButton(_("Recover the copy…"))
        self.recover_button.clicked.connect(self.recover)
        writer = self._app.actor.can(Permission.RECORD)
        for button in (self.report_button, self.recover_button):
            button.setVisible(writer)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.model = IncidentsModel(self)
        self.table = record_table(self.model, stretch=(WHAT,), wrap=False)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.evidence = EvidenceActions(
            self, runner, session, events, self.table, self._record, self._open
        )
        self.attach_button, self.scans_button = self.evidence.buttons()
        actions.insertWidget(actions.count() - 1, self.attach_button)
        actions.insertWidget(actions.count() - 1, self.scans_button)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        events.changed.connect(self._vault_changed)
        self._update_buttons()

    def refresh(self) -> None:
        app = self._app
        self.model.load(
            self._runner, lambda: load_incidents(app), self._show, self._failed, context=self
        )

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & {INCIDENT, COPY, ENTRY} and self.isVisible():
            self.refresh()

    def _show(self, lines: list[IncidentLine]) -> None:
        chosen = self.selected()
        self.model.set_rows(lines)
        lost = {line.copy.copy_id for line in lines if line.lost and line.copy is not None}
        self.status.setText(
            translate(plural(len(lines), SHOWN_ONE, SHOWN)).format(count=len(lines), lost=len(lost))
        )
        if chosen is not None:
            self.select_incident(chosen.incident.id)
        self._update_buttons()
        self.loaded.emit(len(lines))

    def select_incident(self, incident_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.line_at(row).incident.id == incident_id:
                self.table.selectRow(row)
                return

    def selected(self) -> IncidentLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.line_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        line = self.selected()
        self.recover_button.setEnabled(line is not None and line.lost)
        self.evidence.update()

    def _record(self) -> EvidenceRecord | None:
        line = self.selected()
        return None if line is None else EvidenceRecord.incident(line.incident.id)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_record(self) -> None:
        self._open(ReportIncidentDialog(self._runner, self.session, self.events, parent=self))

    def recover(self) -> None:
        line = self.selected()
        if line is None or not line.lost or line.copy is None:
            return
        self._open(
            RecoverCopyDialog(
                self._runner,
                self.session,
                self.events,
                line.copy.copy_id,
                line.copy_text(),
                parent=self,
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
