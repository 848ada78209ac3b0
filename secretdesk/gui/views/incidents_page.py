"""Incidents page: every loss, leak and tampering reported, newest first; report one; recover a
lost copy found again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.incidents import Incident
from secretdesk.gui.dialogs.destruction import shown_copy
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.incidents import INCIDENT, RecoverCopyDialog, ReportIncidentDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import SCANS_HEADER, scans_text, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage
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


class IncidentsPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({INCIDENT, COPY, ENTRY})
    model: IncidentsModel

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, parent)
        self.heading(_("Incidents"), _(INTRO))
        self.report_button = self.button(_("Report an incident…"), self.new_record, writer=True)
        self.recover_button = self.button(_("Recover the copy…"), self.recover, writer=True)
        actions = self.button_row(self.report_button, self.recover_button)
        self.model = IncidentsModel(self)
        self.table = self.add_table(self.model, stretch=(WHAT,), wrap=False)
        self.attach_button, self.scans_button = self.add_evidence(self._record)
        actions.insertWidget(actions.count() - 1, self.attach_button)
        actions.insertWidget(actions.count() - 1, self.scans_button)
        self.status = self.add_status()
        self.watch_vault()

    def loader(self) -> Callable[[], list[IncidentLine]]:
        app = self._app
        return lambda: load_incidents(app)

    def _show(self, lines: list[IncidentLine]) -> None:
        with self.selection_kept(lambda line: line.incident.id):
            self.model.set_rows(lines)
            lost = {line.copy.copy_id for line in lines if line.lost and line.copy is not None}
            self.status.setText(
                translate(plural(len(lines), SHOWN_ONE, SHOWN)).format(
                    count=len(lines), lost=len(lost)
                )
            )
        self.rows_shown(len(lines))

    def select_incident(self, incident_id: int) -> None:
        self.select_where(lambda line: line.incident.id == incident_id)

    def _update_buttons(self, *_args: object) -> None:
        line: IncidentLine | None = self.selected()
        self.recover_button.setEnabled(line is not None and line.lost)
        self.evidence.update()

    def _record(self) -> EvidenceRecord | None:
        line: IncidentLine | None = self.selected()
        return None if line is None else EvidenceRecord.incident(line.incident.id)

    def new_record(self) -> None:
        self._open(ReportIncidentDialog(self._runner, self.session, self.events, parent=self))

    def recover(self) -> None:
        line: IncidentLine | None = self.selected()
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
