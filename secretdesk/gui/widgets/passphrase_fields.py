"""A new passphrase typed twice, with the rule shown; used by setup and recovery."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from secretdesk.gui.session import MIN_PASSPHRASE_LENGTH
from secretdesk.gui.widgets.common import label
from secretdesk.i18n import N_, _

RULE = N_(
    "At least {minimum} characters. A short sentence you can remember is best; "
    "do not write it on the computer."
)
TOO_SHORT = N_("A passphrase must have at least {minimum} characters.")  # the vault's words
MISMATCH = N_("The two passphrases differ.")


class PassphraseFields:
    """Adds 'passphrase' and 'repeat' to a form layout; ``rule`` is placed by the caller."""

    def __init__(self, form: QFormLayout, first_label: str, repeat_label: str) -> None:
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.rule = label(_(RULE).format(minimum=MIN_PASSPHRASE_LENGTH), "muted")
        form.addRow(first_label, self.first)
        form.addRow(repeat_label, self.repeat)

    def problem(self) -> str | None:
        """Why the typed passphrases cannot be used, or None when they can."""
        if len(self.first.text().strip()) < MIN_PASSPHRASE_LENGTH:
            return _(TOO_SHORT).format(minimum=MIN_PASSPHRASE_LENGTH)
        if self.first.text() != self.repeat.text():
            return _(MISMATCH)
        return None

    def value(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.repeat.clear()

    def set_enabled(self, enabled: bool) -> None:
        self.first.setEnabled(enabled)
        self.repeat.setEnabled(enabled)
