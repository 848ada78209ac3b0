"""A ruled table drawn straight on the canvas, split page by page in linear time.

reportlab's Table re-lays out the remaining rows each time it splits across a page, which is
quadratic in the number of rows (RELIABILITY.md: 7.7 s for 10,000 rows). ``GridTable`` wraps
every cell once, keeps running row heights, and splits by binary search at page boundaries;
each page piece shares the prepared rows and repeats the column headings. Rows taller than a
page are cut into continuation rows when prepared, so every piece always fits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from secretdesk.domain.levels import Level
from secretdesk.reports.forms import Column
from secretdesk.reports.layout import GREY, LEADING, Ink, fmt_date, fmt_time, wrap_text
from secretdesk.reports.model import INDEX_FIELD

PAD_X: float = 1.2 * mm
PAD_Y: float = 0.9 * mm
HEADING_FILL = colors.Color(0.9, 0.9, 0.9)


@dataclass(frozen=True)
class GridRow:
    """Cell texts in column order. A cancelled row is struck through, except the text
    ``mark`` shown first in column ``mark_column``."""

    cells: Sequence[str]
    cancelled: bool = False
    mark: str = ""
    mark_column: int = -1
    bold: bool = False


class _Line(NamedTuple):
    text: str
    width: float
    font: str
    strike: bool


@dataclass
class _Prepared:
    widths: list[float]
    heading: list[list[_Line]]
    heading_height: float
    rows: list[list[list[_Line]]] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)  # ends[i]: total height of rows[:i]
    cancelled: list[bool] = field(default_factory=list)


class GridTable(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Column headings repeated on every page; rows in the given order."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[GridRow],
        ink: Ink,
        *,
        size: float | None = None,
        max_height: float,
        _shared: _Prepared | None = None,
        _span: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.source = rows
        self.ink = ink
        self.font_size = size or ink.size
        self.max_height = max_height
        self._shared = _shared
        self._span = _span

    # -- preparation: once per table, linear in the number of cells

    def _prepare(self, available: float) -> _Prepared:
        if self._shared is not None:
            return self._shared
        widths = column_widths(self.columns, available)
        ink = self.ink
        regular, bold = ink.font(), ink.font(bold=True)
        heading = [
            self._wrap(ink.text(column.heading, bold), bold, width, strike=False)
            for column, width in zip(self.columns, widths, strict=True)
        ]
        heading_height = self._height(heading)
        prepared = _Prepared(widths, heading, heading_height)
        limit = self.max_height - heading_height
        # A register repeats its dates, levels, types, issuers and names: each distinct cell
        # is set once per column width (the lines are shared read-only between rows).
        wrapped: dict[tuple[str, str, float, bool], list[_Line]] = {}
        for row in self.source:
            font = bold if row.bold else regular
            cells = []
            for index, (text, width) in enumerate(zip(row.cells, widths, strict=True)):
                key = (text, font, width, row.cancelled)
                lines = wrapped.get(key)
                if lines is None:
                    lines = wrapped[key] = self._wrap(
                        ink.text(text, font), font, width, strike=row.cancelled
                    )
                if row.cancelled and index == row.mark_column:
                    mark = self._wrap(ink.text(row.mark, bold), bold, width, strike=False)
                    lines = mark + (lines if text else [])
                cells.append(lines)
            for piece in self._cut(cells, limit):
                prepared.rows.append(piece)
                prepared.cancelled.append(row.cancelled)
        prepared.ends = [0.0, *accumulate(self._height(cells) for cells in prepared.rows)]
        self._shared = prepared
        self._span = (0, len(prepared.rows))
        return prepared

    def _wrap(self, text: str, font: str, width: float, *, strike: bool) -> list[_Line]:
        room = width - 2 * PAD_X
        return [
            _Line(line, line_width, font, strike and bool(line))
            for line, line_width in wrap_text(self.ink, text, font, self.font_size, room)
        ]

    def _height(self, cells: Sequence[Sequence[_Line]]) -> float:
        lines = max((len(cell) for cell in cells), default=1)
        return max(lines, 1) * self.font_size * LEADING + 2 * PAD_Y

    def _cut(self, cells: list[list[_Line]], limit: float) -> list[list[list[_Line]]]:
        """A row taller than a page becomes several rows that each fit."""
        per_row = max(1, int((limit - 2 * PAD_Y) // (self.font_size * LEADING)))
        tallest = max((len(cell) for cell in cells), default=0)
        if tallest <= per_row:
            return [cells]
        return [
            [cell[start : start + per_row] for cell in cells]
            for start in range(0, tallest, per_row)
        ]

    # -- platypus protocol

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        prepared = self._prepare(availWidth)
        start, end = self._span or (0, len(prepared.rows))
        self.width = sum(prepared.widths)
        self.height = prepared.heading_height + prepared.ends[end] - prepared.ends[start]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        prepared = self._prepare(availWidth)
        start, end = self._span or (0, len(prepared.rows))
        room = availHeight - prepared.heading_height
        if room <= 0:
            return []
        stop = min(
            end, bisect_right(prepared.ends, prepared.ends[start] + room + 1e-6, lo=start) - 1
        )
        if stop <= start:
            return []
        return [self._piece(prepared, start, stop), self._piece(prepared, stop, end)]

    def _piece(self, prepared: _Prepared, start: int, end: int) -> GridTable:
        return GridTable(
            self.columns,
            self.source,
            self.ink,
            size=self.font_size,
            max_height=self.max_height,
            _shared=prepared,
            _span=(start, end),
        )

    def draw(self) -> None:
        prepared = self._prepare(self.width)
        start, end = self._span or (0, len(prepared.rows))
        canvas = self.canv
        edges = [0.0, *accumulate(prepared.widths)]
        total = edges[-1]
        top = self.height
        text = canvas.beginText()
        strikes: list[tuple[float, float, float, float]] = []
        rules: list[tuple[float, float, float, float]] = []

        canvas.setFillColor(HEADING_FILL)
        canvas.rect(0, top - prepared.heading_height, total, prepared.heading_height, 0, 1)
        canvas.setFillColor(colors.black)
        self._cells(text, strikes, prepared.heading, edges, top, ["center"] * len(edges))
        y = top - prepared.heading_height
        rules.append((0, y, total, y))
        aligns = [column.align for column in self.columns]
        grey_rows: list[tuple[int, float]] = []
        for index in range(start, end):
            cells = prepared.rows[index]
            height = prepared.ends[index + 1] - prepared.ends[index]
            if prepared.cancelled[index]:
                grey_rows.append((index, y))
            else:
                self._cells(text, strikes, cells, edges, y, aligns)
            y -= height
            rules.append((0, y, total, y))
        canvas.drawText(text)
        if grey_rows:
            grey = canvas.beginText()
            grey.setFillColor(GREY)
            for index, row_top in grey_rows:
                self._cells(grey, strikes, prepared.rows[index], edges, row_top, aligns)
            canvas.drawText(grey)
        rules.append((0, top, total, top))
        rules.extend((x, top, x, y) for x in edges)
        canvas.setLineWidth(0.5)
        canvas.lines(rules)
        if strikes:
            canvas.setStrokeColor(GREY)
            canvas.setLineWidth(0.6)
            canvas.lines(strikes)

    def _cells(
        self,
        text: PDFTextObject,
        strikes: list[tuple[float, float, float, float]],
        cells: Sequence[Sequence[_Line]],
        edges: Sequence[float],
        top: float,
        aligns: Sequence[str],
    ) -> None:
        size = self.font_size
        leading = size * LEADING
        current = None
        for column, lines in enumerate(cells):
            left, right = edges[column] + PAD_X, edges[column + 1] - PAD_X
            baseline = top - PAD_Y - size * 0.93
            for line in lines:
                if not line.text:
                    baseline -= leading
                    continue
                if line.font != current:
                    text.setFont(line.font, size)
                    current = line.font
                align = aligns[column]
                if align == "right":
                    x = right - line.width
                elif align == "center":
                    x = (left + right - line.width) / 2
                else:
                    x = left
                text.setTextOrigin(x, baseline)
                _text_line(text, line.text)
                if line.strike:
                    middle = baseline + size * 0.3
                    strikes.append((x, middle, x + line.width, middle))
                baseline -= leading


def _text_line(text: PDFTextObject, value: str) -> None:
    """``text.textLine(value)``, byte for byte, with each line's TrueType subset encoding
    looked up once per document: a register repeats its dates, levels and names, and
    reportlab's per-character encoding was the largest single cost of printing one."""
    font = pdfmetrics.getFont(text._fontname)
    if not getattr(font, "_dynamicFont", False) or type(value) is not str:
        text.textLine(value)
        return
    canvas = text._canvas
    doc = canvas._doc
    cache: dict[tuple[str, str], list[tuple[int, str]]] = canvas.__dict__.setdefault(
        "_secretdesk_ops", {}
    )
    pieces = cache.get((text._fontname, value))
    if pieces is None:
        escape = canvas._escape
        pieces = cache[text._fontname, value] = [
            (subset, f"({escape(chunk)}) Tj") for subset, chunk in font.splitString(value, doc)
        ]
    parts = []
    for subset, operator in pieces:
        if subset != text._curSubset:
            parts.append(
                f"{font.getSubsetInternalName(subset, doc)} {fp_str(text._fontsize)} Tf"
                f" {fp_str(text._leading)} TL"
            )
            text._curSubset = subset
        parts.append(operator)
    # what textLine does around the text: the cursor moves down one line
    text._x = text._x0
    text._y = text._y - text._leading if canvas.bottomup else text._y + text._leading
    text._y0 = text._y
    text._code.append(f"{' '.join(parts)} T*")


