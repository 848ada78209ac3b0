"""Rendering: every document renders, byte for byte the same for the same data and print
stamp; register rows mask Tuyệt mật summaries and mark cancelled entries; long tables split
page by page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from secretdesk.domain.levels import Level
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.errors import (
    InvalidReportData,
    LabelTextTooLong,
    MissingGlyph,
)
from secretdesk.reports.forms import FormKind, load_layout
from secretdesk.reports.labels import render_labels
from secretdesk.reports.model import CopyLabel, RegisterEntry, RegisterKind
from secretdesk.reports.registers import register_layout, register_rows, render_register
from tests import report_samples as samples

ROOT = Path(__file__).resolve().parents[2]
PAGE = re.compile(rb"/Type /Page\b(?!s)")


def page_count(pdf: bytes) -> int:
    return len(PAGE.findall(pdf))


@pytest.mark.parametrize("name", samples.DOCUMENTS)
def test_document_renders_deterministically(name: str) -> None:
    first = samples.render(name)
    assert first.startswith(b"%PDF-1.") and first.rstrip().endswith(b"%%EOF")
    assert samples.render(name) == first
    assert b"/CreationDate (D:20251120094500+07'00')" in first
    assert b"ASCII85Decode" not in first  # plain Flate streams
    later = replace(samples.STAMP, printed_at=samples.STAMP.printed_at + timedelta(minutes=1))
    assert samples.render(name, later) != first


def test_same_bytes_in_another_process() -> None:
    script = (
        "import sys; from tests import report_samples as s; "
        "sys.stdout.buffer.write(s.render('slip'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout
    assert other == samples.render("slip")


def test_document_id_depends_on_the_print() -> None:
    ids = set()
    for head in (samples.HEAD, replace(samples.HEAD, seq=samples.HEAD.seq + 1)):
        pdf = samples.render("slip", replace(samples.STAMP, chain_head=head))
        match = re.search(rb"/ID\s*\[<([0-9a-fA-F]+)>", pdf)
        assert match is not None
        ids.add(match.group(1))
    assert len(ids) == 2


@pytest.mark.parametrize("kind", list(RegisterKind))
@pytest.mark.parametrize("opened", [date(2025, 1, 2), date(2026, 3, 2)])
def test_every_register_renders_with_the_layout_of_its_opening_date(
    kind: RegisterKind, opened: date
) -> None:
    data = replace(samples.register_data(kind, rows=12), opened=opened)
    layout = register_layout(data)
    assert layout.legal_basis == ("2020" if opened.year == 2025 else "2026")
    pdf = render_register(data, None, samples.STAMP, fonts=samples.fonts())
    assert page_count(pdf) >= 2  # cover and entries


def test_an_empty_register_prints_its_cover_and_headings() -> None:
    data = replace(samples.register_data(rows=0), first_number=None, last_number=None)
    pdf = render_register(data, None, samples.STAMP, fonts=samples.fonts())
    assert page_count(pdf) == 2


def test_top_secret_summary_is_never_printed() -> None:
    data = samples.register_data(rows=30)
    for kind in ("2020", "2026"):
        opened = date(2025, 1, 2) if kind == "2020" else date(2026, 3, 2)
        layout = register_layout(replace(data, opened=opened))
        summary = [c.field for c in layout.tables["entries"]].index("summary")
        rows = register_rows(data, layout)
        for entry, row in zip(data.entries, rows, strict=True):
            if entry.level is Level.TUYET_MAT:
                assert row.cells[summary] == layout.texts["summary_mask"]
            else:
                assert row.cells[summary] == entry.cells["summary"]
        assert not any(samples.TOP_SECRET_SUMMARY in cell for row in rows for cell in row.cells)


def test_cancelled_entries_keep_their_number_and_are_marked() -> None:
    data = samples.register_data(rows=15)
    layout = register_layout(data)
    rows = register_rows(data, layout)
    fields = [c.field for c in layout.tables["entries"]]
    for entry, row in zip(data.entries, rows, strict=True):
        assert row.cells[fields.index("number")] == entry.cells["number"]
        assert row.cancelled == entry.cancelled
        assert row.mark == "ĐÃ HỦY"
        assert row.mark_column == fields.index(layout.cancelled_mark_field or "")
    assert [row.cancelled for row in rows].count(True) == 2  # numbers 7 and 14


def test_level_comes_from_the_entry_never_from_the_cells() -> None:
    data = samples.register_data(rows=2)
    bad = RegisterEntry({"number": "3", "level": "Mật"}, level=Level.TUYET_MAT)
    with pytest.raises(InvalidReportData, match="level"):
        register_rows(replace(data, entries=(*data.entries, bad)), register_layout(data))
    unknown = RegisterEntry({"number": "3", "secret_name": "x"}, level=Level.MAT)
    with pytest.raises(InvalidReportData, match="secret_name"):
        register_rows(replace(data, entries=(unknown,)), register_layout(data))


def test_layout_of_another_register_is_refused() -> None:
    data = samples.register_data(rows=2)
    wrong = load_layout(FormKind.REGISTER_INCOMING, data.opened)
    with pytest.raises(InvalidReportData):
        render_register(data, wrong, samples.STAMP, fonts=samples.fonts())


def test_long_registers_split_into_pages_and_rows_taller_than_a_page_fit() -> None:
    data = samples.register_data(rows=300)
    huge = RegisterEntry(
        {"number": "301", "summary": "Trích yếu rất dài " * 900, "note": "x" * 3000},
        level=Level.MAT,
    )
    data = replace(data, entries=(*data.entries, huge), last_number=301)
    pdf = render_register(data, None, samples.STAMP, fonts=samples.fonts())
    assert page_count(pdf) > 10


def test_characters_without_a_glyph_are_refused() -> None:
    data = samples.register_data(rows=2)
    entry = RegisterEntry({"number": "3", "summary": "Khóa 🔒"}, level=Level.MAT)
    with pytest.raises(MissingGlyph, match="U\\+1F512"):
        render_register(replace(data, entries=(entry,)), None, samples.STAMP, fonts=samples.fonts())


def test_decomposed_input_prints_like_composed() -> None:
    import unicodedata

    data = samples.register_data(rows=3)
    decomposed = replace(
        data,
        entries=tuple(
            replace(e, cells={k: unicodedata.normalize("NFD", v) for k, v in e.cells.items()})
            for e in data.entries
        ),
    )
    family = samples.fonts()
    composed_pdf = render_register(data, None, samples.STAMP, fonts=family)
    assert render_register(decomposed, None, samples.STAMP, fonts=family) == composed_pdf


def test_label_sheets_fill_and_continue_on_a_new_sheet() -> None:
    data = samples.label_data()
    many = replace(data, labels=data.labels * 4, skip=13)  # 16 labels from position 14
    pdf = render_labels(many, None, samples.STAMP, fonts=samples.fonts())
    assert page_count(pdf) == 3  # 1 + 14 + 1


def test_label_text_that_cannot_fit_is_refused() -> None:
    data = replace(
        samples.label_data(), labels=(CopyLabel(1, Level.MAT, "Nguồn gốc bản sao " * 80),)
    )
    with pytest.raises(LabelTextTooLong):
        render_labels(data, None, samples.STAMP, fonts=samples.fonts())


def test_annual_report_refuses_event_kinds_unknown_to_the_layout() -> None:
    data = replace(samples.annual_data(), events={"teleported": {Level.MAT: 1}})
    with pytest.raises(InvalidReportData, match="teleported"):
        render_annual_report(data, None, samples.STAMP, fonts=samples.fonts())


def test_documents_print_with_the_2026_layouts_too() -> None:
    stamp = replace(samples.STAMP, printed_at=datetime(2026, 4, 1, 8, 0, tzinfo=samples.ICT))
    labels = render_labels(samples.label_data(), None, stamp, fonts=samples.fonts())
    assert labels.startswith(b"%PDF")
    data = replace(samples.annual_data(), window_end=date(2026, 12, 14))
    assert render_annual_report(data, None, stamp, fonts=samples.fonts()).startswith(b"%PDF")


def test_the_date_line_follows_decree_30_2020_for_leading_zeros() -> None:
    from datetime import date

    from secretdesk.reports.blocks import date_line
    from secretdesk.reports.forms import FormKind, load_layout
    from secretdesk.reports.model import UnitHeader

    layout = load_layout(FormKind.SLIP, date(2026, 9, 15))
    unit = UnitHeader("UBND tỉnh Quảng Ngãi", "Sở Tư pháp", "STP", "Quảng Ngãi")
    assert "ngày 15 tháng 9 năm 2026" in date_line(layout, unit, date(2026, 9, 15))
    assert "ngày 05 tháng 02 năm 2026" in date_line(layout, unit, date(2026, 2, 5))
    assert "ngày 01 tháng 11 năm 2026" in date_line(layout, unit, date(2026, 11, 1))
