"""Destruction cases on a real vault: proposal, council, decision, the act, minutes, emergency.

DOMAIN.md §4 and §5; rule 1 (what cannot be destroyed), rule 3 (who may decide), rule 4
(destruction register numbers).
"""

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
from secretdesk.domain.roles import Actor, ApprovalRefused, Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage import items
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.system.clock import FixedClock
from tests.helpers import new_app

HEAD_PASS = "head passphrase 2026"
COUNCIL = [
    CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
    CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
    CouncilSeat("Phạm Văn Đại Diện", "member", "Trưởng phòng Tổ chức"),
]
WHEN = datetime(2026, 11, 2, 14, 0)
METHOD = "Nghiền nát bằng máy hủy tài liệu, sau đó đốt"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    # the council meets and acts at WHEN: the clock stands there (local wall-clock time)
    opened, _ = new_app(tmp_path / "v", FixedClock(WHEN.astimezone()))
    opened.users.add(
        "head", Role.APPROVER, HEAD_PASS, full_name="Trần Văn Thủ Trưởng", max_level=Level.TUYET_MAT
    )
    head = opened.users.countersign("head", HEAD_PASS)
    opened.users.add(
        "secret", Role.APPROVER, "secret passphrase 1", max_level=Level.TOI_MAT, approver=head
    )
    opened.users.add(
        "office", Role.APPROVER, "office passphrase 1", max_level=Level.MAT, approver=head
    )
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def register(app: App, level: Level = Level.MAT, copies: int = 2, symbol: str = "12/QĐ-UBND"):
    item = app.items.register(
        Registration(Direction.INCOMING, level, symbol, date(2026, 10, 1), copies, pages=4)
    )
    return item, [c.id for c in app.items.show(item.id).copies]


def state(app: App, copy_id: int) -> CopyState:
    copy = items.get_copy(app.vault.connection, copy_id)
    assert copy is not None
    return copy.state


def head(app: App) -> Actor:
    return app.users.countersign("head", HEAD_PASS)


def test_propose_approve_record_and_minutes(app: App) -> None:
    item, (first, second) = register(app, Level.TOI_MAT)
    case = app.destruction.propose([first, second], "Hết giá trị sử dụng", COUNCIL)
    assert (case.number, case.year, case.status) == (1, 2026, "proposed")
    assert [s.role for s in case.council] == ["chair", "holder", "member"]
    assert state(app, first) is CopyState.IN_STORAGE

    approved = app.destruction.approve(case.id, head(app), "Quyết định số 45/QĐ-STP")
    assert approved.status == "approved" and approved.decision_ref == "Quyết định số 45/QĐ-STP"
    with pytest.raises(InvalidRequest, match="not been carried out"):
        app.destruction.minutes(case.id)

    done = app.destruction.record(case.id, at=WHEN, place="Phòng văn thư", method=METHOD)
    assert done.status == "done" and done.destroyed_at == "2026-11-02T14:00"
    assert state(app, first) is CopyState.DESTROYED and state(app, second) is CopyState.DESTROYED

    minutes = app.destruction.minutes(case.id)
    assert minutes.register_number == "1/2026" and minutes.decision_ref.startswith("Quyết định")
    assert minutes.destroyed_at == WHEN and minutes.method == METHOD
    assert minutes.place == "Phòng văn thư" and minutes.council == tuple(COUNCIL)
    assert [(c.copy_label, c.number_symbol, c.level, c.pages) for c in minutes.copies] == [
        ("Bản số 1", "12/QĐ-UBND", Level.TOI_MAT, 4),
        ("Bản số 2", "12/QĐ-UBND", Level.TOI_MAT, 4),
    ]
    assert minutes.copies[0].register_number == item.register_number
    recorded = app.audit.events(action_prefix="destruction.recorded")[-1].detail
    assert recorded["before"] == {"status": "approved"}
    assert {c["after"]["state"] for c in recorded["copies"]} == {"destroyed"}
    history = items.custody_history(app.vault.connection, first)
    assert history[-1]["action"] == "destroy" and history[-1]["reference"] == "destruction 1/2026"


