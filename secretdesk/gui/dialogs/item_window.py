"""One register entry in its own window: copies, custody history, protection, and what to do.

Opened with Enter or a double-click on the registers page. The actions open their own dialogs
(gui/write.py); after any change the window reloads itself from the "vault changed" signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk import i18n
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CustodyAction
from secretdesk.domain.items import Item
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.classification import (
    ChangeLevelDialog,
    DeclassifyDialog,
    ExtendDialog,
    Target,
)
from secretdesk.gui.dialogs.copying import CopyRequestDialog
from secretdesk.gui.dialogs.handover import HandoverDialog, Pickable
from secretdesk.gui.dialogs.incidents import ReportIncidentDialog
from secretdesk.gui.dialogs.opening import ConfirmOpeningDialog
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.copies_model import CopiesTableModel
from secretdesk.gui.models.formats import (
    copy_label,
    day,
    level_name,
    local_minute,
    register_name,
)
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import ErrorLabel, compact_rows, label
from secretdesk.gui.widgets.item_panel import expiry_message
from secretdesk.gui.write import COPY, ENTRY, HANDOVER, ITEM, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.items import ItemDetails

HEADING = N_("{symbol} — entry {number}/{year}")
HISTORY_LINE = N_("{time}: {copy} {action} — {holder} ({actor})")
CANCEL_TITLE = N_("Cancel the register entry")
CANCEL_INTRO = N_(
    "A cancelled entry keeps its number and shows as cancelled; nothing is deleted. "
    "The reason is recorded in the audit log."
)
CHOOSE_COPIES = N_("Select the copies to hand over in the list above.")
CREATED = N_("registered")
UNOPENED = N_("Unopened: only {name} may open the envelope")
OPENED = N_("Opened by the named addressee ({name}) on {time}")
ENTRY_TEXT = N_("{register} {number}/{year}")


class PreviewOpener(Protocol):
    """(title, render, suggested file name) -> opens a print preview; ``evidence`` (an
    EvidenceRecord) shows that record's scans beside the pages."""

    def __call__(
        self, title: str, render: Callable[[], bytes], suggested: str, *, evidence: Any = None
    ) -> None: ...


class CancelEntryDialog(RecordFormDialog):
    touches = (ENTRY, ITEM)
    refusal_fields: ClassVar[dict[str, str]] = {
        "A cancellation needs a reason.": "reason",
        "The entry is already cancelled.": "reason",
        "register.locked": "reason",
    }
    title_id, intro_id, ok_id = CANCEL_TITLE, CANCEL_INTRO, N_("Cancel the entry")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        item: Item,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner, session, events, _(HEADING).format(**_heading(item)), parent=parent
        )
        self.item = item
        self.reason = QLineEdit()
        self.add_field("reason", _("Reason:"), self.reason)

    def work(self) -> Callable[[], Any]:
        item, reason, registry = self.item, self.reason.text(), self.app.registry
        return lambda: registry.cancel(item.book_kind, item.year, item.number, reason)


def _heading(item: Item) -> dict[str, object]:
    return {"symbol": item.number_symbol, "number": item.number, "year": item.year}


def custody_action(action: str) -> str:
    if action == "create":
        return _(CREATED)
    try:
        return CustodyAction(action).label(i18n.current_language())
    except ValueError:
        return action


def history_text(history: list[tuple[Copy, list[dict[str, Any]]]]) -> str:
    lines = []
    for copy, events in history:
        for event in events:
            lines.append(
                _(HISTORY_LINE).format(
                    time=local_minute(event["at_utc"]),
                    copy=copy_label(copy.kind, copy.number),
                    action=custody_action(event["action"]),
                    holder=event["holder"],
                    actor=event["actor"],
                )
            )
    return "\n".join(lines)


