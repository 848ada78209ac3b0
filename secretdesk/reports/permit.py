"""Take-out permit (giấy phép mang tài liệu, vật chứa bí mật nhà nước ra khỏi nơi lưu giữ).

It carries what ND26 Art. 5 asks of the request: the requester, their post and unit, each
item's type, summary and level (a Tuyệt mật summary is never printed: the layout's
"summary_withheld" text stands in its place), purpose, place, time and protection measures;
then the closing part, the report on management and use and the day the items came back
(blank lines to fill in while the permit is open). Taking items abroad (Law 2018 Art. 14.2)
has its own subtitle and names the head of the delegation it is reported to. An approved
provision to a foreign body or person (Art. 16) prints on the same layout as its own decision:
the body and its representative, the items, purpose, commitment and who decided, citing it.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from secretdesk.domain.levels import Level
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
from secretdesk.reports.model import DocumentLine, PrintStamp, TakeOutPermitData


def render_permit(
    data: TakeOutPermitData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The permit as PDF bytes; ``layout`` None picks the one in force on the issue day."""
    layout = layout or load_layout(FormKind.TAKE_OUT_PERMIT, data.issued_on)
    if not data.items:
        raise InvalidReportData(detail="a take-out permit lists at least one item")
    if data.due_back <= data.out_from and not data.foreign:
        raise InvalidReportData(detail="the return is due before the item goes out")
    ink = new_ink(layout, fonts)
    number_line = layout.text("number_line", number=data.number, year=data.year)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.number}", number_line)
    items = layout.tables["items"]
    withheld = layout.texts["summary_withheld"]
    lines = tuple(
        replace(line, summary=withheld) if line.level is Level.TUYET_MAT else line
        for line in data.items
    )
    period = layout.text(
        "period",
        from_time=fmt_time(data.out_from),
        from_date=fmt_date(data.out_from.date()),
        until_time=fmt_time(data.due_back),
        until_date=fmt_date(data.due_back.date()),
    )
    gap = 1.5 * mm
    if data.foreign:
        return build_pdf(_foreign(ink, layout, data, lines, gap), info, ink)
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, number_line, data.issued_on),
        *title_block(
            ink, layout.title, layout.texts["abroad_subtitle" if data.abroad else "subtitle"]
        ),
        ink.para(
            layout.text("requester", name=data.requester, position=data.requester_position),
            space_after=gap,
        ),
        ink.para(layout.text("requester_unit", unit=data.requester_unit), space_after=gap),
        ink.para(layout.texts["items_intro"], space_after=2 * mm),
        GridTable(
            items,
            object_rows(items, lines),
            ink,
            size=ink.size - 1,
            max_height=frame_size(layout)[1],
        ),
        ink.para(
            layout.text("purpose", purpose=data.purpose), space_before=3 * mm, space_after=gap
        ),
        ink.para(layout.text("destination", destination=data.destination), space_after=gap),
        ink.para(period, space_after=gap),
        ink.para(layout.text("measures", measures=data.protection_measures), space_after=gap),
        *(
            [ink.para(layout.text("delegation", head=data.delegation_head), space_after=gap)]
            if data.abroad
            else []
        ),
        signatures(
            ink,
            layout,
            layout_signatures(layout, data),
            lead=[ink.para(layout.texts["obligation"], italic=True, space_before=2 * mm)],
        ),
        ink.para(layout.texts["closing_heading"], bold=True, space_before=4 * mm, space_after=gap),
        *_closing(ink, layout, data, gap),
    ]
    return build_pdf(story, info, ink)


def _foreign(
    ink: Ink,
    layout: FormLayout,
    data: TakeOutPermitData,
    lines: tuple[DocumentLine, ...],
    gap: float,
) -> list[Flowable]:
    """The decision to provide secrets to a foreign body or person (Art. 16): who asked, what,
    why, their commitment, and who decided under which article."""
    items = layout.tables["items"]
    number_line = layout.text("number_line", number=data.number, year=data.year)
    return [
        *formal_header(ink, layout, data.unit, number_line, data.issued_on),
        *title_block(ink, layout.title, layout.texts["foreign_subtitle"]),
        ink.para(
            layout.text(
                "foreign_body",
                body=data.requesting_body,
                name=data.requester,
                position=data.requester_position,
                nationality=data.nationality,
                passport=data.passport,
            ),
            space_after=gap,
        ),
        ink.para(layout.texts["foreign_items_intro"], space_after=2 * mm),
        GridTable(
            items,
            object_rows(items, lines),
            ink,
            size=ink.size - 1,
            max_height=frame_size(layout)[1],
        ),
        ink.para(
            layout.text("purpose", purpose=data.purpose), space_before=3 * mm, space_after=gap
        ),
        ink.para(layout.text("commitment", commitment=data.commitment), space_after=gap),
        ink.para(layout.text("authority", authority=data.authority), space_after=gap),
        signatures(ink, layout, layout_signatures(layout, data)),
    ]


def _closing(ink: Ink, layout: FormLayout, data: TakeOutPermitData, gap: float) -> list[Flowable]:
    if not data.closing_report:
        return [ink.para(layout.texts["not_closed"], space_after=gap)]
    parts = [ink.para(layout.text("closing_report", report=data.closing_report), space_after=gap)]
    if data.returned_on is not None:
        parts.append(ink.para(layout.text("returned", date=fmt_date(data.returned_on))))
    return parts
