"""Evidence of a handover (issue 18): attach a scan, list and save the scans, scan-back a folder.

Every call to the vault runs on the one worker; refusals (wrong type, too large, unreadable)
show next to the file field, and nothing is changed for a refused file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from secretdesk.errors import SecretDeskError
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import ErrorLabel, compact_rows, fit_height, label
from secretdesk.gui.widgets.fields import MinuteField, required_text
from secretdesk.gui.write import COPY, HANDOVER, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _, plural, translate

ACCEPTED = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf")
FILE_FILTER = N_("Scans")
PATTERNS = "(*.png *.jpg *.jpeg *.tif *.tiff *.pdf)"
FILE_REFUSALS = {
    "attachment.type_refused": "file",
    "attachment.type_mismatch": "file",
    "attachment.too_large": "file",
    "attachment.vault_full": "file",
    "attachment.unreadable": "file",
    "{name} cannot be read: {detail}.": "file",
}

# A chooser gets the parent and a title, returns a path or None (tests pass their own).
FileChooser = Callable[[QWidget, str], "Path | None"]


def ask_open_scan(parent: QWidget, title: str) -> Path | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, "", f"{_(FILE_FILTER)} {PATTERNS}")
    return Path(path) if path else None


def ask_folder(parent: QWidget, title: str) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title)
    return Path(path) if path else None


def ask_save(parent: QWidget, title: str, name: str) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(parent, title, name)
    return Path(path) if path else None


def _path_row(field: QLineEdit, choose: Callable[[], None]) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    button = QPushButton(_("Choose…"))
    button.clicked.connect(choose)
    row.addWidget(button)
    return holder


class AttachScanDialog(FormDialog):
    """Attach one scan (PNG, JPEG, TIFF or PDF) to a handover."""

    touches = (HANDOVER,)
    refusal_fields: ClassVar[dict[str, str]] = FILE_REFUSALS

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        handover: Any,
        *,
        choose_file: FileChooser = ask_open_scan,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Attach a scan to handover {number}").format(number=handover.label)
        super().__init__(
            runner,
            session,
            events,
            title,
            intro=_(
                "The file is kept inside the encrypted vault and its SHA-256 goes into the "
                "log. PNG, JPEG and TIFF images and PDF files are accepted."
            ),
            ok_text=_("Attach"),
            parent=parent,
        )
        self.handover = handover
        self.choose_file = choose_file
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("A scan of the signed slip"))
        self.add_field("file", _("File:"), _path_row(self.path, self._choose))
        self.fields["file"] = self.path

    def _choose(self) -> None:
        path = self.choose_file(self, _("Choose a scan"))
        if path is not None:
            self.path.setText(str(path))

    def work(self) -> Callable[[], Any]:
        text = required_text(self.path, "file")
        path = Path(text)
        if not path.is_file():
            raise FieldProblem("file", _("{name} is not a file.").format(name=path.name or text))
        service = self.app.attachments
        ref = f"{self.handover.number}/{self.handover.year}"

        def attach() -> Any:
            data = service.read_upload(path)
            return service.add("handover", ref, path.name, data)

        return attach


def _local_minute(stamp: str) -> str:
    """A stored UTC time as the clerk's computer shows it (dd/mm/yyyy hh:mm)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{max(1, round(size / 1024))} KiB"