class ItemWindow(QDialog):
    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        item_id: int,
        *,
        open_preview: PreviewOpener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.app = session.app
        self.events = events
        self.item_id = item_id
        self.details: ItemDetails | None = None
        self._open_preview = open_preview
        self.dialog: QDialog | None = None  # the action dialog open now (tests drive it)
        self.setWindowTitle(_("Register entry") + " — SecretDesk")
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        self.heading = label(_("Loading…"), "title")
        layout.addWidget(self.heading)
        self.facts = label("", selectable=True)
        layout.addWidget(self.facts)
        self.expiry = label("")
        layout.addWidget(self.expiry)
        layout.addWidget(label(_("Copies"), "section"))
        self.copies_model = CopiesTableModel(self)
        self.copies = QTableView()
        self.copies.setModel(self.copies_model)
        self.copies.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.copies.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.copies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.copies.verticalHeader().hide()
        compact_rows(self.copies)
        self.copies.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.copies, 1)
        layout.addWidget(label(_("Custody history"), "section"))
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        layout.addWidget(self.history, 1)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        # What is done to copies on the first row, decisions on the entry on the second; an
        # action the user may not do is absent (every one needs the right to record).
        copy_actions, entry_actions = QHBoxLayout(), QHBoxLayout()
        self.handover_button = self._button(_("Hand over selected copies…"), self.hand_over)
        self.copy_button = self._button(_("Request a reproduction…"), self.request_copy)
        self.labels_button = self._button(_("Print copy labels…"), self.print_labels)
        self.incident_button = self._button(_("Report an incident…"), self.report_incident)
        self.level_button = self._button(_("Change the level…"), self.change_level)
        self.extend_button = self._button(_("Extend the protection…"), self.extend)
        self.declassify_button = self._button(_("Declassify…"), self.declassify)
        self.opening_button = self._button(_("Confirm opening…"), self.confirm_opening)
        self.cancel_button = self._button(_("Cancel the entry…"), self.cancel_entry)
        writer = self.app.actor.can(Permission.RECORD)
        for row, buttons in (
            (copy_actions, self.copy_buttons()),
            (entry_actions, self.entry_buttons()),
        ):
            for button in buttons:
                button.setVisible(writer)
                row.addWidget(button)
            row.addStretch(1)
        self.opening_button.setVisible(False)  # shown for an unopened envelope only
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        entry_actions.addWidget(close)
        layout.addLayout(copy_actions)
        layout.addLayout(entry_actions)
        events.changed.connect(self._vault_changed)
        self.reload()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def copy_buttons(self) -> tuple[QPushButton, ...]:
        return (self.handover_button, self.copy_button, self.labels_button, self.incident_button)

    def entry_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.level_button,
            self.extend_button,
            self.declassify_button,
            self.opening_button,
            self.cancel_button,
        )

    # -- loading -----------------------------------------------------------------------
    def reload(self) -> None:
        items, item_id = self.app.items, self.item_id
        self.runner.submit(
            lambda: (items.show(item_id), items.custody_history(item_id)),
            self._show,
            self._failed,
            context=self,
        )

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & {ITEM, COPY, HANDOVER, ENTRY}:
            self.reload()

    def _show(self, result: tuple[ItemDetails, list[tuple[Copy, list[dict[str, Any]]]]]) -> None:
        details, history = result
        self.details = details
        item: Item = details.item
        self.heading.setText(_(HEADING).format(**_heading(item)))
        facts = [register_name(item.book_kind), level_name(item.level), day(item.doc_date)]
        facts += [part for part in (item.doc_type, item.issuer) if part]
        if item.cancelled:
            facts.append(_("Cancelled"))
        if item.unopened:
            facts.append(_(UNOPENED).format(name=item.named_addressee))
        elif item.named_addressee and item.addressee_opened_at:
            facts.append(
                _(OPENED).format(
                    name=item.named_addressee, time=local_minute(item.addressee_opened_at)
                )
            )
        self.facts.setText(" · ".join(facts))
        text, role = expiry_message(details.expiry)
        self.expiry.setText(text)
        mark(self.expiry, role)
        self.copies_model.set_rows(details.copies)
        self.history.setPlainText(history_text(history))
        for button in self.copy_buttons() + self.entry_buttons():
            if button is not self.labels_button:
                button.setEnabled(not item.cancelled)
        self.opening_button.setVisible(self.app.actor.can(Permission.RECORD) and item.unopened)

    def _failed(self, error: BaseException) -> None:
        self.error.show_message(error_text(error))

    # -- actions -----------------------------------------------------------------------
    def selected_copies(self) -> list[Copy]:
        rows = sorted(index.row() for index in self.copies.selectionModel().selectedRows())
        return [self.copies_model._rows[row] for row in rows]

    def select_copies(self, numbers: list[int], kind: str = "original") -> None:
        self.copies.clearSelection()
        mode = self.copies.selectionMode()
        self.copies.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row, copy in enumerate(self.copies_model._rows):
            if copy.kind == kind and copy.number in numbers:
                self.copies.selectRow(row)
        self.copies.setSelectionMode(mode)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def hand_over(self) -> None:
        if self.details is None:
            return
        chosen = self.selected_copies()
        if not chosen:
            self.error.show_message(_(CHOOSE_COPIES))
            return
        self.error.clear_message()
        item = self.details.item
        preselected = [Pickable(item, copy) for copy in chosen]
        self._open(
            HandoverDialog(
                self.runner,
                self.session,
                self.events,
                preselected=preselected,
                search=f"{item.number}/{item.year}",
                parent=self,
            )
        )

    def request_copy(self) -> None:
        if self.details is None:
            return
        chosen = self.selected_copies()
        self._open(
            CopyRequestDialog(
                self.runner,
                self.session,
                self.events,
                self.details.item,
                self.details.copies,
                source_id=chosen[0].id if chosen else None,
                parent=self,
            )
        )

    def cancel_entry(self) -> None:
        if self.details is None:
            return
        self._open(
            CancelEntryDialog(
                self.runner, self.session, self.events, self.details.item, parent=self
            )
        )

    def target(self) -> Target | None:
        if self.details is None:
            return None
        item: Item = self.details.item
        entry = _(ENTRY_TEXT).format(
            register=register_name(item.book_kind), number=item.number, year=item.year
        )
        return Target(item.id, entry, item.number_symbol, item.level)

    def change_level(self) -> None:
        target = self.target()
        if target is not None:
            self._open(
                ChangeLevelDialog(self.runner, self.session, self.events, target, parent=self)
            )

    def extend(self) -> None:
        target = self.target()
        if target is not None:
            self._open(ExtendDialog(self.runner, self.session, self.events, target, parent=self))

    def declassify(self) -> None:
        target = self.target()
        if target is not None:
            self._open(
                DeclassifyDialog(self.runner, self.session, self.events, target, parent=self)
            )

    def report_incident(self) -> None:
        """The incident dialog of the incidents page, showing this entry's copies, with the
        copy selected here ticked."""
        if self.details is None:
            return
        item = self.details.item
        self._open(
            ReportIncidentDialog(
                self.runner,
                self.session,
                self.events,
                copies=[Pickable(item, copy) for copy in self.details.copies],
                chosen=[Pickable(item, copy) for copy in self.selected_copies()[:1]],
                search=f"{item.number}/{item.year}",
                parent=self,
            )
        )

    def confirm_opening(self) -> None:
        if self.details is None:
            return
        self._open(
            ConfirmOpeningDialog(
                self.runner, self.session, self.events, self.details.item, parent=self
            )
        )

    def print_labels(self) -> None:
        if self.details is None or self._open_preview is None:
            return
        item_id, printing = self.item_id, self.app.printing
        self._open_preview(
            _("Copy labels"),
            lambda: printing.copy_labels(item_id),
            f"labels-item-{item_id}.pdf",
        )