def test_council_needs_one_chair_and_another_member(app: App) -> None:
    _, (first, _) = register(app)
    chair = CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc")
    member = CouncilSeat("Phạm Văn Đại Diện", "member")
    for council in (
        [chair],
        [member, CouncilSeat("Lê Văn B", "holder")],
        [chair, CouncilSeat("Lê Văn B", "chair")],
        [chair, CouncilSeat("Lê Văn B", "secretary")],
        [chair, CouncilSeat("  ", "member")],
        [chair, CouncilSeat("tran van thu truong", "member")],
    ):
        with pytest.raises(InvalidRequest):
            app.destruction.propose([first], "Hết giá trị", council)
    with pytest.raises(InvalidRequest, match="grounds"):
        app.destruction.propose([first], "  ", [chair, member])
    assert app.destruction.list() == []
    assert app.destruction.propose([first], "Hết giá trị", [chair, member]).number == 1


def test_rule_3_and_section_5_who_may_decide(app: App) -> None:
    _, (mat_copy, _) = register(app, Level.MAT)
    _, (top_copy, _) = register(app, Level.TUYET_MAT, symbol="3/TM")
    small = app.destruction.propose([mat_copy], "Hết giá trị", COUNCIL)
    # authority for Mật only: may approve copying of Mật, not destruction at all (§5)
    office = app.users.countersign("office", "office passphrase 1")
    with pytest.raises(ApprovalRefused, match="Tuyệt mật or Tối mật"):
        app.destruction.approve(small.id, office, "QĐ 1")
    top = app.destruction.propose([top_copy], "Hết giá trị", COUNCIL)
    secret = app.users.countersign("secret", "secret passphrase 1")
    with pytest.raises(ApprovalRefused, match="does not cover"):
        app.destruction.approve(top.id, secret, "QĐ 2")
    same_person = Actor(99, "admin", "", Role.APPROVER, Level.TUYET_MAT)
    with pytest.raises(ApprovalRefused, match="own request"):
        app.destruction.approve(small.id, same_person, "QĐ 3")
    assert app.destruction.get(small.id).status == "proposed"
    assert app.destruction.approve(small.id, secret, "QĐ 4").status == "approved"
    refused = app.destruction.refuse(top.id, head(app))
    assert refused.status == "refused"
    with pytest.raises(InvalidRequest):
        app.destruction.record(top.id, at=WHEN, place="Kho", method=METHOD)
    assert state(app, top_copy) is CopyState.IN_STORAGE


def test_rule_1_closed_or_absent_copies_cannot_be_proposed(app: App) -> None:
    _, (in_transit, lost) = register(app, copies=2)
    _, (out, emergency) = register(app, symbol="8/BC", copies=2)
    declassified_item, (declassified, _) = register(app, symbol="9/TB", copies=2)
    app.handovers.create("dispatch", [in_transit], recipient_body="Sở Nội vụ")
    app.incidents.report("loss", "Mất khi di chuyển", reported_to="Giám đốc", copy_id=lost)
    permit = app.permits.request(
        "take-out",
        [out],
        requester="Cán bộ A",
        purpose="Họp",
        place="UBND tỉnh",
        starts_at=datetime(2026, 11, 2, 9),
        ends_at=datetime(2026, 11, 2, 17),
        protection="Cặp có khóa",
    )
    app.permits.approve(permit.id, head(app))
    app.destruction.emergency([emergency], "Hỏa hoạn tại kho, phải hủy ngay")
    app.classification.declassify(declassified_item.id, "list_removal", decided_by="Thủ tướng")
    expected = {
        in_transit: CopyState.IN_TRANSIT,
        lost: CopyState.LOST_OR_LEAKED,
        out: CopyState.OUT_OF_STORAGE,
        emergency: CopyState.DESTROYED,
        declassified: CopyState.DECLASSIFIED,
    }
    for copy_id, copy_state in expected.items():
        assert state(app, copy_id) is copy_state
        with pytest.raises(CustodyRefused):
            app.destruction.propose([copy_id], "Hết giá trị", COUNCIL)
    assert app.destruction.list() == [app.destruction.find(2026, 1)]  # only the emergency


