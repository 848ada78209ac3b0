"""A hostile PDF on a stick: a 1 KB file whose page is meters wide was rendered at 200 dpi
to look for the slip's code (a 14400 pt page: a 40000 px square bitmap, 5 GB of memory and
a minute per page, up to 50 pages). The bitmap searched for a code is bounded."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from secretdesk.imaging import scan


def huge_page_pdf(side_pt: float) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(side_pt, side_pt))
    pdf.drawString(100, 100, "slip")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_page_meters_wide_is_searched_at_a_bounded_size() -> None:
    data = huge_page_pdf(5000)  # 1.76 m square: 13889 px at 200 dpi, 193 million pixels
    pages = list(scan._pages(data, scan.PDF))
    assert len(pages) == 1
    width, height = pages[0].size  # type: ignore[attr-defined]
    assert width * height <= scan.MAX_RENDER_PIXELS
    assert scan.read_codes("slip.pdf", data, scan.PDF) == []


def test_a_slip_sized_page_keeps_its_resolution() -> None:
    data = huge_page_pdf(595)  # A4 width, square
    (page,) = list(scan._pages(data, scan.PDF))
    assert page.size == (1653, 1653)  # type: ignore[attr-defined]
