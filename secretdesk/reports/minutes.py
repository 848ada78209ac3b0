"""Destruction minutes (biên bản tiêu hủy tài liệu, vật chứa bí mật nhà nước).

The decisions it acts on (the one establishing the council and the destruction decision),
the council, when and where, the copies destroyed with their grounds, the method, one
signature block per council member, then the papers of the destruction dossier (Law 2018
Art. 23.4). The emergency variant (Art. 23.3): the holder alone destroyed and reported in
writing to the head at once; it cites the report and is signed by the holder.
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
    if not data.copies or not (data.members or data.emergency):
        raise InvalidReportData(detail="destruction minutes need council members and copies")
    if data.emergency and not (data.holder and data.report):
        raise InvalidReportData(detail="emergency minutes need the holder and the report")
    ink = new_ink(layout, fonts)
    height = frame_size(layout)[1]
    number_line = layout.text("number_line", number=data.case_number, year=data.year)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.case_number}", number_line)
    members = layout.tables["members"]
    copies = layout.tables["copies"]
    opening = layout.text(
        "opening", time=fmt_time(when), date=fmt_date(when.date()), place=data.place
    )
    not_given = layout.texts["not_given"]
    if data.emergency:
        subtitle = layout.texts["emergency_subtitle"]
        opening = layout.text(
            "emergency_opening",
            time=fmt_time(when),
            date=fmt_date(when.date()),
            place=data.place,
            holder=data.holder,
        )
        head: list[Flowable] = [
            ink.para(layout.text("emergency_basis", report=data.report), italic=True),
            ink.para(opening, space_before=2 * mm),
        ]
        signers = [(layout.texts["holder_caption"], layout.texts["signature_hint"], data.holder)]
    else:
        subtitle = layout.texts["subtitle"]
        council = layout.text("council_basis", decision=data.council_decision or not_given)
        head = [
            ink.para(council, italic=True),
            ink.para(layout.text("basis", decision=data.decision_ref), italic=True),
            ink.para(opening, space_before=2 * mm, space_after=2 * mm),
            GridTable(members, object_rows(members, data.members), ink, max_height=height),
        ]
        signers = [
            *layout_signatures(layout, data),
            *((m.role, layout.texts["signature_hint"], m.name) for m in data.members),
        ]
    dossier = layout.text(
        "dossier",
        council=data.council_decision or not_given,
        decision=data.decision_ref or not_given,
    )
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, number_line, when.date()),
        *title_block(ink, layout.title, subtitle),
        *head,
        ink.para(layout.texts["copies_intro"], space_before=3 * mm, space_after=2 * mm),
        GridTable(
            copies, object_rows(copies, data.copies), ink, size=ink.size - 1, max_height=height
        ),
        ink.para(layout.text("items_total", count=len(data.copies)), space_before=2 * mm),
        ink.para(layout.text("method", method=data.method), space_before=2 * mm),
        signatures(
            ink,
            layout,
            signers,
            per_row=3 if len(data.members) >= 3 else 2,
            lead=[
                ink.para(
                    layout.texts["emergency_closing" if data.emergency else "closing"],
                    space_before=2 * mm,
                )
            ],
        ),
        *(
            []
            if data.emergency
            else [
                ink.para(layout.texts["dossier_heading"], bold=True, space_before=4 * mm),
                *(ink.para(line, space_before=1 * mm) for line in dossier.splitlines()),
            ]
        ),
    ]
    return build_pdf(story, info, ink)
