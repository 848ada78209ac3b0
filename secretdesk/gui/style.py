"""Colours and the application style sheet: calm, readable, the same in every window."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

ACCENT = "#1f4e79"
DANGER = "#b3261e"
SUCCESS = "#1e7b34"
WARNING = "#8a4b00"
DANGER_SURFACE = "#fdecea"
WARNING_SURFACE = "#fff4e5"
MUTED = "#5f6368"
SURFACE = "#f4f6f8"
BORDER = "#d0d5db"

STYLE_SHEET = f"""
QLabel[role="title"] {{ font-size: 16pt; font-weight: 600; color: {ACCENT}; }}
QLabel[role="subtitle"] {{ font-size: 11pt; color: {MUTED}; }}
QLabel[role="section"] {{ font-size: 11pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="error"] {{
    color: {DANGER}; background: #fdecea; border: 1px solid #f5c2bd;
    border-radius: 4px; padding: 6px 8px;
}}
QLabel[role="warn"] {{
    color: {WARNING}; background: {WARNING_SURFACE}; border: 1px solid #f0c36d;
    border-radius: 4px; padding: 4px 8px;
}}
QLabel[role="alert"] {{
    color: {DANGER}; background: {DANGER_SURFACE}; border: 1px solid #f5c2bd;
    border-radius: 4px; padding: 4px 8px; font-weight: 600;
}}
QLabel[role="ok"] {{ color: {SUCCESS}; font-weight: 600; }}
QLabel[role="bad"] {{ color: {DANGER}; font-weight: 600; }}
QLabel[role="code"] {{
    font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 15pt;
    font-weight: 600; letter-spacing: 1px; padding: 12px; background: #ffffff;
    border: 2px dashed {ACCENT}; border-radius: 6px;
}}
QLabel[role="mono"] {{ font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }}
QFrame[role="banner"] {{ background: {DANGER}; border-radius: 0px; }}
QFrame[role="banner"] QLabel {{ color: #ffffff; font-weight: 600; }}
QFrame[role="header"] {{ background: {ACCENT}; }}
QFrame[role="header"] QLabel {{ color: #ffffff; }}
QFrame[role="card"] {{
    background: #ffffff; border: 1px solid {BORDER}; border-radius: 6px;
}}
QListWidget#navigation {{
    background: {SURFACE}; border: none; border-right: 1px solid {BORDER};
    font-size: 11pt; outline: 0;
}}
QListWidget#navigation::item {{ padding: 9px 14px; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: #ffffff; }}
QPushButton {{ padding: 5px 14px; }}
QPushButton[role="link"] {{
    color: {ACCENT}; text-decoration: underline; border: none; padding: 5px 0px;
}}
QLineEdit, QComboBox {{ padding: 3px 4px; }}
"""


def apply(app: QApplication) -> None:
    """Style the whole application; a readable size for a clerk working all day."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def mark(widget: QWidget, role: str) -> None:
    """Give a widget a style role (see STYLE_SHEET) and re-polish it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    # A role's padding changes the widget's size; a label keeps its old size hint unless told.
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
