"""The printed destruction register marks how a case ended without a destruction (issue 17
leftover): a refused case and a withdrawn one with its reason, read back with pdftotext (NFC);
a case carried out has no such mark."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.reports import model
from secretdesk.reports.forms import load_layout
from secretdesk.reports.registers import register_rows
from secretdesk.storage.destruction import CouncilSeat
from tests.helpers import new_app

HEAD_PASS = "head passphrase 2026"
COUNCIL = [
    CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
    CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield opened
    opened.close()


def _copies(app: App, symbol: str) -> list[int]:
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, symbol, date(2026, 10, 1), 1)
    )
    return [c.id for c in app.items.show(item.id).copies]


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    assert unicodedata.is_normalized("NFC", out)
    return re.sub(r"\s+", " ", out)


def test_refused_and_withdrawn_cases_are_marked_on_the_printed_register(
    app: App, tmp_path: Path
) -> None:
    head = lambda: app.users.countersign("head", HEAD_PASS)  # noqa: E731
    refused = app.destruction.propose(_copies(app, "1/QĐ-UBND"), "Hết giá trị", COUNCIL)
    app.destruction.refuse(refused.id, head())
    withdrawn = app.destruction.propose(_copies(app, "2/QĐ-UBND"), "Hết giá trị", COUNCIL)
    app.destruction.approve(withdrawn.id, head(), "QĐ 5/2026")
    app.destruction.withdraw(withdrawn.id, "Tài liệu còn giá trị sử dụng", head())
    app.destruction.propose(_copies(app, "3/QĐ-UBND"), "Hết giá trị", COUNCIL)

    data = app.printing.register_data("destruction", 2026)
    outcomes = [(e.outcome, e.outcome_reason) for e in data.entries]
    assert outcomes == [("refused", ""), ("withdrawn", "Tài liệu còn giá trị sử dụng"), ("", "")]
    layout = load_layout("register_destruction", date(2026, 11, 3))
    rows = register_rows(data, layout)
    note = [c.field for c in layout.tables["entries"]].index("note")
    assert rows[0].cells[note] == "Không được phê duyệt tiêu hủy (ngày 02/11/2026)"
    assert rows[1].cells[note] == (
        "Đã rút hồ sơ ngày 02/11/2026, lý do: Tài liệu còn giá trị sử dụng"
    )
    assert rows[2].cells[note] == ""

    text = _text(app.printing.register("destruction", 2026), tmp_path)
    assert "Không được phê duyệt tiêu hủy" in text
    assert "Đã rút hồ sơ ngày 02/11/2026, lý do: Tài liệu còn giá trị sử dụng" in text
    assert text.count("Đã rút hồ sơ") == 1


def test_the_outcome_joins_a_note_already_there() -> None:
    layout = load_layout("register_destruction", date(2026, 11, 3))
    entry = model.RegisterEntry(
        {"number": "1", "note": "Ghi chú cũ"},
        Level.MAT,
        outcome="withdrawn",
        outcome_reason="Nhầm bản",
        outcome_on=date(2026, 11, 3),
    )
    data = model.RegisterData(
        kind=model.RegisterKind("destruction"),
        unit=None,  # type: ignore[arg-type]  # not read by the rows
        year=2026,
        volume=1,
        opened=date(2026, 1, 1),
        closed=None,
        first_number=1,
        last_number=1,
        entries=(entry,),
    )
    note = [c.field for c in layout.tables["entries"]].index("note")
    assert register_rows(data, layout)[0].cells[note] == (
        "Đã rút hồ sơ ngày 03/11/2026, lý do: Nhầm bản; Ghi chú cũ"
    )
