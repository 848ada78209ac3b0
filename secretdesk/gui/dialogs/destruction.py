"""Destruction (tiêu hủy): propose copies with grounds and a council, approve or refuse with a
countersignature and the decision's reference, record the act, destroy in an emergency.

Copies are picked as for a handover (by register number and "Bản số", never internal ids)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.custody import CopyState
from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.countersign import CountersignDialog, Fact
from secretdesk.gui.dialogs.handover import PICK, Pickable, PickModel, find_copies
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.base import Index
from secretdesk.gui.models.formats import copy_label
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import ErrorLabel, compact_rows, label
from secretdesk.gui.widgets.fields import MinuteField, required_text
from secretdesk.gui.write import COPY, ENTRY, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.destruction import ROLE_LABELS, ROLES, CouncilSeat

DESTRUCTION = "destruction"  # the entity the destruction page listens for

PROPOSE_TITLE = N_("Propose copies for destruction")
PROPOSE_INTRO = N_(
    "Search by register number or number and symbol, tick the copies (Bản số) to destroy, give "
    "the grounds and the council: its chair, a leader of the holding body, and at least one "
    "other member. The proposal takes the next number of the destruction register."
)
EMERGENCY_TITLE = N_("Emergency destruction")
EMERGENCY_INTRO = N_(
    "Only when the copies must be destroyed at once to keep the secret. The holder destroys "
    "them without a council or a decision and reports in writing immediately; the case is "
    "flagged for the head."
)
RECORD_TITLE = N_("Record the destruction")
RECORD_INTRO = N_(
    "When, where and how the copies were destroyed. The method must make recovery impossible "
    "(burning, shredding to pulp, physically destroying the medium)."
)
CHOOSE_COPIES = N_("Tick at least one copy.")
CHOSEN = N_("Chosen: {copies}")
NOTHING_CHOSEN = N_("No copy chosen yet.")
SEARCH_HINT = N_("Register number (12/2026), number and symbol, issuer…")
COUNCIL_HINT = N_("One row per member; the chair first.")
ADD_MEMBER = N_("Add a member")
REMOVE_MEMBER = N_("Remove the member")
NAME, ROLE, POSITION = range(3)


def shown_copy(stored: str) -> str:
    """A copy label as the services store it (``Bản sao số 2``) in the window's language."""
    kind = "reproduction" if stored.startswith("Bản sao") else "original"
    number = stored.rsplit(" ", 1)[-1]
    return copy_label(kind, int(number)) if number.isdigit() else stored


class StatePickModel(PickModel):
    """Copies to tick, those in a state the action cannot start from greyed out."""

    # the states a copy may be picked in; other rows are shown greyed out with refused_tip
    allowed: ClassVar[frozenset[CopyState] | None] = None
    refused_tip: ClassVar[str] = ""

    def may_pick(self, row: Pickable) -> bool:
        return self.allowed is None or row.copy.state in self.allowed

    def flags(self, index: Index) -> Qt.ItemFlag:
        row: Pickable | None = self.row_object(index)
        if row is not None and not self.may_pick(row):
            return Qt.ItemFlag.ItemIsSelectable
        return super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: Pickable | None = self.row_object(index)
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and not self.may_pick(row):
            return _(self.refused_tip)
        return super().data(index, role)

    def toggle(self, row_number: int, on: bool) -> None:
        if on and not self.may_pick(self._rows[row_number]):
            return
        super().toggle(row_number, on)


class DestroyPickModel(StatePickModel):
    columns: ClassVar[dict[int, str]] = {**PickModel.columns, PICK: N_("Destroy")}


class ProposePickModel(DestroyPickModel):
    """A council destroys only copies in storage: the others cannot be ticked (rule 1)."""

    allowed = frozenset({CopyState.IN_STORAGE})
    refused_tip = N_("Only a copy in storage can be proposed for destruction; bring it back first.")


class EmergencyPickModel(DestroyPickModel):
    """In an emergency the holder destroys what is in storage or with them."""

    allowed = frozenset({CopyState.IN_STORAGE, CopyState.ISSUED, CopyState.OUT_OF_STORAGE})
    refused_tip = N_("This copy is not in storage nor with a person here: it cannot be destroyed.")


