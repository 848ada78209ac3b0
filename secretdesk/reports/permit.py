"""Take-out permit (giấy phép mang tài liệu, vật chứa bí mật nhà nước ra khỏi nơi lưu giữ)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from secretdesk.reports.blocks import formal_header, layout_signatures, signatures, title_block
from secretdesk.reports.errors import InvalidReportData
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import FormKind, FormLayout, load_layout
from secretdesk.reports.grid import GridTable, object_rows
from secretdesk.reports.layout import (
    DocumentInfo,
    build_pdf,
    fmt_date,
    fmt_time,
    frame_size,
    new_ink,
)
from secretdesk.reports.model import PrintStamp, TakeOutPermitData


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
    if data.due_back <= data.out_from:
        raise InvalidReportData(detail="the return is due before the item goes out")
    ink = new_ink(layout, fonts)
    number_line = layout.text("number_line", number=data.number, year=data.year)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.number}", number_line)
    items = layout.tables["items"]
    period = layout.text(
        "period",
        from_time=fmt_time(data.out_from),
        from_date=fmt_date(data.out_from.date()),
        until_time=fmt_time(data.due_back),
        until_date=fmt_date(data.due_back.date()),
    )
    gap = 1.5 * mm
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, number_line, data.issued_on),
        *title_block(ink, layout.title, layout.texts["subtitle"]),
        ink.para(
            layout.text("requester", name=data.requester, position=data.requester_position),
            space_after=gap,
        ),
        ink.para(layout.texts["items_intro"], space_after=2 * mm),
        GridTable(
            items,
            object_rows(items, data.items),
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
        signatures(
            ink,
            layout,
            layout_signatures(layout, data),
            lead=[ink.para(layout.texts["obligation"], italic=True, space_before=2 * mm)],
        ),
    ]
    return build_pdf(story, info, ink)
