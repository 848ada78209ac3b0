"""Issue 14: the changed forms printed from real registers and read back with poppler.

pdftotext must show the new columns and texts exactly as written (NFC): the consented
Tuyệt mật summary on a 2020 book with who consented and when, the mask worded for each
basis, "Ký nhận", "Người ký", "Tên loại và trích yếu nội dung", "Đơn vị, người nhận bản
lưu", and envelope labels split per ND26 Art. 4.1 (the outer Tuyệt mật label shows neither
level nor number).
"""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.reports.errors import InvalidReportData
from secretdesk.reports.labels import render_labels
from secretdesk.reports.model import Envelope, EnvelopeLabel, LabelData, envelopes_for
from secretdesk.services.errors import InvalidRequest
from tests import report_samples as samples
from tests.helpers import fixed_clock, new_app

SUMMARY = "Phương án bảo vệ mục tiêu trọng điểm"
CONSENTER = "Bí thư Tỉnh ủy Nguyễn Văn Phúc"


def text_of(pdf: bytes, tmp_path: Path, name: str, *crop: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"], capture_output=True, check=True
    )
    raw = done.stdout.decode("utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    return " ".join(raw.split())


def books(app: App, year: int, symbol_prefix: str) -> None:
    """A consented and an unconsented Tuyệt mật item out, one Mật item in, a dispatch."""
    consented = app.items.register(
        Registration(
            Direction.OUTGOING,
            Level.TUYET_MAT,
            f"1/{symbol_prefix}",
            date(year, 5, 20),
            2,
            summary=SUMMARY if year == 2025 else "",
            summary_consent=year == 2025,
            summary_consent_by=CONSENTER if year == 2025 else "",
            summary_consent_on=date(2025, 5, 30) if year == 2025 else None,
            classifier="Giám đốc Sở Trần Văn Đức",
            recipients="Công an tỉnh Quảng Ngãi",
            file_copy_holder="Văn thư Sở",
            list_decision="Quyết định số 01/QĐ-TTg",
            list_entry="Mục 2",
        )
    )
    app.items.register(
        Registration(
            Direction.OUTGOING, Level.TUYET_MAT, f"2/{symbol_prefix}", date(year, 5, 21), 1
        )
    )
    app.items.register(
        Registration(
            Direction.INCOMING,
            Level.MAT,
            "77/CV-BTP",
            date(year, 5, 22),
            1,
            summary="Công văn hướng dẫn kiểm tra",
            issuer="Bộ Tư pháp",
        )
    )
    copy = app.items.show(consented.id).copies[0]
    app.handovers.create("dispatch", [copy.id], recipient_body="Công an tỉnh Quảng Ngãi")


@pytest.fixture(scope="module")
def app_2020(tmp_path_factory: pytest.TempPathFactory) -> App:
    app, _ = new_app(tmp_path_factory.mktemp("legal2020") / "v", fixed_clock(2025, 6, 2))
    books(app, 2025, "KH-STP")
    return app


@pytest.fixture(scope="module")
def app_2026(tmp_path_factory: pytest.TempPathFactory) -> App:
    app, _ = new_app(tmp_path_factory.mktemp("legal2026") / "v", fixed_clock(2026, 6, 2))
    books(app, 2026, "KH-STP")
    return app


def test_2020_outgoing_book_prints_the_consented_summary_and_the_true_mask(
    app_2020: App, tmp_path: Path
) -> None:
    text = text_of(app_2020.printing.register("outgoing", 2025), tmp_path, "out2020")
    assert "Mẫu số 14" in text
    assert "Tên loại và trích yếu nội dung" in text
    assert (
        f"{SUMMARY} (Người có thẩm quyền xác định độ mật đồng ý ghi trích yếu: {CONSENTER}, "
        "ngày 30/05/2025)"
    ) in text
    assert (
        "(Không ghi trích yếu: chưa có ý kiến đồng ý của người có thẩm quyền xác định độ mật)"
        in text
    )
    assert "Người ký" in text and "Giám đốc Sở Trần Văn Đức" in text


def test_2020_incoming_book_has_the_receivers_signature_column(
    app_2020: App, tmp_path: Path
) -> None:
    text = text_of(app_2020.printing.register("incoming", 2025), tmp_path, "in2020")
    assert "Mẫu số 15" in text and "Ký nhận" in text
    assert "Tên loại và trích yếu nội dung" in text


def test_2026_books_have_signer_file_copy_and_receiver_columns(
    app_2026: App, tmp_path: Path
) -> None:
    out = text_of(app_2026.printing.register("outgoing", 2026), tmp_path, "out2026")
    for expected in (
        "Người ký",
        "Giám đốc Sở Trần Văn Đức",
        "Đơn vị, người nhận bản lưu",
        "Văn thư Sở",
        "Tên loại và trích yếu nội dung (không ghi đối với độ Tuyệt mật)",
        "(Độ Tuyệt mật: không ghi trích yếu)",
    ):
        assert expected in out, expected
    assert SUMMARY not in out
    incoming = text_of(app_2026.printing.register("incoming", 2026), tmp_path, "in2026")
    assert "Ký nhận" in incoming and "Tên loại và trích yếu nội dung" in incoming
    handovers = text_of(app_2026.printing.register("handovers", 2026), tmp_path, "ho2026")
    assert "SỔ CHUYỂN GIAO BÍ MẬT NHÀ NƯỚC" in handovers and "Ký nhận" in handovers


@pytest.mark.parametrize("which", ["app_2020", "app_2026"])
def test_tuyet_mat_envelope_labels_are_outer_and_inner(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    app: App = request.getfixturevalue(which)
    year = app.ctx.today().year
    pdf = app.printing.envelope_labels(year, 1)
    # the first label (top left of the sheet) is the outer one: 99.1 x 38.1 mm at 4.65, 15.15
    outer = text_of(pdf, tmp_path, "outer", "-x", "13", "-y", "43", "-W", "280", "-H", "107")
    assert outer == "A Nơi gửi: Sở Tư pháp tỉnh Quảng Ngãi Nơi nhận: Công an tỉnh Quảng Ngãi"
    everything = text_of(pdf, tmp_path, "labels")
    assert "TUYỆT MẬT" in everything and "Số: 1/KH-STP" in everything


def test_single_envelopes_for_toi_mat_and_mat_and_the_rule_is_enforced(tmp_path: Path) -> None:
    secret = EnvelopeLabel(Level.TUYET_MAT, "12/QĐ-STP", "Công an tỉnh Quảng Ngãi")
    assert [label.envelope for label in envelopes_for(secret, "Sở")] == [
        Envelope.OUTER,
        Envelope.INNER,
    ]
    for level, letter in ((Level.TOI_MAT, "B"), (Level.MAT, "C")):
        (single,) = envelopes_for(EnvelopeLabel(level, "45/BC", "Đội bảo vệ"), "Sở")
        assert single.envelope is Envelope.SINGLE and single.letter == letter
        pdf = render_labels(
            LabelData(samples.UNIT, (single,)), None, samples.STAMP, fonts=samples.fonts()
        )
        text = text_of(pdf, tmp_path, letter)
        assert text.startswith(letter) and "Số: 45/BC" in text
        assert level.label_vi.upper() not in text  # the letter, not the level in words
    with pytest.raises(InvalidReportData, match="inner and an outer"):
        render_labels(LabelData(samples.UNIT, (secret,)), None, samples.STAMP)


APPROVER_PASS = "approver passphrase 2026"


def test_permit_prints_nd26_art5_content_and_the_closing_report(tmp_path: Path) -> None:
    from datetime import datetime

    from secretdesk.domain.roles import Role

    app = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))[0]
    app.users.add("head", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT)
    secret = app.items.register(
        Registration(
            Direction.INCOMING,
            Level.TUYET_MAT,
            "5/KH-BCA",
            date(2026, 5, 2),
            1,
            doc_type="Kế hoạch",
        )
    )
    plain = app.items.register(
        Registration(
            Direction.INCOMING,
            Level.MAT,
            "6/CV-BTP",
            date(2026, 5, 3),
            1,
            doc_type="Công văn",
            summary="Hướng dẫn kiểm tra công tác bảo vệ bí mật nhà nước",
        )
    )
    copies = [app.items.show(i.id).copies[0].id for i in (secret, plain)]
    permit = app.permits.request(
        "take-out",
        copies,
        requester="Lê Đức Thắng",
        requester_position="Trưởng phòng",
        requester_unit="Phòng Hành chính tư pháp",
        purpose="Họp giao ban",
        place="Phòng họp tầng 2",
        starts_at=datetime(2026, 6, 2, 14, 0),
        ends_at=datetime(2026, 6, 2, 17, 0),
        protection="Đựng trong cặp có khóa",
    )
    app.permits.approve(permit.id, app.users.countersign("head", APPROVER_PASS))
    open_text = text_of(app.printing.permit(permit.id), tmp_path, "open")
    for expected in (
        "Đơn vị: Phòng Hành chính tư pháp",
        "chức vụ: Trưởng phòng",
        "Tên loại",
        "Kế hoạch",
        "Hướng dẫn kiểm tra công tác bảo vệ bí mật nhà nước",
        "(Độ Tuyệt mật: không ghi trích yếu)",
        "BÁO CÁO VIỆC QUẢN LÝ, SỬ DỤNG VÀ TRẢ LẠI",
        "Ngày trả lại: ......./......./..........",
    ):
        assert expected in open_text, expected
    app.permits.close(permit.id, "Đã sử dụng tại cuộc họp, không sao chụp.")
    closed = text_of(app.printing.permit(permit.id), tmp_path, "closed")
    assert "Kết quả quản lý, sử dụng: Đã sử dụng tại cuộc họp, không sao chụp." in closed
    assert "Ngày trả lại tài liệu, vật chứa bí mật nhà nước: 02/06/2026" in closed


