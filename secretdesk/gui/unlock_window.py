"""Unlock the vault with a user's passphrase, or set a new one with the recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.errors import SecretDeskError
from secretdesk.gui import session as sessions
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, fit_height, label
from secretdesk.gui.widgets.passphrase_fields import PassphraseFields
from secretdesk.gui.widgets.warning_banner import WarningBanner
from secretdesk.i18n import N_, _

LOCKED_OUT = "vault.locked_out"  # the stable code of the storage error (GUI never imports it)
RECOVERY_INTRO = N_(
    "Enter the recovery code that was written down when the vault was created, and choose a "
    "new passphrase for the user. The change is recorded in the audit log."
)
DEMO_HINT = N_("Demo vault: user {user}, passphrase {passphrase}. Nothing here is real.")


class UnlockWindow(QWidget):
    unlocked = Signal(object)  # Session
    close_requested = Signal()

    def __init__(
        self,
        runner: Runner,
        data_dir: Path,
        *,
        username: str | None = None,
        demo_hint: tuple[str, str] | None = None,
        watch: NetworkWatch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._data_dir = data_dir
        self._lockout: SecretDeskError | None = None
        self._lockout_timer = QTimer(self)
        self._lockout_timer.setInterval(1000)
        self._lockout_timer.timeout.connect(self._lockout_tick)
        self.setWindowTitle(_("Unlock") + " — SecretDesk")
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(WarningBanner(watch))
        # Two pages; only the one shown takes room (a QStackedWidget would size the window
        # to the larger one).
        self._current_page = 0
        self._page_widgets = [self._unlock_page(demo_hint), self._recovery_page()]
        for page in self._page_widgets:
            outer.addWidget(page)
        self._show_page(0)

        known = sessions.usernames(data_dir)
        self.username.addItems(known)
        if username:
            self.username.setCurrentText(username)
        elif len(known) != 1:
            self.username.setCurrentText("")
        if self.username.currentText():
            self.passphrase.setFocus()
        else:
            self.username.setFocus()

    # -- building ----------------------------------------------------------------------
    def _page(self, title: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 22, 28, 22)
        layout.setSpacing(12)
        layout.addWidget(label("SecretDesk", "subtitle"))
        layout.addWidget(label(title, "title"))
        return page, layout

    def _unlock_page(self, demo_hint: tuple[str, str] | None) -> QWidget:
        page, layout = self._page(_("Unlock the vault"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username = QComboBox()
        self.username.setEditable(True)
        self.username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        form.addRow(_("User name:"), self.username)
        form.addRow(_("Passphrase:"), self.passphrase)
        layout.addLayout(form)
        if demo_hint:
            user, passphrase = demo_hint
            layout.addWidget(label(_(DEMO_HINT).format(user=user, passphrase=passphrase), "muted"))
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.busy = BusyBar()
        layout.addWidget(self.busy)
        buttons = QHBoxLayout()
        self.forgot_button = QPushButton(_("Forgot the passphrase? Use the recovery code"))
        self.forgot_button.setFlat(True)
        mark(self.forgot_button, "link")
        self.forgot_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.forgot_button.clicked.connect(self.show_recovery)
        buttons.addWidget(self.forgot_button)
        self.verify_button = QPushButton(_("Verify a package…"))
        self.verify_button.setFlat(True)
        mark(self.verify_button, "link")
        self.verify_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.verify_button.setToolTip(_("Check a report package received on a USB stick"))
        self.verify_button.clicked.connect(self.verify_package)
        buttons.addStretch(1)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        # On a row of its own: beside the other link and the button it was cut off.
        links = QHBoxLayout()
        links.addWidget(self.verify_button)
        links.addStretch(1)
        layout.addLayout(links)
        layout.addStretch(1)
        layout.addWidget(
            label(_("Vault folder: {path}").format(path=self._data_dir), "muted", selectable=True)
        )
        return page

    def _recovery_page(self) -> QWidget:
        page, layout = self._page(_("Use the recovery code"))
        layout.addWidget(label(_(RECOVERY_INTRO)))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.recovery_user = QLineEdit()
        self.recovery_code = QLineEdit()
        self.recovery_code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        form.addRow(_("User name:"), self.recovery_user)
        form.addRow(_("Recovery code:"), self.recovery_code)
        self.new_passphrase = PassphraseFields(
            form, _("New passphrase:"), _("Repeat new passphrase:")
        )
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase.rule)
        for field in (
            self.recovery_user,
            self.recovery_code,
            self.new_passphrase.first,
            self.new_passphrase.repeat,
        ):
            field.returnPressed.connect(self.submit_recovery)
        self.recovery_error = ErrorLabel()
        layout.addWidget(self.recovery_error)
        self.recovery_busy = BusyBar()
        layout.addWidget(self.recovery_busy)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("Back"))
        self.back_button.clicked.connect(self.show_unlock)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.recover_button = QPushButton(_("Set the new passphrase and unlock"))
        self.recover_button.clicked.connect(self.submit_recovery)
        buttons.addWidget(self.recover_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    # -- unlocking ---------------------------------------------------------------------
    @property
    def working(self) -> bool:
        return self.busy.isVisible() or self.recovery_busy.isVisible()

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.username,
            self.passphrase,
            self.forgot_button,
            self.unlock_button,
            self.recovery_user,
            self.recovery_code,
            self.back_button,
            self.recover_button,
        ):
            widget.setEnabled(not busy)
        self.new_passphrase.set_enabled(not busy)
        on_recovery = self.current_page == 1
        self.busy.setVisible(busy and not on_recovery)
        self.recovery_busy.setVisible(busy and on_recovery)
        self.unlock_button.setText(_("Unlocking…") if busy else _("Unlock"))
        if not busy and self._lockout is not None:
            self.unlock_button.setEnabled(False)

    def submit(self) -> None:
        if self.working or self._lockout is not None:
            return
        username = self.username.currentText().strip()
        passphrase = self.passphrase.text()
        if not username or not passphrase:
            self.error.show_message(_("Enter your user name and passphrase."))
            return
        self.error.clear_message()
        self._set_busy(True)
        data_dir = self._data_dir
        self._runner.submit(
            lambda: sessions.unlock(data_dir, username, passphrase),
            self._opened,
            self._unlock_failed,
            context=self,
        )

    def _opened(self, session: Session) -> None:
        self.passphrase.clear()
        self.new_passphrase.clear()
        self.recovery_code.clear()
        self.busy.hide()
        self.recovery_busy.hide()
        self.unlocked.emit(session)

    def _unlock_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(error, SecretDeskError) and error.code == LOCKED_OUT:
            self._start_lockout(error)
        else:
            self.error.show_message(error_text(error))

    def _start_lockout(self, error: SecretDeskError) -> None:
        self._lockout = error
        self.unlock_button.setEnabled(False)
        self.error.show_message(error.render())
        self._lockout_timer.start()

    def _lockout_tick(self) -> None:
        error = self._lockout
        if error is None:
            self._lockout_timer.stop()
            return
        remaining = int(error.params.get("seconds", 0)) - 1
        if remaining <= 0:
            self._lockout = None
            self._lockout_timer.stop()
            self.error.clear_message()
            self.unlock_button.setEnabled(not self.working)
            return
        error.params["seconds"] = remaining
        self.error.show_message(error.render())

    # -- recovery ----------------------------------------------------------------------
    @property
    def current_page(self) -> int:
        """0: unlock with a passphrase, 1: use the recovery code."""
        return self._current_page

    def _show_page(self, index: int) -> None:
        self._current_page = index
        for page_index, page in enumerate(self._page_widgets):
            page.setVisible(page_index == index)
        if self.isVisible():
            self.adjustSize()
            fit_height(self)

    def verify_package(self) -> QDialog:
        """The receiving side checks a package: no vault is needed, so no unlocking."""
        from secretdesk.gui.dialogs.verify_package import VerifyPackageDialog

        self.verify_dialog = VerifyPackageDialog(self._runner, parent=self)
        self.verify_dialog.open()
        return self.verify_dialog

    def show_recovery(self) -> None:
        self.recovery_user.setText(self.username.currentText().strip())
        self.recovery_error.clear_message()
        self._show_page(1)
        (self.recovery_code if self.recovery_user.text() else self.recovery_user).setFocus()

    def show_unlock(self) -> None:
        self._show_page(0)
        self.passphrase.setFocus()

    def submit_recovery(self) -> None:
        if self.working:
            return
        username = self.recovery_user.text().strip()
        code = self.recovery_code.text().strip()
        if not username or not code:
            self.recovery_error.show_message(_("Enter the user name and the recovery code."))
            return
        problem = self.new_passphrase.problem()
        if problem:
            self.recovery_error.show_message(problem)
            return
        self.recovery_error.clear_message()
        self._set_busy(True)
        data_dir, new_passphrase = self._data_dir, self.new_passphrase.value()
        self._runner.submit(
            lambda: sessions.recover(data_dir, username, code, new_passphrase),
            self._opened,
            self._recovery_failed,
            context=self,
        )

    def _recovery_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.recovery_error.show_message(error_text(error))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)  # wrapped paragraphs must not squeeze the fields

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        if not self.working:
            self.close_requested.emit()
