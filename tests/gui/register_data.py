"""A small but real register for the registers and handovers pages, built through the services.

Recorded on 3 March 2025 (the 2018 law's rules: a Tuyệt mật summary may be kept with the
classifier's consent, so the GUI has one to hide). The pages open it later, on VIEWED, so the
dispatch still awaiting its receipt is long overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level

YEAR = 2025
RECORDED = (YEAR, 3, 3)
VIEWED = (2026, 11, 2)  # the day the tests open the pages
FILLERS = 250  # more than one page of the registers table
DISPATCHED_TO = "Ban Nội chính Tỉnh ủy Quảng Ngãi"
RECEIVED_BY = "Lê Thị Hoa"


@dataclass(frozen=True)
class Entries:
    decision: int  # item id: incoming Mật "Quyết định", two copies (one dispatched, one back)
    top_secret: int  # outgoing Tuyệt mật with a summary that must never show
    expiring: int  # outgoing Tối mật whose protection ends within 90 days
    cancelled: int  # internal, cancelled in the register
    unopened: int  # incoming envelope for a named addressee, not opened yet
    overdue: tuple[int, int]  # (year, number) of the dispatch awaiting its receipt
    received: tuple[int, int]  # (year, number) of the dispatch whose receipt came back


def _registration(
    direction: Direction, level: Level, symbol: str, doc_type: str, summary: str, **more: Any
) -> Registration:
    return Registration(
        direction=direction,
        level=level,
        number_symbol=symbol,
        doc_date=date(YEAR, 2, 27),
        copies=more.pop("copies", 1),
        doc_type=doc_type,
        issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
        summary=summary,
        **more,
    )


def populate(app: App) -> Entries:
    for number in range(1, FILLERS + 1):
        app.items.register(
            _registration(
                Direction.INCOMING,
                Level.MAT,
                f"{number}/TB-VP",
                "Thông báo",
                f"Hồ sơ lưu trữ số {number}",
            )
        )
    decision = app.items.register(
        _registration(
            Direction.INCOMING,
            Level.MAT,
            "15/QĐ-UBND",
            "Quyết định",
            "Về việc bảo vệ bí mật nhà nước năm 2025",
            copies=2,
        )
    )
    top_secret = app.items.register(
        _registration(
            Direction.OUTGOING,
            Level.TUYET_MAT,
            "07/BC-STP",
            "Báo cáo",
            "Tình hình an ninh nội bộ",
            summary_consent=True,
            summary_consent_by="Giám đốc Sở",
        )
    )
    expiring = app.items.register(
        _registration(
            Direction.OUTGOING,
            Level.TOI_MAT,
            "12/CV-STP",
            "Công văn",
            "Phối hợp xác minh lý lịch",
            shorter_until=date(*VIEWED) + timedelta(days=75),
        )
    )
    cancelled = app.items.register(
        _registration(
            Direction.INTERNAL, Level.MAT, "03/NB-STP", "Thông báo", "Lịch trực bảo vệ cơ quan"
        )
    )
    app.registry.cancel("internal", cancelled.year, cancelled.number, "Ghi nhầm sổ")
    unopened = app.items.register(
        _registration(
            Direction.INCOMING,
            Level.MAT,
            "21/CAT-PA03",
            "Công văn",
            "Thư riêng",
            named_addressee="Trần Văn Hùng",
        )
    )

    first, second = (copy.id for copy in app.items.show(decision.id).copies)
    overdue = app.handovers.create(
        "dispatch", [first], recipient_body=DISPATCHED_TO, courier="Trần Thị Lan"
    )
    app.handovers.create("issue", [second], recipient_person="Nguyễn Văn Bình")
    app.handovers.create("return", [second], recipient_person="Nguyễn Văn Bình")
    (secret_copy,) = (copy.id for copy in app.items.show(top_secret.id).copies)
    received = app.handovers.create(
        "dispatch", [secret_copy], recipient_body="Văn phòng Ủy ban nhân dân tỉnh"
    )
    at = datetime(*RECORDED, 8, 30, tzinfo=UTC)  # as the clock stands
    app.handovers.receipt(received.year, received.number, RECEIVED_BY, at)
    return Entries(
        decision=decision.id,
        top_secret=top_secret.id,
        expiring=expiring.id,
        cancelled=cancelled.id,
        unopened=unopened.id,
        overdue=(overdue.year, overdue.number),
        received=(received.year, received.number),
    )
