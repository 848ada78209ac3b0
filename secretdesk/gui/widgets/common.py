"""Small building blocks shared by the windows: headings, the inline error, a busy bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from secretdesk.gui.style import mark


def label(
    text: str = "", role: str | None = None, *, selectable: bool = False, wrap: bool = True
) -> QLabel:
    """A label; ``wrap=False`` for one-line values in form rows (QFormLayout gives a wrapped
    label the height of one line when its width changes later)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    if role:
        mark(widget, role)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def card(*children: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A white panel with a border; returns it and its layout for more children."""
    frame = QFrame()
    mark(frame, "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    for child in children:
        layout.addWidget(child)
    return frame, layout


def fit_height(window: QWidget) -> None:
    """Grow a window to the height its wrapped labels need at its current width.

    Qt sizes a new window from ``sizeHint()``, which ignores height-for-width, so paragraphs
    that wrap would squeeze the fields below them.
    """
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


def align_forms(*forms: QFormLayout) -> None:
    """Give the label column of several forms one width, so their fields line up."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                labels.append(widget)
    width = max((widget.sizeHint().width() for widget in labels), default=0)
    for widget in labels:
        widget.setMinimumWidth(width)


class ErrorLabel(QLabel):
    """An inline error message, hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        mark(self, "error")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class BusyBar(QProgressBar):
    """An indeterminate progress bar shown while the worker is busy for this window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setMaximumHeight(6)
        self.hide()
