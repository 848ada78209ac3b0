"""The yearly report to the superior body (báo cáo hằng năm, ND26 Art. 8) in its four parts:
I. the situation (text typed by the unit, then the counts by level and by kind of event for
the reporting window); II. results, strengths, limits and lessons (typed text, then the
self-inspection findings); III. the leak and loss cases with cause, handling and remedy
(from the incidents); IV. forecast and proposals (typed text). A part the unit has not
written prints a line to fill in by hand. It ends with the deadline of the basis in force
and the fingerprint of the unit's signing key, so the supervising office can check the key
out of band."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from secretdesk.domain.levels import Level
from secretdesk.reports.blocks import formal_header, layout_signatures, signatures, title_block
from secretdesk.reports.errors import InvalidReportData
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import Column, FormKind, FormLayout, load_layout
from secretdesk.reports.grid import GridRow, GridTable, object_rows
from secretdesk.reports.layout import DocumentInfo, build_pdf, fmt_date, frame_size, new_ink
from secretdesk.reports.model import INDEX_FIELD, AnnualReportData, PrintStamp

_LEVEL_FIELDS = {"tuyet_mat": Level.TUYET_MAT, "toi_mat": Level.TOI_MAT, "mat": Level.MAT}


def render_annual_report(
    data: AnnualReportData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The report as PDF bytes; ``layout`` None picks the one in force at the window end."""
    layout = layout or load_layout(FormKind.ANNUAL_REPORT, data.window_end)
    events = layout.choices["events"]
    unknown = sorted(set(data.events) - set(events))
    if unknown:
        raise InvalidReportData(detail=f"event kinds {unknown} are not in {layout.name}")
    if data.window_end < data.window_start:
        raise InvalidReportData(detail="the reporting window ends before it starts")
    ink = new_ink(layout, fonts)
    height = frame_size(layout)[1]
    window = layout.text(
        "window",
        year=data.year,
        start=fmt_date(data.window_start),
        end=fmt_date(data.window_end),
    )
    # the running title stays short: the unit name shares the line
    info = DocumentInfo(layout, stamp, data.unit, str(data.year), f"{layout.title} - {data.year}")
    held = layout.tables["held"]
    table = layout.tables["events"]
    event_rows = [
        count_row(table, index, label, data.events.get(kind, {}))
        for index, (kind, label) in enumerate(events.items(), start=1)
    ]

    def part(heading: str, text: str) -> list[Flowable]:
        body = text.strip() or layout.texts["not_written"]
        return [
            ink.para(layout.texts[heading], bold=True, space_before=4 * mm, space_after=2 * mm),
            *(ink.para(line, space_after=1.5 * mm) for line in body.splitlines() if line.strip()),
        ]

    story: list[Flowable] = [
        *formal_header(ink, layout, data.unit, "", stamp.printed_at.date()),
        *title_block(ink, layout.title, window),
        *part("situation_heading", data.situation),
        ink.para(layout.texts["held_heading"], bold=True, space_after=2 * mm),
        GridTable(
            held,
            [count_row(held, 1, layout.texts["held_row"], data.held_by_level)],
            ink,
            max_height=height,
        ),
        ink.para(
            layout.texts["events_heading"], bold=True, space_before=4 * mm, space_after=2 * mm
        ),
        GridTable(table, event_rows, ink, max_height=height),
        *part("results_heading", data.results),
        ink.para(
            layout.texts["findings_heading"], bold=True, space_before=2 * mm, space_after=2 * mm
        ),
    ]
    if data.findings:
        story += [
            ink.para(f"{number}. {finding}", space_after=1.5 * mm)
            for number, finding in enumerate(data.findings, start=1)
        ]
    else:
        story.append(ink.para(layout.texts["no_findings"], italic=True))
    story.append(
        ink.para(layout.texts["cases_heading"], bold=True, space_before=4 * mm, space_after=2 * mm)
    )
    if data.cases:
        cases = layout.tables["cases"]
        story.append(
            GridTable(
                cases, object_rows(cases, data.cases), ink, size=ink.size - 1.5, max_height=height
            )
        )
    else:
        story.append(ink.para(layout.texts["no_cases"], italic=True))
    story += part("forecast_heading", data.forecast)
    if data.due is not None:
        story.append(
            ink.para(layout.text("due", date=fmt_date(data.due)), italic=True, space_before=3 * mm)
        )
    if data.key_fingerprint:
        story.append(
            ink.para(
                layout.text("fingerprint", fingerprint=data.key_fingerprint),
                size=ink.size - 1.5,
                space_before=4 * mm,
            )
        )
    story.append(signatures(ink, layout, layout_signatures(layout, data)))
    return build_pdf(story, info, ink)


def count_row(
    columns: tuple[Column, ...], index: int, label: str, counts: Mapping[Level, int]
) -> GridRow:
    """One statistics row: a label, a count per level and their total."""
    cells = []
    for column in columns:
        if column.field == INDEX_FIELD:
            cells.append(str(index))
        elif column.field == "label":
            cells.append(label)
        elif column.field == "total":
            cells.append(str(sum(counts.get(level, 0) for level in Level)))
        else:
            cells.append(str(counts.get(_LEVEL_FIELDS[column.field], 0)))
    return GridRow(cells)
