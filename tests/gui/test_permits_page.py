"""The permits page and dialogs on a real vault: a take-out request with every field ND26 Art. 5
asks, refusals next to their field with nothing changed, countersigned approval (the copies go
out), closing with the report (they come back), a provision request, permits due back first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.permits import ClosePermitDialog, PermitRequestDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.permits_page import PermitsPage
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    call,
    day_session,
    day_vault,
    refuse,
    submit,
)

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def register(qtbot: Any, runner: TaskRunner, session: Session, copies: int = 3) -> Any:
    items = session.app.items
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.MAT,
        number_symbol="15/QĐ-BCA",
        doc_date=date(2026, 10, 30),
        copies=copies,
    )
    return call(qtbot, runner, lambda: items.register(registration))


def states(qtbot: Any, runner: TaskRunner, session: Session, item: Any) -> list[CopyState]:
    items = session.app.items
    return [copy.state for copy in call(qtbot, runner, lambda: items.copies(item.id))]


def open_page(qtbot: Any, runner: TaskRunner, session: Session) -> PermitsPage:
    page = PermitsPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page


def test_take_out_request_approve_and_close(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    page = open_page(qtbot, runner, session)
    page.request_button.click()
    dialog = page.dialog
    assert isinstance(dialog, PermitRequestDialog)
    qtbot.addWidget(dialog)
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 3, timeout=5000)
    assert refuse(qtbot, dialog)[0] == "copies"
    assert dialog.picker.pick(item.number, 1)
    assert refuse(qtbot, dialog)[0] == "requester"
    dialog.requester.setText("Nguyễn Văn An")
    dialog.requester_position.setText("Chuyên viên")
    assert refuse(qtbot, dialog)[0] == "purpose"
    dialog.purpose.setText("Họp tại UBND tỉnh")
    field, message = refuse(qtbot, dialog)
    assert field == "place" and "Luật" in message  # the basis is cited
    dialog.place.setText("UBND tỉnh Quảng Ngãi")
    assert refuse(qtbot, dialog)[0] == "ends_at"
    dialog.ends_at.setText("01/11/2026 08:00")  # before it goes out
    assert refuse(qtbot, dialog)[0] == "ends_at"
    dialog.ends_at.setText("03/11/2026 17:00")
    assert refuse(qtbot, dialog)[0] == "protection"
    dialog.abroad.setChecked(True)
    dialog.protection.setText("Cặp có khóa, luôn mang theo người")
    assert refuse(qtbot, dialog)[0] == "delegation_head"
    permits = session.app.permits
    assert call(qtbot, runner, lambda: permits.list()) == []  # nothing changed
    dialog.abroad.setChecked(False)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        permit = submit(qtbot, dialog)
    assert (permit.kind, permit.status, permit.requester) == (
        "take-out",
        "requested",
        "Nguyễn Văn An",
    )

    # Approved with the countersignature: the copy goes out with the requester.
    page.select_permit(permit.id)
    page.approve_button.click()
    countersign = page.dialog
    assert isinstance(countersign, CountersignDialog)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    assert countersign.facts["Độ mật:"] == "Mật"
    assert "Bản số 1" in countersign.facts["Các bản:"]
    countersign.choose(APPROVER)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert submit(qtbot, countersign).status == "approved"
    assert states(qtbot, runner, session, item)[0] is CopyState.OUT_OF_STORAGE

    # Closed with the report of return: the report is required, then the copy is back.
    page.select_permit(permit.id)
    page.close_button.click()
    closing = page.dialog
    assert isinstance(closing, ClosePermitDialog)
    qtbot.addWidget(closing)
    assert refuse(qtbot, closing)[0] == "report"
    assert states(qtbot, runner, session, item)[0] is CopyState.OUT_OF_STORAGE
    closing.report.setPlainText("Đã sử dụng tại cuộc họp, mang về đủ.")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert submit(qtbot, closing).status == "closed"
    assert states(qtbot, runner, session, item)[0] is CopyState.IN_STORAGE


def test_provision_request_and_due_back_first(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    app = session.app
    copies = call(qtbot, runner, lambda: app.items.copies(item.id))
    now = app.ctx.clock.now().astimezone()

    def take_out(copy_id: int, hours: int) -> Any:
        return app.permits.request(
            "take-out",
            [copy_id],
            requester="Trần Văn Bình",
            purpose="Họp",
            place="UBND tỉnh",
            starts_at=now,
            ends_at=now + timedelta(hours=hours),
            protection="Cặp có khóa",
        )

    later = call(qtbot, runner, lambda: take_out(copies[0].id, 48))
    sooner = call(qtbot, runner, lambda: take_out(copies[1].id, 4))
    approver = call(qtbot, runner, lambda: app.users.countersign(APPROVER, APPROVER_PASSPHRASE))
    for permit in (later, sooner):
        call(qtbot, runner, lambda p=permit: app.permits.approve(p.id, approver))
    page = open_page(qtbot, runner, session)

    page.request_button.click()
    dialog = page.dialog
    assert isinstance(dialog, PermitRequestDialog)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("provision"))
    assert not dialog.place.isEnabled() and dialog.requesting_body.isEnabled()
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 3, timeout=5000)
    dialog.picker.pick(item.number, 3)
    dialog.requester.setText("Lê Thị Cúc")
    dialog.purpose.setText("Phục vụ thanh tra")
    assert refuse(qtbot, dialog)[0] == "requesting_body"
    dialog.requesting_body.setText("Thanh tra tỉnh")
    assert refuse(qtbot, dialog)[0] == "commitment"
    dialog.commitment.setText("Cam kết bảo vệ theo quy định")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        provision = submit(qtbot, dialog)
    assert provision.kind == "provision" and provision.requesting_body == "Thanh tra tỉnh"
    # Due back first, the soonest first; then the one waiting for approval.
    assert page.shown_order() == [sooner.id, later.id, provision.id]
