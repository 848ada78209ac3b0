"""Print layout (issue 17): word groups of a unit's name, the copy column, the page number.

Real PDFs of the minutes, the annual report and the inventory for a unit with a long name,
read back with poppler's ``pdftotext -bbox``.
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.reports.blocks import NBSP, name_lines
from secretdesk.reports.forms import FormKind, load_layout
from secretdesk.reports.layout import frame_size, new_ink
from secretdesk.services.setup import UnitSetup
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.system.clock import FixedClock

UNIT = UnitSetup(
    name="Sở Tài nguyên và Môi trường tỉnh Đắk Lắk",
    code="STNMT-DLK",
    superior_body="Ủy ban nhân dân tỉnh Đắk Lắk",
    place="Đắk Lắk",
)
HEAD = "head passphrase 2026"
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layout")
    clock = FixedClock(datetime(2026, 11, 20, 8, 30, tzinfo=UTC))
    app, _ = app_module.create(
        folder / "v", UNIT, "admin", "correct horse battery staple", params=TEST_PARAMS, clock=clock
    )
    app.users.add("head", Role.APPROVER, HEAD, max_level=Level.TUYET_MAT)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "12/QĐ-UBND", date(2026, 10, 1), 2, pages=4)
    )
    first, second = (c.id for c in app.items.show(item.id).copies)
    repro = app.copies.request(first, 1, "sao-y")
    app.copies.approve(repro.id, app.users.countersign("head", HEAD))
    app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=date(2026, 11, 20))
    council = [
        CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
        CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
    ]
    case = app.destruction.propose([second], "Hết giá trị sử dụng", council)
    app.destruction.approve(case.id, app.users.countersign("head", HEAD), "Quyết định số 45")
    app.destruction.record(case.id, at=clock.now(), place="Phòng văn thư", method="Nghiền nát")
    made = {
        "minutes": app.printing.minutes(case.id),
        "annual": app.printing.annual(2026),
        "inventory": app.printing.inventory(date(2026, 11, 20)),
    }
    app.close()
    paths = {}
    for name, pdf in made.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(pdf)
    return paths


def words(pdf: Path) -> list[tuple[float, float, float, str]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(float(a), float(b), float(c), d) for a, b, c, d in WORD.findall(out)]


def line_of(found: list[tuple[float, float, float, str]], word: str) -> set[float]:
    return {round(y) for _, y, _, w in found if w == word}


@pytest.mark.parametrize("name", ["minutes", "annual"])
def test_the_unit_name_breaks_only_between_word_groups(pdfs: dict[str, Path], name: str) -> None:
    found = words(pdfs[name])
    header = [w for w in found if w[1] < 140]  # the heading of the first page
    assert line_of(header, "ĐẮK") == line_of(header, "LẮK")  # "TỈNH ĐẮK LẮK" never split
    assert line_of(header, "TỈNH") == line_of(header, "LẮK")
    assert line_of(header, "MÔI") == line_of(header, "TRƯỜNG")


def test_the_copy_column_keeps_a_copy_number_on_one_line(pdfs: dict[str, Path]) -> None:
    found = words(pdfs["inventory"])
    sao = [w for w in found if w[3] == "sao"]
    assert sao, "no reproduction listed"
    y = round(sao[0][1])
    same_line = [w[3] for w in found if round(w[1]) == y]
    assert "Bản" in same_line and "số" in same_line


@pytest.mark.parametrize("name", ["minutes", "annual", "inventory"])
def test_the_page_number_ends_where_the_footer_rule_ends(pdfs: dict[str, Path], name: str) -> None:
    layout = load_layout(
        {
            "minutes": FormKind.MINUTES,
            "annual": FormKind.ANNUAL_REPORT,
            "inventory": FormKind.INVENTORY,
        }[name],
        date(2026, 11, 20),
    )
    rule_end = layout.page.margins_mm[3] * mm + frame_size(layout)[0]
    page_number = [w for w in words(pdfs[name]) if re.fullmatch(r"\d+/\d+", w[3])][-1]
    assert abs(page_number[2] - rule_end) < 1.0


def test_name_lines_keeps_the_place_together() -> None:
    layout = load_layout(FormKind.MINUTES, date(2026, 11, 20))
    ink = new_ink(layout, None)
    font, size = ink.font(bold=True), ink.size - 1
    name = "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH ĐẮK LẮK"
    assert name_lines(ink, name, font, size, 500) == name  # fits: unchanged
    assert name_lines(ink, name, font, size, 75 * mm) == (
        f"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nTỈNH{NBSP}ĐẮK{NBSP}LẮK"
    )
    narrow = name_lines(ink, name, font, size, 30 * mm)
    assert narrow.endswith(f"TỈNH{NBSP}ĐẮK{NBSP}LẮK") and "\n" not in narrow