class CopyPicker(QWidget):
    """A search field and a table of copies to tick (the handover dialog's picker)."""

    def __init__(self, dialog: FormDialog, model: PickModel | None = None) -> None:
        super().__init__()
        self._dialog = dialog
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_(SEARCH_HINT))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.run_search)
        layout.addWidget(self.search)
        self.model = model or DestroyPickModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(170)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._toggle_row)
        layout.addWidget(self.table, 1)
        self.chosen_label = label("", "muted")
        layout.addWidget(self.chosen_label)
        self.model.dataChanged.connect(self._show_chosen)
        self._generation = 0
        self._show_chosen()

    def run_search(self) -> None:
        self._generation += 1
        generation, text, items = self._generation, self.search.text(), self._dialog.app.items
        self._dialog.runner.submit(
            lambda: find_copies(items, text),
            lambda rows: self._found(generation, rows),
            self._dialog._failed,
            context=self._dialog,
        )

    def _found(self, generation: int, rows: list[Pickable]) -> None:
        if generation == self._generation:
            self.model.set_rows(rows)

    def _toggle_row(self, index: Index) -> None:
        row: Pickable | None = self.model.row_object(index)
        if row is not None:
            self.model.toggle(index.row(), row.copy.id not in self.model.chosen)

    def pick(self, entry_number: int, copy_number: int, kind: str = "original") -> bool:
        """Tick entry ``entry_number``'s "Bản số ``copy_number``" among the rows found."""
        row = self.model.find(entry_number, copy_number, kind)
        if row is None:
            return False
        self.model.toggle(row, True)
        return True

    def _show_chosen(self, *_args: object) -> None:
        chosen = [row.label for row in self.model.chosen.values()]
        self.chosen_label.setText(
            _(CHOSEN).format(copies="; ".join(chosen)) if chosen else _(NOTHING_CHOSEN)
        )

    def chosen_ids(self, field: str) -> list[int]:
        ids = list(self.model.chosen)
        if not ids:
            raise FieldProblem(field, _(CHOOSE_COPIES))
        return ids


class CouncilTable(QWidget):
    """The council seats: name, role (chair, holder, member) and position, one row each."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Full name"), _("Role"), _("Position")])
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(150)
        self.table.setMinimumWidth(440)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(POSITION, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_(ADD_MEMBER))
        self.add_button.clicked.connect(lambda: self.add_seat())
        self.remove_button = QPushButton(_(REMOVE_MEMBER))
        self.remove_button.clicked.connect(self.remove_seat)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(label(_(COUNCIL_HINT), "muted"))
        for role in ("chair", "holder", "member"):
            self.add_seat(role=role)

    def add_seat(self, name: str = "", role: str = "member", position: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, POSITION, QTableWidgetItem(position))
        combo = QComboBox()
        for key in ROLES:
            combo.addItem(_(ROLE_LABELS[key]), key)
        combo.setCurrentIndex(combo.findData(role))
        self.table.setCellWidget(row, ROLE, combo)
        return row

    def set_seat(self, row: int, name: str, role: str, position: str = "") -> None:
        while self.table.rowCount() <= row:
            self.add_seat()
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, POSITION, QTableWidgetItem(position))
        combo = self.table.cellWidget(row, ROLE)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(role))

    def remove_seat(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def seats(self) -> list[CouncilSeat]:
        """The rows that have a name or a position (blank rows are left out)."""
        seats = []
        for row in range(self.table.rowCount()):
            name_item, position_item = self.table.item(row, NAME), self.table.item(row, POSITION)
            name = name_item.text() if name_item else ""
            position = position_item.text() if position_item else ""
            combo = self.table.cellWidget(row, ROLE)
            role = combo.currentData() if isinstance(combo, QComboBox) else "member"
            if name.strip() or position.strip():
                seats.append(CouncilSeat(name, str(role), position))
        return seats


def add_wide_field(dialog: FormDialog, name: str, caption: str, widget: QWidget) -> None:
    """A field across the whole dialog, above the form columns, with its own error below."""
    caption_label = QLabel(caption)
    caption_label.setBuddy(widget)
    dialog.top.addWidget(caption_label)
    dialog.top.addWidget(widget)
    error = ErrorLabel()
    dialog.top.addWidget(error)
    dialog.fields[name] = widget
    dialog.field_errors[name] = error


def add_copy_picker(
    dialog: FormDialog, model: PickModel, caption: str, *, min_height: int | None = None
) -> CopyPicker:
    """The copies to tick (the field "copies"), across the whole dialog."""
    picker = CopyPicker(dialog, model)
    if min_height is not None:
        picker.table.setMinimumHeight(min_height)
    add_wide_field(dialog, "copies", caption, picker)
    return picker


def top_aligned(dialog: FormDialog) -> None:
    """Both form columns start at the top, however tall the other one is."""
    for form in {dialog.form, dialog.current_form}:
        form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


def long_text(lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return edit


class ProposeDestructionDialog(FormDialog):
    touches = (DESTRUCTION, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "List at least one copy to destroy.": "copies",
        "A copy is listed twice.": "copies",
        "{copy} of {item} is already proposed in destruction case {case}.": "copies",
        "custody.transition_refused": "copies",
        "not_found": "copies",
        "State the grounds for destruction.": "grounds",
        "Every council member needs a name.": "council",
        "Unknown council role: {role} (chair, holder or member).": "council",
        "The council has exactly one chair, a leader of the holding body.": "council",
        "The council needs the chair and at least one other member.": "council",
        "A council member is listed twice.": "council",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        search: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(PROPOSE_TITLE),
            intro=_(PROPOSE_INTRO),
            ok_text=_("Propose"),
            parent=parent,
        )
        self.setMinimumWidth(1100)
        self.picker = add_copy_picker(self, ProposePickModel(), _("Copies to destroy:"))
        self.picker.search.setText(search)
        self.grounds = long_text()
        self.add_field("grounds", _("Grounds:"), self.grounds)
        self.council_decision = QLineEdit()
        self.council_decision.setPlaceholderText(_("e.g. 12/QĐ-UBND of 01/11/2026"))
        self.add_field(
            "council_decision", _("Decision establishing the council:"), self.council_decision
        )
        self.use_second_column()
        self.council = CouncilTable()
        self.add_field("council", _("Council:"), self.council)
        top_aligned(self)
        self.picker.run_search()

    def work(self) -> Callable[[], Any]:
        copy_ids = self.picker.chosen_ids("copies")
        grounds, seats = self.grounds.toPlainText(), self.council.seats()
        decision, destruction = self.council_decision.text(), self.app.destruction
        return lambda: destruction.propose(copy_ids, grounds, seats, decision)


class DecisionCountersignDialog(CountersignDialog):
    """The countersignature of an approval that also needs the decision's reference."""

    refusal_fields: ClassVar[dict[str, str]] = {
        **CountersignDialog.refusal_fields,
        "Give the reference of the destruction decision.": "decision_ref",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        facts: Sequence[Fact],
        decide: Callable[[Actor, str], Any],
        touches: tuple[str, ...],
        *,
        parent: QWidget | None = None,
    ) -> None:
        self._decide = decide
        super().__init__(
            runner, session, events, facts, lambda _actor: None, touches, parent=parent
        )
        self.decision_ref = QLineEdit()
        self.decision_ref.setPlaceholderText(_("e.g. 45/QĐ-UBND"))
        self.add_field("decision_ref", _("Decision reference:"), self.decision_ref)

    def work(self) -> Callable[[], Any]:
        reference, decide = required_text(self.decision_ref, "decision_ref"), self._decide
        self._action = lambda approver: decide(approver, reference)
        return super().work()


