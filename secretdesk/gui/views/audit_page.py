"""Audit page: the latest events of the audit chain, newest first."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.models import audit_model
from secretdesk.gui.models.audit_model import AuditEvent, AuditTableModel
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import label
from secretdesk.i18n import N_, _

LATEST = 200
INTRO = N_(
    "The latest {limit} events, newest first. Every change in the vault is recorded here, "
    "chained so that no event can be altered or removed unnoticed."
)


class AuditPage(QWidget):
    loaded = Signal(int)  # number of events shown
    failed = Signal(str)  # a message for the window to show

    def __init__(self, runner: Runner, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._audit = session.app.audit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(label(_("Audit log"), "title"), 1)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(label(_(INTRO).format(limit=LATEST), "muted"))

        self.model = AuditTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(audit_model.SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(audit_model.SEQ, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (audit_model.SEQ, audit_model.TIME, audit_model.ACTOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(audit_model.ACTION, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(audit_model.OBJECT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(audit_model.DETAIL, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(audit_model.ACTION, 260)
        header.resizeSection(audit_model.OBJECT, 160)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        audit = self._audit
        self._runner.submit(
            lambda: audit.events(limit=LATEST), self._show, self._failed, context=self
        )

    def _show(self, events: list[AuditEvent]) -> None:
        self.refresh_button.setEnabled(True)
        self.model.set_rows(events)
        self.loaded.emit(len(events))

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.failed.emit(error_text(error))
