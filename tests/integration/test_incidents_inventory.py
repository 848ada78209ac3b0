"""Incidents (loss, leak, tampering), inventory at a date, and musters on a real vault."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.custody import CopyState
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.storage import items
from secretdesk.system.clock import FixedClock
from tests.helpers import fixed_clock, new_app


@pytest.fixture
def clock() -> FixedClock:
    return fixed_clock(2026, 10, 1)


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v", clock)
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def register(app: App, symbol: str = "12/QĐ-UBND", copies: int = 2, level: Level = Level.MAT):
    item = app.items.register(
        Registration(Direction.INCOMING, level, symbol, date(2026, 9, 1), copies)
    )
    return item, [c.id for c in app.items.show(item.id).copies]


def state(app: App, copy_id: int) -> tuple[CopyState, str]:
    copy = items.get_copy(app.vault.connection, copy_id)
    assert copy is not None
    return copy.state, copy.holder


def test_loss_marks_the_copy_lost_until_it_is_recovered(app: App) -> None:
    _, (lost, _) = register(app)
    app.handovers.create("issue", [lost], recipient_person="Nguyễn Văn A")
    incident = app.incidents.report(
        "loss",
        "Không tìm thấy bản số 1 sau cuộc họp",
        reported_to="Trần Văn Thủ Trưởng",
        copy_id=lost,
        occurred_at=datetime(2026, 10, 1, 7, 45),
    )
    assert incident.reported_by == "Lê Văn Quản Trị" and incident.occurred_at == "2026-10-01T07:45"
    assert state(app, lost) == (CopyState.LOST_OR_LEAKED, "Nguyễn Văn A")
    event = app.audit.events(action_prefix="incident.reported")[-1]
    assert event.detail["flagged_for_head"] is True
    assert event.detail["copies"][0]["before"]["state"] == "issued"
    with pytest.raises(CustodyRefused):  # rule 1: a lost copy cannot be handed over
        app.handovers.create("dispatch", [lost], recipient_body="Sở Nội vụ")
    with pytest.raises(CustodyRefused):
        app.copies.request(lost, 1, "sao-y")
    copy = app.incidents.recover(lost, "Tìm thấy trong tủ phòng họp")
    assert (copy.state, copy.holder) == (CopyState.IN_STORAGE, "Kho lưu trữ")
    recovered = app.audit.events(action_prefix="incident.recovered")[-1]
    assert recovered.detail["before"]["state"] == "lost_or_leaked"
    assert recovered.detail["after"]["state"] == "in_storage"
    with pytest.raises(CustodyRefused):
        app.incidents.recover(lost)
    assert [i.id for i in app.incidents.list(copy_id=lost)] == [incident.id]


def test_leak_and_tampering_reports(app: App) -> None:
    _, (leaked, envelope) = register(app)
    app.incidents.report("leak", "Nội dung bị đăng tải", reported_to="Giám đốc", copy_id=leaked)
    assert state(app, leaked)[0] is CopyState.LOST_OR_LEAKED
    app.incidents.report("leak", "Thông tin bị lộ qua điện thoại", reported_to="Giám đốc")
    tampered = app.incidents.report(
        "tampering", "Dấu niêm phong trên bì bị rách", reported_to="Giám đốc", copy_id=envelope
    )
    assert tampered.kind == "tampering"
    assert state(app, envelope)[0] is CopyState.IN_STORAGE  # custody unchanged
    assert [i.kind for i in app.incidents.list()] == ["leak", "leak", "tampering"]


def test_incident_refusals(app: App) -> None:
    _, (copy_id, _) = register(app)
    with pytest.raises(InvalidRequest, match="which copy"):
        app.incidents.report("loss", "Mất", reported_to="Giám đốc")
    with pytest.raises(InvalidRequest, match="head"):
        app.incidents.report("loss", "Mất", reported_to=" ", copy_id=copy_id)
    with pytest.raises(InvalidRequest, match="Unknown kind"):
        app.incidents.report("theft", "Mất", reported_to="Giám đốc", copy_id=copy_id)
    with pytest.raises(NotFound):
        app.incidents.report("loss", "Mất", reported_to="Giám đốc", copy_id=999)
    assert app.incidents.list() == []
    assert state(app, copy_id)[0] is CopyState.IN_STORAGE


def test_inventory_at_a_date_comes_from_the_custody_history(app: App, clock: FixedClock) -> None:
    _, (sent, kept) = register(app)
    clock.advance(days=10)
    app.handovers.create("dispatch", [sent], recipient_body="Sở Nội vụ")
    register(app, symbol="20/BC", copies=1)  # registered after the first date
    before = app.inventory.inventory(date(2026, 10, 1))
    assert [(ln.copy_id, ln.state, ln.holder) for ln in before.lines] == [
        (sent, CopyState.IN_STORAGE, "Kho lưu trữ"),
        (kept, CopyState.IN_STORAGE, "Kho lưu trữ"),
    ]
    now = app.inventory.inventory()
    assert now.as_of == date(2026, 10, 11) and len(now.lines) == 3
    assert (now.lines[0].state, now.lines[0].holder) == (CopyState.IN_TRANSIT, "Sở Nội vụ")
    assert now.lines[0].copy_number == "Bản số 1" and now.lines[0].number_symbol == "12/QĐ-UBND"
    assert now.count(CopyState.IN_STORAGE) == 2
    assert len(app.inventory.inventory(active_only=True).lines) == 2
    assert app.inventory.inventory(date(2026, 9, 30)).lines == ()


def test_muster_lists_missing_and_unexpected_copies(app: App) -> None:
    _, (a1, a2) = register(app, "1/CV")
    _, (b1, b2) = register(app, "2/BC")
    _, (c1, c2) = register(app, "3/TB")
    app.handovers.create("issue", [b1], recipient_person="Nguyễn Văn A")
    app.destruction.emergency([b2], "Hỏng, hủy ngay")
    handover = app.handovers.create("dispatch", [c1], recipient_body="Sở Nội vụ")
    app.handovers.receipt(handover.year, handover.number, "Lê B", date(2026, 10, 1))
    app.handovers.create("dispatch", [c2], recipient_body="Sở Tài chính")
    assert state(app, c1)[0] is CopyState.DELIVERED

    with pytest.raises(NotFound):
        app.inventory.muster([a1, 999])
    with pytest.raises(InvalidRequest, match="twice"):
        app.inventory.muster([a1, a1])
    result = app.inventory.muster([a1, b1, b2, c1])
    assert result.expected == 3  # a1, a2 in storage and b1 issued
    assert [(d.copy_id, d.kind) for d in result.missing] == [(a2, "missing")]
    assert [(d.copy_id, d.recorded_state) for d in result.unexpected] == [
        (b2, CopyState.DESTROYED),
        (c1, CopyState.DELIVERED),
    ]
    assert result.unexpected[1].recorded_holder == "Sở Nội vụ"
    assert set(result.found) == {a1, b1, b2, c1}
    assert app.inventory.get_muster(result.muster_id) == result
    event = app.audit.events(action_prefix="muster.recorded")[-1]
    assert event.detail["missing"] == [a2] and event.detail["unexpected"] == [b2, c1]
    with pytest.raises(InvalidRequest, match="future"):
        app.inventory.muster([a1], on=date(2026, 10, 2))