class RecordDestructionDialog(RecordFormDialog):
    touches = (DESTRUCTION, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Say where the copies were destroyed.": "place",
        "Describe the method, one that makes recovery impossible.": "method",
        "The destruction time ({at}) is in the future.": "at",
        "The copies cannot be destroyed before the decision ({date}).": "at",
    }
    title_id, intro_id, ok_id = RECORD_TITLE, RECORD_INTRO, N_("Record")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        case_id: int,
        description: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, description, parent=parent)
        self.case_id = case_id
        self.at = MinuteField(session.app.ctx.clock.now().astimezone())
        self.add_field("at", _("Destroyed at:"), self.at)
        self.place = QLineEdit()
        self.add_field("place", _("Place:"), self.place)
        self.method = QLineEdit()
        self.method.setPlaceholderText(_("e.g. burnt in the incinerator"))
        self.add_field("method", _("Method:"), self.method)

    def work(self) -> Callable[[], Any]:
        at = self.at.moment("at")
        place, method = self.place.text(), self.method.text()
        destruction, case_id = self.app.destruction, self.case_id
        return lambda: destruction.record(case_id, at=at, place=place, method=method)


class EmergencyDestructionDialog(FormDialog):
    touches = (DESTRUCTION, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "List at least one copy to destroy.": "copies",
        "A copy is listed twice.": "copies",
        "custody.transition_refused": "copies",
        "An emergency destruction needs the written report.": "report",
        "The destruction time ({at}) is in the future.": "at",
        "An emergency destruction is reported at once: {at} is more than {days} days ago."
        " Report it as an incident instead.": "at",
        "{copy} of item {item} was registered on {registered}: it cannot have been destroyed"
        " before ({at}).": "at",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(EMERGENCY_TITLE),
            intro=_(EMERGENCY_INTRO),
            ok_text=_("Record the emergency destruction"),
            parent=parent,
        )
        self.setMinimumWidth(1100)
        self.picker = add_copy_picker(self, EmergencyPickModel(), _("Copies destroyed:"))
        self.report = long_text(4)
        self.add_field(
            "report",
            _("Written report:"),
            self.report,
            _("Why the copies could not wait for a council; it goes to the head."),
        )
        self.use_second_column()
        self.at = MinuteField(session.app.ctx.clock.now().astimezone())
        self.add_field("at", _("Destroyed at:"), self.at)
        self.place = QLineEdit()
        self.add_field("place", _("Place:"), self.place)
        self.method = QLineEdit()
        self.add_field("method", _("Method:"), self.method)
        top_aligned(self)
        self.picker.run_search()

    def work(self) -> Callable[[], Any]:
        copy_ids = self.picker.chosen_ids("copies")
        at = self.at.moment("at")
        report, place, method = self.report.toPlainText(), self.place.text(), self.method.text()
        destruction = self.app.destruction
        return lambda: destruction.emergency(copy_ids, report, at=at, place=place, method=method)
