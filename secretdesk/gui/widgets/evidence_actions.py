"""The evidence actions every record page shares (issue 18): "Attach a scan…", "Scans…", and a
file dropped on a row of the page's table, which opens the same attach dialog filled with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDialog, QPushButton, QTableView, QWidget

from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.evidence import AttachScanDialog, EvidenceRecord
from secretdesk.gui.dialogs.scans_window import ScansWindow
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.scans import FileDrops
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import N_, _

DROP_TIP = N_("Drop a scan on a row to attach it to that record.")


class EvidenceActions:
    """Two buttons and the drops on ``table`` for the record ``current()`` names; each
    dialog opens through ``opened`` (the page keeps it as ``page.dialog``)."""

    def __init__(
        self,
        page: QWidget,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        table: QTableView,
        current: Callable[[], EvidenceRecord | None],
        opened: Callable[[QDialog], None],
    ) -> None:
        self.page = page
        self.runner = runner
        self.session = session
        self.events = events
        self.table = table
        self.current = current
        self.opened = opened
        self.writer = session.app.actor.can(Permission.RECORD)
        self.attach_button = QPushButton(_("Attach a scan…"))
        self.attach_button.clicked.connect(lambda: self.attach())
        self.attach_button.setVisible(self.writer)  # absent, not an error, for who may not
        self.scans_button = QPushButton(_("Scans…"))
        self.scans_button.clicked.connect(self.show_scans)
        if self.writer:
            FileDrops(table.viewport(), self.dropped)
            table.setToolTip(_(DROP_TIP))
        self.update()

    def buttons(self) -> tuple[QPushButton, QPushButton]:
        return self.attach_button, self.scans_button

    def update(self) -> None:
        chosen = self.current() is not None
        self.attach_button.setEnabled(chosen)
        self.scans_button.setEnabled(chosen)

    def attach(self, path: Path | None = None) -> None:
        record = self.current()
        if record is None or not self.writer:
            return
        self.opened(
            AttachScanDialog(
                self.runner, self.session, self.events, record, path=path, parent=self.page
            )
        )

    def show_scans(self) -> None:
        record = self.current()
        if record is not None:
            self.opened(
                ScansWindow(self.runner, self.session, self.events, record, parent=self.page)
            )

    def dropped(self, path: Path, where: QPoint) -> None:
        """A file dropped on a row: that row's record is chosen and the dialog opens filled."""
        index = self.table.indexAt(where)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.attach(path)
