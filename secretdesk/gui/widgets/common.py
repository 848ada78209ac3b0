"""Small building blocks shared by the windows: headings, the inline error, a busy bar."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.gui.style import mark
from secretdesk.i18n import N_, _

LOADING = N_("Loading…")


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


def record_table(
    model: QAbstractItemModel, *, stretch: Iterable[int], wrap: bool = True
) -> QTableView:
    """A read-only table of records: whole rows, one at a time, compact, columns sized to
    their contents but ``stretch``, which take the rest of the width."""
    table = _records_view(model, wrap)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    LoadingOverlay.install(table)
    return table


def sized_record_table(
    model: QAbstractItemModel,
    samples: Mapping[int, Iterable[str]],
    *,
    bold: Iterable[int] = (),
    stretch: Iterable[int],
) -> QTableView:
    """A read-only table of a long or lazily growing list of records: whole rows, one at a
    time, one line each; the ``samples`` columns sized once (``size_columns``), ``stretch``
    taking the rest of the width, the others as wide as the user makes them."""
    table = _records_view(model, wrap=False)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    size_columns(table, samples, bold)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    LoadingOverlay.install(table)
    return table


def _records_view(model: QAbstractItemModel, wrap: bool) -> QTableView:
    """What every table of records is: read-only whole rows, one at a time, compact."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap)
    table.verticalHeader().hide()
    compact_rows(table)
    return table


class LoadingOverlay(QWidget):
    """Drawn over a table while its model refreshes on the worker (``RowsTableModel.load``):
    "Loading…" over an empty table at once; over old rows, after a short delay (a quick
    refresh does not flicker), the rows greyed with "Loading…" above them. Never blank."""

    DELAY_MS = 150

    def __init__(self, table: QTableView, source: QAbstractItemModel) -> None:
        super().__init__(table.viewport())
        self._table = table
        self.setObjectName("loading")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._appear)
        table.viewport().installEventFilter(self)
        source.loading_changed.connect(self._loading)  # type: ignore[attr-defined]
        self.hide()

    @classmethod
    def install(cls, table: QTableView) -> LoadingOverlay | None:
        """Give ``table`` the overlay when its model (behind any proxies) has a loading state."""
        source = table.model()
        while isinstance(source, QAbstractProxyModel):
            source = source.sourceModel()
        if source is None or not hasattr(source, "loading_changed"):
            return None
        overlay = cls(table, source)
        table.setProperty("loading_overlay", True)
        return overlay

    @staticmethod
    def of(table: QTableView) -> LoadingOverlay | None:
        return table.viewport().findChild(LoadingOverlay, "loading")

    @property
    def over_rows(self) -> bool:
        model = self._table.model()
        return model is not None and model.rowCount() > 0

    def _loading(self, loading: bool) -> None:
        if not loading:
            self._timer.stop()
            self.hide()
        elif not self.over_rows:
            self._appear()
        else:
            self._timer.start(self.DELAY_MS)

    def _appear(self) -> None:
        self.setGeometry(self._table.viewport().rect())
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._table.viewport().rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.over_rows:
            painter.fillRect(self.rect(), QColor(255, 255, 255, 160))
        painter.setPen(QColor("#475569"))
        box = self.rect().adjusted(0, 12, 0, 0)
        painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, _(LOADING))
        painter.end()


def compact_rows(table: QTableView) -> None:
    """Rows one line of text high with a little air, so a register shows many at once."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def size_columns(
    table: QTableView, samples: Mapping[int, Iterable[str]], bold: Iterable[int] = ()
) -> None:
    """Give columns the width of their title or their widest sample value, once: cheaper than
    ResizeToContents on a long or lazily growing table, and stable. ``bold`` columns are
    measured in bold."""
    model = table.model()
    header = table.horizontalHeader()
    heavy = table.font()
    heavy.setBold(True)
    plain_metrics, bold_metrics = table.fontMetrics(), QFontMetrics(heavy)
    bold_columns = set(bold)
    for column, texts in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        metrics = bold_metrics if column in bold_columns else plain_metrics
        widths = [header.fontMetrics().horizontalAdvance(title) + 24]  # and the sort arrow
        widths += [metrics.horizontalAdvance(text) + 14 for text in texts]
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, max(widths))


def fit_rows(table: QTableView, most: int) -> None:
    """Make a small table exactly as high as its rows (at most ``most``, then it scrolls)."""
    model = table.model()
    rows = min(model.rowCount(), most) if model is not None else 0
    row_height = table.verticalHeader().defaultSectionSize()
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + max(rows, 1) * row_height + 2 * table.frameWidth())


# The same words as the audit page, the item lists and the CLI.
LEFT_OUT = N_("Records above your clearance left out: {count}.")


class LeftOutNotice(QLabel):
    """A muted line under a list: how many records above the reader's clearance it leaves
    out (the count comes from the worker with the rows); hidden while there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        mark(self, "muted")
        self.hide()

    def show_count(self, count: int) -> None:
        self.setText(_(LEFT_OUT).format(count=count) if count > 0 else "")
        self.setVisible(count > 0)


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
        self.setMinimumHeight(0)
        self.show()
        QTimer.singleShot(0, self, self._fit)  # skipped when the label is gone
        # The message takes room: grow the window rather than squeeze the fields above it
        # (before this, the unlock and setup fields shrank to a few pixels after an error).
        window = self.window()
        layout = window.layout()
        if window is not self and window.isVisible() and layout is not None:
            layout.activate()
            fit_height(window)

    def _fit(self) -> None:
        """A wrapped message inside a form row gets the height of all its lines."""
        if self.isVisible() and self.width() > 0:
            self.setMinimumHeight(self.heightForWidth(self.width()))
            window = self.window()
            if window is not self:
                fit_height(window)

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
