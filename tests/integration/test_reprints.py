"""A reprint reproduces the first print byte for byte; a new print is a new document (issue 17)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services import printing as printing_module
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.system.clock import FixedClock
from tests.helpers import PASSPHRASE, fixed_clock, new_app

HEAD_PASS = "head passphrase 2026"


@pytest.fixture
def clock() -> FixedClock:
    return fixed_clock()


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v", clock)
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def copies_of(app: App, count: int = 2) -> list[int]:
    item = app.items.register(
        Registration(Direction.OUTGOING, Level.MAT, "5/QĐ-STP", date(2026, 10, 1), count)
    )
    return [c.id for c in app.items.show(item.id).copies]


def test_a_reprinted_slip_is_the_original_byte_for_byte(app: App, clock: FixedClock) -> None:
    first, second = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    original = app.printing.slip(sent.year, sent.number)
    clock.advance(days=3)
    app.handovers.create("issue", [second], recipient_person="Nguyễn Văn A")  # chain moves on
    reprinted = app.printing.slip(sent.year, sent.number, reprint=True)
    assert reprinted == original
    event = app.audit.events(action_prefix="reprint.slip")[-1]
    assert event.entity_id == "1/2026"
    assert event.detail["sha256"] == hashlib.sha256(original).hexdigest()
    printed = app.audit.events(action_prefix="print.slip")
    assert len(printed) == 1 and event.detail["original"] == printed[0].seq
    anew = app.printing.slip(sent.year, sent.number)
    assert anew != original  # a new print has a new stamp
    assert app.printing.slip(sent.year, sent.number, reprint=True) == original  # still the first


def test_label_sheets_and_minutes_reprint_identically(app: App, clock: FixedClock) -> None:
    first, second = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    labels = app.printing.envelope_labels(sent.year, sent.number)
    council = [
        CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
        CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
    ]
    case = app.destruction.propose([second], "Hết giá trị", council)
    app.destruction.approve(case.id, app.users.countersign("head", HEAD_PASS), "QĐ 3")
    app.destruction.record(case.id, at=clock.now(), place="Kho", method="Đốt")
    minutes = app.printing.minutes(case.id)
    clock.advance(hours=5)
    assert app.printing.envelope_labels(sent.year, sent.number, reprint=True) == labels
    assert app.printing.minutes(case.id, reprint=True) == minutes


def test_a_reprint_that_would_differ_or_has_no_original_is_refused(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    with pytest.raises(InvalidRequest, match="never been printed") as error:
        app.printing.slip(sent.year, sent.number, reprint=True)
    assert "Phiếu gửi 1/2026 chưa từng được in" in error.value.render("vi")
    app.printing.slip(sent.year, sent.number)
    real = printing_module.render_slip
    monkeypatch.setattr(
        printing_module, "render_slip", lambda *a, **k: real(*a, **k).replace(b"%%EOF", b"%%EOF ")
    )  # as if the fonts or the data had changed since
    with pytest.raises(InvalidRequest, match="SHA-256 differs") as error:
        app.printing.slip(sent.year, sent.number, reprint=True)
    assert "khác với mã đã ghi" in error.value.render("vi")
    assert not app.audit.events(action_prefix="reprint.")


def test_report_reprint_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened, _ = new_app(tmp_path / "v")
    (first,) = copies_of(opened, 1)
    opened.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    opened.close()
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(tmp_path / "log"))
    base = ["--lang", "en", "--data-dir", str(tmp_path / "v"), "report", "slip", "1"]
    assert main([*base, "--year", "2026", "--out", str(tmp_path / "a.pdf")]) == 0
    assert main([*base, "--year", "2026", "--reprint", "--out", str(tmp_path / "b.pdf")]) == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    capsys.readouterr()


def test_copy_labels_of_an_item_reprint_and_are_named_in_words(app: App) -> None:
    first, _ = copies_of(app)
    repro = app.copies.request(first, 1, "sao-y")
    app.copies.approve(repro.id, app.users.countersign("head", HEAD_PASS))
    app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=date(2026, 11, 2))
    item_id = app.items.show(1).item.id
    with pytest.raises(InvalidRequest) as error:
        app.printing.copy_labels(item_id, reprint=True)
    assert error.value.render("vi") == (
        f"Tờ nhãn của tài liệu #{item_id} chưa từng được in: không có bản gốc để in lại."
    )
    sheet = app.printing.copy_labels(item_id)
    assert app.printing.copy_labels(item_id, reprint=True) == sheet
