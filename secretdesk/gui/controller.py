"""Which window is shown, and the life of a session: setup or unlock, main window, lock.

Everything the windows need is passed in (STYLE.md 3), so a test builds a controller on a
real vault in a temporary folder with cheap key derivation, a fake air-gap check and a short
idle timeout.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from secretdesk import i18n
from secretdesk.demo_vault import DEMO_PASSPHRASE, DEMO_USER
from secretdesk.gui import session as sessions
from secretdesk.gui import warmup
from secretdesk.gui.idle import IdleMonitor
from secretdesk.gui.network_watch import CHECK_INTERVAL_MS, AirgapCheck, NetworkWatch
from secretdesk.gui.preferences import DEFAULT_IDLE_LOCK_MINUTES, Preferences
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.unlock_window import UnlockWindow
from secretdesk.gui.widgets.common import fit_height
from secretdesk.system import airgap
from secretdesk.system.netguard import NetworkGuard

log = logging.getLogger("secretdesk.gui")


class GuiController(QObject):
    finished = Signal()  # the user quit; the runner has stopped and the vault is closed

    def __init__(
        self,
        qapp: QApplication,
        runner: Runner,
        data_dir: Path,
        *,
        preferences: Preferences | None = None,
        guard: NetworkGuard | None = None,
        airgap_check: AirgapCheck = airgap.check,
        airgap_interval_ms: int = CHECK_INTERVAL_MS,
        idle_lock_ms: int | None = None,
        kdf_params: Any = None,
        username: str | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self._qapp = qapp
        self.runner = runner
        self.data_dir = data_dir
        self._preferences = preferences
        self._kdf_params = kdf_params
        self._username = username
        self._demo = demo
        if idle_lock_ms is None:
            minutes = preferences.idle_lock_minutes if preferences else DEFAULT_IDLE_LOCK_MINUTES
            idle_lock_ms = minutes * 60_000
        self.watch = NetworkWatch(guard, airgap_check, airgap_interval_ms, self)
        self.watch.changed.connect(self._record_network)
        self.idle = IdleMonitor(qapp, idle_lock_ms, self)
        self.idle.idle.connect(self.lock)
        self.window: QWidget | None = None
        self.session: Session | None = None
        self._stopped = False
        self._view: tuple[str, dict[str, object]] | None = None  # kept across a lock
        runner.unhandled_error.connect(self._show_error)
        # What SecretDesk copies is cleared after a while (and on lock and quit).
        seconds = preferences.clipboard_seconds if preferences else 30
        self.clipboard_timer = QTimer(self)
        self.clipboard_timer.setSingleShot(True)
        self.clipboard_timer.setInterval(seconds * 1000)
        self.clipboard_timer.timeout.connect(self.clear_clipboard)
        qapp.clipboard().dataChanged.connect(self._clipboard_changed)

    # -- starting ----------------------------------------------------------------------
    def start(self) -> None:
        """First run: the setup window; otherwise the unlock window."""
        self.watch.start()
        if sessions.vault_exists(self.data_dir):
            self.show_unlock()
        else:
            self.show_setup()

    def start_demo(self) -> None:
        """Create a throw-away demo vault in ``data_dir`` and go straight to the main window."""
        self.watch.start()
        data_dir = self.data_dir
        self.runner.submit(lambda: sessions.demo(data_dir), self.show_main, self._demo_failed)

    def _demo_failed(self, error: BaseException) -> None:
        QMessageBox.critical(None, "SecretDesk", error_text(error))
        self.shutdown()

    # -- windows -----------------------------------------------------------------------
    def _show(self, window: QWidget) -> None:
        previous, self.window = self.window, window
        window.show()
        fit_height(window)
        window.raise_()
        window.activateWindow()
        if previous is not None:
            previous.hide()
            previous.deleteLater()

    def show_setup(self) -> None:
        from secretdesk.gui.setup_window import SetupWindow  # first run only

        window = SetupWindow(
            self.runner, self.data_dir, kdf_params=self._kdf_params, watch=self.watch
        )
        window.created.connect(self.show_main)
        window.close_requested.connect(self.shutdown)
        self._show(window)

    def show_unlock(self) -> None:
        hint = (DEMO_USER, DEMO_PASSPHRASE) if self._demo else None
        window = UnlockWindow(
            self.runner, self.data_dir, username=self._username, demo_hint=hint, watch=self.watch
        )
        window.unlocked.connect(self.show_main)
        window.close_requested.connect(self.shutdown)
        self._show(window)

    def show_main(self, session: Session, *, opened: bool = True) -> None:
        """The main window; ``opened`` is False when it is only built again (a new language)."""
        if self._stopped:  # the user quit while the vault was opening
            self.runner.submit(session.app.close)
            return
        self.session = session
        self._username = session.username
        minutes = self.idle.timeout_ms // 60_000
        from secretdesk.gui.main_window import MainWindow  # the register pages: after unlock

        window = MainWindow(
            self.runner,
            session,
            watch=self.watch,
            idle_minutes=minutes or None,
            preferences=self._preferences,
        )
        window.lock_requested.connect(self.lock)
        window.quit_requested.connect(self.shutdown)
        window.language_chosen.connect(self._language_chosen)
        window.idle_minutes_chosen.connect(self._idle_minutes_chosen)
        self._show(window)
        window.start()
        if self._view is not None and self._view[0] == session.username:
            window.restore_view(self._view[1])
        self._view = None
        self.idle.start()
        QTimer.singleShot(warmup.WARM_UP_DELAY_MS, warmup.warm_up)
        if not opened:
            return
        self.runner.submit(lambda: session.app.maintenance.record_session("opened"))
        self._record_network(self.watch.warnings)

    def _record_network(self, warnings: list[str]) -> None:
        """Every change in what the air-gap watch sees goes into the audit log (DESIGN §6)."""
        session = self.session
        findings = self.watch.audit_findings
        if session is not None and warnings and findings:
            self.runner.submit(lambda: session.app.maintenance.record_network_warnings(findings))

    # -- locking and quitting ----------------------------------------------------------
    def lock(self) -> None:
        """Close the vault on the worker, clear the clipboard, back to the unlock window."""
        self.idle.stop()
        session, self.session = self.session, None
        if session is None:
            return
        log.info("locking the vault")
        from secretdesk.gui.main_window import MainWindow  # already loaded once unlocked

        if isinstance(self.window, MainWindow):
            self.window.remember_size()
            self._view = (session.username, self.window.view_state())
        self.runner.submit(lambda: session.app.maintenance.record_session("locked"))
        self.runner.submit(session.app.close)
        self.clear_clipboard()
        if not self._stopped:
            self.show_unlock()

    def _clipboard_changed(self) -> None:
        clipboard = self._qapp.clipboard()
        # Only what SecretDesk put there (another program's copy is left alone); platforms
        # without a system clipboard (offscreen) hold nothing but this program's copies.
        ours = clipboard.ownsClipboard() or self._qapp.platformName() in ("offscreen", "minimal")
        if ours and clipboard.text():
            self.clipboard_timer.start()

    def clear_clipboard(self) -> None:
        self.clipboard_timer.stop()
        clipboard = self._qapp.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)

    def shutdown(self) -> None:
        """Quit: close the vault on its worker, stop the worker, hide every window."""
        if self._stopped:
            return
        self._stopped = True
        self.idle.stop()
        self.watch.stop()
        session, self.session = self.session, None
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        self.clear_clipboard()
        self.runner.shutdown(final=session.app.close if session else None)
        self.finished.emit()

    def _language_chosen(self, language: str) -> None:
        """Switch live: the main window is built again in the new language, showing the same
        page, filters and selection."""
        if self._preferences is not None:
            self._preferences.language = language
        i18n.set_language(language)
        from secretdesk.gui.main_window import MainWindow

        session, window = self.session, self.window
        if isinstance(window, MainWindow) and session is not None:
            window.remember_size()
            self._view = (session.username, window.view_state())
            self.show_main(session, opened=False)

    def _idle_minutes_chosen(self, minutes: int) -> None:
        if self._preferences is not None:
            self._preferences.idle_lock_minutes = minutes
        self.idle.set_timeout_ms(minutes * 60_000)

    def _show_error(self, message: str) -> None:
        parent = self.window
        box = QMessageBox(
            QMessageBox.Icon.Warning, "SecretDesk", message, QMessageBox.StandardButton.Ok, parent
        )
        box.open()
