"""First run: create the unit's vault and its administrator, then show the recovery code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui import session as sessions
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.recovery_dialog import RecoveryDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, align_forms, card, fit_height, label
from secretdesk.gui.widgets.passphrase_fields import PassphraseFields
from secretdesk.gui.widgets.warning_banner import WarningBanner
from secretdesk.i18n import N_, _
from secretdesk.services.setup import UnitSetup

TITLE = N_("Set up SecretDesk")
INTRO = N_(
    "No vault was found on this computer. Enter your unit's details and create the "
    "administrator's account. Everything is stored encrypted in the folder below."
)
KIND_UNIT = N_("A unit: keeps its own register of classified documents")
KIND_OFFICE = N_("The supervising office: pins the units' keys and imports their reports")
REQUIRED = N_("Fill in the unit name, the unit code and the administrator's user name.")


class SetupWindow(QWidget):
    created = Signal(object)  # Session, after the recovery code was confirmed
    close_requested = Signal()

    def __init__(
        self,
        runner: Runner,
        data_dir: Path,
        *,
        kdf_params: Any = None,
        watch: NetworkWatch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._data_dir = data_dir
        self._kdf_params = kdf_params
        self.recovery_dialog: RecoveryDialog | None = None
        self.setWindowTitle(_(TITLE) + " — SecretDesk")
        self.setMinimumWidth(640)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(WarningBanner(watch))
        body = QVBoxLayout()
        body.setContentsMargins(28, 22, 28, 22)
        body.setSpacing(14)
        outer.addLayout(body)
        body.addWidget(label(_(TITLE), "title"))
        body.addWidget(label(_(INTRO)))

        unit_card, unit_layout = card(label(_("Unit"), "section"))
        # The kind of vault is chosen once: an office vault opens the office pages only.
        self.kind_unit = QRadioButton(_(KIND_UNIT))
        self.kind_office = QRadioButton(_(KIND_OFFICE))
        self.kind_unit.setChecked(True)
        kinds = QButtonGroup(self)
        for choice in (self.kind_unit, self.kind_office):
            kinds.addButton(choice)
            unit_layout.addWidget(choice)
        unit_form = self._form(unit_layout)
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText(_("e.g. Department of Justice of Quang Ngai Province"))
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText(_("e.g. STP-QNG"))
        self.superior_body = QLineEdit()
        self.place = QLineEdit()
        unit_form.addRow(_("Unit name:"), self.unit_name)
        unit_form.addRow(_("Unit code:"), self.unit_code)
        unit_form.addRow(_("Superior body:"), self.superior_body)
        unit_form.addRow(_("Place:"), self.place)
        body.addWidget(unit_card)

        admin_card, admin_layout = card(label(_("Administrator"), "section"))
        admin_form = self._form(admin_layout)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        admin_form.addRow(_("User name:"), self.username)
        admin_form.addRow(_("Full name:"), self.full_name)
        self.passphrase = PassphraseFields(admin_form, _("Passphrase:"), _("Repeat passphrase:"))
        admin_layout.addWidget(self.passphrase.rule)
        align_forms(unit_form, admin_form)
        body.addWidget(admin_card)

        body.addWidget(
            label(_("Vault folder: {path}").format(path=data_dir), "muted", selectable=True)
        )
        self.error = ErrorLabel()
        body.addWidget(self.error)
        self.busy = BusyBar()
        body.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_button = QPushButton(_("Create vault"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        buttons.addWidget(self.create_button)
        body.addLayout(buttons)
        # Enter in any field submits the form (a QWidget window has no default button).
        for field in (*self._inputs()[:-1], self.passphrase.first, self.passphrase.repeat):
            if isinstance(field, QLineEdit):
                field.returnPressed.connect(self.submit)
        self.unit_name.setFocus()

    @staticmethod
    def _form(layout: QVBoxLayout) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)
        return form

    def _inputs(self) -> list[QWidget]:
        return [
            self.unit_name,
            self.unit_code,
            self.superior_body,
            self.place,
            self.username,
            self.full_name,
            self.kind_unit,
            self.kind_office,
            self.create_button,
        ]

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs():
            widget.setEnabled(not busy)
        self.passphrase.set_enabled(not busy)
        self.busy.setVisible(busy)
        self.create_button.setText(_("Creating the vault…") if busy else _("Create vault"))

    def submit(self) -> None:
        if self.busy.isVisible():
            return
        required = (self.unit_name, self.unit_code, self.username)
        if any(not field.text().strip() for field in required):
            self.error.show_message(_(REQUIRED))
            return
        problem = self.passphrase.problem()
        if problem:
            self.error.show_message(problem)
            return
        self.error.clear_message()
        setup = UnitSetup(
            name=self.unit_name.text().strip(),
            code=self.unit_code.text().strip(),
            superior_body=self.superior_body.text().strip(),
            place=self.place.text().strip(),
            office=self.kind_office.isChecked(),
        )
        username = self.username.text().strip()
        full_name = self.full_name.text().strip()
        passphrase = self.passphrase.value()
        data_dir, params = self._data_dir, self._kdf_params
        self._set_busy(True)
        self._runner.submit(
            lambda: sessions.create(data_dir, setup, username, full_name, passphrase, params),
            self._created,
            self._failed,
            context=self,
        )

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error.show_message(error_text(error))

    def _created(self, session: Session) -> None:
        self.busy.hide()
        self.passphrase.clear()
        dialog = RecoveryDialog(session.recovery_code, session.unit, self)
        dialog.accepted.connect(lambda: self.created.emit(session))
        self.recovery_dialog = dialog
        dialog.open()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)  # wrapped paragraphs must not squeeze the fields

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        if not self.busy.isVisible() and self.recovery_dialog is None:
            self.close_requested.emit()