@pytest.mark.parametrize(("which", "year"), [("app_2020", 2025), ("app_2026", 2026)])
def test_statistics_list_is_per_item_in_time_order_by_level(
    which: str, year: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    app: App = request.getfixturevalue(which)
    text = text_of(app.printing.statistics_list(year), tmp_path, f"stat{year}")
    assert ("Mẫu số 18" in text) is (year == 2025)
    assert "THỐNG KÊ BÍ MẬT NHÀ NƯỚC" in text
    assert "theo trình tự thời gian và từng độ mật" in text
    tm, toi, mat = (
        text.index(f"{n}. Độ {lvl}:") for n, lvl in ((1, "Tuyệt mật"), (2, "Tối mật"), (3, "Mật"))
    )
    assert tm < toi < mat
    assert "1. Độ Tuyệt mật: 2 tài liệu, vật chứa" in text
    assert "2. Độ Tối mật: 0 tài liệu, vật chứa Không có tài liệu, vật chứa nào." in text
    assert "3. Độ Mật: 1 tài liệu, vật chứa" in text
    assert text.index("1/KH-STP") < text.index("2/KH-STP") < mat < text.index("77/CV-BTP")
    assert "Quyết định số 01/QĐ-TTg, Mục 2" in text
    assert "Công văn hướng dẫn kiểm tra" in text
    assert SUMMARY not in text and "(Độ Tuyệt mật: không ghi trích yếu)" in text
    annual = text_of(app.printing.annual(year), tmp_path, f"annual{year}")
    assert "Mẫu số 18" not in annual


@pytest.mark.parametrize(
    ("clock", "due"), [((2025, 6, 3), "20/12/2025"), ((2026, 6, 3), "20/12/2026")]
)
def test_yearly_report_has_its_four_parts_and_the_leak_cases(
    clock: tuple[int, int, int], due: str, tmp_path: Path
) -> None:
    from datetime import datetime

    app = new_app(tmp_path / "v", fixed_clock(*clock))[0]
    year = clock[0]
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "7/BC-CA", date(year, 5, 2), 1)
    )
    copy = app.items.show(item.id).copies[0].id
    incident = app.incidents.report(
        "loss",
        "Thất lạc",
        reported_to="Giám đốc Sở",
        copy_id=copy,
        occurred_at=datetime(year, 6, 1, 9, 0),
    )
    app.legal_records.follow_up(
        incident.id,
        cause="Sơ suất",
        handling="Kiểm điểm",
        remedy="Đã thu hồi",
    )
    pdf = app.printing.annual(
        year,
        situation="Tình hình ổn định, không phát hiện hoạt động thu thập bí mật.",
        forecast="Đề nghị tập huấn văn thư cấp xã.",
    )
    text = text_of(pdf, tmp_path, f"annual{year}")
    for expected in (
        "BÁO CÁO CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC",
        "I. Tình hình, phân tích, đánh giá tình hình liên quan đến công tác bảo vệ bí mật nhà nước",
        "Tình hình ổn định, không phát hiện hoạt động thu thập bí mật.",
        "II. Kết quả thực hiện; ưu điểm, hạn chế",
        "III. Các vụ lộ, mất bí mật nhà nước; nguyên nhân, việc xử lý, khắc phục hậu quả",
        "7/BC-CA",
        "Thất lạc",
        "Sơ suất",
        "Kiểm điểm",
        "Đã thu hồi",
        "IV. Dự báo tình hình, phương hướng nhiệm vụ và kiến nghị, đề xuất",
        "Đề nghị tập huấn văn thư cấp xã.",
        f"Hạn gửi báo cáo cho cơ quan cấp trên: ngày {due}.",
    ):
        assert expected in text, expected
    assert "Mẫu số 18" not in text
    with pytest.raises(InvalidRequest, match=r"leak or a loss"):
        tampered = app.incidents.report("tampering", "Bì bị rách", reported_to="Giám đốc Sở")
        app.legal_records.follow_up(tampered.id, cause="x", handling="", remedy="")


