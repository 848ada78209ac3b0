"""The main window: navigation on the left, one page per part of the register."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
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
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner
from secretdesk.gui.views.audit_page import AuditPage
from secretdesk.gui.views.dashboard_page import DashboardPage
from secretdesk.gui.views.handovers_page import HandoversPage
from secretdesk.gui.views.placeholder_page import PlaceholderPage
from secretdesk.gui.views.registers_page import RegistersPage
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.warning_banner import WarningBanner
from secretdesk.i18n import N_, _

# Page keys in navigation order, with their (translated) names.
DASHBOARD, REGISTERS, HANDOVERS, AUDIT = "dashboard", "registers", "handovers", "audit"
PAGES = {
    DASHBOARD: N_("Dashboard"),
    REGISTERS: N_("Registers"),
    HANDOVERS: N_("Handovers"),
    "copies": N_("Copying"),
    "destruction": N_("Destruction"),
    "reports": N_("Reports"),
    AUDIT: N_("Audit log"),
    "settings": N_("Settings"),
}
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

    def __init__(
        self,
        runner: Runner,
        session: Session,
        *,
        watch: NetworkWatch | None = None,
        idle_minutes: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        actor = session.app.actor
        self.setWindowTitle(
            _("{unit} — {user} — SecretDesk").format(
                unit=session.unit.name, user=session.display_name
            )
        )
        self.resize(1180, 760)
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

        self.dashboard = DashboardPage(runner, session)
        self.registers = RegistersPage(runner, session)
        self.handovers = HandoversPage(runner, session)
        self.audit = AuditPage(runner, session)
        built: dict[str, QWidget] = {
            DASHBOARD: self.dashboard,
            REGISTERS: self.registers,
            HANDOVERS: self.handovers,
            AUDIT: self.audit,
        }
        self.pages: dict[str, QWidget] = {}
        for key, title in PAGES.items():
            page = built[key] if key in built else PlaceholderPage(_(title))
            self.pages[key] = page
            self.stack.addWidget(page)
            self.navigation.addItem(_(title))
        for built_page in (self.dashboard, self.registers, self.handovers, self.audit):
            built_page.failed.connect(self.show_error)
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
        details = [_("Unit code: {code}").format(code=session.unit.code)]
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

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(_("&File"))
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
        self.dashboard.refresh()

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(list(PAGES).index(key))

    def current_page(self) -> str:
        return list(PAGES)[self.stack.currentIndex()]

    def _page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        key = list(PAGES)[row]
        if key == REGISTERS:
            self.registers.refresh()
        elif key == HANDOVERS:
            self.handovers.refresh()
        elif key == AUDIT:
            self.audit.refresh()

    def _choose_language(self, code: str) -> None:
        self.language_chosen.emit(code)
        if code != i18n.current_language():
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "SecretDesk",
                _(LANGUAGE_ON_RESTART),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.open()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.quit_requested.emit()
