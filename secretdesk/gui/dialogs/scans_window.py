"""A record's scans in their own window (issue 18): the handover's signed slip, the case's
signed minutes, a permit's report of use, an incident report; a file dropped on it is attached."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from secretdesk.gui.dialogs.evidence import EvidenceRecord, FileChooser, ask_open_scan, ask_save
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.scans import FileDrops, SaveChooser, ScansPanel
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import N_, _

TITLES = {
    "handover": N_("Scans of handover {number}"),
    "destruction": N_("Scans of destruction case {number}"),
    "permit": N_("Scans of permit #{number}"),
    "incident": N_("Scans of incident #{number}"),
}


class ScansWindow(QDialog):
    """The scans of one record, the selected one shown; drop a file here to attach it."""

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        record: EvidenceRecord,
        *,
        choose_file: FileChooser = ask_open_scan,
        choose_save: SaveChooser = ask_save,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = record.text(TITLES)
        self.setWindowTitle(title + " — SecretDesk")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.addWidget(label(title, "title"))
        self.panel = ScansPanel(
            runner,
            session,
            events,
            record,
            choose_file=choose_file,
            choose_save=choose_save,
            parent=self,
        )
        layout.addWidget(self.panel, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        self.panel.buttons.addWidget(close)
        FileDrops(self, lambda path, _where: self.attach(path))
        self.resize(1200, 620)

    def attach(self, path: Path | None = None) -> None:
        self.panel.attach(path)
