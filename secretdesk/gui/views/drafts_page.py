"""Drafts (Dự thảo) page: drafts by status; add, new version, finalise into an outgoing item
(the registration form filled from the draft), destroy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from secretdesk.domain.drafts import Draft
from secretdesk.gui.dialogs.drafts import DestroyDraftDialog, DraftDialog
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import day, level_name, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage
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


class DraftsPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({DRAFT})
    model: DraftsModel

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, session, events, parent)
        self.status_filter = self.choice_filter(
            _(ALL_STATUSES),
            ((status, sentence(_(caption))) for status, caption in STATUS_LABELS.items()),
            self.refresh,
        )
        self.heading(_("Drafts"), _(INTRO), self.status_filter)
        self.add_button = self.button(_("Add a draft…"), self.new_record, writer=True)
        self.version_button = self.button(_("New version…"), self.new_version, writer=True)
        self.finalise_button = self.button(_("Finalise…"), self.finalise, writer=True)
        self.destroy_button = self.button(_("Destroy…"), self.destroy_draft, writer=True)
        self.button_row(
            self.add_button, self.version_button, self.finalise_button, self.destroy_button
        )
        self.model = DraftsModel(self)
        self.table = self.add_table(self.model, stretch=(TITLE,))
        self.status = self.add_status()
        self.watch_vault()

    def loader(self) -> Callable[[], list[Draft]]:
        drafts, status = self._app.drafts, self.status_filter.currentData()
        return lambda: drafts.list(status)

    def _show(self, rows: list[Draft]) -> None:
        with self.selection_kept(lambda draft: draft.id):
            self.model.set_rows(rows)
        self.status.setText(translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(count=len(rows)))
        self.rows_shown(len(rows))

    def _update_buttons(self, *_args: object) -> None:
        draft: Draft | None = self.selected()
        working = draft is not None and draft.status == "working"
        self.version_button.setEnabled(working)
        self.finalise_button.setEnabled(working)
        self.destroy_button.setEnabled(draft is not None and draft.status != "destroyed")

    def new_record(self) -> None:
        if self.may_record:
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
