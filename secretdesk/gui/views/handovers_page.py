"""Handovers page: every handover with its receipt, the overdue ones marked, receipt slips."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QTableView, QWidget

from secretdesk.domain.handovers import Handover, HandoverKind, HandoverStatus
from secretdesk.gui.dialogs.evidence import EvidenceRecord, ScanBatchDialog
from secretdesk.gui.dialogs.handover import HandoverDialog, ReceiptDialog
from secretdesk.gui.dialogs.item_window import PreviewOpener
from secretdesk.gui.models import handovers_model
from secretdesk.gui.models.handovers_model import HandoversTableModel
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.record_list import RecordListPage, sorted_proxy
from secretdesk.gui.widgets.common import label, sized_record_table
from secretdesk.gui.widgets.pdf_export import (
    SAVED,
    PathChooser,
    ask_pdf_path,
    print_to_file,
    save_error_text,
)
from secretdesk.gui.write import COPY, HANDOVER, VaultEvents
from secretdesk.i18n import N_, _, plural, translate

INTRO = N_(
    "Each handover carries numbered copies and is closed when its signed receipt comes back. "
    "Rows in red are overdue."
)
OPEN_ONLY = N_("Open only")
OVERDUE = N_("Overdue handovers: {count}. Chase the receipts or the recalled copies.")
NONE_OVERDUE = N_("No handover is overdue.")
SHOWN = N_("{count} handovers.")
SHOWN_ONE = N_("{count} handover.")
PRINT = N_("Print receipt slip…")
PRINT_TITLE = N_("Save the receipt slip of handover {number}")
PRINT_CHOOSE = N_("Select a handover to print its receipt slip.")
SLIP_TITLE = N_("Receipt slip of handover {number}")
LABELS_TITLE = N_("Envelope labels of handover {number}")


class HandoversPage(RecordListPage):
    saved = Signal(str)  # where a slip was saved
    watches: ClassVar[frozenset[str]] = frozenset({HANDOVER, COPY})
    model: HandoversTableModel

    def __init__(
        self,
        runner: Runner,
        session: Session,
        *,
        choose_path: PathChooser = ask_pdf_path,
        events: VaultEvents | None = None,
        open_preview: PreviewOpener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, parent)
        self.choose_path = choose_path
        self.open_preview = open_preview

        self.open_only = QCheckBox(_(OPEN_ONLY))
        self.open_only.toggled.connect(self.refresh)
        self.print_button = self.button(_(PRINT), self.print_slip)
        top = self.title_row(_("Handovers"), self.open_only)
        top.addSpacing(12)
        top.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.page_layout.addWidget(label(_(INTRO), "muted"))
        self.new_button = self.button(_("New handover…"), self.new_record, writer=True)
        self.new_button.setToolTip(_("Hand over copies (Ctrl+N)"))
        self.receipt_button = self.button(
            _("Record a receipt…"), lambda: self.record_receipt(""), writer=True
        )
        self.recall_button = self.button(
            _("Recalled copies are back"), self.recall_back, writer=True
        )
        self.preview_button = self.button(_("Slip preview…"), self.preview_slip, writer=True)
        self.labels_button = self.button(_("Envelope labels…"), self.preview_labels, writer=True)
        self.batch_button = self.button(_("Scan-back a folder…"), self.scan_batch, writer=True)
        self.button_row(
            self.new_button,
            self.receipt_button,
            self.recall_button,
            self.preview_button,
            self.labels_button,
        )
        evidence = QHBoxLayout()  # a second row: the first is full at 1366 pixels
        self.page_layout.addLayout(evidence)
        self.slip_code = QLineEdit()
        self.slip_code.setPlaceholderText(_("Code on a returned slip, then Enter"))
        self.slip_code.setMinimumWidth(340)
        self.slip_code.returnPressed.connect(lambda: self.record_receipt(self.slip_code.text()))
        self.slip_code.setVisible(self.may_record)
        top.insertWidget(1, self.slip_code, 0, Qt.AlignmentFlag.AlignBottom)

        self.overdue_note = label("", wrap=False)
        self.overdue_note.hide()
        self.page_layout.addWidget(self.overdue_note)

        self.model = HandoversTableModel(self)
        self.proxy = sorted_proxy(self.model, handovers_model.SORT_ROLE, self)
        self.table = self._table()
        self.page_layout.addWidget(self.table, 1)
        self.left_out = self.add_left_out()
        self.attach_button, self.scans_button = self.add_evidence(self._record)
        evidence.addWidget(self.attach_button)
        evidence.addWidget(self.scans_button)
        evidence.addWidget(self.batch_button)
        evidence.addStretch(1)
        self.status = self.add_status()
        self.watch_vault()

    def _table(self) -> QTableView:
        table = sized_record_table(
            self.proxy,
            handovers_model.column_samples(),
            bold=handovers_model.BOLD_COLUMNS,
            stretch=(handovers_model.TO, handovers_model.RECEIPT),  # share what is left
        )
        table.setSortingEnabled(True)
        table.sortByColumn(handovers_model.STATUS, Qt.SortOrder.DescendingOrder)  # overdue first
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        return table

    # -- loading -----------------------------------------------------------------------
    def loader(
        self,
    ) -> Callable[[], tuple[list[Any], list[Any], dict[int, Any], dict[int, int], int]]:
        handovers, attachments = self._app.handovers, self._app.attachments
        status = "open" if self.open_only.isChecked() else None
        return lambda: self._load(handovers, status, attachments)

    @staticmethod
    def _load(
        handovers: Any, status: str | None, attachments: Any = None
    ) -> tuple[list[Any], list[Any], dict[int, Any], dict[int, int], int]:
        """The handovers, the overdue ones, their documents and scans, and how many
        handovers clearance leaves out; runs on the worker."""
        rows = handovers.list(status=status)
        scans = attachments.counts("handover") if attachments is not None else {}
        left_out = int(handovers.hidden_count(status=status))
        return rows, handovers.overdue(), handovers.documents(rows), scans, left_out

    def _show(
        self, result: tuple[list[Any], list[Any], dict[int, Any], dict[int, int], int]
    ) -> None:
        rows, overdue, documents, scans, left_out = result
        with self.selection_kept(lambda handover: handover.id):
            self.model.set_rows(rows, overdue, documents, scans)
            self.left_out.show_count(left_out)
            late = len(overdue)
            if late:
                self.overdue_note.setText(_(OVERDUE).format(count=late))
                mark(self.overdue_note, "alert")
            else:
                self.overdue_note.setText(_(NONE_OVERDUE))
                mark(self.overdue_note, "ok")
            self.overdue_note.show()
            self.status.setText(
                translate(plural(len(rows), SHOWN_ONE, SHOWN)).format(count=len(rows))
            )
        self.rows_shown(len(rows))

    def select_handover(self, handover_id: int) -> None:
        self.select_where(lambda handover: handover.id == handover_id)

    # -- writing -----------------------------------------------------------------------
    def new_record(self) -> None:
        if self.may_record:
            self._open(HandoverDialog(self._runner, self.session, self.events, parent=self))

    def record_receipt(self, code: str = "") -> None:
        if not self.may_record:
            return
        self.slip_code.clear()
        self._open(
            ReceiptDialog(self._runner, self.session, self.events, code=code.strip(), parent=self)
        )

    def recall_back(self) -> None:
        handover: Handover | None = self.selected()
        if handover is None:
            return
        year, number, handovers = handover.year, handover.number, self._app.handovers
        self._runner.submit(
            lambda: handovers.recall_back(year, number),
            lambda _row: self.events.announce((HANDOVER, COPY)),
            self._failed,
            context=self,
        )

    def preview_slip(self) -> None:
        handover: Handover | None = self.selected()
        if handover is None or self.open_preview is None:
            return
        year, number, printing = handover.year, handover.number, self._app.printing
        self.open_preview(
            _(SLIP_TITLE).format(number=handover.label),
            lambda: printing.slip(year, number),
            f"handover-slip-{year}-{number}.pdf",
            evidence=EvidenceRecord.handover(handover),
        )

    def preview_labels(self) -> None:
        handover: Handover | None = self.selected()
        if handover is None or self.open_preview is None:
            return
        year, number, printing = handover.year, handover.number, self._app.printing
        self.open_preview(
            _(LABELS_TITLE).format(number=handover.label),
            lambda: printing.envelope_labels(year, number),
            f"handover-labels-{year}-{number}.pdf",
        )

    # -- evidence (issue 18) -------------------------------------------------------------
    def _record(self) -> EvidenceRecord | None:
        handover: Handover | None = self.selected()
        return None if handover is None else EvidenceRecord.handover(handover)

    def attach_scan(self) -> None:
        self.evidence.attach()

    def show_scans(self) -> None:
        self.evidence.show_scans()

    def scan_batch(self) -> None:
        if self.may_record:
            self._open(ScanBatchDialog(self._runner, self.session, self.events, parent=self))

    # -- printing ----------------------------------------------------------------------
    def _update_buttons(self, *_args: object) -> None:
        handover: Handover | None = self.selected()
        self.print_button.setEnabled(handover is not None)
        self.preview_button.setEnabled(handover is not None and self.open_preview is not None)
        self.labels_button.setEnabled(handover is not None and self.open_preview is not None)
        self.evidence.update()
        self.recall_button.setEnabled(
            handover is not None
            and handover.kind == HandoverKind.DISPATCH
            and handover.status == HandoverStatus.OPEN
        )
        if handover is None:
            self.print_button.setToolTip(_(PRINT_CHOOSE))
        else:
            self.print_button.setToolTip(_(PRINT_TITLE).format(number=handover.label))

    def print_slip(self) -> None:
        handover: Handover | None = self.selected()
        if handover is None:
            return
        year, number, printing = handover.year, handover.number, self._app.printing
        print_to_file(
            self._runner,
            self,
            self.choose_path,
            _(PRINT_TITLE).format(number=handover.label),
            f"handover-slip-{year}-{number}.pdf",
            lambda: printing.slip(year, number),
            button=self.print_button,
            status=self.status,
            on_saved=self._saved,
            on_error=self._print_failed,
        )

    def _saved(self, path: Any) -> None:
        self._update_buttons()
        self.status.setText(_(SAVED).format(path=path))
        self.saved.emit(str(path))

    def _print_failed(self, error: BaseException) -> None:
        self._update_buttons()
        count = self.model.rowCount()
        self.status.setText(translate(plural(count, SHOWN_ONE, SHOWN)).format(count=count))
        self.failed.emit(save_error_text(error))
