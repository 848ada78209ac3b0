"""Hand over copies (picked by register number and "Bản số", never by internal ids) and record
the receipt of a handover by typing or scanning the code printed on its slip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from secretdesk import i18n
from secretdesk.domain.copies import Copy
from secretdesk.domain.handovers import HandoverKind
from secretdesk.domain.items import Item
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import copy_label, level_name, register_name, sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import compact_rows, label
from secretdesk.gui.widgets.fields import DayField, MinuteField, required_text
from secretdesk.gui.write import COPY, ENTRY, HANDOVER, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.handovers import KIND_LABELS

CREATE_TITLE = N_("Hand over copies")
CREATE_INTRO = N_(
    "Search by register number, number and symbol or issuer, then tick the copies (Bản số) "
    "that go. Each handover gets the next number of the handover register and a receipt slip."
)
RECEIPT_TITLE = N_("Record a receipt")
RECEIPT_INTRO = N_(
    "Type the code printed on the returned slip, or scan it: a scanner types the code and "
    "presses Enter."
)
CHOSEN = N_("Chosen: {copies}")
NOTHING_CHOSEN = N_("No copy chosen yet.")
CHOOSE_COPIES = N_("Tick at least one copy.")
SEARCH_HINT = N_("Register number (12/2026), number and symbol, issuer…")
SEARCH_LIMIT = 40

PICK, ENTRY_NO, SYMBOL, LEVEL, COPY_NO, STATE = range(6)


@dataclass(frozen=True)
class Pickable:
    item: Item
    copy: Copy

    @property
    def label(self) -> str:
        entry = f"{self.item.number}/{self.item.year}"
        return f"{register_name(self.item.book_kind)} {entry} {self.item.number_symbol}, " + (
            copy_label(self.copy.kind, self.copy.number)
        )


def find_copies(items: Any, text: str) -> list[Pickable]:
    """Copies of the entries that match ``text``; ``12/2026`` finds entry 12 of 2026 (worker)."""
    text = text.strip()
    number_year: tuple[int, int] | None = None
    parts = text.split("/")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[1]) == 4:
        number_year = (int(parts[0]), int(parts[1]))
    found = items.search(
        "" if number_year else text,
        year=number_year[1] if number_year else None,
        limit=2000 if number_year else SEARCH_LIMIT,
    )
    if number_year:
        found = [item for item in found if item.number == number_year[0]]
    rows: list[Pickable] = []
    for item in found[:SEARCH_LIMIT]:
        if item.cancelled:
            continue
        rows.extend(Pickable(item, copy) for copy in items.copies(item.id))
    return rows


class PickModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        PICK: N_("Hand over"),
        ENTRY_NO: N_("Entry no."),
        SYMBOL: N_("Number and symbol"),
        LEVEL: N_("Level"),
        COPY_NO: N_("Copy"),
        STATE: N_("State"),
    }

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.chosen: dict[int, Pickable] = {}

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == PICK:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: Pickable | None = self.row_object(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == PICK:
            ticked = row.copy.id in self.chosen
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == ENTRY_NO:
            return f"{register_name(row.item.book_kind)} {row.item.number}/{row.item.year}"
        if column == SYMBOL:
            return row.item.number_symbol
        if column == LEVEL:
            return level_name(row.item.level)
        if column == COPY_NO:
            return copy_label(row.copy.kind, row.copy.number)
        if column == STATE:
            return sentence(row.copy.state.label(i18n.current_language()))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row: Pickable | None = self.row_object(index)
        if row is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != PICK:
            return False
        self.toggle(index.row(), Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def toggle(self, row_number: int, on: bool) -> None:
        row: Pickable = self._rows[row_number]
        if on:
            self.chosen[row.copy.id] = row
        else:
            self.chosen.pop(row.copy.id, None)
        index = self.index(row_number, PICK)
        self.dataChanged.emit(index, index)

    def find(self, entry_number: int, copy_number: int, kind: str = "original") -> int | None:
        for number, row in enumerate(self._rows):
            if (
                row.item.number == entry_number
                and row.copy.number == copy_number
                and row.copy.kind == kind
            ):
                return number
        return None


class HandoverDialog(FormDialog):
    touches = (HANDOVER, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "A handover carries at least one copy.": "copies",
        "A copy is listed twice.": "copies",
        "Name the receiving body.": "recipient_body",
        "Name the person receiving the copies.": "recipient_person",
        "{copy} of {item} may only be handed to {name}.": "recipient_person",
        "{copy} of {item} is not in storage.": "copies",
        "Item {item} was cancelled in the register.": "copies",
        "custody.transition_refused": "copies",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        preselected: Sequence[Pickable] = (),
        search: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(CREATE_TITLE),
            intro=_(CREATE_INTRO),
            ok_text=_("Hand over"),
            parent=parent,
        )
        self.setMinimumWidth(820)
        self.kind = QComboBox()
        for kind in (
            HandoverKind.ISSUE,
            HandoverKind.DISPATCH,
            HandoverKind.RETURN,
            HandoverKind.RECALL_RETURN,
            HandoverKind.RECEIVE,
        ):
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        self.add_field("kind", _("Kind:"), self.kind)
        self.search = QLineEdit(search)
        self.search.setPlaceholderText(_(SEARCH_HINT))
        self.search.setClearButtonEnabled(True)
        self.add_field("search", _("Find copies:"), self.search)
        self.model = PickModel(self)
        for row in preselected:
            self.model.chosen[row.copy.id] = row
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(180)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._toggle_row)
        self.add_field("copies", _("Copies to hand over:"), self.table)
        self.chosen_label = label("", "muted")
        self.current_form.addRow("", self.chosen_label)
        self.model.dataChanged.connect(self._show_chosen)
        self.recipient_person = QLineEdit()
        self.add_field("recipient_person", _("Person:"), self.recipient_person)
        self.recipient_body = QLineEdit()
        self.add_field("recipient_body", _("Receiving body:"), self.recipient_body)
        self.courier = QLineEdit()
        self.add_field("courier", _("Courier:"), self.courier)
        self.marks = QLineEdit()
        self.add_field("marks", _("Envelope marks:"), self.marks)
        self.due = DayField()
        self.add_field("due", _("Due back by:"), self.due)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.run_search)
        self._generation = 0
        self._show_chosen()
        self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        self._generation += 1
        generation, text, items = self._generation, self.search.text(), self.app.items
        self.runner.submit(
            lambda: find_copies(items, text),
            lambda rows: self._found(generation, rows),
            self._failed,
            context=self,
        )

    def _found(self, generation: int, rows: list[Pickable]) -> None:
        if generation == self._generation:
            self.model.set_rows(rows)

    def _toggle_row(self, index: Index) -> None:
        row: Pickable | None = self.model.row_object(index)
        if row is not None:
            self.model.toggle(index.row(), row.copy.id not in self.model.chosen)

    def pick(self, entry_number: int, copy_number: int) -> bool:
        """Tick entry ``entry_number``'s "Bản số ``copy_number``" among the rows found."""
        row = self.model.find(entry_number, copy_number)
        if row is None:
            return False
        self.model.toggle(row, True)
        return True

    def _show_chosen(self, *_args: object) -> None:
        chosen = [row.label for row in self.model.chosen.values()]
        self.chosen_label.setText(
            _(CHOSEN).format(copies="; ".join(chosen)) if chosen else _(NOTHING_CHOSEN)
        )

    def work(self) -> Callable[[], Any]:
        copy_ids = list(self.model.chosen)
        if not copy_ids:
            raise FieldProblem("copies", _(CHOOSE_COPIES))
        kind = self.kind.currentData()
        due: date | None = self.due.day("due")
        handovers = self.app.handovers
        body, person = self.recipient_body.text(), self.recipient_person.text()
        courier, marks = self.courier.text(), self.marks.text()
        return lambda: handovers.create(
            kind,
            copy_ids,
            recipient_body=body,
            recipient_person=person,
            courier=courier,
            marks=marks,
            due_by=due,
        )