def test_rule_1_a_copy_on_an_open_handover_cannot_be_destroyed(app: App) -> None:
    _, (copy_id, _) = register(app)
    app.handovers.create("issue", [copy_id], recipient_person="Nguyễn Văn A")
    permit = app.permits.request(
        "take-out",
        [copy_id],
        requester="Nguyễn Văn A",
        purpose="Họp",
        place="Bộ",
        starts_at=datetime(2026, 11, 2, 9),
        ends_at=datetime(2026, 11, 2, 17),
        protection="Cặp có khóa",
    )
    app.permits.approve(permit.id, head(app))
    app.permits.close(permit.id, "Đã trả về kho")
    assert state(app, copy_id) is CopyState.IN_STORAGE
    assert items.on_open_handover(app.vault.connection, copy_id) is not None
    with pytest.raises(CustodyRefused):
        app.destruction.propose([copy_id], "Hết giá trị", COUNCIL)


def test_rule_1_is_checked_again_when_destroying(app: App) -> None:
    _, (first, second) = register(app)
    case = app.destruction.propose([first, second], "Hết giá trị", COUNCIL)
    with pytest.raises(InvalidRequest, match="already proposed"):
        app.destruction.propose([second], "Trùng", COUNCIL)
    app.destruction.approve(case.id, head(app), "QĐ 5")
    with pytest.raises(InvalidRequest, match="approved: it cannot leave storage"):
        app.handovers.create("dispatch", [second], recipient_body="Sở Nội vụ")
    app.incidents.report("loss", "Thất lạc", reported_to="Giám đốc", copy_id=second)  # gone
    with pytest.raises(CustodyRefused):
        app.destruction.record(case.id, at=WHEN, place="Kho", method=METHOD)
    # all or nothing: the first copy was not destroyed either
    assert state(app, first) is CopyState.IN_STORAGE
    assert app.destruction.get(case.id).status == "approved"


