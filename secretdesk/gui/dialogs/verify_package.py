"""Verify a package: the receiving side checks a report package folder, with no vault.

The same check as the CLI's ``verify`` (services/exports/verify.py ``verify_folder``): every
file against SHA256SUMS, the signatures, the report against its signed description. With the
unit's pinned key (a unit.pub whose fingerprint was checked against the paper report) the
result says who made the package; without it, only that the package is intact. The check
reads files only, so it runs on the worker even before any vault is open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, card, fit_height, label
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.exports import Verdict, verify_folder

TITLE = N_("Verify a package")
INTRO = N_(
    "Check a report package received on a USB stick before it is imported: every file, the "
    "signatures and the report. No vault is needed."
)
PACKAGE = N_("Package folder")
KEY = N_("Pinned key of the unit (optional)")
KEY_HINT = N_(
    "The unit.pub whose fingerprint was checked against the unit's paper report. Without it, "
    "the check proves the package is intact, not who made it."
)
BROWSE = N_("Choose…")
VERIFY = N_("Verify")
CHOOSE_PACKAGE = N_("Choose the package folder.")
VALID = N_("Valid: the package is intact and signed by the pinned key.")
INTACT = N_(
    "Intact: the package is intact and signed by the key it carries. This does not prove who "
    "made it: compare the fingerprint below with the one on the unit's paper report."
)
NOT_VALID = N_("Not valid: {count} problems found. Do not import this package.")
NOT_VALID_ONE = N_("Not valid: {count} problem found. Do not import this package.")
DESCRIPTION = N_("Unit {unit}, package {seq}: {kind}, {period}")
KIND_LABELS = {
    "annual": N_("Annual statistics report"),
    "inventory": N_("Inventory at a date"),
    "registers": N_("Registers of the year"),
    "audit": N_("Audit log of the year"),
}


def kind_name(kind: str) -> str:
    caption = KIND_LABELS.get(kind)
    return _(caption) if caption else kind


FINGERPRINT = N_("Key fingerprint: {fingerprint}")
FILES = N_("Files checked: {count}")

# (parent, title) -> a folder, or None when cancelled (a test injects one)
FolderChooser = Callable[[QWidget, str], Path | None]


def ask_folder(parent: QWidget, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def verdict_lines(verdict: Verdict) -> tuple[str, list[str]]:
    """(the headline, the details) of a verdict, in the user's language."""
    if verdict.ok:
        headline = _(VALID) if verdict.key_pinned else _(INTACT)
    else:
        headline = translate(plural(len(verdict.problems), NOT_VALID_ONE, NOT_VALID)).format(
            count=len(verdict.problems)
        )
    details = [f"• {line}" for line in verdict.describe()]
    fields = verdict.fields
    if fields.get("unit"):
        details.append(
            _(DESCRIPTION).format(
                unit=fields.get("unit", ""),
                seq=fields.get("seq", ""),
                kind=kind_name(fields.get("kind", "")),
                period=fields.get("period", ""),
            )
        )
    if verdict.fingerprint:
        details.append(_(FINGERPRINT).format(fingerprint=verdict.fingerprint))
    if verdict.files:
        details.append(_(FILES).format(count=len(verdict.files)))
    return headline, details


class VerdictPanel(QWidget):
    """The result of a verification: a headline in green or red, then the details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, layout = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.headline = label("", "ok")
        layout.addWidget(self.headline)
        self.details = label("", selectable=True)
        layout.addWidget(self.details)
        self.hide()

    def show_verdict(self, verdict: Verdict) -> None:
        headline, details = verdict_lines(verdict)
        self.headline.setText(headline)
        self.headline.setProperty("role", "ok" if verdict.ok else "bad")
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        self.details.setText("\n".join(details))
        self.show()


class VerifyPackageDialog(QDialog):
    verified = Signal(object)  # the Verdict
    refused = Signal(str, str)  # field, message

    def __init__(
        self,
        runner: Runner,
        *,
        choose_folder: FolderChooser = ask_folder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.choose_folder = choose_folder
        self.verdict: Verdict | None = None
        self.setWindowTitle(_(TITLE) + " — SecretDesk")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_(TITLE), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        self.package = QLineEdit()
        self.package_error = ErrorLabel()
        layout.addWidget(label(_(PACKAGE), "section"))
        layout.addWidget(self._with_browse(self.package, self._browse_package))
        layout.addWidget(self.package_error)
        self.key = QLineEdit()
        self.key_error = ErrorLabel()
        layout.addWidget(label(_(KEY), "section"))
        layout.addWidget(self._with_browse(self.key, self._browse_key))
        layout.addWidget(label(_(KEY_HINT), "muted"))
        layout.addWidget(self.key_error)
        self.busy = BusyBar()
        layout.addWidget(self.busy)
        self.verdict_panel = VerdictPanel()
        layout.addWidget(self.verdict_panel)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.verify_button = QPushButton(_(VERIFY))
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def _with_browse(self, field: QLineEdit, slot: Callable[[], None]) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        browse = QPushButton(_(BROWSE))
        browse.clicked.connect(slot)
        row.addWidget(browse)
        return holder

    def _browse_package(self) -> None:
        folder = self.choose_folder(self, _(PACKAGE))
        if folder is not None:
            self.package.setText(str(folder))

    def _browse_key(self) -> None:
        name, _chosen = QFileDialog.getOpenFileName(self, _(KEY), "", "unit.pub (*.pub)")
        if name:
            self.key.setText(name)

    def verify(self) -> None:
        if self.busy.isVisible():
            return
        self.package_error.clear_message()
        self.key_error.clear_message()
        self.verdict_panel.hide()
        folder_text = self.package.text().strip()
        if not folder_text:
            self.package_error.show_message(_(CHOOSE_PACKAGE))
            self.refused.emit("package", _(CHOOSE_PACKAGE))
            return
        folder = Path(folder_text)
        key_text = self.key.text().strip()
        key = Path(key_text) if key_text else None
        self.busy.show()
        self.verify_button.setEnabled(False)
        self._runner.submit(
            lambda: verify_folder(folder, key_file=key), self._done, self._failed, context=self
        )

    def _done(self, verdict: Verdict) -> None:
        self.busy.hide()
        self.verify_button.setEnabled(True)
        self.verdict = verdict
        self.verdict_panel.show_verdict(verdict)
        fit_height(self)
        self.verified.emit(verdict)

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.verify_button.setEnabled(True)
        self.key_error.show_message(error_text(error))
        self.refused.emit("key", error_text(error))
