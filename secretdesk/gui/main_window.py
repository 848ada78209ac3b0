"""The main window: navigation on the left, one page per part of the register."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from secretdesk import i18n
from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.evidence import EvidenceRecord
from secretdesk.gui.dialogs.print_preview import PrinterChooser, PrintPreview, ask_printer
from secretdesk.gui.dialogs.scans_window import TITLES as SCANS_TITLES
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.audit_page import AuditPage
from secretdesk.gui.views.classification_page import ClassificationPage
from secretdesk.gui.views.copies_page import CopiesPage
from secretdesk.gui.views.dashboard_page import DashboardPage
from secretdesk.gui.views.destruction_page import DestructionPage
from secretdesk.gui.views.drafts_page import DraftsPage
from secretdesk.gui.views.exports_page import ExportsPage
from secretdesk.gui.views.handovers_page import HandoversPage
from secretdesk.gui.views.incidents_page import IncidentsPage
from secretdesk.gui.views.muster_page import MusterPage
from secretdesk.gui.views.office_page import OfficePage
from secretdesk.gui.views.permits_page import PermitsPage
from secretdesk.gui.views.registers_page import RegistersPage
from secretdesk.gui.views.reports_page import ReportsPage
from secretdesk.gui.views.settings_page import SettingsPage
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.pdf_export import PathChooser, ask_pdf_path
from secretdesk.gui.widgets.scans import ScansPanel
from secretdesk.gui.widgets.warning_banner import WarningBanner
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import N_, _

# Page keys in navigation order, with their (translated) names.
DASHBOARD, REGISTERS, HANDOVERS, AUDIT = "dashboard", "registers", "handovers", "audit"
COPIES, DRAFTS = "copies", "drafts"
REPORTS, EXPORTS, OFFICE, SETTINGS = "reports", "export", "office", "settings"
ALL_PAGES = {
    DASHBOARD: N_("Dashboard"),
    REGISTERS: N_("Registers"),
    DRAFTS: N_("Drafts"),
    HANDOVERS: N_("Handovers"),
    COPIES: N_("Copying"),
    "destruction": N_("Destruction"),
    "permits": N_("Permits"),
    "classification": N_("Classification"),
    "incidents": N_("Incidents"),
    "muster": N_("Inventory and muster"),
    REPORTS: N_("Reports"),
    EXPORTS: N_("Export"),
    OFFICE: N_("Supervising office"),
    AUDIT: N_("Audit log"),
    SETTINGS: N_("Settings"),
}
PAGES = ALL_PAGES  # the pages of a user who may see everything
# The supervising office's vault keeps no register of its own: it pins unit keys, imports
# their packages and consolidates (DOMAIN.md §8). A unit's vault has no office pages.
OFFICE_PAGES = (OFFICE, AUDIT, SETTINGS)
SCAN_PREFIX = "SDH1"  # a slip code typed or scanned anywhere in the window
DEFAULT_SIZE = (1280, 720)
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
LANGUAGE_ON_RESTART = N_("The language will change the next time SecretDesk starts.")
IDLE_NOTE = N_("Locks itself after {minutes} min without input")
ABOUT = N_(
    "SecretDesk keeps the custody register of classified documents on a computer that is "
    "never connected to a network. Everything is stored encrypted in the vault."
)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    quit_requested = Signal()
    language_chosen = Signal(str)
    idle_minutes_chosen = Signal(int)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        *,
        watch: NetworkWatch | None = None,
        idle_minutes: int | None = None,
        preferences: Preferences | None = None,
        choose_path: PathChooser = ask_pdf_path,
        choose_printer: PrinterChooser = ask_printer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._preferences = preferences
        self.choose_path = choose_path
        self.choose_printer = choose_printer
        self.events = VaultEvents(self)
        self.preview: PrintPreview | None = None
        self._typed = ""
        actor = session.app.actor
        self.setWindowTitle(
            _("{unit} — {user} — SecretDesk").format(
                unit=session.unit.name, user=session.display_name
            )
        )
        self._fit_screen()
        self._build_menus()

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = WarningBanner(watch)
        outer.addWidget(self.banner)
        outer.addWidget(self._header(session))
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        outer.addLayout(body, 1)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(210)
        body.addWidget(self.navigation)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        events, preview = self.events, self.open_preview
        self.dashboard = DashboardPage(runner, session, watch=watch)
        self.registers = RegistersPage(
            runner, session, choose_path=choose_path, events=events, open_preview=preview
        )
        self.handovers = HandoversPage(
            runner, session, choose_path=choose_path, events=events, open_preview=preview
        )
        self.copies = CopiesPage(runner, session, events)
        self.drafts = DraftsPage(runner, session, events)
        self.audit = AuditPage(runner, session)
        self.destruction = DestructionPage(runner, session, events, open_preview=preview)
        self.permits = PermitsPage(runner, session, events, open_preview=preview)
        self.classification = ClassificationPage(runner, session, events)
        self.incidents = IncidentsPage(runner, session, events)
        self.muster = MusterPage(runner, session, events, open_preview=preview)
        self.reports = ReportsPage(runner, session, events, preview)
        self.exports = ExportsPage(runner, session, events)
        self.office = OfficePage(runner, session, events, preview)
        self.settings = SettingsPage(runner, session, events, preferences=preferences)
        self.settings.language_chosen.connect(self._choose_language)
        self.settings.idle_minutes_chosen.connect(self.idle_minutes_chosen.emit)
        built: dict[str, QWidget] = {
            DASHBOARD: self.dashboard,
            REGISTERS: self.registers,
            HANDOVERS: self.handovers,
            COPIES: self.copies,
            DRAFTS: self.drafts,
            AUDIT: self.audit,
            "destruction": self.destruction,
            "permits": self.permits,
            "classification": self.classification,
            "incidents": self.incidents,
            "muster": self.muster,
            REPORTS: self.reports,
            EXPORTS: self.exports,
            OFFICE: self.office,
            SETTINGS: self.settings,
        }
        # What a role may not see is absent, not an error (a council member has no audit page).
        self.page_keys = [
            key
            for key in ALL_PAGES
            if (key in OFFICE_PAGES if session.unit.office else key != OFFICE)
            and (key != AUDIT or actor.can(Permission.VERIFY))
        ]
        self.pages: dict[str, QWidget] = {}
        for key in self.page_keys:
            title = ALL_PAGES[key]
            page = built[key]
            self.pages[key] = page
            self.stack.addWidget(page)
            self.navigation.addItem(_(title))
        for built_page in (
            self.dashboard,
            self.registers,
            self.handovers,
            self.copies,
            self.drafts,
            self.audit,
            self.destruction,
            self.permits,
            self.classification,
            self.incidents,
            self.muster,
            self.reports,
            self.exports,
            self.office,
            self.settings,
        ):
            built_page.failed.connect(self.show_error)
        self.events.changed.connect(self._vault_changed)
        self.dashboard.open_list.connect(self.open_list)
        self.navigation.currentRowChanged.connect(self._page_chosen)
        self.navigation.setCurrentRow(0)

        status = self.statusBar()
        role = actor.role.label()
        status.addWidget(
            QLabel(_("Signed in: {user} ({role})").format(user=session.display_name, role=role))
        )
        self.busy_label = QLabel(_("Working…"))
        self.busy_label.hide()
        status.addPermanentWidget(self.busy_label)
        if idle_minutes:
            status.addPermanentWidget(QLabel(_(IDLE_NOTE).format(minutes=idle_minutes)))
        runner.busy_changed.connect(self.busy_label.setVisible)

    # -- building ----------------------------------------------------------------------
    def _header(self, session: Session) -> QFrame:
        header = QFrame()
        mark(header, "header")
        row = QHBoxLayout(header)
        row.setContentsMargins(18, 10, 18, 10)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.unit_label = label(session.unit.name)
        self.unit_label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        names.addWidget(self.unit_label)
        code = _("Office code: {code}") if session.unit.office else _("Unit code: {code}")
        details = [code.format(code=session.unit.code)]
        if session.unit.superior_body:
            details.append(session.unit.superior_body)
        names.addWidget(label(" · ".join(details)))
        row.addLayout(names, 1)
        who = QVBoxLayout()
        who.setSpacing(0)
        user = label(session.display_name, wrap=False)
        user.setStyleSheet("font-weight: 600;")
        role = label(session.app.actor.role.label(), wrap=False)
        for part in (user, role):
            part.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            who.addWidget(part)
        row.addLayout(who)
        row.addSpacing(12)
        self.lock_button = QPushButton(_("Lock"))
        self.lock_button.setToolTip(_("Lock the vault now (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock_requested.emit)
        row.addWidget(self.lock_button)
        return header

    def _fit_screen(self) -> None:
        """The saved size, else 1280x720, never larger than the screen (1366x768 fits)."""
        width, height = DEFAULT_SIZE
        saved = self._preferences.window_size if self._preferences else None
        if saved:
            width, height = saved
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width()), min(height, room.height() - 30)
        self.resize(width, height)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(_("&File"))
        for text, keys, slot in (
            (_("&New…"), QKeySequence.StandardKey.New, self.new_record),
            (_("&Search"), QKeySequence.StandardKey.Find, self.focus_search),
            (_("&Print preview…"), QKeySequence.StandardKey.Print, self.print_current),
            (_("&Refresh"), QKeySequence(Qt.Key.Key_F5), self.refresh_current),
        ):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested.emit)
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_requested.emit)
        file_menu.addAction(quit_action)

        language_menu = menus.addMenu(_("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = QAction(LANGUAGE_NAMES.get(code, code), self, checkable=True)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _checked=False, c=code: self._choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action

        help_menu = menus.addMenu(_("&Help"))
        about = QAction(_("&About SecretDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    # -- behaviour ---------------------------------------------------------------------
    def start(self) -> None:
        """Load what the first page shows (on the worker)."""
        if self.page_keys[0] == DASHBOARD:
            self.dashboard.refresh()
        else:
            self.refresh_current()

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self.page_keys.index(key))

    def current_page(self) -> str:
        return self.page_keys[self.stack.currentIndex()]

    def _page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.refresh_current()

    def refresh_current(self) -> None:
        page = self.pages[self.current_page()]
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    def new_record(self) -> None:
        """Ctrl+N: the "new" of the page shown (an entry, a handover, a copy request)."""
        action = getattr(self.pages[self.current_page()], "new_record", None)
        if action is not None:
            action()

    def focus_search(self) -> None:
        page = self.pages[self.current_page()]
        focus = getattr(page, "focus_search", None)
        if focus is not None:
            focus()
        elif self.current_page() != REGISTERS and REGISTERS in self.page_keys:
            self.show_page(REGISTERS)
            self.registers.focus_search()

    def print_current(self) -> None:
        """Ctrl+P: the page's printout in the print preview."""
        page = self.current_page()
        if page == REGISTERS:
            self.registers.preview_register()
        elif page == HANDOVERS:
            self.handovers.preview_slip()
        elif page == "destruction":
            self.destruction.preview_minutes()
        elif page == "permits":
            self.permits.preview_permit()
        elif page == "muster":
            self.muster.preview_inventory()
        elif page == REPORTS:
            self.reports.print_current()

    def open_list(self, key: str, option: str) -> None:
        """A dashboard count opens its list, filtered."""
        if key not in self.page_keys:
            return
        self.show_page(key)
        if key == HANDOVERS:
            self.handovers.open_only.setChecked(option == "open")
        elif key == COPIES:
            self.copies.waiting_only.setChecked(option == "waiting")
        elif key == DRAFTS:
            self.drafts.status_filter.setCurrentIndex(
                max(0, self.drafts.status_filter.findData(option or None))
            )

    def open_preview(
        self,
        title: str,
        render: Callable[[], bytes],
        suggested: str,
        *,
        evidence: EvidenceRecord | None = None,
    ) -> None:
        """The print preview of the bytes ``render`` makes on the worker; with ``evidence``,
        that record's scans beside it (issue 18)."""
        side = None
        if evidence is not None:
            side = ScansPanel(self._runner, self.session, self.events, evidence, vertical=True)
        self.preview = PrintPreview(
            self._runner,
            title,
            render,
            suggested,
            choose_path=self.choose_path,
            choose_printer=self.choose_printer,
            side=side,
            side_title=evidence.text(SCANS_TITLES) if evidence is not None else "",
            parent=self,
        )
        self.preview.open()

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if self.current_page() == AUDIT and AUDIT in entities:
            self.audit.refresh()
        if self.current_page() == DASHBOARD:
            self.dashboard.refresh_counts()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A slip code typed or scanned while no field has the focus, ended by Enter."""
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed, self._typed = self._typed, ""
            if typed.upper().startswith(SCAN_PREFIX) and "handovers" in self.pages:
                self.show_page(HANDOVERS)
                self.handovers.record_receipt(typed)
                return
        elif text and text.isprintable():
            self._typed = (self._typed + text)[-64:]
            if not SCAN_PREFIX.startswith(self._typed.upper()[:4]):
                self._typed = text if SCAN_PREFIX.startswith(text.upper()) else ""
            return
        super().keyPressEvent(event)

    def _choose_language(self, code: str) -> None:
        """The controller switches the language live: it builds the window again in it."""
        if code != i18n.current_language():
            self.language_chosen.emit(code)

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("About SecretDesk"),
            _(ABOUT),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()

    def show_error(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "SecretDesk", message, QMessageBox.StandardButton.Ok, self
        )
        box.open()

    def view_state(self) -> dict[str, object]:
        """What the clerk was looking at: the page, the filters and the selected entry."""
        registers = self.registers
        return {
            "page": self.current_page(),
            "search": registers.search.text(),
            "register": registers.register_filter.currentIndex(),
            "level": registers.level_filter.currentIndex(),
            "open_only": self.handovers.open_only.isChecked(),
            "waiting_only": self.copies.waiting_only.isChecked(),
            "item": registers._shown_id,
        }

    def restore_view(self, state: dict[str, object]) -> None:
        """After unlocking again: the same page, filters and selection come back."""
        registers = self.registers
        registers.search.blockSignals(True)  # no delayed search: the page loads when shown
        registers.search.setText(str(state.get("search", "")))
        registers.search.blockSignals(False)
        for combo, key in (
            (registers.register_filter, "register"),
            (registers.level_filter, "level"),
        ):
            index = state.get(key)
            if isinstance(index, int) and 0 <= index < combo.count():
                combo.setCurrentIndex(index)
        item = state.get("item")
        registers._shown_id = item if isinstance(item, int) else None
        self.handovers.open_only.setChecked(bool(state.get("open_only")))
        self.copies.waiting_only.setChecked(bool(state.get("waiting_only")))
        page = state.get("page")
        if isinstance(page, str) and page in self.page_keys:
            self.show_page(page)

    def remember_size(self) -> None:
        if self._preferences is not None and not self.isMaximized():
            self._preferences.window_size = (self.width(), self.height())

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.remember_size()
        self.quit_requested.emit()
