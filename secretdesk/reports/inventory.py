"""Inventory at a date (kiểm kê): every copy with its state and holder, and the
discrepancies a physical muster found against the register."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from secretdesk.domain.custody import CopyState
from secretdesk.reports.blocks import date_line, layout_signatures, signatures, title_block
from secretdesk.reports.fonts import FontFamily
from secretdesk.reports.forms import FormKind, FormLayout, load_layout
from secretdesk.reports.grid import GridTable, cell_text, object_rows
from secretdesk.reports.layout import DocumentInfo, build_pdf, fmt_date, frame_size, new_ink
from secretdesk.reports.model import InventoryData, PrintStamp
from secretdesk.reports.registers import hidden_note


def render_inventory(
    data: InventoryData,
    layout: FormLayout | None,
    stamp: PrintStamp,
    *,
    fonts: FontFamily | None = None,
) -> bytes:
    """The inventory as PDF bytes; ``layout`` None picks the one in force on ``as_of``."""
    layout = layout or load_layout(FormKind.INVENTORY, data.as_of)
    ink = new_ink(layout, fonts)
    height = frame_size(layout)[1]
    as_of = layout.text("as_of", date=fmt_date(data.as_of))
    info = DocumentInfo(
        layout, stamp, data.unit, data.as_of.isoformat(), f"{layout.title} - {as_of}"
    )
    states = layout.choices["states"]

    def convert(field: str, value: object) -> str:
        return states[value.value] if isinstance(value, CopyState) else cell_text(value)

    rows = layout.tables["rows"]
    found = layout.tables["discrepancies"]
    story: list[Flowable] = [
        ink.para(data.unit.superior_body.upper(), size=ink.size - 1),
        ink.para(data.unit.unit_name.upper(), bold=True, size=ink.size - 1, space_after=4 * mm),
        *title_block(ink, layout.title, as_of),
        ink.para(layout.texts["rows_heading"], bold=True, space_after=2 * mm),
        GridTable(
            rows, object_rows(rows, data.rows, convert), ink, size=ink.size - 1.5, max_height=height
        ),
        ink.para(layout.text("rows_total", count=len(data.rows)), space_before=2 * mm),
        *([ink.para(hidden_note(data.hidden), italic=True)] if data.hidden else []),
        ink.para(
            layout.texts["discrepancies_heading"],
            bold=True,
            space_before=4 * mm,
            space_after=2 * mm,
        ),
    ]
    if not data.mustered:
        story.append(ink.para(layout.texts["not_mustered"], italic=True))
    elif not data.discrepancies:
        story.append(ink.para(layout.texts["no_discrepancies"], italic=True))
    else:
        story.append(
            GridTable(
                found,
                object_rows(found, data.discrepancies),
                ink,
                size=ink.size - 1.5,
                max_height=height,
            )
        )
    story += [ink.para(line, italic=True, space_before=2 * mm) for line in data.evidence_gaps]
    place_and_date = ink.para(
        date_line(layout, data.unit, stamp.printed_at.date()),
        italic=True,
        align="right",
        space_before=4 * mm,
    )
    story.append(signatures(ink, layout, layout_signatures(layout, data), lead=[place_and_date]))
    return build_pdf(story, info, ink)
