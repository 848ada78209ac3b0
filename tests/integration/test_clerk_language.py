"""What the clerk reads says what happened, in the clerk's language (issue 17)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.copies import CopyingRefused
from secretdesk.services.errors import NotFound
from tests.helpers import PASSPHRASE, new_app
from tests.unit.test_messages_language import program_words

HEAD_PASS = "head passphrase 2026"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield opened
    opened.close()


def copies_of(app: App, count: int = 2) -> list[int]:
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "12/QĐ-UBND", date(2026, 10, 1), count)
    )
    return [c.id for c in app.items.show(item.id).copies]


def test_a_custody_refusal_names_the_item_and_reads_right_in_both_languages(app: App) -> None:
    first, _ = copies_of(app)
    app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    with pytest.raises(CustodyRefused) as error:
        app.destruction.emergency([first], "Hỏa hoạn")
    assert error.value.render("en") == (
        "Bản số 1 of item 12/QĐ-UBND is in transit: it cannot be destroyed in an emergency."
    )
    assert error.value.render("vi") == (
        "Bản số 1 của tài liệu 12/QĐ-UBND đang chuyển giao: không thể tiêu hủy khẩn cấp."
    )
    assert "không thể đã" not in error.value.render("vi")


def test_a_third_copy_after_a_completed_reproduction_says_the_number_is_used_up(
    app: App,
) -> None:
    first, _ = copies_of(app)
    repro = app.copies.request(first, 2, "sao-y")
    app.copies.approve(repro.id, app.users.countersign("head", HEAD_PASS))
    app.copies.record(repro.id, 2, copied_by="Văn thư", copied_on=date(2026, 11, 2))
    with pytest.raises(CopyingRefused) as error:
        app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=date(2026, 11, 2))
    en, vi = error.value.render("en"), error.value.render("vi")
    assert "is used up" in en and "(2)" in en and "not been approved" not in en
    assert "đã dùng hết" in vi and "chưa được" not in vi


def test_a_missing_book_is_named_in_words_not_by_its_program_kind(app: App) -> None:
    with pytest.raises(NotFound) as error:
        app.printing.register("outgoing", 2025)
    vi = error.value.render("vi")
    assert "outgoing" not in vi and not program_words(vi)


def test_self_test_details_have_no_program_words_in_vietnamese(app: App) -> None:
    for check in app.maintenance.self_test().checks:
        detail = check.detail if isinstance(check.detail, str) else check.detail.render("vi")
        if check.name in ("Database settings", "Encryption (SQLCipher)"):
            continue  # pragma values and a version number, as SQLCipher prints them
        names = re.sub(r"\b(admin|head|\w*\d\w*)\b", "", detail)  # users, devices (eth0)
        assert not program_words(names), detail


def test_the_handovers_register_prints_the_kind_in_words(app: App) -> None:
    first, second = copies_of(app)
    app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    app.handovers.create("issue", [second], recipient_person="Nguyễn Văn A")
    data = app.printing.register_data("handovers", 2026)
    kinds = [entry.cells["handover_kind"] for entry in data.entries]
    assert kinds == ["Gửi cơ quan, tổ chức khác", "Giao cho cá nhân trong đơn vị"]


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(data.parent / "log"))
    code = main(["--data-dir", str(data), "--user", "admin", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_argparse_speaks_the_users_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, tmp_path / "v", "--lang", "vi", "item", "register")
    assert code == 2
    assert "còn thiếu các tham số bắt buộc sau: --book" in err and "cách dùng:" in err
    assert "the following arguments are required" not in err and "usage:" not in err
    code, _, err = run(monkeypatch, capsys, tmp_path / "v", "--lang", "vi", "report", "slip", "x")
    assert code == 2 and "'x' không phải là giá trị hợp lệ" in err and "invalid" not in err
    code, _, err = run(monkeypatch, capsys, tmp_path / "v", "--lang", "en", "item", "register")
    assert code == 2 and "the following arguments are required: --book" in err


def test_copy_forms_read_in_words_and_one_copy_is_singular(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    (first,) = copies_of(opened, 1)
    repro = opened.copies.request(first, 1, "sao-y")
    opened.close()
    monkeypatch.setenv("SECRETDESK_APPROVER_PASSPHRASE", HEAD_PASS)
    code, out, err = run(
        monkeypatch, capsys, tmp_path / "v", "--lang", "en",
        "copy", "approve", str(repro.id), "--approver", "head",
    )  # fmt: skip
    assert code == 0, err
    assert f"Copy request #{repro.id} approved for 1 copy." in out
    code, out, err = run(monkeypatch, capsys, tmp_path / "v", "--lang", "vi", "copy", "list")
    assert code == 0, err
    assert "Sao y" in out and "sao-y" not in out
