"""Dashboard: the work to do, the last export and the air gap, the unit, the state of the audit
chain and the vault's self-test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.roles import Permission
from secretdesk.gui.models.formats import local_day
from secretdesk.gui.models.self_test_model import CHECK, DETAIL, RESULT, SelfTestModel
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import align_forms, card, label
from secretdesk.i18n import N_, _, plural, translate

if TYPE_CHECKING:
    from secretdesk.services.maintenance import SelfTestReport

CHAIN_OK = N_("Intact: all {count} events were checked and link correctly.")
CHAIN_OK_ONE = N_("Intact: the one event was checked.")
CHAIN_BROKEN = N_("BROKEN at event {seq}: {reason}. Report this to the administrator at once.")
CHECKING = N_("Checking…")
OVERDUE = N_("Handovers past their deadline: {count}")
WAITING = N_("Copy requests waiting for approval: {count}")
EXPIRING = N_("Items whose protection ends within 90 days: {count}")
DRAFTS = N_("Drafts not finalised or destroyed: {count}")

NO_EXPORT = N_("No export yet.")
LAST_EXPORT = N_("No. {seq}: {kind} for {period}, {date}.")
EXPORT_KINDS = {
    "annual": N_("the annual report"),
    "inventory": N_("the inventory"),
    "registers": N_("the registers"),
    "audit": N_("the audit log"),
}
EXPORT_OUTCOMES = {
    "written": N_("Written and confirmed."),
    "failed": N_("Failed: nothing usable was written."),
    "unconfirmed": N_(
        "Not confirmed: the program stopped before the package was written. Check the stick."
    ),
}
AIR_GAP_OK = N_("No network connection seen: this computer is air-gapped.")
AIR_GAP_BAD = N_("Not air-gapped:")


@dataclass(frozen=True)
class WorkCounts:
    overdue: int
    waiting: int
    expiring: int
    drafts: int


def count_work(app: Any) -> WorkCounts:
    """The clerk's work list as counts (runs on the worker)."""
    return WorkCounts(
        overdue=len(app.handovers.overdue()),
        waiting=len(app.copies.pending()),
        expiring=len(app.classification.expiring()),
        drafts=len(app.drafts.list(status="working")),
    )


