"""Receipt slip (phiếu gửi) for one handover, with a tear-off stub kept by the sender.

The recipient checks the items, signs and returns the slip; the clerk scans its code to
record the return. The code (QR and text) is made by ``slipcode`` from the handover number
and the audit-chain head of the print stamp, which is also printed in the footer.
"""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from secretdesk.reports.blocks import formal_header, layout_signatures, signatures, title_block
from secretdesk.reports.errors import InvalidReportData
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import FormKind, FormLayout, load_layout
from secretdesk.reports.grid import GridTable, object_rows
from secretdesk.reports.layout import (
    DocumentInfo,
    Ink,
    build_pdf,
    fmt_date,
    fmt_time,
    frame_size,
    new_ink,
)
from secretdesk.reports.model import PrintStamp, SlipData
from secretdesk.reports.slipcode import decode_slip_code, encode_slip_code, parse_slip_code

__all__ = [
    "decode_slip_code",
    "encode_slip_code",
    "parse_slip_code",
    "render_slip",
    "slip_code_for",
]

QR_SIZE = 32 * mm
STUB_QR_SIZE = 22 * mm


def slip_code_for(data: SlipData, stamp: PrintStamp) -> str:
    """The code printed on this slip: record it with the print event to verify the return."""
    return encode_slip_code(data.year, data.number, stamp.chain_head)


def render_slip(
    data: SlipData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The slip and its stub as PDF bytes; ``layout`` None picks the one in force that day."""
    layout = layout or load_layout(FormKind.SLIP, data.handed_at.date())
    if data.kind.value not in layout.choices["handover_kinds"]:
        raise InvalidReportData(detail=f"unknown handover kind {data.kind}")
    if not data.lines:
        raise InvalidReportData(detail="a slip lists at least one item")
    ink = new_ink(layout, fonts)
    code = slip_code_for(data, stamp)
    number_line = layout.text("number_line", number=data.number, year=data.year)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.number}", number_line)
    width, height = frame_size(layout)
    when = data.handed_at
    facts = [
        layout.text("handed_at", time=fmt_time(when), date=fmt_date(when.date())),
        layout.text("kind", kind=layout.choices["handover_kinds"][data.kind.value]),
        layout.text("sender", sender=data.sender),
        layout.text("recipient_body", body=data.recipient_body),
        layout.text("recipient_person", person=data.recipient_person),
    ]
    if data.envelope_marks:
        facts.append(layout.text("envelope_marks", marks="; ".join(data.envelope_marks)))
    if data.courier:
        facts.append(layout.text("courier", courier=data.courier))
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, number_line, when.date()),
        *title_block(ink, layout.title),
        _beside_code(
            ink, [ink.para(fact, space_after=1.5) for fact in facts], code, width, QR_SIZE
        ),
        Spacer(1, 3 * mm),
        ink.para(layout.texts["items_heading"], bold=True, space_after=2 * mm),
        GridTable(
            layout.tables["lines"],
            object_rows(layout.tables["lines"], data.lines),
            ink,
            size=ink.size - 1,
            max_height=height,
        ),
        ink.para(layout.text("items_total", count=len(data.lines)), space_before=2 * mm),
        ink.para(layout.texts["instruction"], italic=True, space_before=2 * mm),
        signatures(
            ink,
            layout,
            layout_signatures(layout, data),
            lead=[ink.para(layout.texts["received_at"], space_before=3 * mm)],
        ),
        _stub(ink, layout, data, code, number_line, width),
    ]
    return build_pdf(story, info, ink)


def qr_drawing(code: str, size: float) -> Drawing:
    widget = QrCodeWidget(code, barLevel="M", barBorder=2)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _beside_code(
    ink: Ink, cell: list[Flowable], code: str, width: float, size: float, caption: bool = True
) -> Table:
    under = [qr_drawing(code, size)]
    if caption:
        under.append(ink.para(code, size=ink.size - 3, align="center"))
    table = Table([[cell, under]], colWidths=[width - size - 6 * mm, size + 6 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class CutLine(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A dashed line across the frame with a caption: where the stub is torn off."""

    def __init__(self, ink: Ink, caption: str, width: float) -> None:
        super().__init__()
        self.ink, self.caption, self.width = ink, ink.text(caption), width
        self.height = 8 * mm

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = self.ink.size - 3
        font = self.ink.font(italic=True)
        text_width = self.ink.width(self.caption, font, size)
        y = self.height / 2
        canvas.setDash(3, 2)
        canvas.setLineWidth(0.6)
        middle = self.width / 2
        canvas.line(0, y, middle - text_width / 2 - 2 * mm, y)
        canvas.line(middle + text_width / 2 + 2 * mm, y, self.width, y)
        canvas.setDash()
        canvas.setFont(font, size)
        canvas.drawCentredString(middle, y - size * 0.3, self.caption)


def _stub(
    ink: Ink, layout: FormLayout, data: SlipData, code: str, number_line: str, width: float
) -> Flowable:
    """The part the sender keeps: what left, to whom, and the courier's signature."""
    when = data.handed_at
    items = "; ".join(f"{line.number_symbol} ({line.copy_numbers})" for line in data.lines)
    small = ink.size - 1
    facts: list[Flowable] = [
        ink.para(f"{layout.texts['stub_title']} - {number_line}", bold=True, space_after=2),
        ink.para(
            layout.text("handed_at", time=fmt_time(when), date=fmt_date(when.date())), size=small
        ),
        ink.para(layout.text("recipient_body", body=data.recipient_body), size=small),
        ink.para(layout.text("recipient_person", person=data.recipient_person), size=small),
        ink.para(layout.text("items_total", count=len(data.lines)) + " " + items, size=small),
        ink.para(layout.text("code_caption", code=code), size=small - 1),
    ]
    sign: list[Flowable] = [
        ink.para(layout.texts["stub_signature"].upper(), bold=True, size=small, align="center"),
        ink.para(layout.texts["signature_hint"], italic=True, size=small - 1, align="center"),
        Spacer(1, 14 * mm),
        ink.para(data.courier or " ", bold=True, size=small, align="center"),
    ]
    sign_width = 55 * mm
    body = Table(
        [[facts, sign]], colWidths=[width - STUB_QR_SIZE - 6 * mm - sign_width, sign_width]
    )
    body.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether(
        [
            Spacer(1, 5 * mm),
            CutLine(ink, layout.texts["cut_line"], width),
            Spacer(1, 2 * mm),
            _beside_code(ink, [body], code, width, STUB_QR_SIZE, caption=False),
        ]
    )
