"""Reports (Báo cáo) page: every printout in one place, each opened in the print preview.

The clerk picks a document on the left and fills what it needs on the right (a register book
by kind, year and volume; a year; a day; a handover, case or permit number). "Preview" opens
the print preview (gui/dialogs/print_preview.py) of the bytes the PrintService renders on the
worker, the same bytes the CLI's ``report`` commands write; a refusal of the service (no such
book, no such case) is shown in the preview. What cannot even be read (a badly typed day or
number) is shown next to its field before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import ErrorLabel, card, label
from secretdesk.gui.widgets.fields import REQUIRED, DayField
from secretdesk.gui.write import FieldProblem, VaultEvents
from secretdesk.i18n import N_, _, render_value
from secretdesk.services.registry import Book, book_label

# (title, render, suggested file name) -> opens the print preview
OpenPreview = Callable[[str, Callable[[], bytes], str], None]

INTRO = N_(
    "Every printout of the register in one place. Choose a document, fill in what it needs "
    "and open the preview; print it or save it as a PDF from there. Every print is recorded "
    "in the audit log."
)
PREVIEW = N_("Preview…")
NO_BOOKS = N_("No register book has been opened yet.")
BOOK_VOLUME = N_("{book} {year}, volume {volume}")
BAD_NUMBER_YEAR = N_("Type the number and year as N/YYYY, for example 3/2026.")
BAD_NUMBER = N_("Type a whole number, for example 12.")

REGISTER, STATISTICS, ANNUAL, INVENTORY, MINUTES, LABELS, PERMIT = (
    "register",
    "statistics",
    "annual",
    "inventory",
    "minutes",
    "labels",
    "permit",
)
DOCUMENTS = {
    REGISTER: N_("Register book"),
    STATISTICS: N_("Statistics list of the year"),
    ANNUAL: N_("Annual report"),
    INVENTORY: N_("Inventory at a date"),
    MINUTES: N_("Destruction minutes"),
    LABELS: N_("Envelope labels of a handover"),
    PERMIT: N_("Take-out permit"),
}
DESCRIPTIONS = {
    REGISTER: N_("A register book with its cover page, by kind, year and volume."),
    STATISTICS: N_("Items received and issued in the year, by time and level (Article 12)."),
    ANNUAL: N_(
        "The yearly report to the supervising body; parts I, II and IV are the unit's own text."
    ),
    INVENTORY: N_("Every copy, its state and holder at the day chosen."),
    MINUTES: N_("The minutes of a destruction case, by its register number."),
    LABELS: N_("The envelope labels of a handover, by its number and year."),
    PERMIT: N_("An approved take-out permit, by its number."),
}


def number_year(widget: QLineEdit, field: str) -> tuple[int, int]:
    """``3/2026`` -> (3, 2026); a problem next to the field otherwise."""
    text = widget.text().strip()
    if not text:
        raise FieldProblem(field, _(REQUIRED))
    number, slash, year = text.partition("/")
    try:
        if slash and len(year.strip()) == 4:
            return int(number), int(year)
    except ValueError:
        pass
    raise FieldProblem(field, _(BAD_NUMBER_YEAR))


def whole_number(widget: QLineEdit, field: str) -> int:
    text = widget.text().strip()
    if not text:
        raise FieldProblem(field, _(REQUIRED))
    try:
        value = int(text)
    except ValueError:
        raise FieldProblem(field, _(BAD_NUMBER)) from None
    if value < 1:
        raise FieldProblem(field, _(BAD_NUMBER))
    return value


@dataclass(frozen=True)
class Printout:
    title: str
    render: Callable[[], bytes]
    suggested: str


class ReportsPage(QWidget):
    loaded = Signal(int)  # how many register books can be printed
    failed = Signal(str)
    refused = Signal(str, str)  # field, message

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        open_preview: OpenPreview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events
        self.open_preview = open_preview
        self.fields: dict[str, QWidget] = {}
        self.field_errors: dict[str, ErrorLabel] = {}
        today = self._app.ctx.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(label(_("Reports"), "title"))
        layout.addWidget(label(_(INTRO), "muted"))
        body = QHBoxLayout()
        body.setSpacing(16)
        layout.addLayout(body, 1)
        self.documents = QListWidget()
        self.documents.setFixedWidth(300)
        self.keys = list(DOCUMENTS)
        for key in self.keys:
            self.documents.addItem(_(DOCUMENTS[key]))
        body.addWidget(self.documents)
        self.forms = QStackedWidget()
        panel, panel_layout = card()
        self.heading = label("", "section")
        panel_layout.addWidget(self.heading)
        self.description = label("", "muted")
        panel_layout.addWidget(self.description)
        panel_layout.addWidget(self.forms)
        self.error = ErrorLabel()
        panel_layout.addWidget(self.error)
        panel_layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.preview_button = QPushButton(_(PREVIEW))
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        buttons.addWidget(self.preview_button)
        panel_layout.addLayout(buttons)
        body.addWidget(panel, 1)

        # the register book: every book of the vault, by kind, year and volume
        form = self._form()
        self.book = QComboBox()
        self._row(form, "book", _("Register book"), self.book)
        # the statistics list and the annual report: a year
        form = self._form()
        self.statistics_year = self._year_spin(today.year)
        self._row(form, "statistics_year", _("Year"), self.statistics_year)
        form = self._form()
        self.annual_year = self._year_spin(today.year)
        self._row(form, "annual_year", _("Year"), self.annual_year)
        self.situation = self._text()
        self._row(form, "situation", _("I. Situation"), self.situation)
        self.results = self._text()
        self._row(form, "results", _("II. Results, strengths, limits and lessons"), self.results)
        self.forecast = self._text()
        self._row(form, "forecast", _("IV. Forecast and proposals"), self.forecast)
        # the inventory: a day
        form = self._form()
        self.inventory_day = DayField(today)
        self._row(form, "inventory_day", _("At the day"), self.inventory_day)
        # minutes, labels, permit: a number
        form = self._form()
        self.case = QLineEdit()
        self.case.setPlaceholderText("3/2026")
        self._row(form, "case", _("Case number (N/YYYY)"), self.case)
        form = self._form()
        self.handover = QLineEdit()
        self.handover.setPlaceholderText(f"7/{today.year}")
        self._row(form, "handover", _("Handover number (N/YYYY)"), self.handover)
        form = self._form()
        self.permit = QLineEdit()
        self._row(form, "permit", _("Permit number"), self.permit)

        self.documents.currentRowChanged.connect(self._chosen)
        self.documents.setCurrentRow(0)

    # -- building ----------------------------------------------------------------------
    def _form(self) -> QFormLayout:
        holder = QWidget()
        form = QFormLayout(holder)
        form.setContentsMargins(0, 8, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.forms.addWidget(holder)
        return form

    def _row(self, form: QFormLayout, name: str, caption: str, widget: QWidget) -> None:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(widget)
        error = ErrorLabel()
        column.addWidget(error)
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        form.addRow(caption_label, holder)
        self.fields[name] = widget
        self.field_errors[name] = error

    @staticmethod
    def _year_spin(year: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(2000, 2100)
        spin.setValue(year)
        spin.setMaximumWidth(120)
        return spin

    @staticmethod
    def _text() -> QPlainTextEdit:
        text = QPlainTextEdit()
        text.setMaximumHeight(64)
        return text

    # -- behaviour ---------------------------------------------------------------------
    def current(self) -> str:
        return self.keys[max(0, self.documents.currentRow())]

    def choose(self, key: str) -> None:
        self.documents.setCurrentRow(self.keys.index(key))

    def _chosen(self, row: int) -> None:
        if row < 0:
            return
        key = self.keys[row]
        self.forms.setCurrentIndex(row)
        self.heading.setText(_(DOCUMENTS[key]))
        self.description.setText(_(DESCRIPTIONS[key]))
        self.clear_errors()

    def refresh(self) -> None:
        """Load the register books that can be printed (on the worker)."""
        registry = self._app.registry
        self._runner.submit(registry.books, self._show_books, self._failed, context=self)

    def _show_books(self, books: list[Book]) -> None:
        chosen = self.book.currentData()
        self.book.clear()
        for book in sorted(books, key=lambda b: (-b.year, b.kind, b.volume)):
            text = _(BOOK_VOLUME).format(
                book=str(render_value(book_label(book.kind))), year=book.year, volume=book.volume
            )
            self.book.addItem(text, (book.kind, book.year, book.volume))
        if chosen is not None:
            self.book.setCurrentIndex(max(0, self.book.findData(chosen)))
        self.loaded.emit(len(books))

    def clear_errors(self) -> None:
        self.error.clear_message()
        for error in self.field_errors.values():
            error.clear_message()

    def printout(self) -> Printout:
        """What the fields ask for; ``FieldProblem`` when a field cannot be read."""
        printing = self._app.printing
        key = self.current()
        title = _(DOCUMENTS[key])
        if key == REGISTER:
            book = self.book.currentData()
            if book is None:
                raise FieldProblem("book", _(NO_BOOKS))
            kind, year, volume = book
            return Printout(
                self.book.currentText(),
                lambda: printing.register(kind, year, volume),
                f"register-{kind}-{year}-{volume}.pdf",
            )
        if key == STATISTICS:
            year = self.statistics_year.value()
            return Printout(
                f"{title} {year}",
                lambda: printing.statistics_list(year),
                f"statistics-{year}.pdf",
            )
        if key == ANNUAL:
            year = self.annual_year.value()
            parts = (
                self.situation.toPlainText(),
                self.results.toPlainText(),
                self.forecast.toPlainText(),
            )
            return Printout(
                f"{title} {year}",
                lambda: printing.annual(
                    year, situation=parts[0], results=parts[1], forecast=parts[2]
                ),
                f"annual-{year}.pdf",
            )
        if key == INVENTORY:
            at = self.inventory_day.day("inventory_day", required=True)
            assert at is not None
            return Printout(
                f"{title} {at:%d/%m/%Y}",
                lambda: printing.inventory(at),
                f"inventory-{at.isoformat()}.pdf",
            )
        if key == MINUTES:
            number, year = number_year(self.case, "case")
            destruction = self._app.destruction
            return Printout(
                f"{title} {number}/{year}",
                lambda: printing.minutes(destruction.find(year, number).id),
                f"minutes-{number}-{year}.pdf",
            )
        if key == LABELS:
            number, year = number_year(self.handover, "handover")
            return Printout(
                f"{title} {number}/{year}",
                lambda: printing.envelope_labels(year, number),
                f"labels-{number}-{year}.pdf",
            )
        permit = whole_number(self.permit, "permit")
        return Printout(
            f"{title} {permit}", lambda: printing.permit(permit), f"permit-{permit}.pdf"
        )

    def preview(self) -> Printout | None:
        self.clear_errors()
        try:
            printout = self.printout()
        except FieldProblem as problem:
            target = self.field_errors.get(problem.field)
            if target is None:
                self.error.show_message(problem.message)
            else:
                target.show_message(problem.message)
                self.fields[problem.field].setFocus()
            self.refused.emit(problem.field, problem.message)
            return None
        self.open_preview(printout.title, printout.render, printout.suggested)
        return printout

    def print_current(self) -> None:
        """Ctrl+P on this page: the preview of the chosen document."""
        self.preview()

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
