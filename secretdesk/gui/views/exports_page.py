"""Export (Xuất báo cáo) page: the history of report packages, unconfirmed ones marked; export to
a USB stick, confirm an export the program never confirmed, verify a package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

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
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage
from secretdesk.gui.widgets.common import label
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


class ExportsPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({EXPORT})
    model: ExportsModel

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
        super().__init__(runner, session, events, parent)
        self.exports = exports or self._app.exports
        self.choose_folder = choose_folder
        self.heading(_("Export"), _(INTRO))
        self.export_button = self.button(_("Export to a USB stick…"), self.new_record, writer=True)
        self.confirm_button = self.button(_("Confirm…"), self.confirm_selected, writer=True)
        self.verify_button = self.button(_("Verify a package…"), self.verify_package)
        self.button_row(self.export_button, self.confirm_button, self.verify_button)
        self.warning = label("", "warn")
        self.warning.hide()
        self.page_layout.addWidget(self.warning)
        self.model = ExportsModel(self)
        self.table = self.add_table(self.model, stretch=(FOLDER,))
        self.status = self.add_status()
        self.watch_vault()

    def loader(self) -> Callable[[], list[ExportRecord]]:
        return self.exports.history

    def _show(self, records: list[ExportRecord]) -> None:
        with self.selection_kept(lambda record: record.seq):
            self.model.set_rows(records)
        self.status.setText(
            translate(plural(len(records), SHOWN_ONE, SHOWN)).format(count=len(records))
        )
        waiting = sum(1 for r in records if r.status == "unconfirmed")
        self.warning.setText(
            translate(plural(waiting, UNCONFIRMED_NOTE_ONE, UNCONFIRMED_NOTE)).format(count=waiting)
        )
        self.warning.setVisible(bool(waiting))
        self.rows_shown(len(records))

    def _update_buttons(self, *_args: object) -> None:
        record: ExportRecord | None = self.selected()
        self.confirm_button.setEnabled(record is not None and record.status == "unconfirmed")

    def new_record(self) -> None:
        if not self.may_record:
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
        record: ExportRecord | None = self.selected()
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
