"""Audit page: the latest events of the audit chain, newest first."""

from __future__ import annotations

from datetime import date
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
from secretdesk.gui.models.formats import register_name
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LoadingOverlay, label
from secretdesk.gui.widgets.fields import DayField
from secretdesk.gui.write import FieldProblem
from secretdesk.i18n import N_, _

LATEST = 200
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


def load_events(
    audit: Any, prefix: str, user: str, since: date | None
) -> tuple[list[AuditEvent], int]:
    """The latest events of an action group, one user and from a day on (runs on the
    worker), and how many events of that whole selection clearance left out."""
    events, left_out = audit.visible_events(
        limit=LATEST, action_prefix=prefix or None, actor=user or None, since=since
    )
    return list(events), int(left_out)


def entry_names(items: Any, events: list[AuditEvent]) -> dict[str, str]:
    """The register entry of each item the events name, as the clerk knows it (worker)."""
    ids = {int(e.entity_id) for e in events if e.entity == "item" and e.entity_id.isdigit()}
    return {
        str(item_id): f"{register_name(kind)} {number}/{year}"
        for item_id, (kind, number, year) in items.entries(ids).items()
    }


def load_page(app: Any, prefix: str, user: str, since: date | None) -> tuple[Any, int, Any]:
    events, left_out = load_events(app.audit, prefix, user, since)
    return events, left_out, entry_names(app.items, events)


INTRO = N_(
    "The latest {limit} events, newest first. Every change in the vault is recorded here, "
    "chained so that no event can be altered or removed unnoticed."
)


# The same words as the item lists and the CLI's `audit list`.
LEFT_OUT = N_("Records above your clearance left out: {count}.")


class AuditPage(QWidget):
    loaded = Signal(int)  # number of events shown
    failed = Signal(str)  # a message for the window to show

    def __init__(self, runner: Runner, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._app = session.app
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
        header.resizeSection(audit_model.OBJECT, 190)  # "lần giao nhận 519/2026" whole
        layout.addWidget(self.table, 1)
        self.left_out = label("", "muted")
        self.left_out.hide()
        layout.addWidget(self.left_out)

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        prefix = str(self.action_filter.currentData() or "")
        user = self.user_filter.text().strip()
        try:
            since = self.since_filter.day("since")
        except FieldProblem as problem:
            self.refresh_button.setEnabled(True)
            self.failed.emit(problem.message)
            return
        app = self._app
        self.model.load(
            self._runner,
            lambda: load_page(app, prefix, user, since),
            self._show,
            self._failed,
            context=self,
        )

    def focus_search(self) -> None:
        self.user_filter.setFocus()

    def _show(self, loaded: tuple[list[AuditEvent], int, dict[str, str]]) -> None:
        events, left_out, entries = loaded
        self.refresh_button.setEnabled(True)
        self.model.set_entries(entries)
        self.model.set_rows(events)
        self.left_out.setText(_(LEFT_OUT).format(count=left_out))
        self.left_out.setVisible(left_out > 0)
        self.loaded.emit(len(events))

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.failed.emit(error_text(error))
