"""Shown once after setup: the recovery code and the unit key fingerprint, to write down.

Continue stays disabled until the clerk confirms the code is on paper; closing the dialog
any other way is refused while it is not, because the code is never shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.widgets.common import card, label
from secretdesk.i18n import N_, _

if TYPE_CHECKING:
    from secretdesk.app import UnitInfo

TITLE = N_("Recovery code")
EXPLANATION = N_(
    "Write this recovery code on paper now and keep it in the safe, apart from this computer. "
    "It is the only way to open the vault when every passphrase has been forgotten. "
    "SecretDesk will not show it again."
)
FINGERPRINT_NOTE = N_(
    "The supervising office uses this fingerprint to check the unit's signed reports. "
    "Write it down with the code."
)
CONFIRM = N_("I have written down (or printed) the recovery code and will keep it in the safe.")


def two_lines(fingerprint: str) -> str:
    """16 groups of four as two lines of eight: easier to copy by hand and read aloud."""
    groups = fingerprint.split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


class RecoveryDialog(QDialog):
    def __init__(self, recovery_code: str, unit: UnitInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(TITLE) + " — SecretDesk")
        self.setModal(True)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(_(TITLE), "title"))
        layout.addWidget(label(_(EXPLANATION)))

        self.code = label(recovery_code, "code", selectable=True)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setWordWrap(False)
        layout.addWidget(self.code)

        details, details_layout = card()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(_("Unit:"), label(unit.name, selectable=True, wrap=False))
        form.addRow(_("Unit code:"), label(unit.code, selectable=True, wrap=False))
        self.fingerprint = label(
            two_lines(unit.key_fingerprint), "mono", selectable=True, wrap=False
        )
        form.addRow(_("Key fingerprint:"), self.fingerprint)
        details_layout.addLayout(form)
        details_layout.addWidget(label(_(FINGERPRINT_NOTE), "muted"))
        layout.addWidget(details)

        self.confirm = QCheckBox(_(CONFIRM))
        self.confirm.toggled.connect(self._confirm_toggled)
        layout.addWidget(self.confirm)

        self.buttons = QDialogButtonBox()
        self.continue_button = self.buttons.addButton(
            _("Continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)

    def _confirm_toggled(self, checked: bool) -> None:
        self.continue_button.setEnabled(checked)
        self.continue_button.setDefault(checked)

    def accept(self) -> None:
        if self.confirm.isChecked():
            super().accept()

    def reject(self) -> None:  # Escape: only once the code is written down
        if self.confirm.isChecked():
            super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm.isChecked():
            super().closeEvent(event)
        else:
            event.ignore()
