"""The supervising office (Cơ quan quản lý): pinned unit keys, importing report packages, the
consolidated summary and the reconciliation list (services/office/, the CLI's ``office``).

Units: each pinned unit with its last package and warnings (numbers never received); a unit
key is pinned with the code and fingerprint typed from the unit's paper report. Import: every
package found in a folder or on a USB stick is verified and stored on the worker, with one
outcome per package (accepted, gap, replay, unknown key, rolled back). Summary: the annual
statistics summed over the units, printed through the print preview. Reconciliation:
handovers between units that only one side recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.verify_package import (
    FolderChooser,
    VerifyPackageDialog,
    ask_folder,
    kind_name,
)
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import day, level_name, local_minute
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import (
    LoadingOverlay,
    compact_rows,
    label,
    size_columns,
)
from secretdesk.gui.widgets.fields import required_text
from secretdesk.gui.widgets.progress import ProgressPanel
from secretdesk.gui.write import FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.exports import Volume, list_removable_volumes

# (title, render, suggested file name) -> opens the print preview
OpenPreview = Callable[[str, Callable[[], bytes], str], None]
VolumeLister = Callable[[], list[Volume]]

OFFICE = "office"  # the entity pinning and importing touch

# Roles as plain ints: Qt asks data() for a dozen roles per painted cell, and comparing with
# the enum members costs more than the rest of data() (a 500-row import repainted in 30 ms).
DISPLAY, FOREGROUND, TOOLTIP = (
    int(Qt.ItemDataRole.DisplayRole.value),
    int(Qt.ItemDataRole.ForegroundRole.value),
    int(Qt.ItemDataRole.ToolTipRole.value),
)

TITLE = N_("Supervising office")
INTRO = N_(
    "Report packages from the units: pin each unit's key from its paper report, import the "
    "packages brought on a USB stick, then consolidate."
)
TAB_UNITS, TAB_IMPORT, TAB_SUMMARY, TAB_RECONCILE = (
    N_("Units"),
    N_("Import"),
    N_("Consolidated summary"),
    N_("Reconciliation"),
)
PIN = N_("Pin a unit key…")
NO_PACKAGE = N_("none yet")
LAST_PACKAGE = N_("No. {seq}: {kind}, {period}")
UNITS_SHOWN = N_("{count} units pinned.")
UNITS_SHOWN_ONE = N_("{count} unit pinned.")


# -- units -------------------------------------------------------------------------------------
U_CODE, U_NAME, U_FINGERPRINT, U_PINNED, U_LAST, U_IMPORTED, U_WARNINGS = range(7)


class UnitsModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        U_CODE: N_("Code"),
        U_NAME: N_("Unit"),
        U_FINGERPRINT: N_("Key fingerprint"),
        U_PINNED: N_("Pinned on"),
        U_LAST: N_("Last package"),
        U_IMPORTED: N_("Imported on"),
        U_WARNINGS: N_("Warnings"),
    }

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        role = int(role)
        if role != DISPLAY and role != FOREGROUND:
            return None
        row = self.row_object(index)
        if row is None:
            return None
        warnings = row.warnings()
        if role == FOREGROUND:
            return QBrush(QColor("#b45309")) if warnings and index.column() == U_WARNINGS else None
        last = row.last
        values = {
            U_CODE: row.unit.code,
            U_NAME: row.unit.name,
            U_FINGERPRINT: row.unit.fingerprint[:19] + "…",
            U_PINNED: local_minute(row.unit.pinned_at),
            U_LAST: _(NO_PACKAGE)
            if last is None
            else _(LAST_PACKAGE).format(
                seq=last.seq, kind=kind_name(last.kind), period=last.period
            ),
            U_IMPORTED: "—" if last is None else local_minute(last.imported_at),
            U_WARNINGS: " ".join(warnings) or "—",
        }
        return values.get(index.column())


PIN_INTRO = N_(
    "Type the unit's code and the fingerprint exactly as printed on the unit's paper report. "
    "The key is pinned only when the fingerprint matches the key file."
)
KEY_FILE = N_("Key file (unit.pub)")
UNIT_CODE = N_("Unit code")
FINGERPRINT_TYPED = N_("Fingerprint from the paper report")
NOT_READ = N_("The file could not be read: {reason}")


class PinUnitDialog(FormDialog):
    touches: ClassVar[tuple[str, ...]] = (OFFICE,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "office.fingerprint_mismatch": "fingerprint",
        "{code} is not a valid unit code.": "code",
        "the key file is for unit {named}, not {code}.": "code",
        "the file is not a minisign/signify public key.": "unit_pub",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        choose_file: Callable[[QWidget], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _("Pin a unit key"),
            intro=_(PIN_INTRO),
            ok_text=_("Pin"),
            parent=parent,
        )
        self.unit_pub = QLineEdit()
        self.add_field("unit_pub", _(KEY_FILE), self.unit_pub)
        self.code = QLineEdit()
        self.add_field("code", _(UNIT_CODE), self.code)
        self.fingerprint = QLineEdit()
        self.fingerprint.setPlaceholderText("1a2b 3c4d …")
        self.add_field("fingerprint", _(FINGERPRINT_TYPED), self.fingerprint)

    def work(self) -> Any:
        path = Path(required_text(self.unit_pub, "unit_pub"))
        code = required_text(self.code, "code")
        typed = required_text(self.fingerprint, "fingerprint")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise FieldProblem("unit_pub", _(NOT_READ).format(reason=reason)) from None
        office = self.app.office
        return lambda: office.trust(text, typed, code=code)


# -- import ------------------------------------------------------------------------------------
IMPORT_INTRO = N_(
    "Choose the USB stick or a folder holding packages; each package is verified with the "
    "pinned key of its unit and stored. A refused package changes nothing."
)
IMPORT = N_("Import")
IMPORTING = N_("Verifying and importing the packages…")
IMPORTED = N_("{accepted} of {count} packages accepted.")
IMPORTED_ONE = N_("{accepted} of {count} package accepted.")
NOTHING_FOUND = N_("No package was found in {folder}.")
CHOOSE_FOLDER = N_("Choose the stick or the folder holding the packages.")
OUTCOMES = {
    "accepted": N_("Accepted"),
    "gap": N_("Accepted, numbers missing"),
    "replay": N_("Replay"),
    "unknown_key": N_("Unknown key"),
    "rolled_back": N_("Rolled back / history rewritten"),
    "rejected": N_("Refused"),
    "cancelled": N_("Not imported (cancelled)"),
}
CANCELLED_IMPORT = N_(
    "Import cancelled: {untouched} packages were not imported and are left untouched; "
    "import them again later."
)
CANCELLED_IMPORT_ONE = N_(
    "Import cancelled: {untouched} package was not imported and is left untouched; "
    "import it again later."
)


def outcome_key(outcome: Any) -> str:
    """One word for an import outcome: what the clerk at the office needs to tell apart."""
    if outcome.accepted:
        return "gap" if any(w.code == "office.gap" for w in outcome.warnings) else "accepted"
    code = outcome.reason.code if outcome.reason is not None else ""
    if code == "office.import_cancelled":
        return "cancelled"
    if outcome.alarm:
        return "rolled_back"
    if code in ("office.replay", "office.replay_older"):
        return "replay"
    if code == "office.unknown_key":
        return "unknown_key"
    return "rejected"


I_FOLDER, I_UNIT, I_SEQ, I_WHAT, I_OUTCOME, I_DETAIL = range(6)


class OutcomesModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        I_FOLDER: N_("Package"),
        I_UNIT: N_("Unit"),
        I_SEQ: N_("No."),
        I_WHAT: N_("Report"),
        I_OUTCOME: N_("Outcome"),
        I_DETAIL: N_("Details"),
    }

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        role = int(role)
        if role != DISPLAY and role != FOREGROUND and role != TOOLTIP:
            return None
        outcome = self.row_object(index)
        if outcome is None:
            return None
        if role == FOREGROUND and index.column() != I_OUTCOME:
            return None
        key = outcome_key(outcome)
        if role == FOREGROUND:
            colour = {"accepted": "#15803d", "gap": "#b45309", "cancelled": "#475569"}.get(
                key, "#b91c1c"
            )
            return QBrush(QColor(colour))
        details = [w.render() for w in outcome.warnings]
        if outcome.reason is not None:
            details.insert(0, outcome.reason.render())
        if role == TOOLTIP:  # the whole reason, however long
            return " ".join(details) or None
        values = {
            I_FOLDER: outcome.folder.name,
            I_UNIT: outcome.unit_code or "—",
            I_SEQ: "—" if outcome.seq is None else str(outcome.seq),
            I_WHAT: f"{kind_name(outcome.kind or '')} {outcome.period or ''}".strip() or "—",
            I_OUTCOME: _(OUTCOMES[key]),
            I_DETAIL: " ".join(details) or "—",
        }
        return values.get(index.column())

    def outcome_at(self, row: int) -> Any:
        return self._rows[row]


# -- summary and reconciliation ----------------------------------------------------------------
S_CODE, S_NAME, S_SEQ, S_WINDOW, S_TOTAL = range(5)
LEVELS = sorted(Level, key=lambda level: -level.rank)


class SummaryModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        S_CODE: N_("Code"),
        S_NAME: N_("Unit"),
        S_SEQ: N_("Package"),
        S_WINDOW: N_("Reporting window"),
        S_TOTAL: N_("Copies held"),
    }

    def columnCount(self, parent: Index | None = None) -> int:
        return len(self.columns) + len(LEVELS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section >= len(self.columns)
        ):
            return level_name(LEVELS[section - len(self.columns)])
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_object(index)
        if row is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column >= len(self.columns):
            return str(row.held_by_level.get(LEVELS[column - len(self.columns)], 0))
        values = {
            S_CODE: row.code,
            S_NAME: row.name,
            S_SEQ: str(row.seq),
            S_WINDOW: f"{day(row.window[0])} – {day(row.window[1])}",
            S_TOTAL: str(sum(row.held_by_level.values())),
        }
        return values.get(column)


SHOW = N_("Show")
PRINT_SUMMARY = N_("Print preview…")
SUMMARY_TITLE = N_("Consolidated report {year}")
MISSING = N_("No annual report received from: {units}.")
TOTAL_HELD = N_("Copies held by all units: {count}.")
NO_DISCREPANCY = N_("Every handover between the units was recorded by both sides.")
DISCREPANCIES = N_("{count} handovers recorded by one side only.")
DISCREPANCIES_ONE = N_("{count} handover recorded by one side only.")


class OfficePage(QWidget):
    units_loaded = Signal(int)
    imported = Signal(object)  # list of ImportOutcome
    summary_loaded = Signal(object)
    reconciled = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        open_preview: OpenPreview,
        *,
        volumes: VolumeLister = list_removable_volumes,
        choose_folder: FolderChooser = ask_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.open_preview = open_preview
        self.volumes = volumes
        self.choose_folder = choose_folder
        self.dialog: QDialog | None = None
        year = self._app.ctx.today().year
        writer = self._app.actor.can(Permission.RECORD)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_(TITLE), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # units
        units = QWidget()
        column = QVBoxLayout(units)
        row = QHBoxLayout()
        self.pin_button = QPushButton(_(PIN))
        self.pin_button.clicked.connect(self.pin_unit)
        self.pin_button.setVisible(self._app.actor.can(Permission.MANAGE_USERS))
        row.addWidget(self.pin_button)
        row.addStretch(1)
        column.addLayout(row)
        self.units_model = UnitsModel(self)
        self.units_table = self._table(self.units_model, U_NAME)  # long names elide
        column.addWidget(self.units_table, 1)
        self.units_status = label("", "muted", wrap=False)
        column.addWidget(self.units_status)
        self.tabs.addTab(units, _(TAB_UNITS))

        # import
        imports = QWidget()
        column = QVBoxLayout(imports)
        column.addWidget(label(_(IMPORT_INTRO), "muted"))
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_(CHOOSE_FOLDER))
        row.addWidget(self.folder, 1)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        self.import_button = QPushButton(_(IMPORT))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_packages)
        self.import_button.setEnabled(writer)
        row.addWidget(self.import_button)
        verify = QPushButton(_("Verify a package…"))
        verify.clicked.connect(self.verify_package)
        row.addWidget(verify)
        column.addLayout(row)
        self.import_error = label("", "error")
        self.import_error.hide()
        column.addWidget(self.import_error)
        self.import_progress = ProgressPanel()  # steps, and Cancel between packages
        column.addWidget(self.import_progress)
        self.import_status = label("", "muted", wrap=False)
        column.addWidget(self.import_status)
        self.outcomes = OutcomesModel(self)
        self.outcomes_table = self._table(self.outcomes, I_DETAIL)
        for section in range(I_DETAIL):
            self.outcomes_table.horizontalHeader().setSectionResizeMode(
                section, QHeaderView.ResizeMode.Interactive
            )
        column.addWidget(self.outcomes_table, 1)
        self.tabs.addTab(imports, _(TAB_IMPORT))

        # summary
        summary = QWidget()
        column = QVBoxLayout(summary)
        row = QHBoxLayout()
        row.addWidget(label(_("Year"), wrap=False))
        self.summary_year = self._year(year)
        row.addWidget(self.summary_year)
        show = QPushButton(_(SHOW))
        show.clicked.connect(self.load_summary)
        row.addWidget(show)
        self.print_button = QPushButton(_(PRINT_SUMMARY))
        self.print_button.clicked.connect(self.preview_summary)
        row.addWidget(self.print_button)
        row.addStretch(1)
        column.addLayout(row)
        self.summary_model = SummaryModel(self)
        self.summary_table = self._table(self.summary_model, S_NAME)
        column.addWidget(self.summary_table, 1)
        self.summary_status = label("", "muted")
        column.addWidget(self.summary_status)
        self.tabs.addTab(summary, _(TAB_SUMMARY))

        # reconciliation
        reconcile = QWidget()
        column = QVBoxLayout(reconcile)
        row = QHBoxLayout()
        row.addWidget(label(_("Year"), wrap=False))
        self.reconcile_year = self._year(year)
        row.addWidget(self.reconcile_year)
        show = QPushButton(_(SHOW))
        show.clicked.connect(self.load_reconciliation)
        row.addWidget(show)
        row.addStretch(1)
        column.addLayout(row)
        self.reconcile_status = label("", "muted")
        column.addWidget(self.reconcile_status)
        self.reconcile_list = label("", selectable=True)
        self.reconcile_list.setAlignment(Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.reconcile_list, 1)
        self.tabs.addTab(reconcile, _(TAB_RECONCILE))

        events.changed.connect(self._vault_changed)

    # -- building ----------------------------------------------------------------------
    @staticmethod
    def _table(model: RowsTableModel, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        LoadingOverlay.install(table)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        compact_rows(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    @staticmethod
    def _year(year: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(2000, 2999)
        spin.setValue(year)
        return spin

    # -- units -------------------------------------------------------------------------
    def refresh(self) -> None:
        office = self._app.office
        self.units_model.load(
            self._runner, office.units_overview, self._show_units, self._failed, context=self
        )
        if not self.folder.text():
            self._runner.submit(self.volumes, self._show_volumes, lambda _e: None, context=self)

    def _show_units(self, rows: list[Any]) -> None:
        self.units_model.set_rows(rows)
        self.units_status.setText(
            translate(plural(len(rows), UNITS_SHOWN_ONE, UNITS_SHOWN)).format(count=len(rows))
        )
        self.units_loaded.emit(len(rows))

    def _show_volumes(self, volumes: list[Volume]) -> None:
        if volumes and not self.folder.text():
            self.folder.setText(str(volumes[0].mount_point))

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if OFFICE in entities and self.isVisible():
            self.refresh()

    def pin_unit(self) -> PinUnitDialog:
        dialog = PinUnitDialog(self._runner, self.session, self.events, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- import ------------------------------------------------------------------------
    def verify_package(self) -> VerifyPackageDialog:
        """Check one package without importing it (the receiving side's screen)."""
        dialog = VerifyPackageDialog(self._runner, choose_folder=self.choose_folder, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _browse(self) -> None:
        folder = self.choose_folder(self, _(TAB_IMPORT))
        if folder is not None:
            self.folder.setText(str(folder))

    def import_packages(self) -> None:
        if self.import_progress.running:
            return
        self.import_error.hide()
        text = self.folder.text().strip()
        if not text:
            self.import_error.setText(_(CHOOSE_FOLDER))
            self.import_error.show()
            return
        folder = Path(text)
        office = self._app.office
        from secretdesk.services.office import find_packages

        progress = self.import_progress.start(_(IMPORTING))

        def work() -> tuple[Path, list[Any]]:
            return folder, office.import_packages(find_packages([folder]), progress)

        self.import_button.setEnabled(False)
        self.import_status.setText("")
        self._runner.submit(work, self._imported, self._import_failed, context=self)

    def cancel_import(self) -> None:
        self.import_progress.cancel()

    def _imported(self, result: tuple[Path, list[Any]]) -> None:
        folder, outcomes = result
        self.import_progress.finish()
        self.import_button.setEnabled(True)
        self.outcomes.set_rows(outcomes)
        accepted = sum(1 for outcome in outcomes if outcome.accepted)
        if outcomes:
            text = translate(plural(len(outcomes), IMPORTED_ONE, IMPORTED)).format(
                accepted=accepted, count=len(outcomes)
            )
        else:
            text = _(NOTHING_FOUND).format(folder=folder)
        untouched = sum(1 for outcome in outcomes if outcome_key(outcome) == "cancelled")
        if untouched:
            cancelled = plural(untouched, CANCELLED_IMPORT_ONE, CANCELLED_IMPORT)
            text += " " + translate(cancelled).format(untouched=untouched)
        self.import_status.setText(text)
        # Widths from the first rows only: measuring 500 rows would stall the window.
        model, shown = self.outcomes, min(len(outcomes), 40)
        size_columns(
            self.outcomes_table,
            {c: [str(model.index(r, c).data()) for r in range(shown)] for c in range(I_DETAIL)},
        )
        self.events.announce({OFFICE})
        self.imported.emit(outcomes)

    def _import_failed(self, error: BaseException) -> None:
        self.import_progress.finish()
        self.import_button.setEnabled(True)
        self.import_status.setText("")
        self.import_error.setText(error_text(error))
        self.import_error.show()

    # -- summary -----------------------------------------------------------------------
    def load_summary(self) -> None:
        office, period = self._app.office, str(self.summary_year.value())
        self._runner.submit(
            lambda: office.summary(period), self._show_summary, self._failed, context=self
        )

    def _show_summary(self, summary: Any) -> None:
        self.summary_model.set_rows(summary.units)
        lines = [_(TOTAL_HELD).format(count=sum(summary.held_by_level.values()))]
        if summary.missing:
            lines.append(_(MISSING).format(units=", ".join(summary.missing)))
        self.summary_status.setText(" ".join(lines))
        self.summary_loaded.emit(summary)

    def preview_summary(self) -> None:
        office, year = self._app.office, self.summary_year.value()
        self.open_preview(
            _(SUMMARY_TITLE).format(year=year),
            lambda: office.summary(str(year)).pdf,
            f"office-summary-{year}.pdf",
        )

    # -- reconciliation ----------------------------------------------------------------
    def load_reconciliation(self) -> None:
        office, period = self._app.office, str(self.reconcile_year.value())
        self._runner.submit(
            lambda: office.reconcile(period), self._show_reconciliation, self._failed, context=self
        )

    def _show_reconciliation(self, found: list[Any]) -> None:
        if found:
            self.reconcile_status.setText(
                translate(plural(len(found), DISCREPANCIES_ONE, DISCREPANCIES)).format(
                    count=len(found)
                )
            )
        else:
            self.reconcile_status.setText(_(NO_DISCREPANCY))
        self.reconcile_list.setText("\n".join(f"• {d.describe()}" for d in found))
        self.reconciled.emit(found)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
