"""Audit page: the latest events of the audit chain, newest first."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.models import audit_model
from secretdesk.gui.models.audit_model import AuditEvent, AuditTableModel
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LoadingOverlay, label
from secretdesk.gui.widgets.fields import DayField
from secretdesk.gui.write import FieldProblem
from secretdesk.i18n import N_, _

LATEST = 200
SEARCHED = 5000  # events looked through for the user and date filters
ACTION_GROUPS = {
    "": N_("All actions"),
    "item.": N_("Items"),
    "entry.": N_("Register entries"),
    "copy.": N_("Copying"),
    "handover.": N_("Handovers"),
    "print.": N_("Printing"),
    "draft.": N_("Drafts"),
    "session.": N_("Sessions"),
    "auth.": N_("Countersignatures"),
    "user.": N_("Users"),
    "export.": N_("Exports"),
}


def load_events(audit: Any, prefix: str, user: str, since: date | None) -> list[AuditEvent]:
    """The latest events of an action group, one user and from a day on (runs on the worker)."""
    if not user and since is None:
        return list(audit.events(limit=LATEST, action_prefix=prefix or None))
    found = []
    for event in reversed(audit.events(limit=SEARCHED, action_prefix=prefix or None)):
        if user and event.actor != user:
            continue
        if since is not None and _day(event) < since:
            break
        found.append(event)
        if len(found) == LATEST:
            break
    return list(reversed(found))


def _day(event: AuditEvent) -> date:
    return datetime.fromisoformat(event.at_utc).astimezone().date()


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
        self.action_filter = QComboBox()
        for prefix, caption in ACTION_GROUPS.items():
            self.action_filter.addItem(_(caption), prefix)
        self.action_filter.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.action_filter, 0, Qt.AlignmentFlag.AlignBottom)
        self.user_filter = QLineEdit()
        self.user_filter.setPlaceholderText(_("User"))
        self.user_filter.setMaximumWidth(140)
        self.user_filter.returnPressed.connect(self.refresh)
        top.addWidget(self.user_filter, 0, Qt.AlignmentFlag.AlignBottom)
        self.since_filter = DayField()
        self.since_filter.setToolTip(_("From this day on"))
        self.since_filter.setMinimumWidth(150)
        self.since_filter.returnPressed.connect(self.refresh)
        top.addWidget(self.since_filter, 0, Qt.AlignmentFlag.AlignBottom)
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
        LoadingOverlay.install(self.table)
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
        prefix = str(self.action_filter.currentData() or "")
        user = self.user_filter.text().strip()
        try:
            since = self.since_filter.day("since")
        except FieldProblem as problem:
            self.refresh_button.setEnabled(True)
            self.failed.emit(problem.message)
            return
        self.model.load(
            self._runner,
            lambda: load_events(audit, prefix, user, since),
            self._show,
            self._failed,
            context=self,
        )

    def focus_search(self) -> None:
        self.user_filter.setFocus()

    def _show(self, events: list[AuditEvent]) -> None:
        self.refresh_button.setEnabled(True)
        self.model.set_rows(events)
        self.loaded.emit(len(events))

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.failed.emit(error_text(error))
