"""Export (Xuất báo cáo) page: the history of report packages, unconfirmed ones marked; export to
a USB stick, confirm an export the program never confirmed, verify a package."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.export_wizard import EXPORT, ExportDialog, ExportDoneDialog
from secretdesk.gui.dialogs.verify_package import (
    KIND_LABELS,
    FolderChooser,
    VerifyPackageDialog,
    ask_folder,
)
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import local_minute
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LoadingOverlay, compact_rows, label
from secretdesk.gui.write import FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.exports import ExportRecord, ExportResult, ExportService

INTRO = N_(
    "Report packages for the supervising office, newest first. An export the program never "
    "confirmed (it stopped while writing) is marked: look for its package on the stick used "
    "then and confirm it, or record that it was never written."
)
SHOWN = N_("{count} exports.")
SHOWN_ONE = N_("{count} export.")
UNCONFIRMED_NOTE = N_("{count} exports are not confirmed.")
UNCONFIRMED_NOTE_ONE = N_("{count} export is not confirmed.")
STATUS_LABELS = {
    "written": N_("Written"),
    "failed": N_("Not written"),
    "unconfirmed": N_("Not confirmed"),
}
CONFIRMED_LATER = N_("{status} (confirmed later)")

SEQ, KIND, PERIOD, STARTED, BY, STATUS, FOLDER = range(7)


class ExportsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        SEQ: N_("No."),
        KIND: N_("Report"),
        PERIOD: N_("Period"),
        STARTED: N_("Started"),
        BY: N_("By"),
        STATUS: N_("Status"),
        FOLDER: N_("Folder"),
    }

    def record_at(self, row: int) -> ExportRecord:
        record: ExportRecord = self._rows[row]
        return record

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record: ExportRecord | None = self.row_object(index)
        if record is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and record.status == "unconfirmed":
            return QBrush(QColor("#b45309"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        caption = STATUS_LABELS.get(record.status)
        status = _(caption) if caption else record.status
        if record.confirmed:
            status = _(CONFIRMED_LATER).format(status=status)
        kind = KIND_LABELS.get(record.kind)
        values = {
            SEQ: str(record.seq),
            KIND: _(kind) if kind else record.kind,
            PERIOD: record.period,
            STARTED: local_minute(record.started_at),
            BY: record.started_by,
            STATUS: status,
            FOLDER: record.folder or "—",
        }
        return values.get(index.column())


FOUND, MISSING = "found", "missing"
CONFIRM_TITLE = N_("Confirm export {seq}")
CONFIRM_INTRO = N_(
    "Export {seq} ({kind}, {period}) was started on {at} but never confirmed. If its package "
    "is on the stick used then, choose its folder: it is verified with the unit's key. "
    "Otherwise record that it was never written; its number is not used again."
)
OUTCOME = N_("What was found")
OUTCOMES = {
    FOUND: N_("The package is on the stick"),
    MISSING: N_("The package was never written"),
}
CHOOSE_PACKAGE = N_("Choose the package folder.")


class ConfirmExportDialog(FormDialog):
    touches: ClassVar[tuple[str, ...]] = (EXPORT,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "The package in {folder} is not valid: {problem}": "folder",
        "The package in {folder} is not export {seq}.": "folder",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        record: ExportRecord,
        *,
        exports: ExportService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        kind = KIND_LABELS.get(record.kind)
        super().__init__(
            runner,
            session,
            events,
            _(CONFIRM_TITLE).format(seq=record.seq),
            intro=_(CONFIRM_INTRO).format(
                seq=record.seq,
                kind=_(kind) if kind else record.kind,
                period=record.period,
                at=local_minute(record.started_at),
            ),
            ok_text=_("Confirm"),
            parent=parent,
        )
        self.record = record
        self.exports = exports or self.app.exports
        self.outcome = QComboBox()
        for key, caption in OUTCOMES.items():
            self.outcome.addItem(_(caption), key)
        self.add_field("outcome", _(OUTCOME), self.outcome)
        self.folder = QLineEdit()
        self.add_field("folder", _("Package folder"), self.folder)
        self.outcome.currentIndexChanged.connect(
            lambda: self.folder.setEnabled(self.outcome.currentData() == FOUND)
        )

    def work(self) -> Any:
        exports, seq = self.exports, self.record.seq
        if self.outcome.currentData() == MISSING:
            return lambda: exports.confirm(seq, None)
        text = self.folder.text().strip()
        if not text:
            raise FieldProblem("folder", _(CHOOSE_PACKAGE))
        folder = Path(text)
        return lambda: exports.confirm(seq, folder)


class ExportsPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        exports: ExportService | None = None,
        choose_folder: FolderChooser = ask_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.exports = exports or self._app.exports
        self.choose_folder = choose_folder
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_("Export"), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        actions = QHBoxLayout()
        self.export_button = QPushButton(_("Export to a USB stick…"))
        self.export_button.clicked.connect(self.new_record)
        self.export_button.setVisible(self._app.actor.can(Permission.RECORD))
        self.confirm_button = QPushButton(_("Confirm…"))
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.confirm_button.setVisible(self._app.actor.can(Permission.RECORD))
        self.verify_button = QPushButton(_("Verify a package…"))
        self.verify_button.clicked.connect(self.verify_package)
        for button in (self.export_button, self.confirm_button, self.verify_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.warning = label("", "warn")
        self.warning.hide()
        layout.addWidget(self.warning)
        self.model = ExportsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        LoadingOverlay.install(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FOLDER, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        events.changed.connect(self._vault_changed)
        self._update_buttons()

    def refresh(self) -> None:
        self.model.load(self._runner, self.exports.history, self._show, self._failed, context=self)

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if EXPORT in entities and self.isVisible():
            self.refresh()

    def _show(self, records: list[ExportRecord]) -> None:
        self.model.set_rows(records)
        self.status.setText(
            translate(plural(len(records), SHOWN_ONE, SHOWN)).format(count=len(records))
        )
        waiting = sum(1 for r in records if r.status == "unconfirmed")
        self.warning.setText(
            translate(plural(waiting, UNCONFIRMED_NOTE_ONE, UNCONFIRMED_NOTE)).format(count=waiting)
        )
        self.warning.setVisible(bool(waiting))
        self._update_buttons()
        self.loaded.emit(len(records))

    def selected(self) -> ExportRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        record = self.selected()
        self.confirm_button.setEnabled(record is not None and record.status == "unconfirmed")

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_record(self) -> None:
        if not self._app.actor.can(Permission.RECORD):
            return
        dialog = ExportDialog(
            self._runner, self.session, self.events, exports=self.exports, parent=self
        )
        dialog.succeeded.connect(self.show_result)
        self._open(dialog)

    def show_result(self, result: ExportResult) -> ExportDoneDialog:
        done = ExportDoneDialog(self._runner, self.exports, result, parent=self)
        self._open(done)
        return done

    def confirm_selected(self) -> None:
        record = self.selected()
        if record is not None and record.status == "unconfirmed":
            self._open(
                ConfirmExportDialog(
                    self._runner,
                    self.session,
                    self.events,
                    record,
                    exports=self.exports,
                    parent=self,
                )
            )

    def verify_package(self) -> VerifyPackageDialog:
        dialog = VerifyPackageDialog(self._runner, choose_folder=self.choose_folder, parent=self)
        self._open(dialog)
        return dialog

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
