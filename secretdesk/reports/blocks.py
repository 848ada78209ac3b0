"""Blocks shared by the administrative forms: the heading with the national title, the
title, and the signature blocks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from secretdesk.reports.forms import FormLayout, SignatureBlock
from secretdesk.reports.layout import Ink, frame_size
from secretdesk.reports.model import UnitHeader


def formal_header(
    ink: Ink, layout: FormLayout, unit: UnitHeader, number_line: str, when: date
) -> list[Flowable]:
    """The heading of an administrative form: unit and number on the left, the national
    title, motto and place-and-date on the right (Nghị định 30/2020 layout)."""
    width = frame_size(layout)[0]
    small = ink.size - 1
    column = width * 0.44
    left = [
        ink.para(
            name_lines(ink, unit.superior_body.upper(), ink.font(), small, column),
            size=small,
            align="center",
        ),
        ink.para(
            name_lines(ink, unit.unit_name.upper(), ink.font(bold=True), small, column),
            bold=True,
            size=small,
            align="center",
        ),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=3),
    ]
    if number_line:
        left.append(ink.para(number_line, align="center"))
    right = [
        ink.para(layout.texts["national_title"], bold=True, size=small, align="center"),
        ink.para(layout.texts["motto"], bold=True, size=small + 0.5, align="center"),
        HRFlowable(width="45%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=3),
        ink.para(date_line(layout, unit, when), italic=True, align="center"),
    ]
    table = Table([[left, right]], colWidths=[width * 0.44, width * 0.56])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = []
    if layout.form_code:
        story.append(ink.para(layout.form_code, italic=True, size=ink.size - 1, align="right"))
    story += [table, Spacer(1, 5 * mm)]
    return story


# the place a body belongs to: "... TỈNH ĐẮK LẮK", "... THÀNH PHỐ HÀ NỘI"
_PLACE = re.compile(r"\s((?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG)\s.+)$")
NBSP = "\u00a0"


def name_lines(ink: Ink, name: str, font: str, size: float, width: float) -> str:
    """A body's name as printed in the heading, never broken inside a word group: the place
    ("TỈNH ĐẮK LẮK") stays on one line, and a name too long for one line breaks before it
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG" / "TỈNH ĐẮK LẮK")."""
    if ink.width(name, font, size) <= width:
        return name
    found = _PLACE.search(name)
    if found is None:
        return name
    head, place = name[: found.start()], found.group(1).replace(" ", NBSP)
    if ink.width(head, font, size) <= width:
        return f"{head}\n{place}"
    return f"{head} {place}"


def date_line(layout: FormLayout, unit: UnitHeader, when: date) -> str:
    """ "Quảng Ngãi, ngày 05 tháng 02 năm 2026" / "ngày 15 tháng 9 năm 2026": Nghị định
    30/2020/NĐ-CP puts a 0 before days below 10 and before months 1 and 2 only."""
    return layout.text(
        "date_line",
        place=unit.place,
        day=f"{when.day:02d}",
        month=f"{when.month:02d}" if when.month <= 2 else str(when.month),
        year=when.year,
    )


def title_block(ink: Ink, title: str, subtitle: str = "") -> list[Flowable]:
    story: list[Flowable] = [ink.para(title, bold=True, size=ink.size + 3, align="center")]
    if subtitle:
        story.append(ink.para(subtitle, bold=True, size=ink.size + 0.5, align="center"))
    story.append(Spacer(1, 4 * mm))
    return story


def signatures(
    ink: Ink,
    layout: FormLayout,
    blocks: Sequence[tuple[str, str, str]],
    per_row: int = 2,
    lead: Sequence[Flowable] = (),
) -> Flowable:
    """Signature blocks (caption, hint, printed name), ``per_row`` side by side, kept on one
    page with the ``lead`` flowables so a signature never stands alone on a page."""
    width = frame_size(layout)[0]
    per_row = max(1, min(per_row, len(blocks) or 1))
    rows: list[list[object]] = []
    for start in range(0, len(blocks), per_row):
        group = list(blocks[start : start + per_row])
        heads: list[object] = []
        names: list[object] = []
        for caption, hint, name in group:
            head: list[Flowable] = [ink.para(caption.upper(), bold=True, align="center")]
            if hint:
                head.append(ink.para(hint, italic=True, size=ink.size - 1, align="center"))
            heads.append(head)
            names.append([Spacer(1, 17 * mm), ink.para(name or " ", bold=True, align="center")])
        padding = [""] * (per_row - len(group))
        rows += [heads + padding, names + padding]
    table = Table(rows or [[""]], colWidths=[width / per_row] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *(("BOTTOMPADDING", (0, row), (-1, row), 14) for row in range(1, len(rows), 2)),
            ]
        )
    )
    return KeepTogether([*lead, Spacer(1, 5 * mm), table])


def layout_signatures(layout: FormLayout, data: object) -> list[tuple[str, str, str]]:
    """The layout's signature blocks with names taken from the data."""
    return [(block.caption, block.hint, _name(block, data)) for block in layout.signatures]


def _name(block: SignatureBlock, data: object) -> str:
    if block.name_field is None:
        return ""
    return str(getattr(data, block.name_field, "") or "")
