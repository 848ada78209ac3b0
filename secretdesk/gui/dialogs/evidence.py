"""Evidence (issue 18): attach a scan to a record, remove one with a reason, scan-back a folder.

Every call to the vault runs on the one worker; refusals (wrong type, too large, unreadable)
show next to the file field, and nothing is changed for a refused file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
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
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import compact_rows, fit_height, label
from secretdesk.gui.widgets.fields import MinuteField, required_text
from secretdesk.gui.write import COPY, HANDOVER, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _, plural, translate

ATTACHMENT = "attachment"  # the entity a change of scans touches
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


@dataclass(frozen=True)
class EvidenceRecord:
    """A record a scan can be attached to, as the attachment service names it."""

    kind: str  # an EvidenceOf value: handover, destruction, permit, incident
    ref: str  # N/YYYY for a handover or a destruction case, N for a permit or an incident
    label: str  # as the clerk reads it: 3/2026, 7

    @classmethod
    def handover(cls, row: Any) -> EvidenceRecord:
        return cls("handover", f"{row.number}/{row.year}", str(row.label))

    @classmethod
    def destruction(cls, case: Any) -> EvidenceRecord:
        return cls("destruction", f"{case.number}/{case.year}", str(case.label))

    @classmethod
    def permit(cls, permit_id: int) -> EvidenceRecord:
        return cls("permit", str(permit_id), str(permit_id))

    @classmethod
    def incident(cls, incident_id: int) -> EvidenceRecord:
        return cls("incident", str(incident_id), str(incident_id))

    def text(self, messages: dict[str, str]) -> str:
        return _(messages[self.kind]).format(number=self.label)


ATTACH_TITLES = {
    "handover": N_("Attach a scan to handover {number}"),
    "destruction": N_("Attach a scan to destruction case {number}"),
    "permit": N_("Attach a scan to permit #{number}"),
    "incident": N_("Attach a scan to incident #{number}"),
}
WHAT_TO_SCAN = {
    "handover": N_("A scan of the signed slip"),
    "destruction": N_("A scan of the signed minutes or of the decision"),
    "permit": N_("A scan of the report of use"),
    "incident": N_("A scan of the incident report"),
}


def refused_before_reading(path: Path) -> str:
    """The service's own refusal of a file whose name is not an accepted kind, or ""."""
    if path.suffix.lower() in ACCEPTED:
        return ""
    from secretdesk.services.attachments import NotAcceptedFile

    return NotAcceptedFile(name=path.name).render()


class AttachScanDialog(FormDialog):
    """Attach one scan (PNG, JPEG, TIFF or PDF) to a handover, a destruction case, a permit
    or an incident; ``path`` fills the file field (a file dropped on the record)."""

    touches = (HANDOVER,)
    refusal_fields: ClassVar[dict[str, str]] = FILE_REFUSALS

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        record: EvidenceRecord,
        *,
        path: Path | None = None,
        choose_file: FileChooser = ask_open_scan,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            record.text(ATTACH_TITLES),
            intro=_(
                "The file is kept inside the encrypted vault and its SHA-256 goes into the "
                "log. PNG, JPEG and TIFF images and PDF files are accepted."
            ),
            ok_text=_("Attach"),
            parent=parent,
        )
        self.record = record
        self.touched = (record.kind, ATTACHMENT)  # the page of the record, its scans
        self.choose_file = choose_file
        self.path = QLineEdit()
        self.path.setPlaceholderText(_(WHAT_TO_SCAN[record.kind]))
        self.add_field("file", _("File:"), _path_row(self.path, self._choose))
        self.fields["file"] = self.path
        if path is not None:
            self.path.setText(str(path))
            refusal = refused_before_reading(path)
            if refusal:  # said at once, as the service would say it on Attach
                self.field_errors["file"].show_message(refusal)

    def _choose(self) -> None:
        path = self.choose_file(self, _("Choose a scan"))
        if path is not None:
            self.path.setText(str(path))
            self.field_errors["file"].clear_message()

    def work(self) -> Callable[[], Any]:
        text = required_text(self.path, "file")
        path = Path(text)
        if not path.is_file():
            raise FieldProblem("file", _("{name} is not a file.").format(name=path.name or text))
        service, kind, ref = self.app.attachments, self.record.kind, self.record.ref

        def attach() -> Any:
            data = service.read_upload(path)
            return service.add(kind, ref, path.name, data)

        return attach


class RemoveAttachmentDialog(FormDialog):
    """Remove a scan: the bytes go, the record of it and its SHA-256 stay, with the reason."""

    touches = (ATTACHMENT,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Say why the attachment is removed.": "reason",
        "attachment.removed": "reason",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        attachment: Any,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _("Remove the scan {name}").format(name=attachment.filename),
            intro=_(
                "The file is removed from the vault. Its name, size and SHA-256 stay in the "
                "list and in the log, with who removed it, when and why."
            ),
            ok_text=_("Remove"),
            parent=parent,
        )
        self.attachment = attachment
        shown = label(f"{attachment.filename} — SHA-256 {attachment.sha256}", selectable=True)
        self.add_field("scan", _("Scan:"), shown)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("For example: scanned the wrong page"))
        self.add_field("reason", _("Reason:"), self.reason)

    def work(self) -> Callable[[], Any]:
        reason = self.reason.text()
        service, attachment_id = self.app.attachments, self.attachment.id
        return lambda: service.remove(attachment_id, reason)


def local_minute_text(stamp: str) -> str:
    """A stored UTC time as the clerk's computer shows it (dd/mm/yyyy hh:mm)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{max(1, round(size / 1024))} KiB"


OUTCOME_ORDER = ("matched", "already_closed", "not_found", "forged", "no_code", "refused")


class ScanBatchDialog(FormDialog):
    """Scan-back a folder: every image and PDF in it read, matched and closed; one row each."""

    touches = (HANDOVER, COPY, ATTACHMENT)
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
        self.setMinimumWidth(1100)  # the detail of a refused file is long in Vietnamese

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
