"""Permits page: take-out and provision requests, approval or refusal with the countersignature
dialog, closing with the report of return, the printed take-out permit; permits due back first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.destruction import shown_copy
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.item_window import PreviewOpener
from secretdesk.gui.dialogs.permits import PERMIT, ClosePermitDialog, PermitRequestDialog
from secretdesk.gui.models.base import Index, RowsTableModel, bold_font
from secretdesk.gui.models.formats import (
    SCANS_HEADER,
    level_name,
    local_minute,
    scans_text,
    sentence,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage, sorted_proxy
from secretdesk.gui.write import COPY, ENTRY, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.permits import (
    STATUSES,
    PermitDocument,
    status_label,
    variant_label,
    variant_title,
)

INTRO = N_(
    "Taking copies out of the office and providing them to another body need a written "
    "request and the approval of someone whose authority covers the level. Permits due back "
    "come first; those past their time are in bold."
)
ALL_PERMITS = N_("All permits")
SHOWN = N_("{count} permits, {waiting} waiting for approval, {overdue} past their time.")
SHOWN_ONE = N_("{count} permit, {waiting} waiting for approval, {overdue} past their time.")
PERMIT_TEXT = N_("Permit #{id}: {copies}")
OVERDUE_MARK = N_("past its time")

NUMBER, KIND, COPIES_COL, WHO, BACK_BY, STATUS, SCANS = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PermitItem:
    document: PermitDocument
    overdue: bool
    scans: int = 0  # the scans it keeps (the report of use)

    @property
    def permit(self) -> Any:
        return self.document.permit

    @property
    def waiting(self) -> bool:
        return bool(self.permit.status == "requested")

    @property
    def due_back(self) -> bool:
        return bool(self.permit.status == "approved" and self.permit.kind == "take-out")

    @property
    def abroad(self) -> bool:
        """Taken abroad (a take-out) or provided to a foreign body or person (a provision)."""
        return bool(self.document.legal is not None and self.document.legal.abroad)

    def kind_text(self) -> str:
        return sentence(str(variant_label(self.permit.kind, self.abroad)))

    def title(self) -> str:
        return str(variant_title(self.permit.kind, self.abroad, self.permit.id))

    @property
    def printable(self) -> bool:
        """A take-out permit, or the decision on a provision to a foreign body or person."""
        foreign = self.permit.kind == "provision" and self.abroad
        return bool(self.permit.kind == "take-out" or foreign)

    def copy_text(self) -> str:
        return "; ".join(
            f"{line.register_number} {', '.join(shown_copy(c) for c in line.copy_labels)}"
            for line in self.document.lines
        )


def load_permits(app: Any) -> tuple[list[PermitItem], int]:
    """Every permit with its copies, and whether it is past its time, and how many permits
    clearance leaves out (runs on the worker)."""
    service = app.permits
    overdue = {permit.id for permit in service.overdue()}
    scans = app.attachments.counts("permit")
    lines = [
        PermitItem(service.document(permit.id), permit.id in overdue, scans.get(permit.id, 0))
        for permit in service.list()
    ]
    return lines, int(service.hidden_count())


class PermitsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NUMBER: N_("No."),
        KIND: N_("Kind"),
        COPIES_COL: N_("Copies"),
        WHO: N_("Requester"),
        BACK_BY: N_("Back by"),
        STATUS: N_("Status"),
        SCANS: SCANS_HEADER,
    }

    def line_at(self, row: int) -> PermitItem:
        found: PermitItem = self._rows[row]
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: PermitItem | None = self.row_object(index)
        if line is None:
            return None
        permit, column = line.permit, index.column()
        if role == SORT_ROLE:
            if column == NUMBER:
                # Due back first (the earliest first), then waiting, then the rest, newest first.
                if line.due_back:
                    return f"0|{permit.ends_at or ''}"
                return f"{1 if line.waiting else 2}|{10**9 - permit.id:010d}"
            return str(self.data(index))
        if role == Qt.ItemDataRole.FontRole and line.overdue:
            return bold_font()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == NUMBER:
            return str(permit.id)
        if column == KIND:
            return line.kind_text()
        if column == COPIES_COL:
            return line.copy_text()
        if column == WHO:
            if permit.requesting_body:
                return f"{permit.requester} ({permit.requesting_body})"
            return permit.requester
        if column == BACK_BY:
            return local_minute(permit.ends_at) if permit.ends_at else ""
        if column == STATUS:
            text = sentence(str(status_label(permit.status)))
            return f"{text} ({_(OVERDUE_MARK)})" if line.overdue else text
        if column == SCANS:
            return scans_text(line.scans)
        return None


class PermitsPage(RecordListPage):
    watches: ClassVar[frozenset[str]] = frozenset({PERMIT, COPY, ENTRY})
    model: PermitsModel

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
            _(ALL_PERMITS),
            ((status, sentence(str(status_label(status)))) for status in STATUSES),
            self._filter,
        )
        self.heading(_("Permits"), _(INTRO), self.status_filter)
        self.request_button = self.button(_("Request a permit…"), self.new_record, writer=True)
        self.approve_button, self.refuse_button = self.approval_buttons(self.countersign)
        self.close_button = self.button(_("Close with the report…"), self.close_permit, writer=True)
        self.print_button = self.button(_("Permit preview…"), self.preview_permit)
        self.button_row(
            self.request_button,
            self.approve_button,
            self.refuse_button,
            self.close_button,
            self.print_button,
        )
        evidence = QHBoxLayout()  # a second row: the first is full at 1366 pixels in Vietnamese
        self.page_layout.addLayout(evidence)
        self.model = PermitsModel(self)
        self.proxy = sorted_proxy(self.model, SORT_ROLE, self)
        self.table = self.add_table(self.proxy, stretch=(COPIES_COL,), wrap=False, sort_by=NUMBER)
        self.table.doubleClicked.connect(self._open_row)
        self.left_out = self.add_left_out()
        self.attach_button, self.scans_button = self.add_evidence(self._record)
        evidence.addWidget(self.attach_button)
        evidence.addWidget(self.scans_button)
        evidence.addStretch(1)
        self.status = self.add_status()
        self.watch_vault()

    # -- loading -----------------------------------------------------------------------
    def loader(self) -> Callable[[], tuple[list[PermitItem], int]]:
        app = self._app
        return lambda: load_permits(app)

    def _show(self, loaded: tuple[list[PermitItem], int]) -> None:
        lines, left_out = loaded
        with self.selection_kept(lambda line: line.permit.id):
            self.model.set_rows(lines)
            self.left_out.show_count(left_out)
            self.proxy.sort(NUMBER, Qt.SortOrder.AscendingOrder)
            self._filter()
            self.status.setText(
                translate(plural(len(lines), SHOWN_ONE, SHOWN)).format(
                    count=len(lines),
                    waiting=sum(1 for line in lines if line.waiting),
                    overdue=sum(1 for line in lines if line.overdue),
                )
            )
        self.rows_shown(len(lines))

    def _filter(self, *_args: object) -> None:
        wanted = self.status_filter.currentData()
        self.hide_where(lambda line: wanted is not None and line.permit.status != wanted)

    def select_permit(self, permit_id: int) -> None:
        self.select_where(lambda line: line.permit.id == permit_id)

    def shown_order(self) -> list[int]:
        """The permit numbers in the order the table shows them."""
        return [
            self.model.line_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).permit.id
            for row in range(self.proxy.rowCount())
        ]

    def _update_buttons(self, *_args: object) -> None:
        line: PermitItem | None = self.selected()
        status = line.permit.status if line is not None else ""
        self.approve_button.setEnabled(status == "requested")
        self.refuse_button.setEnabled(status == "requested")
        self.close_button.setEnabled(status == "approved")
        self.print_button.setEnabled(
            line is not None
            and line.printable
            and line.permit.approved_at is not None
            and status in ("approved", "closed")
            and self.open_preview is not None
        )
        self.evidence.update()

    def _record(self) -> EvidenceRecord | None:
        line: PermitItem | None = self.selected()
        return None if line is None else EvidenceRecord.permit(line.permit.id)

    def _open_row(self, _index: Index) -> None:
        line: PermitItem | None = self.selected()
        if line is None or not self.may_record:
            return
        if line.waiting:
            self.countersign(refuse=False)
        elif line.permit.status == "approved":
            self.close_permit()

    # -- actions -----------------------------------------------------------------------
    def new_record(self) -> None:
        self._open(PermitRequestDialog(self._runner, self.session, self.events, parent=self))

    def facts(self, line: PermitItem) -> list[tuple[str, str]]:
        permit = line.permit
        facts = [
            (_("Permit:"), f"#{permit.id}, {variant_label(permit.kind, line.abroad)}"),
            (_("Level:"), level_name(line.document.level)),
            (_("Copies:"), line.copy_text()),
            (_("Requester:"), permit.requester),
            (_("Purpose:"), permit.purpose),
        ]
        if permit.kind == "take-out":
            facts.append((_("Taken to:"), permit.place))
            facts.append((_("Back by:"), local_minute(permit.ends_at) if permit.ends_at else "—"))
        else:
            facts.append((_("Requesting body:"), permit.requesting_body))
        return facts

    def countersign(self, *, refuse: bool) -> None:
        line: PermitItem | None = self.selected()
        if line is None or not line.waiting:
            return
        permits, permit_id = self._app.permits, line.permit.id

        def approve(approver: Actor) -> Any:
            return permits.approve(permit_id, approver)

        def refuse_it(approver: Actor) -> Any:
            return permits.refuse(permit_id, approver)

        self._open(
            CountersignDialog(
                self._runner,
                self.session,
                self.events,
                self.facts(line),
                refuse_it if refuse else approve,
                (PERMIT, COPY),
                refuse=refuse,
                parent=self,
            )
        )

    def close_permit(self) -> None:
        line: PermitItem | None = self.selected()
        if line is None or line.permit.status != "approved":
            return
        description = _(PERMIT_TEXT).format(id=line.permit.id, copies=line.copy_text())
        self._open(
            ClosePermitDialog(
                self._runner, self.session, self.events, line.permit.id, description, parent=self
            )
        )

    def preview_permit(self) -> None:
        line: PermitItem | None = self.selected()
        if line is None or self.open_preview is None:
            return
        permit_id, printing = line.permit.id, self._app.printing
        self.open_preview(
            line.title(),
            lambda: printing.permit(permit_id),
            f"permit-{permit_id}.pdf",
            evidence=EvidenceRecord.permit(permit_id),
        )
