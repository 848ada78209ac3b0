"""Drafts (Dự thảo) page: drafts by status; add, new version, finalise into an outgoing item
(the registration form filled from the draft), destroy."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.drafts import Draft
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.drafts import DestroyDraftDialog, DraftDialog
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import day, level_name, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import label, record_table
from secretdesk.gui.write import DRAFT, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.i18n import label as label_of
from secretdesk.services.drafts import STATUS_LABELS

INTRO = N_(
    "Every draft of a secret document is numbered and kept until it is finalised into an "
    "outgoing item or destroyed."
)
ALL_STATUSES = N_("All drafts")
SHOWN = N_("{count} drafts.")
SHOWN_ONE = N_("{count} draft.")

NUMBER, TITLE, VERSION, LEVEL, DRAFTER, DRAFTED, STATUS = range(7)


class DraftsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("Number"),
        TITLE: N_("Title"),
        VERSION: N_("Version"),
        LEVEL: N_("Proposed level"),
        DRAFTER: N_("Drafted by"),
        DRAFTED: N_("Drafted on"),
        STATUS: N_("Status"),
    }

    def draft_at(self, row: int) -> Draft:
        draft: Draft = self._rows[row]
        return draft

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        draft: Draft | None = self.row_object(index)
        if draft is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        values = {
            NUMBER: draft.label,
            TITLE: draft.title,
            VERSION: str(draft.version),
            LEVEL: level_name(draft.proposed_level),
            DRAFTER: draft.drafter or "—",
            DRAFTED: day(draft.drafted_on),
            STATUS: sentence(str(label_of(STATUS_LABELS, draft.status))),
        }
        return values.get(column)


class DraftsPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(_("Drafts"), "title"), 1)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_(ALL_STATUSES), None)
        for status, caption in STATUS_LABELS.items():
            self.status_filter.addItem(sentence(_(caption)), status)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.status_filter, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(label(_(INTRO), "muted"))
        actions = QHBoxLayout()
        self.add_button = QPushButton(_("Add a draft…"))
        self.add_button.clicked.connect(self.new_record)
        self.version_button = QPushButton(_("New version…"))
        self.version_button.clicked.connect(self.new_version)
        self.finalise_button = QPushButton(_("Finalise…"))
        self.finalise_button.clicked.connect(self.finalise)
        self.destroy_button = QPushButton(_("Destroy…"))
        self.destroy_button.clicked.connect(self.destroy_draft)
        writer = self._app.actor.can(Permission.RECORD)
        for button in (
            self.add_button,
            self.version_button,
            self.finalise_button,
            self.destroy_button,
        ):
            button.setVisible(writer)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.model = DraftsModel(self)
        self.table = record_table(self.model, stretch=(TITLE,))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.status = label("", "muted", wrap=False)
        layout.addWidget(self.status)
        events.changed.connect(self._vault_changed)
        self._update_buttons()

    def refresh(self) -> None:
        drafts, status = self._app.drafts, self.status_filter.currentData()
        self.model.load(
            self._runner, lambda: drafts.list(status), self._show, self._failed, context=self
        )

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if DRAFT in entities and self.isVisible():
            self.refresh()

    def _show(self, rows: list[Draft]) -> None:
        self.model.set_rows(rows)
        self.status.setText(translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(count=len(rows)))
        self._update_buttons()
        self.loaded.emit(len(rows))

    def selected(self) -> Draft | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.draft_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        draft = self.selected()
        working = draft is not None and draft.status == "working"
        self.version_button.setEnabled(working)
        self.finalise_button.setEnabled(working)
        self.destroy_button.setEnabled(draft is not None and draft.status != "destroyed")

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def new_record(self) -> None:
        if self._app.actor.can(Permission.RECORD):
            self._open(DraftDialog(self._runner, self.session, self.events, parent=self))

    def new_version(self) -> None:
        draft = self.selected()
        if draft is not None:
            self._open(
                DraftDialog(self._runner, self.session, self.events, previous=draft, parent=self)
            )

    def finalise(self) -> None:
        draft = self.selected()
        if draft is not None:
            self._open(
                RegisterItemDialog(
                    self._runner, self.session, self.events, draft=draft, parent=self
                )
            )

    def destroy_draft(self) -> None:
        draft = self.selected()
        if draft is not None:
            self._open(
                DestroyDraftDialog(self._runner, self.session, self.events, draft, parent=self)
            )

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
