"""Settings (Cài đặt): users, my passphrase and a new recovery code, backup to a USB stick,
idle lock and language, about."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from secretdesk import __version__, i18n
from secretdesk.domain.roles import Actor, Permission
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.users import (
    NEW_RECOVERY_CODE,
    USER,
    AddUserDialog,
    ChangePassphraseDialog,
    ClearanceDialog,
    DisableUserDialog,
    ResetPassphraseDialog,
)
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.gui.models.formats import level_name
from secretdesk.gui.preferences import MAX_IDLE_LOCK_MINUTES, Preferences
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, LoadingOverlay, card, label
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.exports import ExportService

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
TAB_USERS, TAB_PASSPHRASE, TAB_BACKUP, TAB_PREFERENCES, TAB_ABOUT = (
    N_("Users"),
    N_("My passphrase"),
    N_("Backup"),
    N_("Preferences"),
    N_("About"),
)
ENABLED, DISABLED = N_("Active"), N_("Disabled")
USERS_INTRO = N_(
    "Adding or enabling an approver, council member or administrator, raising a clearance and "
    "resetting a passphrase need the countersignature of another approver or administrator."
)
PASSPHRASE_INTRO = N_(
    "Change your own passphrase. A new recovery code replaces the one kept in the safe; it "
    "needs the countersignature of an approver."
)
BACKUP_INTRO = N_(
    "A copy of the vault, still encrypted, on a USB stick. Keep the stick in the safe, apart "
    "from the computer."
)
BACKUP_DONE = N_("Backup written: {folder}")
BACKING_UP = N_("Writing the backup…")
NOT_ON_STICK = N_(
    "{target} is not on a USB stick. Choose a stick: a backup on the computer's own disk is "
    "lost with it."
)
CHOOSE_STICK = N_("Choose a USB stick.")
IDLE = N_("Lock after this many minutes without input")
LANGUAGE = N_("Language")
SAVED = N_("Saved.")
ABOUT = N_(
    "SecretDesk keeps the custody register of classified documents on a computer that is "
    "never connected to a network. Everything is stored encrypted in the vault."
)
VERSION = N_("Version: {version}")
UNIT = N_("Unit: {name} ({code})")
FINGERPRINT = N_("Unit key fingerprint: {fingerprint}")
VAULT = N_("Vault folder: {path}")

NAME, FULL_NAME, ROLE, MAX_LEVEL, CLEARANCE, STATE = range(6)


class UsersModel(RowsTableModel):
    columns: ClassVar[dict[int, str]] = {
        NAME: N_("User name"),
        FULL_NAME: N_("Full name"),
        ROLE: N_("Role"),
        MAX_LEVEL: N_("May approve up to"),
        CLEARANCE: N_("May see up to"),
        STATE: N_("State"),
    }

    def user_at(self, row: int) -> Actor:
        user: Actor = self._rows[row]
        return user

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user: Actor | None = self.row_object(index)
        if user is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        values = {
            NAME: user.username,
            FULL_NAME: user.full_name or "—",
            ROLE: user.role.label(i18n.current_language()),
            MAX_LEVEL: level_name(user.max_level) if user.max_level else "—",
            CLEARANCE: level_name(user.clearance),
            STATE: _(DISABLED if user.disabled else ENABLED),
        }
        return values.get(index.column())


class SettingsPage(QWidget):
    loaded = Signal(int)
    failed = Signal(str)
    backed_up = Signal(object)  # the backup folder
    language_chosen = Signal(str)
    idle_minutes_chosen = Signal(int)
    recovery_code_shown = Signal(str)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        preferences: Preferences | None = None,
        exports: ExportService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.preferences = preferences
        self._exports = exports
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None
        admin = self._app.actor.can(Permission.MANAGE_USERS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_("Settings"), "title"))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # users (for whoever manages users)
        users = QWidget()
        column = QVBoxLayout(users)
        column.addWidget(label(_(USERS_INTRO), "muted"))
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add a user…"))
        self.add_button.clicked.connect(self.new_record)
        self.disable_button = QPushButton(_("Disable or enable…"))
        self.disable_button.clicked.connect(self.toggle_selected)
        self.clearance_button = QPushButton(_("Clearance…"))
        self.clearance_button.clicked.connect(self.change_clearance)
        self.reset_button = QPushButton(_("Reset the passphrase…"))
        self.reset_button.clicked.connect(self.reset_passphrase)
        for button in (
            self.add_button,
            self.disable_button,
            self.clearance_button,
            self.reset_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.users_model = UsersModel(self)
        self.users_table = QTableView()
        self.users_table.setModel(self.users_model)
        LoadingOverlay.install(self.users_table)
        self.users_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users_table.setAlternatingRowColors(True)
        self.users_table.verticalHeader().hide()
        header = self.users_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FULL_NAME, QHeaderView.ResizeMode.Stretch)
        self.users_table.selectionModel().selectionChanged.connect(self._update_buttons)
        column.addWidget(self.users_table, 1)
        self.users_tab = users
        if admin:
            self.tabs.addTab(users, _(TAB_USERS))

        # my passphrase and a new recovery code
        mine = QWidget()
        column = QVBoxLayout(mine)
        column.addWidget(label(_(PASSPHRASE_INTRO), "muted"))
        row = QHBoxLayout()
        self.passphrase_button = QPushButton(_("Change my passphrase…"))
        self.passphrase_button.clicked.connect(self.change_passphrase)
        row.addWidget(self.passphrase_button)
        self.rekey_button = QPushButton(_("New recovery code…"))
        self.rekey_button.clicked.connect(self.new_recovery_code)
        self.rekey_button.setVisible(admin)
        row.addWidget(self.rekey_button)
        row.addStretch(1)
        column.addLayout(row)
        self.passphrase_status = label("", "ok")
        self.passphrase_status.hide()
        column.addWidget(self.passphrase_status)
        column.addStretch(1)
        self.tabs.addTab(mine, _(TAB_PASSPHRASE))

        # backup
        backup = QWidget()
        column = QVBoxLayout(backup)
        column.addWidget(label(_(BACKUP_INTRO), "muted"))
        row = QHBoxLayout()
        self.stick = QComboBox()
        self.stick.setMinimumWidth(360)
        self.stick.currentIndexChanged.connect(self._stick_chosen)
        row.addWidget(self.stick)
        refresh = QPushButton(_("Refresh"))
        refresh.clicked.connect(self.refresh_sticks)
        row.addWidget(refresh)
        row.addStretch(1)
        column.addLayout(row)
        form = QFormLayout()
        self.backup_target = QLineEdit()
        form.addRow(_("Folder on the stick"), self.backup_target)
        column.addLayout(form)
        self.backup_error = ErrorLabel()
        column.addWidget(self.backup_error)
        self.backup_busy = BusyBar()
        column.addWidget(self.backup_busy)
        row = QHBoxLayout()
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.backup)
        self.backup_button.setEnabled(self._app.actor.can(Permission.RECORD))
        row.addWidget(self.backup_button)
        row.addStretch(1)
        column.addLayout(row)
        self.backup_status = label("", "ok", selectable=True)
        self.backup_status.hide()
        column.addWidget(self.backup_status)
        column.addStretch(1)
        self.tabs.addTab(backup, _(TAB_BACKUP))

        # preferences
        prefs = QWidget()
        column = QVBoxLayout(prefs)
        form = QFormLayout()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setValue(preferences.idle_lock_minutes if preferences else 10)
        self.idle_minutes.setMaximumWidth(100)
        form.addRow(_(IDLE), self.idle_minutes)
        self.language = QComboBox()
        for code in i18n.LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        form.addRow(_(LANGUAGE), self.language)
        column.addLayout(form)
        row = QHBoxLayout()
        apply = QPushButton(_("Apply"))
        apply.clicked.connect(self.apply_preferences)
        row.addWidget(apply)
        row.addStretch(1)
        column.addLayout(row)
        self.preferences_status = label("", "ok")
        self.preferences_status.hide()
        column.addWidget(self.preferences_status)
        column.addStretch(1)
        self.tabs.addTab(prefs, _(TAB_PREFERENCES))

        # about
        about = QWidget()
        column = QVBoxLayout(about)
        frame, frame_layout = card(label(_(ABOUT)))
        unit = session.unit
        for line in (
            _(VERSION).format(version=__version__),
            _(UNIT).format(name=unit.name, code=unit.code),
            _(FINGERPRINT).format(fingerprint=unit.key_fingerprint),
            _(VAULT).format(path=session.data_dir),
        ):
            frame_layout.addWidget(label(line, selectable=True))
        column.addWidget(frame)
        column.addStretch(1)
        self.tabs.addTab(about, _(TAB_ABOUT))

        events.changed.connect(self._vault_changed)
        self._update_buttons()

    @property
    def exports(self) -> ExportService:
        return self._exports or self._app.exports

    # -- users -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._app.actor.can(Permission.MANAGE_USERS):
            users = self._app.users
            self.users_model.load(
                self._runner, users.list, self._show_users, self._failed, context=self
            )
        self.refresh_sticks()

    def _show_users(self, users: list[Actor]) -> None:
        self.users_model.set_rows(users)
        self._update_buttons()
        self.loaded.emit(len(users))

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if USER in entities and self.isVisible():
            self.refresh()

    def selected(self) -> Actor | None:
        rows = self.users_table.selectionModel().selectedRows()
        return self.users_model.user_at(rows[0].row()) if rows else None

    def select_user(self, username: str) -> None:
        for row in range(self.users_model.rowCount()):
            if self.users_model.user_at(row).username == username:
                self.users_table.selectRow(row)

    def _update_buttons(self, *_args: object) -> None:
        user = self.selected()
        other = user is not None and user.username != self._app.actor.username
        self.disable_button.setEnabled(other)
        self.clearance_button.setEnabled(user is not None and not user.disabled)
        self.reset_button.setEnabled(other and user is not None and not user.disabled)

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_record(self) -> None:
        if self._app.actor.can(Permission.MANAGE_USERS):
            self._open(AddUserDialog(self._runner, self.session, self.events, parent=self))

    def toggle_selected(self) -> None:
        user = self.selected()
        if user is not None:
            dialog = DisableUserDialog(self._runner, self.session, self.events, user, parent=self)
            dialog.succeeded.connect(self._toggled)
            self._open(dialog)

    def _toggled(self, result: tuple[Actor | None, str | None]) -> None:
        _user, code = result
        if code:
            self.show_recovery_code(code)

    def change_clearance(self) -> None:
        user = self.selected()
        if user is not None:
            self._open(ClearanceDialog(self._runner, self.session, self.events, user, parent=self))

    def reset_passphrase(self) -> None:
        user = self.selected()
        if user is not None:
            dialog = ResetPassphraseDialog(
                self._runner, self.session, self.events, user, parent=self
            )
            dialog.succeeded.connect(self._toggled)
            self._open(dialog)

    # -- my passphrase -----------------------------------------------------------------
    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self._runner, self.session, self.events, parent=self)
        dialog.succeeded.connect(lambda _result: self._passphrase_changed())
        self._open(dialog)

    def _passphrase_changed(self) -> None:
        self.passphrase_status.setText(_("Your passphrase was changed."))
        self.passphrase_status.show()

    def new_recovery_code(self) -> None:
        users = self._app.users
        dialog = CountersignDialog(
            self._runner,
            self.session,
            self.events,
            [(_("Approved"), _("A new recovery code (the vault is re-keyed)"))],
            lambda approver: users.rekey(approver, "new recovery code from the settings"),
            (USER,),
            parent=self,
        )
        dialog.succeeded.connect(self.show_recovery_code)
        self._open(dialog)

    def show_recovery_code(self, code: str) -> None:
        self.message = QMessageBox(
            QMessageBox.Icon.Information,
            "SecretDesk",
            _(NEW_RECOVERY_CODE).format(code=code),
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.open()
        self.recovery_code_shown.emit(code)

    # -- backup ------------------------------------------------------------------------
    def refresh_sticks(self) -> None:
        self._runner.submit(self.exports.volumes, self._show_sticks, self._failed, context=self)

    def _show_sticks(self, volumes: list[Any]) -> None:
        self.stick.blockSignals(True)
        self.stick.clear()
        for volume in volumes:
            text = f"{volume.label or volume.device} — {volume.mount_point}"
            self.stick.addItem(text, str(volume.mount_point))
        self.stick.blockSignals(False)
        if volumes and not self.backup_target.text():
            self._stick_chosen()

    def _stick_chosen(self, *_args: object) -> None:
        mount = self.stick.currentData()
        if mount:
            self.backup_target.setText(mount)

    def backup(self) -> None:
        if self.backup_busy.isVisible():
            return
        self.backup_error.clear_message()
        self.backup_status.hide()
        text = self.backup_target.text().strip()
        if not text:
            self.backup_error.show_message(_(CHOOSE_STICK))
            return
        target = Path(text)
        exports, maintenance = self.exports, self._app.maintenance

        def work() -> Path:
            exports.removable_volume(target)  # refuses the computer's own disk
            return maintenance.backup(target)

        self.backup_busy.show()
        self.backup_button.setEnabled(False)
        self._runner.submit(work, self._backed_up, self._backup_failed, context=self)

    def _backed_up(self, folder: Path) -> None:
        self.backup_busy.hide()
        self.backup_button.setEnabled(True)
        self.backup_status.setText(_(BACKUP_DONE).format(folder=folder))
        self.backup_status.show()
        self.events.announce(())
        self.backed_up.emit(folder)

    def _backup_failed(self, error: BaseException) -> None:
        self.backup_busy.hide()
        self.backup_button.setEnabled(True)
        if getattr(error, "code", "") == "export.not_removable":
            message = _(NOT_ON_STICK).format(target=self.backup_target.text().strip())
        else:
            message = error_text(error)
        self.backup_error.show_message(message)

    # -- preferences -------------------------------------------------------------------
    def apply_preferences(self) -> None:
        minutes = self.idle_minutes.value()
        self.idle_minutes_chosen.emit(minutes)
        self.preferences_status.setText(_(SAVED))
        self.preferences_status.show()
        language = self.language.currentData()
        if language != i18n.current_language():
            self.language_chosen.emit(language)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