def column_widths(columns: Sequence[Column], available: float) -> list[float]:
    """Widths in points: fixed columns in mm, the rest shared out by weight."""
    fixed = sum((column.width_mm or 0.0) * mm for column in columns)
    weights = sum(column.weight or 0.0 for column in columns)
    left = max(0.0, available - fixed)
    return [
        column.width_mm * mm
        if column.width_mm is not None
        else left * (column.weight or 0) / weights
        for column in columns
    ]


def cell_text(value: object) -> str:
    """How a data value prints in a cell: levels by name, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, Level):
        return value.label_vi
    if isinstance(value, datetime):
        return f"{fmt_time(value)} {fmt_date(value.date())}"
    if isinstance(value, date):
        return fmt_date(value)
    return str(value)


def object_rows(
    columns: Sequence[Column],
    items: Iterable[object],
    convert: Callable[[str, object], str] | None = None,
) -> list[GridRow]:
    """Rows from dataclass instances: each column names a field, or "index" for STT;
    ``convert(field, value)`` may print a field its own way."""
    rows = []
    for index, item in enumerate(items, start=1):
        cells = []
        for column in columns:
            if column.field == INDEX_FIELD:
                cells.append(str(index))
                continue
            value = getattr(item, column.field)
            cells.append(convert(column.field, value) if convert else cell_text(value))
        rows.append(GridRow(cells))
    return rows
