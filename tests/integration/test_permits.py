"""Take-out permits and provision to another body on a real vault (DOMAIN.md §4, §5; rules 1, 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from secretdesk.app import App
from secretdesk.domain.custody import CopyState
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, ApprovalRefused, NotPermitted, Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage import items
from tests.helpers import new_app

HEAD_PASS = "head passphrase 2026"
DEPUTY_PASS = "deputy passphrase 2026"
OUT: dict[str, Any] = {
    "requester": "Nguyễn Văn Cán Bộ",
    "purpose": "Báo cáo tại cuộc họp giao ban",
    "place": "Trụ sở UBND tỉnh, phòng họp 2",
    "starts_at": datetime(2026, 11, 2, 9, 0),
    "ends_at": datetime(2026, 11, 2, 17, 0),
    "protection": "Cặp có khóa, mang theo người, không để trên xe",
}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add(
        "head", Role.APPROVER, HEAD_PASS, full_name="Trần Văn Thủ Trưởng", max_level=Level.TUYET_MAT
    )
    opened.users.add(
        "deputy",
        Role.APPROVER,
        DEPUTY_PASS,
        full_name="Lê Thị Phó",
        max_level=Level.MAT,
        approver=opened.users.countersign("head", HEAD_PASS),
    )
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def register(app: App, level: Level = Level.MAT, copies: int = 2, symbol: str = "12/QĐ-UBND"):
    item = app.items.register(
        Registration(Direction.INCOMING, level, symbol, date(2026, 10, 1), copies)
    )
    return item, [c.id for c in app.items.show(item.id).copies]


def state(app: App, copy_id: int) -> tuple[CopyState, str]:
    copy = items.get_copy(app.vault.connection, copy_id)
    assert copy is not None
    return copy.state, copy.holder


def actions(app: App, prefix: str) -> list[str]:
    return [e.action for e in app.audit.events(limit=500, action_prefix=prefix)]


def test_take_out_approved_moves_copies_out_and_closing_brings_them_back(app: App) -> None:
    _, (first, second) = register(app)
    permit = app.permits.request("take-out", [first, second], **OUT)
    assert permit.status == "requested" and permit.copy_ids == (first, second)
    assert state(app, first) == (CopyState.IN_STORAGE, "Kho lưu trữ")

    approved = app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    assert approved.status == "approved" and approved.approved_by == "head"
    assert state(app, first) == (CopyState.OUT_OF_STORAGE, OUT["requester"])
    event = app.audit.events(action_prefix="permit.approved")[-1]
    assert event.detail["before"] == {"status": "requested"}
    assert event.detail["copies"][0]["after"]["state"] == "out_of_storage"

    closed = app.permits.close(permit.id, "Đã sử dụng tại cuộc họp, không sao chụp.")
    assert closed.status == "closed" and closed.closing_report
    assert state(app, first) == (CopyState.IN_STORAGE, "Kho lưu trữ")
    assert state(app, second)[0] is CopyState.IN_STORAGE
    assert actions(app, "permit.") == ["permit.requested", "permit.approved", "permit.closed"]


def test_take_out_request_needs_place_window_and_protection(app: App) -> None:
    _, (first, _second) = register(app)
    for missing in ("place", "protection"):
        with pytest.raises(InvalidRequest):
            app.permits.request("take-out", [first], **{**OUT, missing: ""})
    with pytest.raises(InvalidRequest):
        app.permits.request("take-out", [first], **{**OUT, "ends_at": None})
    with pytest.raises(InvalidRequest, match="come back after"):
        app.permits.request("take-out", [first], **{**OUT, "ends_at": OUT["starts_at"]})
    with pytest.raises(InvalidRequest, match="listed twice"):
        app.permits.request("take-out", [first, first], **OUT)
    with pytest.raises(InvalidRequest, match="Unknown kind"):
        app.permits.request("borrow", [first], **OUT)
    assert app.permits.list() == []


def test_provision_approval_records_the_decision_and_hands_nothing_over(app: App) -> None:
    _, (first, _second) = register(app)
    with pytest.raises(InvalidRequest, match="commit"):
        app.permits.request(
            "provision",
            [first],
            requester="Phạm Văn Đại Diện",
            purpose="Điều tra",
            requesting_body="Công an tỉnh Quảng Ngãi",
        )
    permit = app.permits.request(
        "provision",
        [first],
        requester="Phạm Văn Đại Diện",
        purpose="Phục vụ điều tra vụ án",
        requesting_body="Công an tỉnh Quảng Ngãi",
        commitment="Cam kết bảo vệ theo quy định của Luật Bảo vệ bí mật nhà nước",
    )
    approved = app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    assert approved.status == "approved"
    assert state(app, first) == (CopyState.IN_STORAGE, "Kho lưu trữ")
    # the clerk then makes the dispatch handover
    app.handovers.create("dispatch", [first], recipient_body="Công an tỉnh Quảng Ngãi")
    assert state(app, first)[0] is CopyState.IN_TRANSIT


def test_rule_3_approver_level_must_cover_the_highest_copy(app: App) -> None:
    _, (mat_copy, _) = register(app, Level.MAT)
    _, (toi_mat_copy, _) = register(app, Level.TOI_MAT, symbol="7/BC-CA")
    permit = app.permits.request("take-out", [mat_copy, toi_mat_copy], **OUT)
    with pytest.raises(ApprovalRefused, match="does not cover"):
        app.permits.approve(permit.id, app.users.countersign("deputy", DEPUTY_PASS))
    assert app.permits.get(permit.id).status == "requested"
    assert state(app, toi_mat_copy)[0] is CopyState.IN_STORAGE
    assert app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS)).approved_by


def test_rule_3_self_approval_and_non_approvers_are_refused(app: App) -> None:
    _, (first, _) = register(app)
    permit = app.permits.request("take-out", [first], **OUT)
    assert permit.recorded_by == "admin"
    same_person = Actor(99, "admin", "Lê Văn Quản Trị", Role.APPROVER, Level.TUYET_MAT)
    with pytest.raises(ApprovalRefused, match="own request"):
        app.permits.approve(permit.id, same_person)
    with pytest.raises(NotPermitted):
        app.permits.refuse(permit.id, app.actor)  # the administrator is no approver
    assert app.permits.get(permit.id).status == "requested"


def test_refusal_is_recorded_and_final(app: App) -> None:
    _, (first, _) = register(app)
    permit = app.permits.request("take-out", [first], **OUT)
    refused = app.permits.refuse(permit.id, app.users.countersign("head", HEAD_PASS))
    assert refused.status == "refused" and refused.approved_by == "head"
    with pytest.raises(InvalidRequest, match="already refused"):
        app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    assert state(app, first)[0] is CopyState.IN_STORAGE
    event = app.audit.events(action_prefix="permit.refused")[-1]
    assert event.detail["after"] == {"status": "refused"}
    # a refused permit no longer holds the copy
    assert app.permits.request("take-out", [first], **OUT).status == "requested"


def test_rule_1_copies_out_of_storage_or_pending_cannot_go_out_again(app: App) -> None:
    _, (first, second) = register(app)
    pending = app.permits.request("take-out", [second], **OUT)
    with pytest.raises(InvalidRequest, match="already on permit"):
        app.permits.request("take-out", [second], **OUT)
    permit = app.permits.request("take-out", [first], **OUT)
    app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    app.permits.close(permit.id, "Đã trả")
    again = app.permits.request("take-out", [first], **OUT)
    app.permits.approve(again.id, app.users.countersign("head", HEAD_PASS))
    with pytest.raises(CustodyRefused):  # out of storage: cannot be handed over
        app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    with pytest.raises(CustodyRefused):
        app.permits.request(
            "provision",
            [first],
            requester="A",
            purpose="B",
            requesting_body="Sở Nội vụ",
            commitment="Cam kết",
        )
    assert app.permits.get(pending.id).status == "requested"


def test_overdue_take_outs_and_permit_document(app: App) -> None:
    _, (first, second) = register(app, Level.TOI_MAT)
    early = app.permits.request(
        "take-out",
        [first],
        **{
            **OUT,
            "starts_at": datetime(2026, 10, 30, 8, 0),
            "ends_at": datetime(2026, 10, 31, 17, 0),
        },
    )
    later = app.permits.request(
        "take-out", [second], **{**OUT, "ends_at": datetime(2026, 11, 20, 17, 0)}
    )
    for permit in (early, later):
        app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    assert [p.id for p in app.permits.overdue()] == [early.id]
    document = app.permits.document(later.id)
    assert document.level is Level.TOI_MAT
    assert [line.copy_labels for line in document.lines] == [("Bản số 2",)]
    assert document.permit.ends_at == "2026-11-20T17:00"


def provision(app: App, copy_ids: list[int], requester: str = "Phạm Văn Đại Diện") -> Any:
    return app.permits.request(
        "provision",
        copy_ids,
        requester=requester,
        purpose="Phục vụ thanh tra",
        requesting_body="Thanh tra tỉnh",
        commitment="Cam kết bảo vệ theo quy định",
    )


def test_rule_3_the_requester_cannot_approve_their_own_take_out(app: App) -> None:
    # review p7: only the recording clerk was compared, never the person asking
    _, (first, second) = register(app, Level.TOI_MAT)
    by_name = app.permits.request("take-out", [first], **{**OUT, "requester": "HEAD"})
    with pytest.raises(ApprovalRefused, match="own request"):
        app.permits.approve(by_name.id, app.users.countersign("head", HEAD_PASS))
    # the full name, folded: no case, accents or extra spaces make it someone else
    by_full_name = app.permits.request(
        "take-out", [second], **{**OUT, "requester": "tran van  THU TRUONG"}
    )
    with pytest.raises(ApprovalRefused, match="own request"):
        app.permits.approve(by_full_name.id, app.users.countersign("head", HEAD_PASS))
    with pytest.raises(ApprovalRefused, match="own request"):
        app.permits.refuse(by_full_name.id, app.users.countersign("head", HEAD_PASS))
    assert state(app, first)[0] is CopyState.IN_STORAGE
    assert state(app, second)[0] is CopyState.IN_STORAGE
    assert {app.permits.get(p.id).status for p in (by_name, by_full_name)} == {"requested"}
    assert actions(app, "permit.") == ["permit.requested", "permit.requested"]
    # a provision whose representative is the approver is refused the same way
    _, (third, _) = register(app, symbol="8/BC")
    own = provision(app, [third], requester="Trần Văn Thủ Trưởng")
    with pytest.raises(ApprovalRefused, match="own request"):
        app.permits.approve(own.id, app.users.countersign("head", HEAD_PASS))


def test_rule_6_an_unopened_named_envelope_goes_out_only_to_the_named_person(app: App) -> None:
    # review p8: a take-out permit handed a sealed envelope to anyone
    envelope = app.items.register(
        Registration(
            Direction.INCOMING,
            Level.TOI_MAT,
            "5/TB-BCA",
            date(2026, 10, 1),
            1,
            named_addressee="Trần Văn Thủ Trưởng",
        )
    )
    [copy_id] = [c.id for c in app.items.show(envelope.id).copies]
    with pytest.raises(InvalidRequest, match="unopened envelope"):
        app.permits.request("take-out", [copy_id], **OUT)
    with pytest.raises(InvalidRequest, match="unopened envelope"):
        provision(app, [copy_id])
    assert app.permits.list() == []
    # the named person may take it out (folded comparison); the approver is someone else
    app.users.add(
        "deputy2",
        Role.APPROVER,
        "deputy two passphrase",
        max_level=Level.TOI_MAT,
        approver=app.users.countersign("head", HEAD_PASS),
    )
    own = app.permits.request("take-out", [copy_id], **{**OUT, "requester": "TRAN VAN THU TRUONG"})
    app.permits.approve(own.id, app.users.countersign("deputy2", "deputy two passphrase"))
    assert state(app, copy_id) == (CopyState.OUT_OF_STORAGE, "TRAN VAN THU TRUONG")
    app.permits.close(own.id, "Đã dùng, chưa bóc bì")
    # once that person has opened it, it is an ordinary copy
    app.items.confirm_opened(envelope.id, "Trần Văn Thủ Trưởng")
    assert app.permits.request("take-out", [copy_id], **OUT).status == "requested"


def test_an_approved_provision_is_closed_by_a_report_and_frees_its_copies(app: App) -> None:
    # review p18: an approved provision could never be closed and held its copies forever
    _, (first, second) = register(app)
    permit = provision(app, [first, second])
    with pytest.raises(InvalidRequest, match="not approved"):
        app.permits.close(permit.id, "Chưa duyệt")
    app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
    handover = app.handovers.create("dispatch", [first], recipient_body="Thanh tra tỉnh")
    with pytest.raises(CustodyRefused):  # while it is away, custody refuses it
        app.permits.request("take-out", [first], **OUT)
    app.handovers.recall_back(handover.year, handover.number)
    assert state(app, first)[0] is CopyState.IN_STORAGE
    # the approved provision no longer holds the copies: a new permit may list them
    later = app.permits.request("take-out", [first, second], **OUT)
    assert later.status == "requested"
    closed = app.permits.close(permit.id, "Đã cung cấp bản số 1; bản số 2 không cần nữa")
    assert closed.status == "closed" and (closed.closing_report or "").startswith("Đã cung cấp")
    assert state(app, first)[0] is CopyState.IN_STORAGE  # closing moves nothing
    assert state(app, second)[0] is CopyState.IN_STORAGE
    event = app.audit.events(action_prefix="permit.closed")[-1].detail
    assert event["kind"] == "provision" and event["copies"] == []
    assert event["before"] == {"status": "approved"} and event["after"] == {"status": "closed"}
    with pytest.raises(InvalidRequest, match="closed, not approved"):
        app.permits.close(permit.id, "Lần nữa")
