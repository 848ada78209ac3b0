"""The yearly statistics list (thống kê bí mật nhà nước, Law 2018 Art. 12.1; TT104 Art. 5):
every item received or issued in the reporting window, in time order, under its level
(Tuyệt mật, Tối mật, Mật). A Tuyệt mật summary is never printed here: the layout's
"summary_withheld" text stands in its place."""

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
from secretdesk.reports.layout import DocumentInfo, build_pdf, fmt_date, frame_size, new_ink
from secretdesk.reports.model import PrintStamp, StatisticsListData
from secretdesk.reports.registers import hidden_note

ORDER = (Level.TUYET_MAT, Level.TOI_MAT, Level.MAT)


def render_statistics_list(
    data: StatisticsListData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The list as PDF bytes; ``layout`` None picks the one in force at the window end."""
    layout = layout or load_layout(FormKind.STATISTICS, data.window_end)
    if data.window_end < data.window_start:
        raise InvalidReportData(detail="the reporting window ends before it starts")
    ink = new_ink(layout, fonts)
    window = layout.text(
        "window", year=data.year, start=fmt_date(data.window_start), end=fmt_date(data.window_end)
    )
    info = DocumentInfo(layout, stamp, data.unit, str(data.year), f"{layout.title} - {window}")
    columns = layout.tables["rows"]
    withheld = layout.texts["summary_withheld"]
    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, "", stamp.printed_at.date()),
        *title_block(ink, layout.title, window),
    ]
    for number, level in enumerate(ORDER, start=1):
        rows = sorted(
            (r for r in data.rows if r.level is level), key=lambda r: (r.day, r.direction, r.number)
        )
        if level is Level.TUYET_MAT:
            rows = [replace(r, summary=withheld) for r in rows]
        heading = layout.text("level_heading", number=number, level=level.label_vi, count=len(rows))
        story.append(ink.para(heading, bold=True, space_before=4 * mm, space_after=2 * mm))
        if rows:
            story.append(
                GridTable(
                    columns,
                    object_rows(columns, rows),
                    ink,
                    size=ink.size - 1,
                    max_height=frame_size(layout)[1],
                )
            )
        else:
            story.append(ink.para(layout.texts["no_rows"], italic=True))
    if data.hidden:
        story.append(ink.para(hidden_note(data.hidden), italic=True, space_before=2 * mm))
    story.append(signatures(ink, layout, layout_signatures(layout, data)))
    return build_pdf(story, info, ink)
