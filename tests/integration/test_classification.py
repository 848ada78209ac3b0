"""Level changes, extensions, declassification and the expiry warnings (DOMAIN.md §3; rules 3,
7 and 9) on a real vault. The clock stands at 2 November 2026 (rules of 2026 in force)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.custody import CopyState
from secretdesk.domain.errors import ExtensionRefused
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, ApprovalRefused, Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage import items
from tests.helpers import new_app
from tests.integration.test_register_books import item

HEAD_PASS = "head passphrase 2026"
TODAY = date(2026, 11, 2)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add(
        "head", Role.APPROVER, HEAD_PASS, full_name="Trần Văn Thủ Trưởng", max_level=Level.TUYET_MAT
    )
    head = opened.users.countersign("head", HEAD_PASS)
    opened.users.add(
        "office", Role.APPROVER, "office passphrase 1", max_level=Level.MAT, approver=head
    )
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def register(
    app: App,
    classified_on: date,
    level: Level = Level.MAT,
    symbol: str = "12/QĐ-UBND",
    copies: int = 2,
    summary: str = "",
):
    item = app.items.register(
        Registration(
            Direction.INCOMING,
            level,
            symbol,
            classified_on,
            copies,
            summary=summary,
            classified_on=classified_on,
        )
    )
    return item, [c.id for c in app.items.show(item.id).copies]


def state(app: App, copy_id: int) -> CopyState:
    copy = items.get_copy(app.vault.connection, copy_id)
    assert copy is not None
    return copy.state


def test_level_change_sets_the_level_and_the_notice_deadline(app: App) -> None:
    item, _ = register(app, date(2026, 9, 1))
    row = app.classification.change_level(
        item.id,
        Level.TOI_MAT,
        decided_on=date(2026, 10, 30),
        decided_by="Nguyễn Văn Xác Định",
        reason="Nội dung bổ sung",
    )
    assert (row.old_level, row.new_level) == (Level.MAT, Level.TOI_MAT)
    assert row.notify_by == "2026-11-14"  # holders notified within 15 days
    details = app.items.show(item.id)
    assert details.item.level is Level.TOI_MAT
    assert details.expiry.expiry == date(2046, 9, 1)  # the Tối mật period, 20 years
    event = app.audit.events(action_prefix="item.level_changed")[-1]
    assert event.detail["before"] == {"level": "mat"}
    assert event.detail["after"] == {"level": "toi-mat"}
    assert app.classification.history(item.id).level_changes == (row,)


def test_level_change_refusals(app: App) -> None:
    item, _ = register(app, date(2026, 9, 1))
    with pytest.raises(InvalidRequest, match="already"):
        app.classification.change_level(item.id, Level.MAT, decided_on=TODAY, decided_by="X")
    with pytest.raises(InvalidRequest, match="future"):
        app.classification.change_level(
            item.id, Level.TOI_MAT, decided_on=date(2026, 12, 1), decided_by="X"
        )
    with pytest.raises(InvalidRequest, match="classifier"):
        app.classification.change_level(item.id, Level.TOI_MAT, decided_on=TODAY, decided_by=" ")
    assert app.items.show(item.id).item.level is Level.MAT


def test_rule_9_an_item_with_a_summary_cannot_become_tuyet_mat(app: App) -> None:
    summarised, _ = register(app, date(2026, 9, 1), summary="Kế hoạch bảo vệ mục tiêu")
    with pytest.raises(InvalidRequest, match="cannot become Tuyệt mật") as refused:
        app.classification.change_level(
            summarised.id, Level.TUYET_MAT, decided_on=TODAY, decided_by="Người xác định"
        )
    assert "Luật Bảo vệ bí mật nhà nước 2025" in str(refused.value)
    assert app.items.show(summarised.id).item.level is Level.MAT
    assert app.audit.events(action_prefix="item.level_changed") == []
    plain, _ = register(app, date(2026, 9, 1), symbol="13/QĐ")
    row = app.classification.change_level(
        plain.id, Level.TUYET_MAT, decided_on=TODAY, decided_by="Người xác định"
    )
    assert row.new_level is Level.TUYET_MAT


def test_extension_window_cap_and_new_expiry(app: App) -> None:
    closing, _ = register(app, date(2017, 1, 20))  # expires 20/01/2027, decide by 21/11/2026
    passed, _ = register(app, date(2016, 12, 15), symbol="2/BC")  # expires 15/12/2026
    with pytest.raises(ExtensionRefused, match="at most 10 years"):
        app.classification.extend(closing.id, 11, decided_on=TODAY, decided_by="Giám đốc")
    with pytest.raises(ExtensionRefused, match="60 days before expiry"):
        app.classification.extend(passed.id, 5, decided_on=TODAY, decided_by="Giám đốc")
    row = app.classification.extend(closing.id, 5, decided_on=TODAY, decided_by="Giám đốc")
    assert (row.new_expiry, row.notify_by) == ("2032-01-20", "2026-11-17")
    assert app.items.show(closing.id).expiry.expiry == date(2032, 1, 20)
    event = app.audit.events(action_prefix="item.extended")[-1]
    assert event.detail["before"] == {"expiry": "2027-01-20"}
    assert event.detail["after"] == {"expiry": "2032-01-20"}
    assert [w.item_id for w in app.classification.expiring()] == [passed.id]


def test_rule_7_warning_list_of_expiring_items_and_closing_windows(app: App) -> None:
    expired, _ = register(app, date(2016, 1, 10), symbol="1/CV")
    passed, _ = register(app, date(2016, 12, 15), symbol="2/BC")
    closing, _ = register(app, date(2017, 1, 20), symbol="3/KH")
    register(app, date(2020, 1, 1), symbol="4/TB")  # far from expiry
    register(app, date(2007, 6, 1), Level.TOI_MAT, symbol="5/TM")  # expires 2027-06-01
    warnings = app.classification.expiring()
    assert [w.item_id for w in warnings] == [expired.id, passed.id, closing.id]
    first, second, third = warnings
    assert first.expired and first.days_left < 0 and not first.extension_window_closing
    assert (second.expiry, second.days_left) == (date(2026, 12, 15), 43)
    assert not second.expired and not second.extension_window_closing
    assert third.extension_window_closing and third.extension_deadline == date(2026, 11, 21)
    assert third.register_number == closing.register_number and third.level is Level.MAT


def test_declassify_expired_moves_active_copies_only(app: App) -> None:
    expired, (issued, in_transit) = register(app, date(2016, 1, 10))
    current, (current_copy, _) = register(app, date(2020, 1, 1), symbol="4/TB")
    app.handovers.create("issue", [issued], recipient_person="Nguyễn Văn A")
    app.handovers.create("dispatch", [in_transit], recipient_body="Sở Nội vụ")
    done = app.classification.declassify_expired()
    assert [(d.record.item_id, d.record.kind, d.copies) for d in done] == [
        (expired.id, "expiry", (issued,))
    ]
    assert done[0].record.decided_on == "2026-01-10"
    assert state(app, issued) is CopyState.DECLASSIFIED
    assert state(app, in_transit) is CopyState.IN_TRANSIT
    assert state(app, current_copy) is CopyState.IN_STORAGE
    assert app.classification.declassify_expired() == []  # nothing twice
    assert app.classification.expiring() == []
    with pytest.raises(InvalidRequest, match="declassified"):
        app.classification.extend(expired.id, 1, decided_on=TODAY, decided_by="X")
    assert current.id != expired.id


def test_declassify_on_removal_from_the_list(app: App) -> None:
    item, (stored, issued, out, destroyed) = register(app, date(2026, 9, 1), copies=4)
    app.handovers.create("issue", [issued], recipient_person="Nguyễn Văn A")
    permit = app.permits.request(
        "take-out",
        [out],
        requester="Cán bộ B",
        purpose="Họp",
        place="Bộ",
        starts_at=datetime(2026, 11, 2, 9),
        ends_at=datetime(2026, 11, 2, 17),
        protection="Cặp có khóa",
    )
    app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    app.destruction.emergency([destroyed], "Hỏng do ngập nước, hủy ngay")
    result = app.classification.declassify(item.id, "list_removal", decided_by="Thủ tướng")
    assert result.record.kind == "list_removal" and not result.record.partial
    assert set(result.copies) == {stored, issued, out}
    for copy_id in (stored, issued, out):
        assert state(app, copy_id) is CopyState.DECLASSIFIED
    assert state(app, destroyed) is CopyState.DESTROYED
    with pytest.raises(InvalidRequest, match="declassified"):
        app.classification.declassify(item.id, "list_removal", decided_by="Thủ tướng")
    event = app.audit.events(action_prefix="item.declassified")[-1]
    assert event.detail["after"] == {"declassified": True} and len(event.detail["copies"]) == 3


def test_partial_declassification_leaves_copies_and_protection(app: App) -> None:
    item, (copy_id, _) = register(app, date(2026, 9, 1))
    with pytest.raises(InvalidRequest, match="which parts"):
        app.classification.declassify(item.id, "list_removal", partial=True)
    result = app.classification.declassify(
        item.id, "list_removal", partial=True, scope="Phụ lục 2", decided_by="Thủ tướng"
    )
    assert result.record.partial and result.record.scope == "Phụ lục 2" and result.copies == ()
    assert state(app, copy_id) is CopyState.IN_STORAGE
    change = app.classification.change_level(
        item.id, Level.TOI_MAT, decided_on=TODAY, decided_by="Người xác định"
    )
    assert change.new_level is Level.TOI_MAT  # the rest is still protected


def test_council_declassification_needs_a_covering_approver_not_the_recorder(app: App) -> None:
    item, (copy_id, _) = register(app, date(2026, 9, 1), Level.TOI_MAT)
    with pytest.raises(InvalidRequest, match="approver"):
        app.classification.declassify(item.id, "council")
    office = app.users.countersign("office", "office passphrase 1")
    with pytest.raises(ApprovalRefused, match="does not cover"):
        app.classification.declassify(item.id, "council", approver=office)
    same_person = Actor(99, "admin", "", Role.APPROVER, Level.TUYET_MAT)
    with pytest.raises(ApprovalRefused, match="own request"):
        app.classification.declassify(item.id, "council", approver=same_person)
    assert state(app, copy_id) is CopyState.IN_STORAGE
    result = app.classification.declassify(
        item.id, "council", approver=app.users.countersign("head", HEAD_PASS)
    )
    assert result.record.decided_by == "Trần Văn Thủ Trưởng"
    assert state(app, copy_id) is CopyState.DECLASSIFIED


def test_a_level_change_rebuilds_the_search_text(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        registered = item(app, extra_search=("hầm chỉ huy Núi Ấn",))
        assert app.items.search("ham chi huy")
        app.classification.change_level(
            registered.id, Level.TUYET_MAT, decided_on=date(2026, 10, 5), decided_by="Giám đốc"
        )
        assert app.items.search("ham chi huy") == []
        assert [i.id for i in app.items.search("tuyet mat")] == [registered.id]
