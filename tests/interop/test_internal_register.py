"""The internal register (lưu hành nội bộ) prints like the others, read back with poppler.

It has no form of its own: its layout is derived from the outgoing register's (both legal
bases), says so in its notes and stays unconfirmed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.reports.forms import FormKind, load_layout
from tests.helpers import fixed_clock, new_app
from tests.interop.test_legal_forms import text_of


@pytest.mark.parametrize(("clock", "basis"), [((2025, 6, 2), "2020"), ((2026, 6, 2), "2026")])
def test_the_internal_register_prints_its_entries(
    tmp_path: Path, clock: tuple[int, int, int], basis: str
) -> None:
    app, _ = new_app(tmp_path / "v", fixed_clock(*clock))
    year = clock[0]
    app.items.register(
        Registration(
            Direction.INTERNAL,
            Level.TOI_MAT,
            "4/TB-STP",
            date(year, 5, 20),
            2,
            summary="Lịch trực bảo vệ cơ quan",
            classifier="Giám đốc Sở Trần Văn Đức",
            recipients="Phòng Hành chính tư pháp",
        )
    )
    cancelled = app.items.register(
        Registration(Direction.INTERNAL, Level.MAT, "5/TB-STP", date(year, 5, 21), 1)
    )
    app.registry.cancel("internal", cancelled.year, cancelled.number, "Ghi nhầm sổ")
    app.items.register(  # another register's entry does not appear
        Registration(Direction.OUTGOING, Level.MAT, "9/CV-STP", date(year, 5, 22), 1)
    )

    text = text_of(app.printing.register("internal", year), tmp_path, "internal")
    assert "SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC LƯU HÀNH NỘI BỘ" in text
    assert "Nơi nhận trong cơ quan" in text
    assert "4/TB-STP" in text and "Phòng Hành chính tư pháp" in text
    assert "5/TB-STP" in text and "ĐÃ HỦY" in text
    assert "9/CV-STP" not in text

    layout = load_layout(FormKind.REGISTER_INTERNAL, date(*clock))
    assert layout.legal_basis == basis and layout.confirmed is False
