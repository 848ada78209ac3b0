"""Sample data for the printout tests: one of each document, in Vietnamese with every kind of
diacritic (đ/Đ, horn letters, stacked tone marks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from secretdesk.domain.custody import CopyState
from secretdesk.domain.levels import Level
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.fonts import FontFamily, register_fonts
from secretdesk.reports.inventory import render_inventory
from secretdesk.reports.labels import render_labels
from secretdesk.reports.minutes import render_minutes
from secretdesk.reports.model import (
    REGISTER_FIELDS,
    AnnualReportData,
    ChainHead,
    CopyLabel,
    CouncilMember,
    DestroyedCopy,
    Discrepancy,
    DocumentLine,
    EnvelopeLabel,
    HandoverKind,
    InventoryData,
    InventoryRow,
    LabelData,
    MinutesData,
    PrintStamp,
    RegisterData,
    RegisterEntry,
    RegisterKind,
    SlipData,
    TakeOutPermitData,
    UnitHeader,
    envelopes_for,
)
from secretdesk.reports.permit import render_permit
from secretdesk.reports.registers import render_register
from secretdesk.reports.slip import render_slip

ICT = timezone(timedelta(hours=7))
UNIT = UnitHeader(
    superior_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
    unit_name="Sở Tư pháp tỉnh Quảng Ngãi",
    unit_code="STP-QNG",
    place="Quảng Ngãi",
)
HEAD = ChainHead(seq=4821, hash="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
STAMP = PrintStamp(
    printed_at=datetime(2025, 11, 20, 9, 45, tzinfo=ICT),
    printed_by="Nguyễn Thị Hường",
    chain_head=HEAD,
)
TOP_SECRET_SUMMARY = "Kế hoạch tác chiến bí danh ĐẠI BÀNG XANH"
# Words a reader must find exactly as entered (NFC) in every rendered document.
SUMMARIES = [
    "Quyết định về việc kiện toàn Đội bảo vệ bí mật nhà nước",
    "Báo cáo kết quả tự kiểm tra công tác bảo vệ bí mật nhà nước quý III",
    "Công văn hướng dẫn quản lý văn bản điện tử; trường hợp khẩn cấp xử lý ngay",
    "Thông báo kết luận của Giám đốc Sở về việc điều chỉnh độ mật",
]


def register_data(kind: RegisterKind = RegisterKind.OUTGOING, rows: int = 40) -> RegisterData:
    levels = [Level.MAT, Level.TOI_MAT, Level.TUYET_MAT]
    entries = []
    for number in range(1, rows + 1):
        level = levels[number % 3]
        cells = {
            "number": str(number),
            "number_symbol": f"{number}/QĐ-STP",
            "summary": TOP_SECRET_SUMMARY if level is Level.TUYET_MAT else SUMMARIES[number % 4],
            "note": "Hỏa tốc" if number % 5 == 0 else "",
        }
        extra = {
            RegisterKind.OUTGOING: {
                "doc_date": "03/02/2025",
                "signer": "Trần Văn Đức",
                "recipients": "Sở Tư pháp tỉnh Quảng Ngãi; Công an tỉnh (PA03)",
                "copies": "3",
            },
            RegisterKind.INTERNAL: {
                "doc_date": "03/02/2025",
                "signer": "Trần Văn Đức",
                "recipients": "Phòng Hành chính tư pháp; Văn phòng Sở",
                "copies": "2",
            },
            RegisterKind.INCOMING: {
                "received_on": "04/02/2025",
                "issuer": "Bộ Tư pháp",
                "doc_date": "01/02/2025",
                "handled_by": "Phòng Hành chính tư pháp - Lê Thị Ánh Tuyết",
            },
            RegisterKind.COPIES: {
                "copied_on": "05/02/2025",
                "copy_form": "Sao y",
                "copies_made": "2",
                "copy_numbers": "2-3",
                "authoriser": "Phạm Quốc Dũng",
                "copier": "Nguyễn Thị Hường",
            },
            RegisterKind.HANDOVERS: {
                "handed_on": "06/02/2025",
                "copy_numbers": "1",
                "recipient": "Công an tỉnh Quảng Ngãi - Đỗ Minh Khuê",
                "courier": "Võ Văn Bảy",
            },
            RegisterKind.DESTRUCTION: {
                "destroyed_on": "07/02/2025",
                "decision_ref": "Quyết định số 15/QĐ-STP",
                "copy_numbers": "2",
                "method": "Nghiền nát bằng máy hủy tài liệu",
                "minutes_ref": "01/BB-HĐTH",
            },
        }[kind]
        known = REGISTER_FIELDS[kind]
        row = {key: value for key, value in {**cells, **extra}.items() if key in known}
        entries.append(RegisterEntry(cells=row, level=level, cancelled=number % 7 == 0))
    return RegisterData(
        kind=kind,
        unit=UNIT,
        year=2025,
        volume=1,
        opened=date(2025, 1, 2),
        closed=None,
        first_number=1,
        last_number=rows,
        entries=tuple(entries),
    )


def lines() -> tuple[DocumentLine, ...]:
    return (
        DocumentLine("12/QĐ-STP", date(2025, 11, 3), Level.TUYET_MAT, "1", 4, "Hỏa tốc"),
        DocumentLine("45/BC-STP", date(2025, 11, 10), Level.TOI_MAT, "2, 3", 12),
        DocumentLine("7/CV-ĐBV", date(2025, 11, 12), Level.MAT, "1-4", 2, "Khẩn"),
    )


def slip_data() -> SlipData:
    return SlipData(
        unit=UNIT,
        number=42,
        year=2025,
        handed_at=datetime(2025, 11, 20, 9, 30, tzinfo=ICT),
        kind=HandoverKind.DISPATCH,
        sender="Văn thư Sở Tư pháp tỉnh Quảng Ngãi",
        recipient_body="Công an tỉnh Quảng Ngãi (Phòng An ninh chính trị nội bộ)",
        recipient_person="Đỗ Minh Khuê",
        lines=lines(),
        envelope_marks=("A", "Hỏa tốc", "Chỉ người có tên mới được bóc bì"),
        courier="Võ Văn Bảy",
    )


def label_data() -> LabelData:
    return LabelData(
        unit=UNIT,
        labels=(
            *envelopes_for(
                EnvelopeLabel(
                    Level.TUYET_MAT,
                    "12/QĐ-STP",
                    "Công an tỉnh Quảng Ngãi",
                    urgency="Hỏa tốc",
                    named_addressee_only=True,
                    named_addressee="Đỗ Minh Khuê",
                ),
                UNIT.unit_name,
            ),
            EnvelopeLabel(
                Level.TOI_MAT,
                "45/BC-STP",
                "Sở Tư pháp tỉnh Quảng Ngãi",
                recall=True,
                recall_deadline=date(2025, 12, 31),
            ),
            EnvelopeLabel(Level.MAT, "7/CV-ĐBV", "Đội bảo vệ - Phòng Hành chính"),
            CopyLabel(
                2,
                Level.TOI_MAT,
                "Sao y từ bản số 1 của Báo cáo số 45/BC-STP ngày 10/11/2025; người cho phép: "
                "Phạm Quốc Dũng; người sao: Nguyễn Thị Hường; lúc 10:15 ngày 20/11/2025 tại "
                "phòng Văn thư; số lượng: 2 bản; nơi nhận: Giám đốc Sở, lưu Văn thư.",
            ),
        ),
        skip=1,
    )


def minutes_data() -> MinutesData:
    return MinutesData(
        unit=UNIT,
        case_number=3,
        year=2025,
        decision_ref="Quyết định số 15/QĐ-STP ngày 14/11/2025 của Giám đốc Sở Tư pháp",
        destroyed_at=datetime(2025, 11, 19, 14, 0, tzinfo=ICT),
        place="Phòng họp tầng 2, Sở Tư pháp tỉnh Quảng Ngãi",
        method="Nghiền nát bằng máy hủy tài liệu, bảo đảm không thể phục hồi",
        members=(
            CouncilMember("Phạm Quốc Dũng", "Phó Giám đốc Sở", "Chủ tịch Hội đồng"),
            CouncilMember("Nguyễn Thị Hường", "Văn thư", "Thành viên (người lưu giữ)"),
            CouncilMember("Lê Đức Thắng", "Trưởng phòng Hành chính", "Thành viên"),
        ),
        copies=(
            DestroyedCopy("12/QĐ-STP", date(2025, 3, 3), Level.TUYET_MAT, "2", 4, "Bản dư thừa"),
            DestroyedCopy("45/BC-STP", date(2025, 4, 10), Level.TOI_MAT, "3", 12, "Hết giá trị"),
        ),
    )


def permit_data() -> TakeOutPermitData:
    return TakeOutPermitData(
        unit=UNIT,
        number=5,
        year=2025,
        issued_on=date(2025, 11, 18),
        requester="Lê Đức Thắng",
        requester_position="Trưởng phòng Hành chính tư pháp",
        purpose="Báo cáo tại cuộc họp của Ủy ban nhân dân tỉnh",
        destination="Trụ sở Ủy ban nhân dân tỉnh Quảng Ngãi",
        out_from=datetime(2025, 11, 19, 7, 30, tzinfo=ICT),
        due_back=datetime(2025, 11, 19, 17, 0, tzinfo=ICT),
        protection_measures="Đựng trong cặp có khóa; không rời người mang; không sao chụp",
        items=lines()[1:],
        approver="Phạm Quốc Dũng",
        approver_position="Phó Giám đốc Sở",
    )


def inventory_data(rows: int = 30) -> InventoryData:
    states = list(CopyState)
    return InventoryData(
        unit=UNIT,
        as_of=date(2025, 11, 20),
        rows=tuple(
            InventoryRow(
                f"{n}/QĐ-STP",
                [Level.MAT, Level.TOI_MAT, Level.TUYET_MAT][n % 3],
                str(n % 4 + 1),
                states[n % len(states)],
                "Nguyễn Thị Hường" if n % 2 else "Tủ sắt số 2",
                "Phòng Văn thư",
            )
            for n in range(1, rows + 1)
        ),
        discrepancies=(
            Discrepancy("12/QĐ-STP bản 2", "Đang lưu giữ", "Không tìm thấy", "Đã báo cáo"),
            Discrepancy("45/BC-STP bản 3", "Đã tiêu hủy", "Còn trong tủ", "Kiểm tra lại"),
        ),
        mustered=True,
    )


def annual_data() -> AnnualReportData:
    return AnnualReportData(
        unit=UNIT,
        year=2025,
        window_start=date(2024, 12, 15),
        window_end=date(2025, 12, 14),
        held_by_level={Level.TUYET_MAT: 4, Level.TOI_MAT: 37, Level.MAT: 152},
        events={
            "registered_outgoing": {Level.TUYET_MAT: 1, Level.TOI_MAT: 12, Level.MAT: 40},
            "registered_incoming": {Level.TOI_MAT: 8, Level.MAT: 95},
            "destroyed": {Level.MAT: 6},
        },
        findings=(
            "Đội bảo vệ chưa cập nhật sổ chuyển giao trong tháng 3.",
            "Một máy tính soạn thảo văn bản mật từng kết nối mạng; đã thay ổ cứng.",
        ),
        key_fingerprint="RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0=",
    )


def fonts() -> FontFamily:
    """The shipped font, so the output does not depend on the fonts of the machine."""
    return register_fonts("shipped")


def render(name: str, stamp: PrintStamp = STAMP) -> bytes:
    """One sample document as PDF bytes, with the layout in force on its date."""
    family = fonts()
    renderers: dict[str, Callable[[], bytes]] = {
        "register": lambda: render_register(register_data(), None, stamp, fonts=family),
        "slip": lambda: render_slip(slip_data(), None, stamp, fonts=family),
        "labels": lambda: render_labels(label_data(), None, stamp, fonts=family),
        "minutes": lambda: render_minutes(minutes_data(), None, stamp, fonts=family),
        "permit": lambda: render_permit(permit_data(), None, stamp, fonts=family),
        "inventory": lambda: render_inventory(inventory_data(), None, stamp, fonts=family),
        "annual": lambda: render_annual_report(annual_data(), None, stamp, fonts=family),
    }
    return renderers[name]()


DOCUMENTS = ("register", "slip", "labels", "minutes", "permit", "inventory", "annual")
