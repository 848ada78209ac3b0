"""Register books (sổ đăng ký): a cover page, then the entries under repeated headings.

The cover shows the superior body, the unit, the year, the volume, the first and last dates
and numbers. A cancelled entry keeps its number and is printed struck through with the mark
of the layout ("ĐÃ HỦY"). The summary (trích yếu) of a Tuyệt mật entry is printed only when
the layout's basis allows it with consent (ND26 Art. 4.1, the 2020 basis) and the entry names
who consented, followed by the layout's consent note; otherwise, whatever the data holds, its
cell shows the layout's mask text, worded for that basis.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer
from reportlab.platypus.flowables import HRFlowable

from secretdesk.domain.levels import Level
from secretdesk.reports.errors import InvalidReportData
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import FormLayout, load_layout
from secretdesk.reports.grid import GridRow, GridTable
from secretdesk.reports.layout import DocumentInfo, Ink, build_pdf, fmt_date, frame_size, new_ink
from secretdesk.reports.model import (
    LEVEL_FIELD,
    REGISTER_FIELDS,
    SUMMARY_FIELD,
    PrintStamp,
    RegisterData,
    RegisterEntry,
)

# The layout rule under which a consented Tuyệt mật summary is printed (ND26 Art. 4.1).
CONSENT_RULE = "with_classifier_consent"


def register_layout(data: RegisterData) -> FormLayout:
    """The layout in force on the day the book was opened."""
    return load_layout(data.kind.form_kind, data.opened)


def render_register(
    data: RegisterData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The whole register book as PDF bytes; ``layout`` None picks ``register_layout``."""
    layout = layout or register_layout(data)
    if layout.kind.value != data.kind.form_kind:
        raise InvalidReportData(detail=f"{layout.name} is not a layout for {data.kind} registers")
    ink = new_ink(layout, fonts)
    running = layout.text("running_title", title=layout.title, year=data.year, volume=data.volume)
    info = DocumentInfo(layout, stamp, data.unit, f"{data.year}/{data.volume}", running)
    table = GridTable(
        layout.tables["entries"],
        register_rows(data, layout),
        ink,
        max_height=frame_size(layout)[1],
    )
    return build_pdf([*cover_page(ink, layout, data), table], info, ink)


def register_rows(data: RegisterData, layout: FormLayout) -> list[GridRow]:
    """The printed cells of every entry, in column order (masking and marks applied)."""
    columns = layout.tables["entries"]
    known = REGISTER_FIELDS[data.kind]
    mask = layout.texts["summary_mask"]
    mark = layout.texts["cancelled_mark"]
    mark_column = next(
        i for i, column in enumerate(columns) if column.field == layout.cancelled_mark_field
    )
    rows = []
    for position, entry in enumerate(data.entries, start=1):
        wrong = (set(entry.cells) - known) | ({LEVEL_FIELD} & set(entry.cells))
        if wrong:
            raise InvalidReportData(
                detail=f"entry {position}: {sorted(wrong)} are not cells of this register "
                "(the level is given as RegisterEntry.level)"
            )
        top_secret = entry.level is Level.TUYET_MAT
        cells = []
        for column in columns:
            if column.field == LEVEL_FIELD:
                cells.append(entry.level.label_vi if entry.level else "")
            elif column.field == SUMMARY_FIELD and top_secret:
                cells.append(_top_secret_summary(layout, entry, mask))
            else:
                cells.append(entry.cells.get(column.field, ""))
        if entry.outcome:
            cells[mark_column] = _with_outcome(layout, entry, cells[mark_column])
        rows.append(GridRow(cells, cancelled=entry.cancelled, mark=mark, mark_column=mark_column))
    return rows


def _with_outcome(layout: FormLayout, entry: RegisterEntry, note: str) -> str:
    """The note of a destruction case that ended without a destruction: refused, or
    withdrawn with its reason (the layouts of the destruction register have the texts)."""
    key = f"{entry.outcome}_mark"
    if key not in layout.texts:
        return note
    values = {"date": fmt_date(entry.outcome_on)}
    if entry.outcome == "withdrawn":
        values["reason"] = entry.outcome_reason
    outcome = layout.text(key, **values)
    return f"{outcome}; {note}" if note else outcome


def hidden_note(count: int) -> str:
    """Said on a printout from which records above the reader's clearance were left out."""
    return f"Bản in này không gồm {count} mục có độ mật cao hơn mức người in được phép xem."


def _top_secret_summary(layout: FormLayout, entry: RegisterEntry, mask: str) -> str:
    summary = entry.consented_summary.strip()
    if layout.tuyet_mat_summary != CONSENT_RULE or not entry.consent_by or not summary:
        return mask
    note = layout.text(
        "summary_consent_note", name=entry.consent_by, date=fmt_date(entry.consent_on)
    )
    return f"{summary} {note}"


def cover_page(ink: Ink, layout: FormLayout, data: RegisterData) -> list[Flowable]:
    blank = layout.texts["blank"]
    values = {
        "superior_body": data.unit.superior_body,
        "unit_name": data.unit.unit_name,
        "unit_code": data.unit.unit_code,
        "year": str(data.year),
        "volume": str(data.volume),
        "opened": fmt_date(data.opened, blank),
        "closed": fmt_date(data.closed, blank),
        "first_number": blank if data.first_number is None else str(data.first_number),
        "last_number": blank if data.last_number is None else str(data.last_number),
    }
    size = ink.size + 2
    story: list[Flowable] = []
    if layout.form_code:
        story.append(ink.para(layout.form_code, italic=True, align="right"))
    story += [
        ink.para(data.unit.superior_body.upper(), size=size, align="center"),
        ink.para(data.unit.unit_name.upper(), bold=True, size=size, align="center"),
        HRFlowable(width="20%", thickness=0.8, color=colors.black, spaceBefore=5),
        Spacer(1, 28 * mm),
        ink.para(layout.title, bold=True, size=ink.size + 10, align="center", space_after=14 * mm),
    ]
    for item in layout.cover:
        story.append(
            ink.para(
                f"{item.label}: {values[item.field]}", size=size, align="center", space_after=3 * mm
            )
        )
    if data.hidden:
        story.append(ink.para(hidden_note(data.hidden), italic=True, size=size, align="center"))
    story.append(PageBreak())
    return story
