"""Every printout made from a real register: real pdftotext and pdftoppm, audit events."""

from __future__ import annotations

import hashlib
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration, Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.storage.destruction import CouncilSeat
from tests.helpers import fixed_clock, new_app

APPROVER = "approver passphrase"
SUMMARY = "Về việc kiểm tra công tác bảo vệ bí mật nhà nước năm 2026"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    clock = fixed_clock()
    app, _ = new_app(tmp_path_factory.mktemp("print") / "v", clock)
    app.users.add(
        "pheduyet", Role.APPROVER, APPROVER, full_name="Đặng Đức Đạt", max_level=Level.TUYET_MAT
    )
    approver = app.users.countersign("pheduyet", APPROVER)
    a = app.items.register(
        Registration(
            Direction.OUTGOING,
            Level.TOI_MAT,
            "12/QĐ-STP",
            date(2026, 10, 1),
            4,
            doc_type="Quyết định",
            issuer="Sở Tư pháp",
            summary=SUMMARY,
            urgency=Urgency.HOA_TOC,
            pages=4,
            recipients="Đội bảo vệ; Phòng Hành chính",
        )
    )
    b = app.items.register(
        Registration(
            Direction.OUTGOING,
            Level.TUYET_MAT,
            "03/KH-STP",
            date(2026, 10, 3),
            2,
            doc_type="Kế hoạch",
            issuer="Sở Tư pháp",
            named_addressee="Đỗ Thị Ưng",
            recall_by=date(2027, 1, 1),
            pages=12,
        )
    )
    copies_a = app.items.show(a.id).copies
    repro = app.copies.request(copies_a[0].id, 2, "sao-y", "Phục vụ họp giao ban")
    app.copies.approve(repro.id, approver)
    app.copies.record(
        repro.id, 2, copied_by="Lê Thị Cúc", copied_on=date(2026, 11, 2), place="Phòng Văn thư"
    )
    handover = app.handovers.create(
        "dispatch",
        [copies_a[1].id, app.items.show(b.id).copies[0].id],
        recipient_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
        recipient_person="Nguyễn Văn Nhận",
        courier="Trần Giao Liên",
    )
    case = app.destruction.propose(
        [copies_a[2].id],
        "Hết giá trị sử dụng",
        [
            CouncilSeat("Hoàng Thị Hường", "chair", "Phó Giám đốc"),
            CouncilSeat("Lý Văn Ủy", "member", "Chánh Văn phòng"),
        ],
    )
    app.destruction.approve(case.id, approver, "Quyết định số 45/QĐ-STP")
    app.destruction.record(
        case.id,
        at=clock.now(),  # the council acts as the clock stands
        place="Kho lưu trữ Sở Tư pháp",
        method="Nghiền nhỏ bằng máy hủy",
    )
    permit = app.permits.request(
        "take-out",
        [copies_a[3].id],
        requester="Phan Văn Đức",
        purpose="Họp tại UBND tỉnh",
        place="Trụ sở UBND tỉnh Quảng Ngãi",
        starts_at=datetime(2026, 11, 3, 8, 0).astimezone(),
        ends_at=datetime(2026, 11, 3, 17, 0).astimezone(),
        protection="Cặp có khóa",
    )
    app.permits.approve(permit.id, approver)
    return {"app": app, "handover": handover, "case": case, "permit": permit, "item": a}


def documents(reg: dict[str, object]) -> dict[str, bytes]:
    app = reg["app"]
    assert isinstance(app, App)
    handover = reg["handover"]
    return {
        "slip": app.printing.slip(handover.year, handover.number),  # type: ignore[attr-defined]
        "register": app.printing.register("outgoing", 2026),
        "copies": app.printing.register("copies", 2026),
        "handovers": app.printing.register("handovers", 2026),
        "labels": app.printing.envelope_labels(handover.year, handover.number),  # type: ignore[attr-defined]
        "copy_labels": app.printing.copy_labels(reg["item"].id),  # type: ignore[attr-defined]
        "minutes": app.printing.minutes(reg["case"].id),  # type: ignore[attr-defined]
        "permit": app.printing.permit(reg["permit"].id),  # type: ignore[attr-defined]
        "inventory": app.printing.inventory(date(2026, 11, 2)),
        "annual": app.printing.annual(2026),
        "destruction": app.printing.register("destruction", 2026),
    }


