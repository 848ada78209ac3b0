"""Export to a USB stick: choose the stick, the kind and the period; the package is written,
verified and recorded on the worker; then its verification is shown and the stick ejected.

The sticks offered are the mounted removable volumes (transfer/media.py); the system disk is
never one of them, and a folder typed by hand that is not on a stick is refused next to the
field by the service (ExportService.removable_volume). A refusal costs no sequence number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from secretdesk.errors import SecretDeskError
from secretdesk.gui.dialogs.verify_package import KIND_LABELS, VerdictPanel
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, card, fit_height, label
from secretdesk.gui.widgets.fields import DayField
from secretdesk.gui.widgets.progress import ProgressPanel
from secretdesk.gui.write import FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.exports import ExportResult, ExportService, Verdict, Volume

EXPORT = "export"  # the entity an export touches

TITLE = N_("Export to a USB stick")
INTRO = N_(
    "The report package is written to the stick, verified there and recorded. Only removable "
    "volumes are offered: the computer's own disk is refused."
)
NO_STICK = N_("No USB stick is plugged in. Plug one in and press Refresh.")
CHOOSE_STICK = N_("Choose a USB stick.")
REFRESH = N_("Refresh")
START = N_("Export")
WRITING = N_("Writing and verifying the package… Do not remove the stick.")
VOLUME_COLUMNS = (N_("Label"), N_("Folder"), N_("Size"), N_("Free"))
NO_LABEL = N_("(no label)")
NOT_ON_STICK = N_(
    "{target} is not on a USB stick. Choose a stick from the list: the computer's own disk "
    "is refused. Nothing was exported."
)

DONE_TITLE = N_("The package was exported")
WRITTEN = N_("Written: {path}")
SEQUENCE = N_("Sequence number: {seq}")
FINGERPRINT = N_("Unit key fingerprint: {fingerprint}")
VERIFYING = N_("Verifying the package on the stick…")
EJECT = N_("Eject the stick")
EJECTED = N_("The stick was ejected: it can be removed now.")
EJECT_BY_HAND = N_("To remove the stick safely, eject it first: {commands}")
FOLDER_CHOSEN = N_("The package is in a folder, not on a stick: nothing to eject.")


def gigabytes(size: int) -> str:
    return f"{size / 1e9:.1f} GB"  # a unit of measure, the same in every language


class ExportDialog(FormDialog):
    """The first step: stick, kind and period. OK runs the export on the worker."""

    touches: ClassVar[tuple[str, ...]] = (EXPORT,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "export.not_removable": "target",
        "export.target_missing": "target",
        "export.package_exists": "target",
        "export.not_enough_space": "target",
        "export.not_writable": "target",
        "The stick at {mount} is mounted read-only.": "target",
        "The period of a {kind} report is written {expected}, not {period}.": "period",
        "An inventory cannot be made for a future date.": "inventory_day",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        exports: ExportService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner, session, events, _(TITLE), intro=_(INTRO), ok_text=_(START), parent=parent
        )
        self.setMinimumWidth(760)
        self.exports = exports or self.app.exports
        today = self.app.ctx.today()
        self.volumes: list[Volume] = []
        self.table = QTableWidget(0, len(VOLUME_COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in VOLUME_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(130)
        self.table.itemSelectionChanged.connect(self._volume_chosen)
        self.no_stick = label(_(NO_STICK), "warn")
        self.no_stick.hide()
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        self.refresh_button = QPushButton(_(REFRESH))
        self.refresh_button.clicked.connect(self.refresh_volumes)
        row.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        self.top.addLayout(row)
        self.top.addWidget(self.no_stick)
        self.writing = label(_(WRITING), "muted")
        self.writing.hide()
        self.top.addWidget(self.writing)
        # Steps with Cancel: a cancel stops before the number is reserved, never mid-write.
        self.progress = ProgressPanel()
        self.top.addWidget(self.progress)
        self.target = QLineEdit()
        self.add_field("target", _("Folder on the stick"), self.target)
        self.kind = QComboBox()
        for kind, caption in KIND_LABELS.items():
            self.kind.addItem(_(caption), kind)
        self.add_field("kind", _("Report"), self.kind)
        self.period = QSpinBox()
        self.period.setRange(2000, 2999)
        self.period.setValue(today.year)
        self.add_field("period", _("Year"), self.period)
        self.inventory_day = DayField(today)
        self.add_field("inventory_day", _("At the day"), self.inventory_day)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()
        self.refresh_volumes()

    def _kind_chosen(self, *_args: object) -> None:
        inventory = self.kind.currentData() == "inventory"
        for name, shown in (("period", not inventory), ("inventory_day", inventory)):
            holder = self.fields[name].parentWidget()
            if holder is not None:
                self.current_form.setRowVisible(holder, shown)

    def refresh_volumes(self) -> None:
        self.runner.submit(self.exports.volumes, self._show_volumes, self._failed, context=self)

    def _show_volumes(self, volumes: list[Volume]) -> None:
        self.volumes = [v for v in volumes if not v.read_only]
        self.table.setRowCount(len(self.volumes))
        for row, volume in enumerate(self.volumes):
            cells = (
                volume.label or _(NO_LABEL),
                str(volume.mount_point),
                gigabytes(volume.total_bytes),
                gigabytes(volume.free_bytes),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.no_stick.setVisible(not self.volumes)
        if self.volumes and not self.target.text():
            self.table.selectRow(0)

    def _volume_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.target.setText(str(self.volumes[rows[0].row()].mount_point))

    def work(self) -> Any:
        text = self.target.text().strip()
        if not text:
            raise FieldProblem("target", _(CHOOSE_STICK))
        target = Path(text)
        kind = self.kind.currentData()
        if kind == "inventory":
            day = self.inventory_day.day("inventory_day", required=True)
            assert day is not None
            period = day.isoformat()
        else:
            period = str(self.period.value())
        exports = self.exports
        progress = self.progress.start(_(WRITING))
        return lambda: exports.export(
            kind, period, target, explicitly_chosen_folder=False, progress=progress
        )

    def _set_busy(self, busy: bool) -> None:
        """While the package is written the progress shows its steps; its Cancel (or Esc)
        stops the export before the number is reserved, else the writer finishes (it never
        leaves half a package), then the dialog says which."""
        super()._set_busy(busy)
        self.busy.hide()  # the progress panel shows the work instead
        if not busy:
            self.progress.finish()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)

    def submit(self) -> None:
        if not self.progress.running:
            super().submit()

    def reject(self) -> None:
        if self.progress.running:  # Esc while exporting: cancel at the next safe point
            self.progress.cancel()
            return
        super().reject()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SecretDeskError) and error.code == "task.cancelled":
            self._set_busy(False)
            self.show_refusal("", error.render())
            return
        if isinstance(error, SecretDeskError) and error.code == "export.not_removable":
            self._set_busy(False)
            target = self.target.text().strip()
            self.show_refusal("target", _(NOT_ON_STICK).format(target=target))
            return
        super()._failed(error)


class ExportDoneDialog(QDialog):
    """The written package: where, its number, its verification on the stick, and eject."""

    def __init__(
        self,
        runner: Runner,
        exports: ExportService,
        result: ExportResult,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.exports = exports
        self.written = result
        self.verdict: Verdict | None = None
        self.ejected = False
        self.setWindowTitle(_(DONE_TITLE) + " — SecretDesk")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_(DONE_TITLE), "title"))
        facts, facts_layout = card()
        for line in (
            _(WRITTEN).format(path=result.folder),
            _(SEQUENCE).format(seq=result.seq),
            _(FINGERPRINT).format(fingerprint=result.fingerprint),
        ):
            facts_layout.addWidget(label(line, selectable=True))
        layout.addWidget(facts)
        self.status = label(_(VERIFYING), "muted")
        layout.addWidget(self.status)
        self.busy = BusyBar()
        self.busy.show()
        layout.addWidget(self.busy)
        self.verdict_panel = VerdictPanel()
        layout.addWidget(self.verdict_panel)
        self.eject_status = label("", "muted", selectable=True)
        self.eject_status.hide()
        layout.addWidget(self.eject_status)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.eject_button = QPushButton(_(EJECT))
        self.eject_button.clicked.connect(self.eject)
        self.eject_button.setVisible(result.volume is not None)
        self.eject_button.setEnabled(False)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.eject_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        if result.volume is None:
            self.eject_status.setText(_(FOLDER_CHOSEN))
            self.eject_status.show()
        folder = result.folder
        runner.submit(
            lambda: exports.verify_written(folder), self._verified, self._failed, context=self
        )

    def _verified(self, verdict: Verdict) -> None:
        self.busy.hide()
        self.status.hide()
        self.verdict = verdict
        self.verdict_panel.show_verdict(verdict)
        fit_height(self)
        self.eject_button.setEnabled(True)

    def eject(self) -> None:
        self.eject_button.setEnabled(False)
        self.busy.show()
        exports, result = self.exports, self.written
        self._runner.submit(
            lambda: exports.eject(result), self._ejected, self._eject_failed, context=self
        )

    def _ejected(self, _value: object) -> None:
        self.busy.hide()
        self.ejected = True
        self.eject_status.setText(_(EJECTED))
        self.eject_status.show()

    def _eject_failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.eject_button.setEnabled(True)
        commands = "; ".join(self.written.eject_commands())
        self.error.show_message(error_text(error))
        self.eject_status.setText(_(EJECT_BY_HAND).format(commands=commands))
        self.eject_status.show()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.status.hide()
        self.error.show_message(error_text(error))
        self.eject_button.setEnabled(True)