def test_destruction_minutes_cite_both_decisions_and_list_the_dossier(tmp_path: Path) -> None:

    from secretdesk.domain.roles import Role
    from secretdesk.storage.destruction import CouncilSeat

    app = new_app(tmp_path / "v", fixed_clock(2025, 6, 2))[0]
    app.users.add("head", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "4/BC-CA", date(2025, 5, 2), 2)
    )
    first, second = (c.id for c in app.items.show(item.id).copies)
    council = [
        CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
        CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
    ]
    case = app.destruction.propose(
        [first], "Hết giá trị sử dụng", council, "Quyết định số 3/QĐ-STP ngày 20/05/2025"
    )
    app.destruction.approve(
        case.id, app.users.countersign("head", APPROVER_PASS), "Quyết định số 9/QĐ-STP"
    )
    app.ctx.clock.advance(hours=1)  # the act comes after the decision, and is not in the future
    app.destruction.record(
        case.id, method="Nghiền nát", place="Phòng Văn thư", at=app.ctx.clock.now()
    )
    text = text_of(app.printing.minutes(case.id), tmp_path, "minutes")
    for expected in (
        "Căn cứ Quyết định số 3/QĐ-STP ngày 20/05/2025 về việc thành lập Hội đồng tiêu hủy",
        "Căn cứ Quyết định số 9/QĐ-STP;",
        "Hồ sơ tiêu hủy (khoản 4 Điều 23 Luật Bảo vệ bí mật nhà nước 2018) gồm:",
        "1. Quyết định thành lập Hội đồng tiêu hủy: Quyết định số 3/QĐ-STP ngày 20/05/2025;",
        "4. Quyết định tiêu hủy: Quyết định số 9/QĐ-STP;",
        "thời hạn lưu trữ theo quy định của đơn vị",
    ):
        assert expected in text, expected
    assert "vĩnh viễn" not in text
    urgent = app.destruction.emergency(
        [second], "Báo cáo số 1/BC-VT gửi Giám đốc Sở", place="Kho", method="Đốt"
    )
    text = text_of(app.printing.minutes(urgent.id), tmp_path, "urgent")
    for expected in (
        "Tiêu hủy tài liệu, vật chứa bí mật nhà nước trong trường hợp khẩn cấp",
        "(khoản 3 Điều 23 Luật Bảo vệ bí mật nhà nước 2018)",
        "Báo cáo: Báo cáo số 1/BC-VT gửi Giám đốc Sở",
        "người đang quản lý tài liệu, vật chứa bí mật nhà nước là Lê Văn Quản Trị",
        "NGƯỜI ĐANG QUẢN LÝ",
    ):
        assert expected in text, expected
    assert "Hội đồng tiêu hủy tài liệu, vật chứa bí mật nhà nước gồm" not in text
    assert "thành viên Hội đồng" not in text