EXPECTED = {
    "slip": [
        "12/QĐ-STP",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "Hỏa tốc",
        "Đỗ Thị Ưng",
        "Tài liệu thu hồi",
    ],
    "register": ["SỞ TƯ PHÁP TỈNH QUẢNG NGÃI", SUMMARY, "Đội bảo vệ", "1-4"],
    "copies": ["Lê Thị Cúc", "Sao y", "Đặng Đức Đạt", "1-2"],
    "handovers": ["Ủy ban nhân dân tỉnh Quảng Ngãi"],
    "labels": ["Chỉ người có tên mới được bóc bì", "Đỗ Thị Ưng"],
    "copy_labels": ["BẢN SAO SỐ 1", "BẢN SAO SỐ 2", "Lê Thị Cúc"],
    "minutes": ["Hoàng Thị Hường", "Lý Văn Ủy", "Nghiền nhỏ bằng máy hủy"],
    "permit": ["Phan Văn Đức", "Trụ sở UBND tỉnh Quảng Ngãi"],
    "inventory": ["12/QĐ-STP", "03/KH-STP"],
    "annual": ["SỞ TƯ PHÁP TỈNH QUẢNG NGÃI"],
    "destruction": ["Hết giá trị sử dụng", "Nghiền nhỏ bằng máy hủy", "Quyết định số 45/QĐ-STP"],
}


def pdftotext(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def test_each_document_keeps_vietnamese_text_exactly(register: dict, tmp_path: Path) -> None:
    for name, pdf in documents(register).items():
        text = " ".join(pdftotext(pdf, tmp_path, name).split())
        assert unicodedata.is_normalized("NFC", text), name
        for expected in EXPECTED[name]:
            assert " ".join(expected.split()) in text, f"{name}: {expected!r} missing"


def test_each_document_renders_to_png(register: dict, tmp_path: Path) -> None:
    for name, pdf in documents(register).items():
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "40",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp_path / f"{name}.pdf"),
                str(tmp_path / name),
            ],
            check=True,
        )
        png = next(tmp_path.glob(f"{name}-*1.png"))
        assert png.stat().st_size > 3000, name  # a blank page compresses to almost nothing


def test_every_print_is_an_audit_event_with_the_pdf_hash(register: dict) -> None:
    app = register["app"]
    handover = register["handover"]
    before = app.audit.head().seq
    pdf = app.printing.slip(handover.year, handover.number)
    events = app.audit.events(after_seq=before)
    assert [e.action for e in events] == ["print.slip"]
    assert events[0].detail["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert events[0].detail["head"] == before
    assert app.audit.verify().ok


def test_tuyet_mat_summary_never_printed(register: dict, tmp_path: Path) -> None:
    text = pdftotext(register["app"].printing.register("outgoing", 2026), tmp_path, "r")
    assert "(Độ Tuyệt mật: không ghi trích yếu)" in " ".join(text.split())


def test_scanned_slip_code_finds_its_handover(register: dict, tmp_path: Path) -> None:
    from secretdesk.services.errors import InvalidRequest

    app = register["app"]
    handover = register["handover"]
    before = app.audit.head()
    app.printing.slip(handover.year, handover.number)
    from secretdesk.reports.model import ChainHead
    from secretdesk.reports.slipcode import encode_slip_code

    code = encode_slip_code(handover.year, handover.number, ChainHead(before.seq, before.hash))
    assert app.printing.handover_from_slip_code(code).id == handover.id
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(InvalidRequest):
        app.printing.handover_from_slip_code(forged)