class DashboardPage(QWidget):
    verified = Signal(object)  # ChainVerification, for whoever wants to know (tests, status)
    self_tested = Signal(object)  # SelfTestReport
    failed = Signal(str)  # a message for the window to show
    open_list = Signal(str, str)  # page key, filter: a count was clicked
    counted = Signal(object)  # WorkCounts

    exported = Signal(object)  # the LastExport shown, or None

    def __init__(
        self,
        runner: Runner,
        session: Session,
        parent: QWidget | None = None,
        *,
        watch: NetworkWatch | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._watch = watch
        self._app = session.app
        self._verifier = session.app.actor.can(Permission.VERIFY)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget()
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(label(_("Dashboard"), "title"))

        work_card, work_layout = card(label(_("Work to do"), "section"))
        self.count_buttons: dict[str, QPushButton] = {}
        for key, page, option in (
            ("overdue", "handovers", "open"),
            ("waiting", "copies", "waiting"),
            ("expiring", "registers", ""),
            ("drafts", "drafts", "working"),
        ):
            button = QPushButton("…")
            mark(button, "link")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _c=False, p=page, o=option: self.open_list.emit(p, o))
            work_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.count_buttons[key] = button
        layout.addWidget(work_card)

        state_card, state_layout = card(label(_("Exports and air gap"), "section"))
        form = state_form = self._form(state_layout)
        self.last_export = label("…", selectable=True, wrap=False)
        form.addRow(_("Last export:"), self.last_export)
        self.air_gap = label("…", selectable=True, wrap=False)
        form.addRow(_("Air gap:"), self.air_gap)
        self.air_gap.setVisible(watch is not None)
        form.labelForField(self.air_gap).setVisible(watch is not None)
        if watch is not None:
            watch.changed.connect(self.show_air_gap)
            self.show_air_gap(watch.warnings)
        layout.addWidget(state_card)

        unit = session.unit
        unit_card, unit_layout = card(label(_("Unit"), "section"))
        form = unit_form = self._form(unit_layout)
        form.addRow(_("Unit name:"), label(unit.name, selectable=True, wrap=False))
        form.addRow(_("Unit code:"), label(unit.code, selectable=True, wrap=False))
        superior = label(unit.superior_body or "—", selectable=True, wrap=False)
        form.addRow(_("Superior body:"), superior)
        self.fingerprint = label(unit.key_fingerprint, "mono", selectable=True, wrap=False)
        form.addRow(_("Key fingerprint:"), self.fingerprint)
        # The approver-post check is opt-in until the unit gives a post: said here (issue 14).
        self.posts_warning = label("", selectable=True)
        form.addRow(_("Approver posts:"), self.posts_warning)
        self._posts_caption = form.labelForField(self.posts_warning)
        self._show_posts_gap(None)
        layout.addWidget(unit_card)

        audit_card, audit_layout = card(label(_("Audit log"), "section"))
        form = audit_form = self._form(audit_layout)
        self.head_seq = label("…", selectable=True, wrap=False)
        self.head_hash = label("…", "mono", selectable=True, wrap=False)
        form.addRow(_("Last event:"), self.head_seq)
        form.addRow(_("Chain head:"), self.head_hash)
        row = QHBoxLayout()
        self.verification = label(_(CHECKING), selectable=True)
        row.addWidget(self.verification, 1)
        self.verify_button = QPushButton(_("Verify again"))
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignTop)
        audit_layout.addLayout(row)
        layout.addWidget(audit_card)
        audit_card.setVisible(self._verifier)  # absent, not an error, without the right
        align_forms(state_form, unit_form, audit_form)

        test_card, test_layout = card(label(_("Self-test of this computer and vault"), "section"))
        self.self_test_model = SelfTestModel(self)
        self.self_test_table = QTableView()
        self.self_test_table.setModel(self.self_test_model)
        self.self_test_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.self_test_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.self_test_table.verticalHeader().hide()
        self.self_test_table.setWordWrap(False)
        header = self.self_test_table.horizontalHeader()
        header.setSectionResizeMode(CHECK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        test_layout.addWidget(self.self_test_table)
        self.self_test_button = QPushButton(_("Run the self-test again"))
        self.self_test_button.clicked.connect(self.run_self_test)
        self.full_check_button = QPushButton(_("Full database check"))
        self.full_check_button.setToolTip(
            _(
                "Also checks the structure of every table and index: several times as long"
                " as the self-test on a large register."
            )
        )
        self.full_check_button.clicked.connect(self.run_full_check)
        buttons = self._right(self.full_check_button)
        buttons.addWidget(self.self_test_button)
        test_layout.addLayout(buttons)
        layout.addWidget(test_card)
        test_card.setVisible(self._verifier)
        layout.addStretch(1)

    @staticmethod
    def _form(layout: QVBoxLayout) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)
        return form

    @staticmethod
    def _right(button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        return row

    def refresh(self) -> None:
        self.refresh_counts()
        if self._verifier:
            self.verify()
            self.run_self_test()

    # -- work to do --------------------------------------------------------------------
    def refresh_counts(self) -> None:
        app = self._app
        self._runner.submit(lambda: count_work(app), self._show_counts, self._failed, context=self)
        self._runner.submit(
            lambda: app.exports.last(), self._show_export, self._failed, context=self
        )
        self._runner.submit(app.approvers.gap, self._show_posts_gap, self._failed, context=self)
        if self._watch is not None:
            self.show_air_gap(self._watch.warnings)

    def _show_posts_gap(self, gap: Any) -> None:
        """The ApproverService.gap() message, or None: the row shows only when there is one."""
        self.posts_warning.setText("⚠ " + gap.render() if gap is not None else "")
        mark(self.posts_warning, "alert")
        self.posts_warning.setVisible(gap is not None)
        self._posts_caption.setVisible(gap is not None)

    def _show_export(self, last: Any) -> None:
        """The LastExport from the export service, or None."""
        if last is None:
            self.last_export.setText(_(NO_EXPORT))
            mark(self.last_export, "muted")
        else:
            kind = EXPORT_KINDS.get(last.kind)
            line = _(LAST_EXPORT).format(
                seq=last.seq,
                kind=_(kind) if kind else last.kind,
                period=last.period,
                date=local_day(last.started_at),
            )
            outcome = EXPORT_OUTCOMES.get(last.outcome)
            self.last_export.setText(f"{line} {_(outcome) if outcome else last.outcome}")
            mark(self.last_export, "ok" if last.outcome == "written" else "alert")
        self.exported.emit(last)

    def show_air_gap(self, warnings: list[str]) -> None:
        """The air-gap watch's warnings (translated), one a line; none: air-gapped."""
        if warnings:
            self.air_gap.setText("\n".join(["✗ " + _(AIR_GAP_BAD), *warnings]))
            mark(self.air_gap, "bad")
        else:
            self.air_gap.setText("✓ " + _(AIR_GAP_OK))
            mark(self.air_gap, "ok")

    def _show_counts(self, counts: WorkCounts) -> None:
        texts = {
            "overdue": _(OVERDUE).format(count=counts.overdue),
            "waiting": _(WAITING).format(count=counts.waiting),
            "expiring": _(EXPIRING).format(count=counts.expiring),
            "drafts": _(DRAFTS).format(count=counts.drafts),
        }
        for key, text in texts.items():
            self.count_buttons[key].setText(text)
        self.counted.emit(counts)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))

    # -- audit chain -------------------------------------------------------------------
    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verification.setText(_(CHECKING))
        mark(self.verification, "")
        audit = self._app.audit
        self._runner.submit(
            lambda: (audit.head(), audit.verify()),
            self._show_chain,
            self._chain_failed,
            context=self,
        )

    def _show_chain(self, result: tuple[Any, Any]) -> None:
        """(ChainHead, ChainVerification) from the audit service."""
        head, verification = result
        self.verify_button.setEnabled(True)
        self.head_seq.setText(_("No. {seq}").format(seq=head.seq))
        self.head_hash.setText(head.hash)
        if verification.ok:
            self.verification.setText(
                "✓ "
                + translate(plural(verification.events, CHAIN_OK_ONE, CHAIN_OK)).format(
                    count=verification.events
                )
            )
            mark(self.verification, "ok")
        else:
            text = _(CHAIN_BROKEN).format(
                seq=verification.first_bad_seq, reason=verification.reason
            )
            self.verification.setText("✗ " + text)
            mark(self.verification, "bad")
        self.verified.emit(verification)

    def _chain_failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verification.setText(error_text(error))
        mark(self.verification, "bad")

    # -- self-test ---------------------------------------------------------------------
    def run_self_test(self, full: bool = False) -> None:
        self.self_test_button.setEnabled(False)
        self.full_check_button.setEnabled(False)
        maintenance = self._app.maintenance
        found = list(getattr(self._app, "restore_leftovers", []))  # settled at the unlock
        self._runner.submit(
            lambda: maintenance.self_test(found, full=full),
            self._show_self_test,
            self._self_test_failed,
            context=self,
        )

    def run_full_check(self) -> None:
        """The self-test with the structure of every table and index checked too."""
        self.run_self_test(full=True)

    def _show_self_test(self, report: SelfTestReport) -> None:
        self.self_test_button.setEnabled(True)
        self.full_check_button.setEnabled(True)
        self.self_test_model.set_rows(report.checks)
        self._fit_table_height()
        self.self_tested.emit(report)

    def _fit_table_height(self) -> None:
        """Show every check without an inner scroll bar or empty space below."""
        table = self.self_test_table
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(self.self_test_model.rowCount()))
        frame = 2 * table.frameWidth()
        table.setFixedHeight(table.horizontalHeader().height() + rows + frame)

    def _self_test_failed(self, error: BaseException) -> None:
        self.self_test_button.setEnabled(True)
        self.full_check_button.setEnabled(True)
        self.failed.emit(error_text(error))
