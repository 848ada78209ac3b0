"""The one pattern every form that writes to the vault follows.

- One dialog per use case, built in code (``FormDialog`` subclasses in gui/dialogs/).
- The service call runs on the one worker (gui/tasks.py); the dialog stays open meanwhile.
- A refusal is shown next to the field it concerns: each dialog maps refusal codes (and, for the
  generic ``request.invalid``, the English id of the reason) to a field name; anything else
  shows above the buttons. The service call is one transaction, so nothing was changed.
- After a change the dialog announces on ``VaultEvents`` which entities it touched; every open
  page refreshes only when it shows one of them (Anki's CollectionOp does the same).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from secretdesk.errors import SecretDeskError
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, fit_height, label
from secretdesk.i18n import LazyText, _

# The entities a change may touch (the names pages listen for).
ITEM, COPY, REPRODUCTION, HANDOVER, DRAFT, ENTRY, AUDIT = (
    "item",
    "copy",
    "reproduction",
    "handover",
    "draft",
    "entry",
    "audit",
)


class VaultEvents(QObject):
    """The single "vault changed" signal of a session, naming the entities touched."""

    changed = Signal(object)  # frozenset[str]

    def announce(self, entities: Iterable[str]) -> None:
        # Every change writes an audit event, so the audit page is always concerned.
        self.changed.emit(frozenset(entities) | {AUDIT})


def refusal_keys(error: BaseException) -> list[str]:
    """What a refusal can be recognised by: its stable code, then the id of its reason."""
    if not isinstance(error, SecretDeskError):
        return []
    keys = [error.code]
    reason = error.params.get("reason")
    if isinstance(reason, LazyText):
        keys.append(reason.message)
    return keys


class FieldProblem(Exception):
    """Raised by ``FormDialog.work`` when an entry cannot even be read (a bad number)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FormDialog(QDialog):
    """A dialog for one use case: fields, an inline error under each, OK runs the service."""

    succeeded = Signal(object)  # what the service returned
    refused = Signal(str, str)  # field name ("" when none), message

    touches: ClassVar[tuple[str, ...]] = ()
    refusal_fields: ClassVar[dict[str, str]] = {}  # refusal code or reason id -> field name

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        title: str,
        *,
        intro: str = "",
        ok_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.app = session.app
        self.events = events
        self.result_value: Any = None
        self.setWindowTitle(title + " — SecretDesk")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(label(title, "title"))
        if intro:
            layout.addWidget(label(intro, "muted"))
        self.top = QVBoxLayout()
        self.top.setSpacing(8)
        layout.addLayout(self.top)
        self._columns = QHBoxLayout()
        self._columns.setSpacing(24)
        layout.addLayout(self._columns)
        self.form = self._new_form()
        self.current_form = self.form
        self.error = ErrorLabel()  # a refusal that concerns no single field
        layout.addWidget(self.error)
        self.busy = BusyBar()
        layout.addWidget(self.busy)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text or _("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {}
        self.touched: tuple[str, ...] = self.touches
        self.form.setVerticalSpacing(6)
        self.field_errors: dict[str, ErrorLabel] = {}

    # -- building ----------------------------------------------------------------------
    def _new_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(6)
        self._columns.addLayout(form, 1)
        return form

    def use_second_column(self) -> None:
        """Later fields go into a column on the right (long forms fit a 1366x768 screen)."""
        self.current_form = self._new_form()

    def add_field(self, name: str, caption: str, widget: QWidget, hint: str = "") -> QWidget:
        """A form row: the widget, an optional hint and its own (hidden) error below it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(widget)
        widget.setMinimumWidth(max(widget.minimumWidth(), 220))
        if hint:
            column.addWidget(label(hint, "muted"))
        error = ErrorLabel()
        column.addWidget(error)
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        self.current_form.addRow(caption_label, holder)
        self.fields[name] = widget
        self.field_errors[name] = error
        return widget

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)  # wrapped intros and hints need more than the size hint says

    # -- running -----------------------------------------------------------------------
    def work(self) -> Callable[[], Any]:
        """The service call for what the fields say (runs on the worker); may raise
        ``FieldProblem`` before anything is sent."""
        raise NotImplementedError

    def clear_errors(self) -> None:
        self.error.clear_message()
        for error in self.field_errors.values():
            error.clear_message()

    def show_refusal(self, field: str, message: str) -> None:
        target = self.field_errors.get(field)
        if target is None:
            self.error.show_message(message)
        else:
            target.show_message(message)
            self.fields[field].setFocus()
        self.refused.emit(field if target is not None else "", message)

    def field_for(self, error: BaseException) -> str:
        for key in refusal_keys(error):
            if key in self.refusal_fields:
                return self.refusal_fields[key]
        return ""

    def submit(self) -> None:
        if self.busy.isVisible():
            return
        self.clear_errors()
        try:
            work = self.work()
        except FieldProblem as problem:
            self.show_refusal(problem.field, problem.message)
            return
        except SecretDeskError as error:
            self.show_refusal(self.field_for(error), error.render())
            return
        self._set_busy(True)
        self.runner.submit(work, self._done, self._failed, context=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.ok_button.setEnabled(not busy)

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.result_value = result
        self.events.announce(self.touched)
        self.succeeded.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_refusal(self.field_for(error), error_text(error))
