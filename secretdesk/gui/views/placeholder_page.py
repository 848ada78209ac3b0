"""A page of the main window that is not built yet."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from secretdesk.gui.widgets.common import label
from secretdesk.i18n import N_, _

COMING_SOON = N_("This part of SecretDesk is coming soon.")


class PlaceholderPage(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(label(title, "title"))
        self.message = label(_(COMING_SOON), "muted")
        layout.addWidget(self.message)
        layout.addStretch(1)
