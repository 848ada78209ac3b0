"""The persistent red banner: this computer is on a network, or a connection was attempted."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.style import mark
from secretdesk.gui.widgets.common import fit_height
from secretdesk.i18n import N_, _

HEADLINE = N_(
    "Network warning: state secrets may only be kept on a computer that is never connected "
    "to a network. Disconnect this computer and tell the administrator."
)


class WarningBanner(QFrame):
    """Hidden while there is nothing to warn about; cannot be dismissed."""

    def __init__(self, watch: NetworkWatch | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark(self, "banner")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        self.headline = QLabel(_(HEADLINE))
        self.headline.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        self.hide()
        if watch is not None:
            watch.changed.connect(self.set_warnings)
            self.set_warnings(watch.warnings)

    @Slot(list)
    def set_warnings(self, warnings: list[str]) -> None:
        self.details.setText("\n".join(f"• {warning}" for warning in warnings))
        self.setVisible(bool(warnings))
        window = self.window()
        if window is not self and window.isVisible():
            fit_height(window)  # the banner must not squeeze the form below it
