"""Destruction minutes (biên bản tiêu hủy tài liệu, vật chứa bí mật nhà nước).

The council, the decision it acts on, when and where, the copies destroyed with their
grounds, the method, and one signature block per council member.
"""

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
from secretdesk.reports.model import MinutesData, PrintStamp


def render_minutes(
    data: MinutesData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The minutes as PDF bytes; ``layout`` None picks the one in force on the day."""
    when = data.destroyed_at
    layout = layout or load_layout(FormKind.MINUTES, when.date())
    if not data.members or not data.copies:
        raise InvalidReportData(detail="destruction minutes need council members and copies")
    ink = new_ink(layout, fonts)
    height = frame_size(layout)[1]
    number_line = layout.text("number_line", number=data.case_number, year=data.year)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.case_number}", number_line)
    members = layout.tables["members"]
    copies = layout.tables["copies"]
    opening = layout.text(
        "opening", time=fmt_time(when), date=fmt_date(when.date()), place=data.place
    )
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, number_line, when.date()),
        *title_block(ink, layout.title, layout.texts["subtitle"]),
        ink.para(layout.text("basis", decision=data.decision_ref), italic=True, space_after=2 * mm),
        ink.para(opening, space_after=2 * mm),
        GridTable(members, object_rows(members, data.members), ink, max_height=height),
        ink.para(layout.texts["copies_intro"], space_before=3 * mm, space_after=2 * mm),
        GridTable(
            copies, object_rows(copies, data.copies), ink, size=ink.size - 1, max_height=height
        ),
        ink.para(layout.text("items_total", count=len(data.copies)), space_before=2 * mm),
        ink.para(layout.text("method", method=data.method), space_before=2 * mm),
        signatures(
            ink,
            layout,
            [
                *layout_signatures(layout, data),
                *((m.role, layout.texts["signature_hint"], m.name) for m in data.members),
            ],
            per_row=3 if len(data.members) >= 3 else 2,
            lead=[ink.para(layout.texts["closing"], space_before=2 * mm)],
        ),
    ]
    return build_pdf(story, info, ink)
