"""Print preview of the exact PDF bytes reports/ made (DESIGN.md §4: one rendering path).

The bytes are rendered on the worker by a PrintService call (which records the print in the
audit log), shown with QtPdf's QPdfView, sent to a system printer through QPrintDialog, or
saved unchanged as a PDF file.

The GUI thread only receives a document that is ready: the worker also copies the bytes into
Qt, loads them and reads every page's size once (QPdfView lays out all pages of a multi-page
view, and the first reading of a 400-page register's sizes took 30-80 ms; later ones take about
1 ms), then hands the document over to the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QThread
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import BusyBar, ErrorLabel, label
from secretdesk.gui.widgets.pdf_export import SAVED, PathChooser, ask_pdf_path, save_error_text
from secretdesk.i18n import N_, _
from secretdesk.services.files import save_private

PREPARING = N_("Preparing the printout…")
PAGES = N_("Pages: {count}")

# (parent) -> a QPrinter set up by the clerk, or None when cancelled (a test injects one).
PrinterChooser = Callable[[QWidget], QPrinter | None]


def load_document(pdf: bytes, owner: QThread) -> QPdfDocument:
    """Runs on the worker: the bytes loaded into a document whose pages were measured once,
    then moved to ``owner`` (the GUI thread) with the buffer it reads from."""
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    for page in range(document.pageCount()):
        document.pagePointSize(page)
    document.moveToThread(owner)
    return document


def ask_printer(parent: QWidget) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


class PrintPreview(QDialog):
    """Shows ``render()`` (run on the worker); Print and Save as PDF use the same bytes."""

    def __init__(
        self,
        runner: Runner,
        title: str,
        render: Callable[[], bytes],
        suggested_name: str,
        *,
        choose_path: PathChooser = ask_pdf_path,
        choose_printer: PrinterChooser = ask_printer,
        side: QWidget | None = None,
        side_title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """``side``: shown to the right of the pages (the record's scans, issue 18)."""
        super().__init__(parent)
        self.setWindowTitle(title + " — SecretDesk")
        self.resize(1240 if side is not None else 900, 680)
        self.side = side
        self.pdf_bytes = b""
        self._suggested = suggested_name
        self._title = title
        self.choose_path = choose_path
        self.choose_printer = choose_printer
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(label(title, "title"), 1)
        self.pages_label = label("", "muted", wrap=False)
        top.addWidget(self.pages_label)
        layout.addLayout(top)
        self.busy = BusyBar()
        self.busy.show()
        layout.addWidget(self.busy)
        self.status = label(_(PREPARING), "muted", wrap=False)
        layout.addWidget(self.status)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.document = QPdfDocument(self)  # empty until the worker hands the printout over
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        if side is None:
            layout.addWidget(self.view, 1)
        else:
            split = QSplitter()
            split.addWidget(self.view)
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(8, 0, 0, 0)
            column.addWidget(label(side_title, "subtitle"))
            column.addWidget(side, 1)
            split.addWidget(holder)
            split.setStretchFactor(0, 3)
            split.setStretchFactor(1, 2)
            layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        for button in (self.save_button, self.print_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        owner = QThread.currentThread()

        def prepare() -> tuple[bytes, QPdfDocument]:
            pdf = render()
            return pdf, load_document(pdf, owner)

        runner.submit(prepare, self._show, self._failed, context=self)

    @property
    def ready(self) -> bool:
        return bool(self.pdf_bytes)

    def _show(self, prepared: tuple[bytes, QPdfDocument]) -> None:
        pdf, document = prepared
        self.busy.hide()
        document.setParent(self)
        self.view.setDocument(document)
        self.document.deleteLater()
        self.document = document
        self.pdf_bytes = pdf
        self.pages_label.setText(_(PAGES).format(count=self.document.pageCount()))
        self.status.hide()
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.status.hide()
        self.error.show_message(error_text(error))

    def save(self) -> Path | None:
        path = self.choose_path(self, self._title, self._suggested)
        if path is None:
            return None
        try:
            save_private(path, self.pdf_bytes)
        except OSError as error:
            self.error.show_message(save_error_text(error))
            return None
        self.status.setText(_(SAVED).format(path=path))
        self.status.show()
        return path

    def print_document(self) -> bool:
        printer = self.choose_printer(self)
        if printer is None:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                points = self.document.pagePointSize(page)
                scale = min(target.width() / points.width(), target.height() / points.height())
                size = QSize(int(points.width() * scale), int(points.height() * scale))
                image = self.document.render(page, size)
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        return True
