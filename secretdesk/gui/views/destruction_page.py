"""Destruction (Tiêu hủy) page: cases by status, propose, approve or refuse with the
countersignature dialog, record the act, the minutes in the print preview, emergency destruction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from secretdesk.domain.destruction import DestructionCase
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.destruction import (
    DESTRUCTION,
    DecisionCountersignDialog,
    EmergencyDestructionDialog,
    ProposeDestructionDialog,
    RecordDestructionDialog,
    shown_copy,
)
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.item_window import PreviewOpener
from secretdesk.gui.dialogs.withdraw_destruction import WithdrawDestructionDialog
from secretdesk.gui.models.base import Index, RowsTableModel, bold_font
from secretdesk.gui.models.formats import (
    SCANS_HEADER,
    level_name,
    local_day,
    local_minute,
    scans_text,
    sentence,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage, sorted_proxy
from secretdesk.gui.write import COPY, ENTRY, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.destruction import (
    STATUSES,
    MinutesCopy,
    role_label,
    status_label,
)

INTRO = N_(
    "Copies are destroyed on a numbered proposal with its council, after the decision of "
    "someone who may authorise copying of Tuyệt mật or Tối mật; the minutes are printed from "
    "the act. Cases waiting for a decision come first."
)
ALL_STATUSES = N_("All cases")
SHOWN = N_("{count} cases, {waiting} waiting for a decision.")
SHOWN_ONE = N_("{count} case, {waiting} waiting for a decision.")
MINUTES_TITLE = N_("Destruction minutes {number}")
CASE_TEXT = N_("Destruction case {number}")
EMERGENCY_MARK = N_("emergency")
COPY_TEXT = N_("{copy} of {symbol} (entry {entry}), {level}")

NUMBER, COPIES_COL, GROUNDS, STATUS, PROPOSED, DESTROYED, SCANS = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class CaseLine:
    case: DestructionCase
    copies: tuple[MinutesCopy, ...]
    scans: int = 0  # the scans it keeps (signed minutes, decisions)

    @property
    def waiting(self) -> bool:
        return bool(self.case.status == "proposed")

    @property
    def level(self) -> Level:
        return Level.highest([copy.level for copy in self.copies])

    def copy_text(self) -> str:
        return "; ".join(f"{c.register_number} {shown_copy(c.copy_label)}" for c in self.copies)


def load_cases(app: Any) -> tuple[list[CaseLine], int]:
    """Every destruction case with the copies it lists, and how many cases clearance
    leaves out (runs on the worker)."""
    service, scans = app.destruction, app.attachments.counts("destruction")
    lines = [
        CaseLine(case, tuple(service.copies(case.id)), scans.get(case.id, 0))
        for case in service.list()
    ]
    return lines, int(service.hidden_count())


class CasesModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("No."),
        COPIES_COL: N_("Copies"),
        GROUNDS: N_("Grounds"),
        STATUS: N_("Status"),
        PROPOSED: N_("Proposed on"),
        DESTROYED: N_("Destroyed at"),
        SCANS: SCANS_HEADER,
    }

    def line_at(self, row: int) -> CaseLine:
        found: CaseLine = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: CaseLine | None = self.row_object(index)
        if line is None:
            return None
        case, column = line.case, index.column()
        if role == SORT_ROLE:
            if column == NUMBER:
                # Waiting for a decision first, then the newest first.
                return (
                    f"{0 if line.waiting else 1}|{9999 - case.year:04d}|{10**6 - case.number:07d}"
                )
            return str(self.data(index))
        if role == Qt.ItemDataRole.FontRole and line.waiting and column == STATUS:
            return bold_font()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == NUMBER:
            return case.label
        if column == COPIES_COL:
            return line.copy_text()
        if column == GROUNDS:
            return case.grounds.splitlines()[0] if case.grounds else ""
        if column == STATUS:
            text = sentence(str(status_label(case.status)))
            return f"{text} ({_(EMERGENCY_MARK)})" if case.emergency else text
        if column == PROPOSED:
            return local_day(case.proposed_at)
        if column == DESTROYED:
            return local_minute(case.destroyed_at) if case.destroyed_at else ""
        if column == SCANS:
            return scans_text(line.scans)
        return None


class DestructionPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({DESTRUCTION, COPY, ENTRY})
    model: CasesModel

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        open_preview: PreviewOpener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, parent)
        self.open_preview = open_preview
        self.status_filter = self.choice_filter(
            _(ALL_STATUSES),
            ((status, sentence(str(status_label(status)))) for status in STATUSES),
            self._filter,
        )
        self.heading(_("Destruction"), _(INTRO), self.status_filter)
        self.propose_button = self.button(_("Propose…"), self.new_record, writer=True)
        self.approve_button, self.refuse_button = self.approval_buttons(self.countersign)
        self.withdraw_button = self.button(_("Withdraw…"), self.withdraw, writer=True)
        self.record_button = self.button(_("Record the destruction…"), self.record, writer=True)
        self.emergency_button = self.button(
            _("Emergency destruction…"), self.emergency, writer=True
        )
        self.minutes_button = self.button(_("Minutes preview…"), self.preview_minutes)
        self.button_row(
            self.propose_button, self.approve_button, self.refuse_button, self.withdraw_button
        )
        # The act, its minutes and the scans: two rows fit 1366 px.
        act_row = self.button_row(
            self.record_button, self.emergency_button, self.minutes_button, stretch=False
        )
        self.model = CasesModel(self)
        self.proxy = sorted_proxy(self.model, SORT_ROLE, self)
        self.table = self.add_table(
            self.proxy, stretch=(COPIES_COL, GROUNDS), wrap=False, sort_by=NUMBER
        )
        self.table.doubleClicked.connect(self._open_row)
        self.left_out = self.add_left_out()
        self.attach_button, self.scans_button = self.add_evidence(self._record)
        act_row.addWidget(self.attach_button)
        act_row.addWidget(self.scans_button)
        act_row.addStretch(1)
        self.status = self.add_status()
        self.watch_vault()

    # -- loading -----------------------------------------------------------------------
    def loader(self) -> Callable[[], tuple[list[CaseLine], int]]:
        app = self._app
        return lambda: load_cases(app)

    def _show(self, loaded: tuple[list[CaseLine], int]) -> None:
        lines, left_out = loaded
        with self.selection_kept(lambda line: line.case.id):
            self.model.set_rows(lines)
            self.left_out.show_count(left_out)
            self._filter()
            waiting = sum(1 for line in lines if line.waiting)
            self.status.setText(
                translate(plural(len(lines), SHOWN_ONE, SHOWN)).format(
                    count=len(lines), waiting=waiting
                )
            )
        self.rows_shown(len(lines))

    def _filter(self, *_args: object) -> None:
        wanted = self.status_filter.currentData()
        self.hide_where(lambda line: wanted is not None and line.case.status != wanted)

    def select_case(self, case_id: int) -> None:
        self.select_where(lambda line: line.case.id == case_id)

    def _update_buttons(self, *_args: object) -> None:
        line: CaseLine | None = self.selected()
        status = line.case.status if line is not None else ""
        self.approve_button.setEnabled(status in ("proposed", "approved"))
        self.refuse_button.setEnabled(status in ("proposed", "approved"))
        self.withdraw_button.setEnabled(status in ("proposed", "approved"))
        self.record_button.setEnabled(status == "approved")
        self.minutes_button.setEnabled(status == "done" and self.open_preview is not None)
        self.evidence.update()

    def _record(self) -> EvidenceRecord | None:
        line: CaseLine | None = self.selected()
        return None if line is None else EvidenceRecord.destruction(line.case)

    def _open_row(self, _index: Index) -> None:
        line: CaseLine | None = self.selected()
        if line is None:
            return
        writer = self.may_record
        if line.case.status == "done":
            self.preview_minutes()
        elif writer and line.waiting:
            self.countersign(refuse=False)
        elif writer and line.case.status == "approved":
            self.record()

    # -- actions -----------------------------------------------------------------------
    def new_record(self) -> None:
        self._open(ProposeDestructionDialog(self._runner, self.session, self.events, parent=self))

    def emergency(self) -> None:
        self._open(EmergencyDestructionDialog(self._runner, self.session, self.events, parent=self))

    def facts(self, line: CaseLine) -> list[tuple[str, str]]:
        case = line.case
        copies = "\n".join(
            _(COPY_TEXT).format(
                copy=shown_copy(c.copy_label),
                symbol=c.number_symbol,
                entry=c.register_number,
                level=level_name(c.level),
            )
            for c in line.copies
        )
        council = "\n".join(
            ", ".join(part for part in (s.name, str(role_label(s.role)), s.position) if part)
            for s in case.council
        )
        return [
            (_("Case:"), case.label),
            (_("Level:"), level_name(line.level) if line.copies else "—"),
            (_("Copies:"), copies or "—"),
            (_("Number of copies:"), str(len(line.copies))),
            (_("Grounds:"), case.grounds),
            (_("Council:"), council or "—"),
            (_("Proposed by:"), case.proposed_by),
        ]

    def countersign(self, *, refuse: bool) -> None:
        line: CaseLine | None = self.selected()
        if line is None or line.case.status not in ("proposed", "approved"):
            return
        destruction, case_id = self._app.destruction, line.case.id
        dialog: QDialog
        if refuse:

            def refuse_it(approver: Actor) -> Any:
                return destruction.refuse(case_id, approver)

            dialog = CountersignDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(line),
                refuse_it,
                (DESTRUCTION,),
                refuse=True,
                parent=self,
            )
        else:

            def approve(approver: Actor, reference: str) -> Any:
                return destruction.approve(case_id, approver, reference)

            dialog = DecisionCountersignDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(line),
                approve,
                (DESTRUCTION,),
                parent=self,
            )
        self._open(dialog)

    def withdraw(self) -> None:
        line: CaseLine | None = self.selected()
        if line is None or line.case.status not in ("proposed", "approved"):
            return
        destruction, case_id = self._app.destruction, line.case.id

        def withdraw_it(approver: Actor, reason: str) -> Any:
            return destruction.withdraw(case_id, reason, approver)

        self._open(
            WithdrawDestructionDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(line),
                withdraw_it,
                (DESTRUCTION, COPY),
                parent=self,
            )
        )

    def record(self) -> None:
        line: CaseLine | None = self.selected()
        if line is None or line.case.status != "approved":
            return
        description = _(CASE_TEXT).format(number=line.case.label) + " — " + line.copy_text()
        self._open(
            RecordDestructionDialog(
                self._runner, self.session, self.events, line.case.id, description, parent=self
            )
        )

    def preview_minutes(self) -> None:
        line: CaseLine | None = self.selected()
        if line is None or line.case.status != "done" or self.open_preview is None:
            return
        case, printing = line.case, self._app.printing
        case_id = case.id
        self.open_preview(
            _(MINUTES_TITLE).format(number=case.label),
            lambda: printing.minutes(case_id),
            f"destruction-minutes-{case.year}-{case.number}.pdf",
            evidence=EvidenceRecord.destruction(case),
        )
