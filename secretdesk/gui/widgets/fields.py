"""Input widgets the forms share: a day typed as dd/mm/yyyy, a level, a choice, a number."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from secretdesk import i18n
from secretdesk.domain.levels import Level
from secretdesk.gui.write import FieldProblem
from secretdesk.i18n import N_, _

BAD_DAY = N_("Type the day as dd/mm/yyyy, for example 02/11/2026.")
BAD_MINUTE = N_("Type the time as dd/mm/yyyy hh:mm, for example 02/11/2026 09:30.")
REQUIRED = N_("This field is required.")


class DayField(QLineEdit):
    """A day as the clerk writes it (02/11/2026); empty is allowed unless ``required``."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("dd/mm/yyyy"))
        self.setMaxLength(10)
        if value is not None:
            self.set_day(value)

    def set_day(self, value: date | None) -> None:
        self.setText(value.strftime("%d/%m/%Y") if value else "")

    def day(self, field: str, *, required: bool = False) -> date | None:
        text = self.text().strip()
        if not text:
            if required:
                raise FieldProblem(field, _(REQUIRED))
            return None
        try:
            return datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            raise FieldProblem(field, _(BAD_DAY)) from None


class MinuteField(QLineEdit):
    """A local date and time (02/11/2026 09:30)."""

    def __init__(self, value: datetime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("dd/mm/yyyy hh:mm"))
        if value is not None:
            self.setText(value.strftime("%d/%m/%Y %H:%M"))

    def moment(self, field: str) -> datetime:
        try:
            naive = datetime.strptime(self.text().strip(), "%d/%m/%Y %H:%M")
        except ValueError:
            raise FieldProblem(field, _(BAD_MINUTE)) from None
        return naive.astimezone()


def choice_combo(choices: Iterable[tuple[object, str]]) -> QComboBox:
    """A list to choose one of ``choices``, (value, caption) each; ``currentData()`` is the
    value chosen."""
    combo = QComboBox()
    for value, caption in choices:
        combo.addItem(caption, value)
    return combo


def level_combo(levels: list[Level] | None = None) -> QComboBox:
    combo = QComboBox()
    for level in levels or sorted(Level, key=lambda lv: lv.rank):
        combo.addItem(level.label(i18n.current_language()), level.value)
    return combo


def count_spin(minimum: int = 1, maximum: int = 500, value: int = 1) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(minimum, maximum)
    spin.setValue(value)
    return spin


def required_text(widget: QLineEdit, field: str) -> str:
    text = widget.text().strip()
    if not text:
        raise FieldProblem(field, _(REQUIRED))
    return text