class ReceiptDialog(FormDialog):
    touches = (HANDOVER, COPY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "reports.slip_code_invalid": "slip_code",
        "reports.slip_code_mismatch": "slip_code",
        "not_found": "slip_code",
        "The scanned code does not match any printed slip of handover {number}.": "slip_code",
        "Handover {number} already has its receipt.": "slip_code",
        "Who signed the receipt?": "received_by",
        "custody.transition_refused": "slip_code",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(RECEIPT_TITLE),
            intro=_(RECEIPT_INTRO),
            ok_text=_("Record the receipt"),
            parent=parent,
        )
        self.slip_code = QLineEdit(code)
        self.slip_code.setPlaceholderText("SDH1|2026|12|a1b2c3d4")
        self.add_field("slip_code", _("Code on the slip:"), self.slip_code)
        self.received_by = QLineEdit()
        self.add_field("received_by", _("Signed by:"), self.received_by)
        self.at = MinuteField(session.app.ctx.clock.now().astimezone())
        self.add_field("at", _("Received at:"), self.at)
        # A scanner ends with Enter: go to the next empty field, then submit.
        self.slip_code.returnPressed.connect(self._code_entered)
        self.received_by.returnPressed.connect(self.submit)
        (self.received_by if code else self.slip_code).setFocus()

    def _code_entered(self) -> None:
        if self.received_by.text().strip():
            self.submit()
        else:
            self.received_by.setFocus()

    def work(self) -> Callable[[], Any]:
        code = required_text(self.slip_code, "slip_code")
        received_by = required_text(self.received_by, "received_by")
        at = self.at.moment("at")
        printing, handovers = self.app.printing, self.app.handovers

        def run() -> Any:
            handover = printing.handover_from_slip_code(code)
            return handovers.receipt(handover.year, handover.number, received_by, at)

        return run
