"""Page templates and typesetting shared by every printout.

A4 pages with the margins of the form layout, a running header with the unit, and a footer
on every page with "Trang x/y", the print time and person, and the audit-chain head. The
total page count is a PDF form object drawn on every page and defined once when the document
is saved, so one pass is enough and the count is always right.

Output is deterministic: reportlab's invariant mode, the creation date taken from the print
time, and a document id derived from what is printed, so the same data and print stamp give
the same bytes and a reprint can be compared with the original.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
)

from secretdesk.reports.fonts import FontFamily, ensure_glyphs, register_fonts
from secretdesk.reports.forms import FormLayout, PageSetup
from secretdesk.reports.model import PrintStamp, UnitHeader

PAGE_COUNT_FORM = "SDPageCount"
FOOTER_SIZE = 8.0
HEADER_SIZE = 8.5
LEADING = 1.22  # line height / font size: room for stacked Vietnamese marks
GREY = colors.Color(0.35, 0.35, 0.35)
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def fmt_date(value: date | None, blank: str = "") -> str:
    return value.strftime("%d/%m/%Y") if value else blank


def fmt_time(value: datetime) -> str:
    return value.strftime("%H:%M")


def page_size(page: PageSetup) -> tuple[float, float]:
    size: tuple[float, float] = landscape(A4) if page.orientation == "landscape" else A4
    return size


class Ink:
    """Typesetting with one font family: every string passes through ``text`` (NFC, and a
    check that each character has a glyph), so nothing prints as a missing-glyph box."""

    def __init__(self, fonts: FontFamily, size: float) -> None:
        self.fonts = fonts
        self.size = size
        self._words: dict[str, dict[str, float]] = {}
        self._checked: dict[str, set[str]] = {}  # characters known to have a glyph

    def font(self, *, bold: bool = False, italic: bool = False) -> str:
        return self.fonts.style(bold=bold, italic=italic)

    def text(self, value: str, font: str | None = None) -> str:
        """The text as printed: NFC, tabs as spaces, line ends as "\\n"; refused with
        MissingGlyph when the font lacks a character."""
        value = unicodedata.normalize("NFC", value)
        if value.isascii() and value.isprintable():
            return value
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        font = font or self.fonts.regular
        seen = self._checked.setdefault(font, set())
        chars = set(value)
        if not chars <= seen:
            ensure_glyphs(value, font)
            seen |= chars
        return value

    def width(self, value: str, font: str, size: float) -> float:
        """Width in points; word widths are cached, as Vietnamese repeats its syllables."""
        units = self.words_units(value.split(" "), font)
        return (sum(units) + self.words_units((" ",), font)[0] * value.count(" ")) * size / 1000

    def words_units(self, words: Sequence[str], font: str) -> list[float]:
        """The width of each word at size 1000, measured once per font and word."""
        cache = self._words.get(font)
        if cache is None:
            cache = self._words[font] = {" ": float(pdfmetrics.stringWidth(" ", font, 1000))}
        found = []
        for word in words:
            width = cache.get(word)
            if width is None:
                width = cache[word] = float(pdfmetrics.stringWidth(word, font, 1000))
            found.append(width)
        return found

    def para(
        self,
        value: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        align: str = "left",
        space_before: float = 0,
        space_after: float = 0,
        indent: float = 0,
    ) -> Paragraph:
        font = self.font(bold=bold, italic=italic)
        size = size or self.size
        style = ParagraphStyle(
            "sd",
            fontName=font,
            fontSize=size,
            leading=size * LEADING + 1,
            alignment=_ALIGN[align],
            spaceBefore=space_before,
            spaceAfter=space_after,
            firstLineIndent=indent,
        )
        lines = escape(self.text(value, font)).split("\n")
        return Paragraph("<br/>".join(lines), style)


def wrap_text(
    ink: Ink, value: str, font: str, size: float, width: float
) -> list[tuple[str, float]]:
    """Break text into lines no wider than ``width``; words too long are cut by character."""
    lines: list[tuple[str, float]] = []

    def measure(text: str) -> float:
        return ink.width(text, font, size)

    space_units = ink.words_units((" ",), font)[0]
    space = space_units * size / 1000
    for paragraph in value.split("\n"):
        # Each word is looked up once: the paragraph's width and its lines both come from
        # these (a register of 100,000 rows measured every cell twice, word by word).
        words = paragraph.split(" ")
        units = ink.words_units(words, font)
        whole = (sum(units) + space_units * (len(words) - 1)) * size / 1000
        if whole <= width:
            lines.append((paragraph, whole))
            continue
        line, line_width = "", 0.0
        for word, word_units in zip(words, units, strict=True):
            if not word:
                continue
            word_width = word_units * size / 1000
            if word_width > width:
                if line:
                    lines.append((line, line_width))
                pieces = _cut_word(word, measure, width)
                lines.extend(pieces[:-1])
                line, line_width = pieces[-1]
            elif not line:
                line, line_width = word, word_width
            elif line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
            else:
                lines.append((line, line_width))
                line, line_width = word, word_width
        lines.append((line, line_width))
    return lines


def _cut_word(word: str, measure: Callable[[str], float], width: float) -> list[tuple[str, float]]:
    pieces: list[tuple[str, float]] = []
    piece = ""
    for char in word:
        if piece and measure(piece + char) > width:
            pieces.append((piece, measure(piece)))
            piece = ""
        piece += char
    pieces.append((piece, measure(piece)))
    return pieces


@dataclass(frozen=True)
class DocumentInfo:
    """What identifies one printout: used for the PDF metadata and its document id."""

    layout: FormLayout
    stamp: PrintStamp
    unit: UnitHeader
    reference: str  # e.g. "2025/42" for a slip; part of the document id
    running_title: str


class PrintCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """A canvas that stamps the print time into the PDF and knows the total page count."""

    def __init__(self, *args: Any, info: DocumentInfo, footer_font: str, **kwargs: Any) -> None:
        kwargs["invariant"] = 1
        super().__init__(*args, **kwargs)
        self._footer_font = footer_font
        self.page_labels: dict[int, tuple[str, str]] = {}  # page -> text before, after count
        stamp_document(self, info)

    def save(self) -> None:
        if self._code:
            self.showPage()
        pages = str(self.getPageNumber() - 1)
        for number, (before, after) in sorted(self.page_labels.items()):
            # the text is drawn to the left of the form's origin: widen its box that way
            self.beginForm(f"{PAGE_COUNT_FORM}{number}", lowerx=-100 * mm, lowery=-5 * mm)
            self.setFont(self._footer_font, FOOTER_SIZE)
            self.drawRightString(0, 0, before + pages + after)
            self.endForm()
        super().save()
        # The saved canvas and its PDF objects refer to each other: left so, they wait for
        # the cyclic garbage collector (100,000 objects for a 400-page register, 75 ms
        # holding the interpreter, and in the GUI that is the GUI thread). Dropping the
        # canvas's references lets reference counting free them now, where they were made.
        self.__dict__.clear()


def stamp_document(canvas: Canvas, info: DocumentInfo) -> None:
    """Creation date from the print time and a document id from what is printed."""
    at = info.stamp.printed_at
    offset = at.utcoffset()
    if offset is None:
        zone = "Z"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    stamp_text = at.strftime("D:%Y%m%d%H%M%S") + zone
    canvas.setDateFormatter(lambda *_: stamp_text)
    head = info.stamp.chain_head
    identity = "|".join(
        [
            "SecretDesk",
            info.layout.name,
            info.unit.unit_code,
            info.reference,
            at.isoformat(),
            info.stamp.printed_by,
            f"{head.seq}:{head.hash}",
        ]
    )
    canvas._doc.updateSignature(identity)
    canvas.setTitle(info.layout.title)
    canvas.setAuthor(info.unit.unit_name)
    canvas.setSubject(info.running_title)
    canvas.setCreator("SecretDesk")


class Page:
    """Draws the running header and the footer of each page of a document."""

    def __init__(self, info: DocumentInfo, ink: Ink) -> None:
        self.info = info
        self.ink = ink
        layout = info.layout
        self.size = page_size(layout.page)
        top, right, bottom, left = (value * mm for value in layout.page.margins_mm)
        self.left, self.right = left, self.size[0] - right
        self.top, self.bottom = self.size[1] - top, bottom
        stamp = info.stamp
        self.printed = ink.text(
            layout.text(
                "printed",
                time=fmt_time(stamp.printed_at),
                date=fmt_date(stamp.printed_at.date()),
                by=stamp.printed_by,
            )
        )
        self.chain = ink.text(layout.text("chain_head", head=stamp.chain_head.printed()))
        self.header_left = ink.text(info.unit.unit_name.upper())
        self.header_right = ink.text(info.running_title)
        before, _, after = layout.texts["page_number"].partition("{pages}")
        self.page_before, self.page_after = ink.text(before), ink.text(after)

    def frame(self) -> Frame:
        return Frame(
            self.left,
            self.bottom,
            self.right - self.left,
            self.top - self.bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )

    def decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        number = canvas.getPageNumber()
        running = self.info.layout.page.running_header
        canvas.saveState()
        if running == "all" or (running == "after_first" and number > 1):
            self._header(canvas)
        self._footer(canvas, number)
        canvas.restoreState()

    def _header(self, canvas: Canvas) -> None:
        y = self.top + 4 * mm
        canvas.setFont(self.ink.font(bold=True), HEADER_SIZE)
        canvas.drawString(self.left, y, self.header_left)
        canvas.setFont(self.ink.font(italic=True), HEADER_SIZE)
        canvas.drawRightString(self.right, y, self.header_right)
        canvas.setLineWidth(0.4)
        canvas.line(self.left, y - 1.5 * mm, self.right, y - 1.5 * mm)

    def _footer(self, canvas: Canvas, number: int) -> None:
        font = self.ink.font()
        y = self.bottom - 5 * mm
        canvas.setLineWidth(0.4)
        canvas.line(self.left, y + 3.5 * mm, self.right, y + 3.5 * mm)
        canvas.setFont(font, FOOTER_SIZE)
        canvas.drawString(self.left, y, self.chain)
        canvas.drawString(self.left, y - 3.6 * mm, self.printed)
        # "Trang x/y" ends where the rule ends; the count is not known until the last page,
        # so each page shows a form filled in when the document is saved
        canvas.saveState()
        canvas.translate(self.right, y)
        canvas.doForm(f"{PAGE_COUNT_FORM}{number}")
        canvas.restoreState()
        if isinstance(canvas, PrintCanvas):
            canvas.page_labels[number] = (
                self.page_before.format(page=number),
                self.page_after.format(page=number),
            )


def build_pdf(story: Sequence[Flowable], info: DocumentInfo, ink: Ink) -> bytes:
    """Lay out the story on the layout's pages and return the PDF bytes."""
    page = Page(info, ink)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page.size,
        leftMargin=page.left,
        rightMargin=page.size[0] - page.right,
        topMargin=page.size[1] - page.top,
        bottomMargin=page.bottom,
        title=info.layout.title,
        author=info.unit.unit_name,
        subject=info.running_title,
        creator="SecretDesk",
        invariant=1,
        pageCompression=1,
        initialFontName=ink.fonts.regular,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[page.frame()], onPage=page.decorate)])
    maker = partial(PrintCanvas, info=info, footer_font=ink.font())
    with _plain_streams():
        doc.build(list(story), canvasmaker=maker)
    return buffer.getvalue()


def render_canvas(
    info: DocumentInfo,
    ink: Ink,
    size: tuple[float, float],
    draw: Callable[[Canvas], None],
) -> bytes:
    """PDF bytes of pages drawn directly on a canvas (label sheets): no header or footer."""
    buffer = io.BytesIO()
    with _plain_streams():
        canvas = PrintCanvas(
            buffer, pagesize=size, pageCompression=1, info=info, footer_font=ink.font()
        )
        draw(canvas)
        canvas.save()
    return buffer.getvalue()


@contextmanager
def _plain_streams() -> Iterator[None]:
    """Compressed streams without the ASCII85 layer: smaller files, much less time.

    reportlab reads this setting when it writes each stream; only reports/ uses reportlab.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def new_ink(layout: FormLayout, fonts: FontFamily | None) -> Ink:
    return Ink(fonts or register_fonts(), layout.page.font_size)


def frame_size(layout: FormLayout) -> tuple[float, float]:
    width, height = layout.page.usable_mm
    return width * mm, height * mm
