"""Every recorded time is checked against what it follows and against now (issue 17).

The clock stands at 14:00 local time on 07/12/2026; the item was registered and the copies
handed over at that moment unless a test moves the clock.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from secretdesk import i18n
from secretdesk.app import App
from secretdesk.cli import parsing
from secretdesk.domain import chronology
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.system.clock import FixedClock
from tests.helpers import new_app

NOW = datetime(2026, 12, 7, 14, 0)  # local wall-clock time
TODAY = NOW.date()
HEAD_PASS = "head passphrase 2026"
COUNCIL = [
    CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
    CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW.astimezone())


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v", clock)
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def copies_of(app: App, count: int = 2, doc_date: date = date(2026, 12, 1)) -> list[int]:
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "7/QĐ-UBND", doc_date, count)
    )
    return [c.id for c in app.items.show(item.id).copies]


def refusal(error: pytest.ExceptionInfo[InvalidRequest]) -> tuple[str, str]:
    return error.value.render("en"), error.value.render("vi")


# -- the domain rules -----------------------------------------------------------------------
def test_a_day_alone_covers_the_whole_day() -> None:
    made = datetime(2026, 12, 7, 15, 0)
    assert not chronology.is_before(date(2026, 12, 7), made)
    assert chronology.is_before(date(2026, 12, 6), made)
    assert chronology.is_before(datetime(2026, 12, 7, 14, 59), made)
    assert not chronology.is_future(date(2026, 12, 7), NOW.astimezone())
    assert chronology.is_future(datetime(2026, 12, 7, 14, 1), NOW.astimezone())
    assert not chronology.is_future(datetime(2026, 12, 7, 14, 0), NOW.astimezone())
    assert chronology.stored(date(2026, 12, 7)) == "2026-12-07"  # not 00:00
    assert chronology.shown("2026-12-07") == "07/12/2026"
    assert chronology.shown(datetime(2026, 12, 7, 9, 5)) == "07/12/2026 09:05"


def test_the_command_line_keeps_a_day_alone_and_refuses_it_where_a_time_is_needed() -> None:
    assert parsing.iso_moment("2026-12-07") == date(2026, 12, 7)
    assert parsing.iso_moment("07/12/2026") == date(2026, 12, 7)
    assert parsing.iso_moment("07/12/2026 08:15") == datetime(2026, 12, 7, 8, 15)
    assert parsing.iso_datetime("2026-12-07T08:15") == datetime(2026, 12, 7, 8, 15)
    with pytest.raises(argparse.ArgumentTypeError, match="time as well"):
        parsing.iso_datetime("2026-12-07")  # the minutes state the hour: no silent 00:00


# -- handover receipts ----------------------------------------------------------------------
def test_a_receipt_cannot_come_before_its_handover_or_in_the_future(
    app: App, clock: FixedClock
) -> None:
    first, _ = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    with pytest.raises(InvalidRequest) as error:
        app.handovers.receipt(sent.year, sent.number, "Lê B", datetime(2026, 12, 1, 8, 0))
    en, vi = refusal(error)
    assert "before handover 1/2026 was made (07/12/2026 14:00)" in en
    assert "01/12/2026 08:00" in vi and "trước khi" in vi
    with pytest.raises(InvalidRequest, match="before handover"):  # same day, earlier hour
        app.handovers.receipt(sent.year, sent.number, "Lê B", datetime(2026, 12, 7, 13, 59))
    with pytest.raises(InvalidRequest, match="in the future") as error:
        app.handovers.receipt(sent.year, sent.number, "Lê B", datetime(2026, 12, 7, 14, 30))
    assert "chưa tới" in error.value.render("vi")
    with pytest.raises(InvalidRequest, match="in the future"):
        app.handovers.receipt(sent.year, sent.number, "Lê B", date(2026, 12, 8))
    clock.advance(hours=1)
    done = app.handovers.receipt(sent.year, sent.number, "Lê B", date(2026, 12, 7))
    assert done.status == "closed" and done.receipt_at == "2026-12-07"  # that day, no 00:00


def test_a_receipt_due_date_cannot_be_before_the_handover(app: App) -> None:
    first, _ = copies_of(app)
    with pytest.raises(InvalidRequest, match="cannot be due") as error:
        app.handovers.create(
            "dispatch", [first], recipient_body="Sở Nội vụ", due_by=date(2026, 12, 6)
        )
    assert "06/12/2026" in error.value.render("vi")


# -- destruction ----------------------------------------------------------------------------
def test_destruction_cannot_precede_its_approval_even_on_the_same_day(
    app: App, clock: FixedClock
) -> None:
    first, _ = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    clock.advance(hours=1)  # approved at 15:00
    app.destruction.approve(case.id, app.users.countersign("head", HEAD_PASS), "QĐ 9")
    clock.advance(hours=2)
    with pytest.raises(InvalidRequest, match="before the decision") as error:
        app.destruction.record(case.id, at=datetime(2026, 12, 7, 14, 30), place="Kho", method="Đốt")
    assert "07/12/2026 15:00" in error.value.render("vi")
    with pytest.raises(InvalidRequest, match="in the future"):
        app.destruction.record(case.id, at=datetime(2026, 12, 7, 17, 1), place="Kho", method="Đốt")
    done = app.destruction.record(
        case.id, at=datetime(2026, 12, 7, 15, 30), place="Kho", method="Đốt"
    )
    minutes = app.destruction.minutes(case.id)
    proposed = datetime.fromisoformat(app.destruction.get(case.id).proposed_at).astimezone()
    assert done.destroyed_at == "2026-12-07T15:30"
    assert minutes.destroyed_at.astimezone() >= proposed  # never an act before its proposal


def test_an_emergency_destruction_is_reported_at_once_and_not_before_registration(
    app: App, clock: FixedClock
) -> None:
    first, second = copies_of(app)
    years_back = datetime(2023, 3, 1, 9, 0)
    with pytest.raises(InvalidRequest, match="more than 7 days ago") as error:
        app.destruction.emergency([first], "Hỏa hoạn", at=years_back)
    assert "7 ngày" in error.value.render("vi")
    with pytest.raises(InvalidRequest, match="registered on 07/12/2026") as error:
        app.destruction.emergency([first], "Hỏa hoạn", at=datetime(2026, 12, 6, 9, 0))
    assert "Bản số 1" in error.value.render("vi") and "7/QĐ-UBND" in error.value.render("vi")
    with pytest.raises(InvalidRequest, match="in the future"):
        app.destruction.emergency([first], "Hỏa hoạn", at=NOW + timedelta(minutes=5))
    clock.advance(days=3)
    case = app.destruction.emergency([first], "Hỏa hoạn", at=datetime(2026, 12, 8, 22, 0))
    assert case.destroyed_at == "2026-12-08T22:00"
    clock.advance(days=chronology.EMERGENCY_REPORT_DAYS)
    with pytest.raises(InvalidRequest, match="more than 7 days ago"):
        app.destruction.emergency([second], "Hỏa hoạn", at=datetime(2026, 12, 9, 9, 0))


# -- incidents, copying, decisions, inventories ---------------------------------------------
def test_an_incident_is_not_in_the_future_nor_before_the_item(app: App) -> None:
    first, _ = copies_of(app)
    with pytest.raises(InvalidRequest, match="in the future"):
        app.incidents.report(
            "loss",
            "Mất",
            reported_to="Giám đốc",
            copy_id=first,
            occurred_at=NOW + timedelta(hours=1),
        )
    with pytest.raises(InvalidRequest, match="dated 01/12/2026") as error:
        app.incidents.report(
            "loss", "Mất", reported_to="Giám đốc", copy_id=first, occurred_at=date(2026, 11, 30)
        )
    assert "Bản số 1" in error.value.render("vi")
    row = app.incidents.report(
        "loss", "Mất", reported_to="Giám đốc", copy_id=first, occurred_at=date(2026, 12, 7)
    )
    assert row.occurred_at == "2026-12-07"


def test_copies_are_not_made_before_approval_nor_in_the_future(app: App, clock: FixedClock) -> None:
    first, _ = copies_of(app)
    clock.advance(days=1)
    repro = app.copies.request(first, 1, "sao-y")
    app.copies.approve(repro.id, app.users.countersign("head", HEAD_PASS))
    with pytest.raises(InvalidRequest, match="before their approval"):
        app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=TODAY)
    with pytest.raises(InvalidRequest, match="in the future"):
        app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=date(2026, 12, 9))
    assert len(app.copies.record(repro.id, 1, copied_by="Văn thư", copied_on=date(2026, 12, 8)))


def test_a_level_decision_is_not_dated_before_the_classification(app: App) -> None:
    item = app.items.register(
        Registration(
            Direction.INCOMING,
            Level.MAT,
            "8/QĐ-UBND",
            date(2026, 12, 1),
            1,
            classified_on=date(2026, 12, 2),
        )
    )
    with pytest.raises(InvalidRequest, match="classified on 02/12/2026") as error:
        app.classification.change_level(
            item.id, Level.TOI_MAT, decided_on=date(2026, 12, 1), decided_by="Giám đốc"
        )
    assert "02/12/2026" in error.value.render("vi")


def test_an_inventory_of_a_day_to_come_is_refused(app: App) -> None:
    copies_of(app)
    with pytest.raises(InvalidRequest, match="still to come"):
        app.inventory.inventory(TODAY + timedelta(days=1))
    assert len(app.inventory.inventory(TODAY).lines) == 2


def test_chronology_refusals_read_in_vietnamese(app: App) -> None:
    first, _ = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    i18n.set_language("vi")
    with pytest.raises(InvalidRequest) as error:
        app.handovers.receipt(sent.year, sent.number, "Lê B", date(2026, 12, 1))
    assert error.value.render() == (
        "Thời điểm ký nhận (01/12/2026) không thể trước khi lập phiếu chuyển giao 1/2026"
        " (07/12/2026 14:00)."
    )
