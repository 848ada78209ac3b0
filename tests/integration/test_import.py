"""Importing old registers into a real vault: every row or none, with a report per bad row."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.import_columns import ImportFileInvalid, parse_mapping
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.importer import ImportService, decode_text
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def entry_numbers(app: App, kind: str, year: int) -> list[int]:
    rows = app.vault.connection.execute(
        "SELECT number FROM entry WHERE kind = ? AND year = ? ORDER BY number", (kind, year)
    )
    return [int(r[0]) for r in rows]


def test_good_file_imports_every_row_with_gap_free_numbers(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    service = ImportService(app.ctx)
    dry = service.import_file(FIXTURES / "good_outgoing.csv", Direction.OUTGOING, dry_run=True)
    assert dry.ok and dry.rows == 30 and not dry.imported
    assert entry_numbers(app, "outgoing", 2026) == []

    report = service.import_file(FIXTURES / "good_outgoing.csv", Direction.OUTGOING)

    assert report.ok and len(report.imported) == 30
    assert (report.file_format, report.delimiter, report.heading_row) == ("utf-8", ",", 4)
    assert (report.first_entry, report.last_entry) == ("outgoing 1/2026", "outgoing 30/2026")
    assert entry_numbers(app, "outgoing", 2026) == list(range(1, 31))
    assert report.ignored == ["L (Đơn vị soạn thảo)"]
    # notes of the two Tuyệt mật rows are not kept under the 2026 rules, and say so
    assert [(w.row, w.column) for w in report.warnings] == [
        (13, "M (Ghi chú)"),
        (27, "M (Ghi chú)"),
    ]
    first = app.items.show(report.imported[0])
    assert first.item.number_symbol == "01/QĐ-STP"
    assert (first.item.doc_date, first.item.level, first.item.pages) == ("2026-01-05", Level.MAT, 2)
    assert [c.label for c in first.copies] == ["Bản số 1", "Bản số 2", "Bản số 3"]
    third = app.items.search("15/STP-VP")[0]
    assert third.urgency == "khan" and third.doc_type == "Công văn"
    top = app.items.search("07/BC-STP")[0]
    assert top.level is Level.TUYET_MAT and top.summary is None
    assert app.items.search("chi luu so") == []  # the dropped note is not searchable either
    imported = app.audit.events(action_prefix="item.imported")
    assert [e.detail["count"] for e in imported] == [30]
    # registering by hand afterwards continues the same numbering
    by_hand = app.items.register(
        Registration(Direction.OUTGOING, Level.MAT, "25/TB-STP", date(2026, 11, 2), 1)
    )
    assert by_hand.number == 31
    assert app.audit.verify().ok


def test_one_bad_row_imports_nothing_and_the_report_names_it(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    text = (FIXTURES / "good_outgoing.csv").read_text(encoding="utf-8-sig")
    bad = tmp_path / "one_bad_row.csv"
    bad.write_text(text.replace("14/04/2026", "14/14/2026"), encoding="utf-8")
    head = app.audit.head()

    report = ImportService(app.ctx).import_file(bad, Direction.OUTGOING)

    assert not report.ok and report.imported == []
    assert [(p.row, p.column) for p in report.problems] == [(18, "C (Ngày văn bản)")]
    assert report.problems[0].text().render("en") == (
        'Row 18, column C (Ngày văn bản): "14/14/2026" is not a valid date'
    )
    assert app.items.search() == [] and entry_numbers(app, "outgoing", 2026) == []
    assert app.audit.head() == head
    refusal = report.refusal()
    assert refusal.code == "import.refused"
    assert "Dòng 18, cột C (Ngày văn bản)" in refusal.render("vi")


def test_report_names_every_bad_row_column_and_reason(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    report = ImportService(app.ctx).import_file(FIXTURES / "bad_rows.csv", Direction.OUTGOING)
    found = [(p.row, p.column, p.reason.render("en")) for p in report.problems]
    assert found == [
        (7, "C (Ngày văn bản)", '"31/02/2026" is not a valid date'),
        (8, "F (Độ mật)", '"Bình thường" is not a classification level (Mật, Tối mật, Tuyệt mật)'),
        (9, "H (Số bản)", "0 is less than 1"),
        (10, "B (Số, ký hiệu)", "the number and symbol is missing"),
        (
            11,
            "E (Trích yếu)",
            "The summary of a Tuyệt mật item may not be recorded under "
            "Luật Bảo vệ bí mật nhà nước 2025 (Decree 63/2026/ND-CP, provision on delivery "
            "and receipt, article number not yet checked).",
        ),
    ]
    vietnamese = report.refusal().render("vi")
    assert vietnamese.startswith("Không nhập dữ liệu nào: 5 dòng có lỗi.")
    assert "Dòng 10, cột B (Số, ký hiệu): thiếu số, ký hiệu" in vietnamese
    assert app.items.search() == []  # rows 6 and 12 were good: still nothing imported


def tuyet_mat_csv(tmp_path: Path, consent: str) -> Path:
    path = tmp_path / f"tm-{consent or 'none'}.csv"
    path.write_text(
        '"Số, ký hiệu",Ngày,Độ mật,Trích yếu,Số bản,Đồng ý ghi trích yếu,Người xác định độ mật\n'
        f'12/BC-STP,10/06/2025,TUYỆT MẬT,"Phương án bảo vệ, bí mật",1,{consent},Giám đốc Sở\n',
        encoding="utf-8",
    )
    return path


def test_tuyet_mat_summary_rule_applies_to_imported_rows(tmp_path: Path) -> None:
    # 2020 rules (a clock in 2025): the summary only with the classifier's consent
    app, _ = new_app(tmp_path / "v2025", fixed_clock(2025, 7, 1))
    service = ImportService(app.ctx)
    refused = service.import_file(tuyet_mat_csv(tmp_path, ""), Direction.OUTGOING)
    assert [(p.row, p.column) for p in refused.problems] == [(2, "D (Trích yếu)")]
    assert "without the classifier's consent" in refused.problems[0].reason.render("en")
    allowed = service.import_file(tuyet_mat_csv(tmp_path, "x"), Direction.OUTGOING)
    assert allowed.ok and len(allowed.imported) == 1
    item = app.items.show(allowed.imported[0]).item
    assert item.summary == "Phương án bảo vệ, bí mật" and item.legal_basis == "2020"
    # 2026 rules: never, consent or not
    later, _ = new_app(tmp_path / "v2026")
    report = ImportService(later.ctx).import_file(tuyet_mat_csv(tmp_path, "x"), Direction.OUTGOING)
    assert [p.column for p in report.problems] == ["D (Trích yếu)"]
    assert later.items.search() == []


def test_legacy_windows_1258_file_is_decoded_and_folded_search_finds_rows(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    report = ImportService(app.ctx).import_file(FIXTURES / "legacy_cp1258.csv", Direction.INCOMING)
    assert report.ok and report.file_format == "cp1258" and len(report.imported) == 8
    legacy, encoding = decode_text((FIXTURES / "legacy_cp1258.csv").read_bytes())
    assert encoding == "cp1258"
    assert legacy == (FIXTURES / "legacy_utf8.csv").read_text(encoding="utf-8")
    assert report.ignored == ["B (Ngày đến)"]
    [special] = app.items.search("dac xa nam 2026")
    assert special.summary == "Triển khai công tác đặc xá năm 2026"
    assert special.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"  # composed (NFC) text
    assert special.origin == "received" and special.book_kind == "incoming"
    assert [i.number_symbol for i in app.items.search("TOA AN nhan dan")] == ["77/TAND-HCTP"]
    assert [i.number_symbol for i in app.items.search("KHAN")] == ["301/VKS-P1"]  # from notes


def test_semicolon_file_with_unaccented_headings(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    report = ImportService(app.ctx).import_file(
        FIXTURES / "semicolon_internal.csv", Direction.INTERNAL
    )
    assert report.ok and report.delimiter == ";" and len(report.imported) == 5
    found = {i.number_symbol: i for i in app.items.search(kind="internal")}
    assert found["02/NB-VP"].level is Level.TOI_MAT and found["02/NB-VP"].urgency == "khan"
    assert found["04/NB-VP"].level is Level.TUYET_MAT and found["04/NB-VP"].summary is None
    assert found["05/NB-VP"].level is Level.MAT and found["05/NB-VP"].urgency == "thuong-khan"
    assert found["01/NB-VP"].summary == (
        "Phân công trực, bảo vệ phòng lưu giữ tài liệu mật, dịp Tết"
    )
    assert found["01/NB-VP"].storage_location == "Tủ sắt Văn phòng"
    # the same file again: every row is already registered, nothing is imported twice
    again = ImportService(app.ctx).import_file(
        FIXTURES / "semicolon_internal.csv", Direction.INTERNAL
    )
    assert [p.row for p in again.problems] == [2, 3, 4, 5, 6]
    assert "already registered as Internal register no. 1/2026" in again.problems[0].reason.render(
        "en"
    )
    assert len(app.items.search(kind="internal")) == 5


def test_xlsx_workbook_with_excel_day_numbers(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    report = ImportService(app.ctx).import_file(FIXTURES / "incoming.xlsx", Direction.INCOMING)
    assert report.ok and report.file_format == "xlsx" and report.heading_row == 2
    items = sorted(app.items.search(kind="incoming"), key=lambda i: i.number)
    assert [(i.number_symbol, i.doc_date) for i in items] == [
        ("215/UBND-NC", "2026-10-02"),
        ("1032/CAT-PA03", "2026-10-05"),
        ("88/BTP-VP", "2026-10-08"),
        ("12-TB/TU", "2026-10-13"),
    ]
    assert items[1].copies_issued == 2 and items[3].level is Level.TUYET_MAT


def test_mapping_names_unknown_columns_and_missing_ones_are_reported(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    path = tmp_path / "odd.csv"
    path.write_text(
        '"Số, ký hiệu",Ngày,Mức độ,Nội dung chính,Số bản\n'
        "5/KH-STP,01/10/2026,Tối mật,Kế hoạch kiểm tra,2\n",
        encoding="utf-8",
    )
    service = ImportService(app.ctx)
    with pytest.raises(ImportFileInvalid) as missing:
        service.import_file(path, Direction.OUTGOING, dry_run=True)
    assert "no column gives the classification level" in missing.value.render("en")
    assert "không có cột nào cho độ mật" in missing.value.render("vi")
    mapping = parse_mapping(["muc do=level", "D=summary"])
    report = service.import_file(path, Direction.OUTGOING, mapping=mapping)
    assert report.ok
    [item] = app.items.search("ke hoach kiem tra")
    assert item.level is Level.TOI_MAT and item.summary == "Kế hoạch kiểm tra"
    with pytest.raises(ImportFileInvalid):
        parse_mapping(["Nội dung=not_a_field"])


def test_cli_import_refuses_a_bad_file_in_vietnamese_and_imports_a_good_one(
    tmp_path: Path,
) -> None:
    data = str(tmp_path / "v")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    init = run_cli(
        "--data-dir",
        data,
        "init",
        "--unit-name",
        "Sở Tư pháp",
        "--unit-code",
        "STP",
        "--admin",
        "admin",
        env=env,
    )
    assert init.returncode == 0, init.stderr
    bad = run_cli(
        "--data-dir",
        data,
        "item",
        "import",
        str(FIXTURES / "bad_rows.csv"),
        "--book",
        "outgoing",
        env=env,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("Lỗi: Không nhập dữ liệu nào: 5 dòng có lỗi.")
    assert "Dòng 8, cột F (Độ mật)" in bad.stderr
    good = run_cli(
        "--json",
        "--data-dir",
        data,
        "item",
        "import",
        str(FIXTURES / "semicolon_internal.csv"),
        "--book",
        "internal",
        env=env,
    )
    assert good.returncode == 0, good.stderr
    payload = json.loads(good.stdout)
    assert payload["ok"] and len(payload["imported"]) == 5
    assert payload["first"].startswith("internal 1/")
