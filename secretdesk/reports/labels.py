"""A4 label sheets: envelope labels and copy labels, in the grid of the layout (2 x 7).

Envelope labels follow ND26 Art. 4.1. A Tuyệt mật item gets two: the outer label is
addressed like ordinary mail (sender, addressee) plus the letter "A" in a circle, and shows
nothing else - no level, no number; the inner label carries the "TUYỆT MẬT" stamp, the
urgency, the number and symbol, the recipient, and when they apply "Chỉ người có tên mới
được bóc bì" with the named person and "Tài liệu thu hồi" with the deadline. A Tối mật or
Mật item gets one label with the letter "B" or "C" in a circle, the urgency, the number and
symbol, the addressee and the same handling marks, without the level in words (the decree
puts only the letter on that envelope). A label that breaks this rule is refused. A copy
label carries "Bản sao số x", the level and the provenance of the copy. Text that does not
fit is set smaller down to a legible minimum, then refused: a label is never cut short
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from secretdesk.reports.errors import InvalidReportData, LabelTextTooLong
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import FormKind, FormLayout, LabelGrid, load_layout
from secretdesk.reports.layout import (
    LEADING,
    DocumentInfo,
    Ink,
    fmt_date,
    new_ink,
    page_size,
    render_canvas,
    wrap_text,
)
from secretdesk.reports.model import CopyLabel, Envelope, EnvelopeLabel, LabelData, PrintStamp

STAMP_RED = colors.Color(0.75, 0.05, 0.05)
OUTLINE = colors.Color(0.75, 0.75, 0.75)
MIN_SIZE = 6.5


def render_labels(
    data: LabelData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """Label sheets as PDF bytes; the first ``data.skip`` positions are left empty."""
    layout = layout or load_layout(FormKind.LABELS, stamp.printed_at.date())
    grid = layout.grid
    if grid is None:
        raise InvalidReportData(detail=f"{layout.name} has no label grid")
    if not data.labels or not 0 <= data.skip < grid.per_sheet:
        raise InvalidReportData(detail="no labels, or skip outside the first sheet")
    for label in data.labels:
        if isinstance(label, EnvelopeLabel) and not label.fits_the_rule:
            raise InvalidReportData(
                detail=f"{label.number_symbol}: a Tuyệt mật item takes an inner and an outer "
                "envelope label, a Tối mật or Mật item a single one (ND26 Art. 4.1)"
            )
    ink = new_ink(layout, fonts)
    info = DocumentInfo(layout, stamp, data.unit, f"{len(data.labels)}+{data.skip}", layout.title)

    def draw(canvas: Canvas) -> None:
        height = page_size(layout.page)[1]
        for offset, label in enumerate(data.labels):
            position = (data.skip + offset) % grid.per_sheet
            if offset and position == 0:
                canvas.showPage()
            box = _box(grid, position, height)
            canvas.setStrokeColor(OUTLINE)
            canvas.setLineWidth(0.3)
            canvas.roundRect(box.x, box.y, box.width, box.height, 2 * mm)
            content = box.inset(grid.padding_mm * mm)
            number = data.skip + offset + 1
            if isinstance(label, EnvelopeLabel):
                _envelope(canvas, ink, layout, label, content, number)
            else:
                _copy(canvas, ink, layout, label, content, number)

    return render_canvas(info, ink, page_size(layout.page), draw)


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float

    def inset(self, by: float) -> _Box:
        return _Box(self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)

    @property
    def top(self) -> float:
        return self.y + self.height


def _box(grid: LabelGrid, position: int, page_height: float) -> _Box:
    row, column = divmod(position, grid.columns)
    x = (grid.left_mm + column * (grid.label_width_mm + grid.gap_x_mm)) * mm
    top = page_height - (grid.top_mm + row * (grid.label_height_mm + grid.gap_y_mm)) * mm
    height = grid.label_height_mm * mm
    return _Box(x, top - height, grid.label_width_mm * mm, height)


def _stamp(canvas: Canvas, ink: Ink, text: str, right: float, top: float, size: float) -> float:
    """A boxed stamp ending at ``right``; returns its left edge."""
    font = ink.font(bold=True)
    text = ink.text(text, font)
    width = ink.width(text, font, size) + 3 * mm
    height = size * 1.5
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillColor(STAMP_RED)
    canvas.setLineWidth(1)
    canvas.rect(right - width, top - height, width, height)
    canvas.setFont(font, size)
    canvas.drawCentredString(right - width / 2, top - height + size * 0.45, text)
    canvas.setFillColor(colors.black)
    return float(right - width)


def _block(
    canvas: Canvas,
    ink: Ink,
    lines: Sequence[tuple[str, bool]],
    left: float,
    top: float,
    width: float,
    bottom: float,
    number: int,
) -> None:
    """Draw (text, bold) lines wrapped to ``width`` between ``top`` and ``bottom``, shrinking
    the size until they fit."""
    size = ink.size
    while True:
        wrapped = []
        for text, bold in lines:
            font = ink.font(bold=bold)
            for line, _ in wrap_text(ink, ink.text(text, font), font, size, width):
                wrapped.append((line, font))
        if len(wrapped) * size * LEADING <= top - bottom:
            break
        size -= 0.5
        if size < MIN_SIZE:
            raise LabelTextTooLong(position=number)
    y = top - size
    for line, font in wrapped:
        canvas.setFont(font, size)
        canvas.drawString(left, y, line)
        y -= size * LEADING


def _letter(canvas: Canvas, ink: Ink, letter: str, box: _Box) -> float:
    """The letter A/B/C in a circle at the top left; returns where the text may start."""
    radius = 6 * mm
    centre_x, centre_y = box.x + radius, box.top - radius
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(1.2)
    canvas.circle(centre_x, centre_y, radius)
    canvas.setFont(ink.font(bold=True), 20)
    canvas.drawCentredString(centre_x, centre_y - 7, letter)
    return float(box.x + 2 * radius + 3 * mm)


def _envelope(
    canvas: Canvas, ink: Ink, layout: FormLayout, label: EnvelopeLabel, box: _Box, number: int
) -> None:
    if label.envelope is Envelope.OUTER:
        # like ordinary mail plus "A": nothing that tells the level or the document
        text_left = _letter(canvas, ink, label.letter, box)
        outer = [
            (layout.text("sender", value=label.sender), False),
            (layout.text("addressee", value=label.addressee), True),
        ]
        width = box.x + box.width - text_left
        _block(canvas, ink, outer, text_left, box.top - 2 * mm, width, box.y, number)
        return
    right = box.x + box.width
    if label.envelope is Envelope.INNER:
        text_left = box.x
        right = _stamp(canvas, ink, label.level.label_vi.upper(), right, box.top, 11) - 2 * mm
    else:
        text_left = _letter(canvas, ink, label.letter, box)
    if label.urgency:
        _stamp(canvas, ink, label.urgency.upper(), right, box.top, 11)
    lines: list[tuple[str, bool]] = [
        (layout.text("number_symbol", value=label.number_symbol), False),
        (layout.text("addressee", value=label.addressee), True),
    ]
    if label.named_addressee_only:
        lines.append((layout.texts["named_only"], True))
        if label.named_addressee:
            lines.append((layout.text("named_to", name=label.named_addressee), False))
    if label.recall:
        recall = layout.texts["recall"]
        if label.recall_deadline:
            deadline = fmt_date(label.recall_deadline)
            recall += " - " + layout.text("recall_deadline", date=deadline)
        lines.append((recall, True))
    top = box.top - 7 * mm
    _block(canvas, ink, lines, text_left, top, box.x + box.width - text_left, box.y, number)


def _copy(
    canvas: Canvas, ink: Ink, layout: FormLayout, label: CopyLabel, box: _Box, number: int
) -> None:
    title = ink.text(layout.text("copy_title", number=label.copy_number), ink.font(bold=True))
    canvas.setFont(ink.font(bold=True), 14)
    canvas.drawString(box.x, box.top - 12, title)
    _stamp(canvas, ink, label.level.label_vi.upper(), box.x + box.width, box.top, 11)
    _block(
        canvas, ink, [(label.provenance, False)], box.x, box.top - 7 * mm, box.width, box.y, number
    )