def test_the_act_needs_place_method_and_a_sensible_date(app: App) -> None:
    _, (first, _) = register(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    with pytest.raises(InvalidRequest):
        app.destruction.record(case.id, at=WHEN, place="Kho", method=METHOD)  # not approved
    app.destruction.approve(case.id, head(app), "QĐ 6")
    with pytest.raises(InvalidRequest, match="method"):
        app.destruction.record(case.id, at=WHEN, place="Kho", method=" ")
    with pytest.raises(InvalidRequest, match="future"):
        app.destruction.record(case.id, at=datetime(2026, 12, 1, 9), place="Kho", method=METHOD)
    with pytest.raises(InvalidRequest, match="before the decision"):
        app.destruction.record(case.id, at=datetime(2026, 10, 1, 9), place="Kho", method=METHOD)
    assert state(app, first) is CopyState.IN_STORAGE


def test_emergency_destruction_by_the_holder_is_reported_and_flagged(app: App) -> None:
    _, (issued, stored) = register(app, Level.TUYET_MAT)
    app.handovers.create("issue", [issued], recipient_person="Nguyễn Văn A")
    with pytest.raises(InvalidRequest, match="written report"):
        app.destruction.emergency([issued], "  ")
    case = app.destruction.emergency(
        [issued, stored],
        "Đơn vị bị tấn công, người giữ đã hủy ngay để tránh bị lộ",
        place="Trụ sở",
        method="Đốt",
    )
    assert case.emergency and case.status == "done" and case.label == "1/2026"
    assert state(app, issued) is CopyState.DESTROYED and state(app, stored) is CopyState.DESTROYED
    assert [c.id for c in app.destruction.emergencies()] == [case.id]
    event = app.audit.events(action_prefix="destruction.emergency")[-1]
    assert event.detail["flagged_for_head"] is True
    assert event.detail["copies"][0]["before"]["state"] == "issued"
    with pytest.raises(CustodyRefused):
        app.destruction.emergency([stored], "Lần nữa")
    assert app.destruction.minutes(case.id).report.startswith("Đơn vị bị tấn công")


def test_destruction_register_numbers_are_gap_free(app: App) -> None:
    _, copies = register(app, copies=3)
    first = app.destruction.propose([copies[0]], "Hết giá trị", COUNCIL)
    second = app.destruction.propose([copies[1]], "Hết giá trị", COUNCIL)
    app.destruction.refuse(second.id, head(app))
    third = app.destruction.emergency([copies[2]], "Hỏa hoạn")
    assert [c.label for c in (first, second, third)] == ["1/2026", "2/2026", "3/2026"]
    assert app.destruction.find(2026, 2).status == "refused"


def test_rule_3_the_decision_is_checked_again_when_destroying(app: App) -> None:
    # review p3: a case approved while Tối mật was carried out after the item became Tuyệt mật
    item, (first, second) = register(app, Level.TOI_MAT)
    case = app.destruction.propose([first, second], "Hết giá trị", COUNCIL)
    secret = app.users.countersign("secret", "secret passphrase 1")
    app.destruction.approve(case.id, secret, "QĐ 7")
    app.classification.change_level(
        item.id, Level.TUYET_MAT, decided_on=date(2026, 11, 2), decided_by="Giám đốc Sở"
    )
    with pytest.raises(InvalidRequest, match=r"approved by secret.*Tuyệt mật.*approve the case"):
        app.destruction.record(case.id, at=WHEN, place="Kho", method=METHOD)
    assert state(app, first) is CopyState.IN_STORAGE and state(app, second) is CopyState.IN_STORAGE
    assert app.destruction.get(case.id).status == "approved"
    assert actions(app) == ["destruction.proposed", "destruction.approved"]
    # the same approver cannot approve it again; one who covers Tuyệt mật can
    with pytest.raises(ApprovalRefused, match="does not cover"):
        app.destruction.approve(case.id, secret, "QĐ 8")
    again = app.destruction.approve(case.id, head(app), "QĐ 9")
    assert (again.status, again.approved_by, again.decision_ref) == ("approved", "head", "QĐ 9")
    event = app.audit.events(action_prefix="destruction.approved")[-1].detail
    assert event["before"]["approved_by"] == "secret" and event["before"]["decision_ref"] == "QĐ 7"
    # a standing approval is not approved twice
    with pytest.raises(InvalidRequest, match="is approved"):
        app.destruction.approve(case.id, head(app), "QĐ 10")
    done = app.destruction.record(case.id, at=WHEN, place="Kho", method=METHOD)
    assert done.status == "done" and state(app, first) is CopyState.DESTROYED


def test_a_case_whose_approval_lapsed_may_be_refused(app: App) -> None:
    item, (first, _) = register(app, Level.TOI_MAT)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    app.destruction.approve(case.id, app.users.countersign("secret", "secret passphrase 1"), "QĐ")
    with pytest.raises(InvalidRequest, match="is approved"):  # the approval still stands
        app.destruction.refuse(case.id, head(app))
    app.classification.change_level(
        item.id, Level.TUYET_MAT, decided_on=date(2026, 11, 2), decided_by="Giám đốc Sở"
    )
    refused = app.destruction.refuse(case.id, head(app))
    assert refused.status == "refused" and state(app, first) is CopyState.IN_STORAGE
    assert (
        app.audit.events(action_prefix="destruction.refused")[-1].detail["before"]["status"]
        == "approved"
    )
    assert app.destruction.propose([first], "Hết giá trị", COUNCIL).status == "proposed"


def test_a_case_with_a_copy_destroyed_in_an_emergency_names_it_and_may_be_refused(
    app: App,
) -> None:
    # review p6: an emergency left a proposed or approved case stuck on a destroyed copy
    _, (first, second) = register(app)
    _, (third, fourth) = register(app, symbol="8/BC")
    proposed = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    approved = app.destruction.propose([third, fourth], "Hết giá trị", COUNCIL)
    app.destruction.approve(approved.id, head(app), "QĐ 11")
    emergency = app.destruction.emergency([first, second, third], "Hỏa hoạn tại kho")
    assert app.audit.events(action_prefix="destruction.emergency")[-1].detail["pending_cases"] == [
        proposed.label,
        approved.label,
    ]
    with pytest.raises(InvalidRequest, match=f"Bản số 1 of 12/QĐ-UBND.*{emergency.label}"):
        app.destruction.approve(proposed.id, head(app), "QĐ 12")
    with pytest.raises(InvalidRequest, match=f"Bản số 1 of 8/BC.*case {approved.label}"):
        app.destruction.record(approved.id, at=WHEN, place="Kho", method=METHOD)
    assert state(app, fourth) is CopyState.IN_STORAGE  # nothing else was destroyed
    assert app.destruction.refuse(proposed.id, head(app)).status == "refused"
    assert app.destruction.refuse(approved.id, head(app)).status == "refused"
    # the remaining copy can be proposed again
    assert app.destruction.propose([fourth], "Hết giá trị", COUNCIL).status == "proposed"


def actions(app: App) -> list[str]:
    return [e.action for e in app.audit.events(limit=500, action_prefix="destruction.")]