class AttachmentsDialog(QDialog):
    """The scans of one handover: name, size, SHA-256, who and when; save a copy of one."""

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        handover: Any,
        *,
        choose_file: FileChooser = ask_open_scan,
        choose_save: Callable[[QWidget, str, str], Path | None] = ask_save,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.events = events
        self.handover = handover
        self.choose_file = choose_file
        self.choose_save = choose_save
        self.rows: list[Any] = []
        self.child: QDialog | None = None
        title = _("Scans of handover {number}").format(number=handover.label)
        self.setWindowTitle(title + " — SecretDesk")
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.addWidget(label(title, "title"))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("File"), _("Size"), _("SHA-256"), _("Added by"), _("Added at")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.table)
        layout.addWidget(self.table, 1)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton(_("Attach a scan…"))
        self.attach_button.clicked.connect(self.attach)
        self.save_button = QPushButton(_("Save a copy…"))
        self.save_button.clicked.connect(self.save_copy)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(820, 360)
        self.refresh()

    def refresh(self) -> None:
        service, ref = self.session.app.attachments, f"{self.handover.number}/{self.handover.year}"
        self.runner.submit(
            lambda: service.list("handover", ref), self._show, self._failed, context=self
        )

    def _show(self, rows: list[Any]) -> None:
        self.rows = [row for row in rows if not row.removed]
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            values = [
                row.filename,
                _size(row.size),
                row.sha256[:16] + "…",
                row.added_by,
                _local_minute(row.added_at),
            ]
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        for column in range(1, 5):  # the style's padding is not in the size hint
            wide = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            self.table.setColumnWidth(column, wide + 24)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if self.rows:
            self.table.selectRow(0)
            self.status.setText(_("Scans kept in the vault: {count}.").format(count=len(self.rows)))
        else:
            self.status.setText(_("No scan is attached to this handover yet."))
        self.save_button.setEnabled(bool(self.rows))

    def attach(self) -> None:
        dialog = AttachScanDialog(
            self.runner,
            self.session,
            self.events,
            self.handover,
            choose_file=self.choose_file,
            parent=self,
        )
        dialog.succeeded.connect(lambda _row: self.refresh())
        self.child = dialog
        dialog.open()

    def save_copy(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected or not self.rows:
            return
        row = self.rows[selected[0].row()]
        path = self.choose_save(
            self, _("Save a copy of {name}").format(name=row.filename), row.filename
        )
        if path is None:
            return
        service, attachment_id = self.session.app.attachments, row.id

        def export() -> Path:
            _row, data = service.content(attachment_id)
            path.write_bytes(data)
            return path

        self.runner.submit(
            export,
            lambda saved: self.status.setText(_("Saved to {path}.").format(path=saved)),
            self._failed,
            context=self,
        )

    def _failed(self, error: BaseException) -> None:
        self.error.show_message(error_text(error))


OUTCOME_ORDER = ("matched", "already_closed", "not_found", "forged", "no_code", "refused")


class ScanBatchDialog(FormDialog):
    """Scan-back a folder: every image and PDF in it read, matched and closed; one row each."""

    touches = (HANDOVER, COPY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Who signed the receipt?": "received_by",
        "folder": "folder",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        choose_folder: Callable[[QWidget, str], Path | None] = ask_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _("Scan-back a folder"),
            intro=_(
                "Each PNG, JPEG, TIFF or PDF file in the folder is read for its slip code; "
                "a matched handover is closed with the scan attached. Nothing is changed "
                "for a file that does not match."
            ),
            ok_text=_("Scan-back"),
            parent=parent,
        )
        self.choose_folder = choose_folder
        self.folder = QLineEdit()
        self.add_field("folder", _("Folder:"), _path_row(self.folder, self._choose))
        self.fields["folder"] = self.folder
        self.received_by = QLineEdit()
        self.add_field("received_by", _("Signed by:"), self.received_by)
        self.at = MinuteField(session.app.ctx.clock.now().astimezone())
        self.add_field("at", _("Received at:"), self.at)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("File"), _("Outcome"), _("Handover"), _("Detail")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        compact_rows(self.table)
        self.table.hide()
        self.counts = label("", wrap=True)
        self.counts.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.error), self.counts)
        layout.insertWidget(layout.indexOf(self.counts), self.table, 1)
        self.results: list[Any] = []
        self.setMinimumWidth(900)

    def _choose(self) -> None:
        path = self.choose_folder(self, _("Choose the scanner's folder"))
        if path is not None:
            self.folder.setText(str(path))

    def work(self) -> Callable[[], Any]:
        text = required_text(self.folder, "folder")
        folder = Path(text)
        if not folder.is_dir():
            raise FieldProblem("folder", _("{path} is not a folder.").format(path=text))
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ACCEPTED)
        if not files:
            raise FieldProblem("folder", _("The folder holds no image or PDF file."))
        received_by = required_text(self.received_by, "received_by")
        at = self.at.moment("at")
        service = self.app.attachments

        def scan_all() -> list[Any]:
            from secretdesk.services.attachments import ScanOutcome, ScanResult

            results = []
            for path in files:
                try:
                    data = service.read_upload(path)
                except SecretDeskError as error:
                    results.append(
                        ScanResult(path.name, ScanOutcome.REFUSED, detail=error.render())
                    )
                    continue
                results.append(service.scan_back(path.name, data, received_by, at))
            return results

        return scan_all

    def _done(self, result: Any) -> None:
        from secretdesk.services.attachments import OUTCOME_LABELS

        self._set_busy(False)
        self.result_value = self.results = list(result)
        self.events.announce(self.touched)
        self.table.setRowCount(len(self.results))
        for index, scan in enumerate(self.results):
            detail = scan.detail if isinstance(scan.detail, str) else scan.detail.render()
            values = [scan.file, translate(OUTCOME_LABELS[scan.outcome]), scan.handover, detail]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        shown = min(len(self.results), 12) + 1  # the header and up to 12 files without scrolling
        self.table.setMinimumHeight(shown * self.table.verticalHeader().defaultSectionSize() + 8)
        self.table.show()
        counted = Counter(scan.outcome.value for scan in self.results)
        parts = [
            f"{translate(OUTCOME_LABELS[outcome])}: {counted[outcome.value]}"
            for outcome in OUTCOME_LABELS
            if counted[outcome.value]
        ]
        total = len(self.results)
        message = plural(total, N_("{total} file: {parts}."), N_("{total} files: {parts}."))
        self.counts.setText(_(message).format(total=total, parts="; ".join(parts)))
        self.counts.show()
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        fit_height(self)
        self.succeeded.emit(self.results)
