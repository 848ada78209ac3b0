"""The Withdraw button of the destruction page (issue 17): the reason and the approver's
countersignature, refusals next to their field in Vietnamese, the case shown as withdrawn."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.withdraw_destruction import WithdrawDestructionDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.destruction_page import DestructionPage
from secretdesk.gui.write import VaultEvents
from secretdesk.services.destruction import CouncilSeat
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

SEATS = [
    CouncilSeat("Nguyễn Văn Chủ Tịch", "chair", "Phó Giám đốc"),
    CouncilSeat("Trần Thị Văn Thư", "holder", "Văn thư"),
]


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def approved_case(qtbot: Any, runner: TaskRunner, session: Session) -> Any:
    app = session.app
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.TOI_MAT,
        number_symbol="15/QĐ-BCA",
        doc_date=date(2026, 10, 30),
        copies=1,
    )
    item = call(qtbot, runner, lambda: app.items.register(registration))
    copies = call(qtbot, runner, lambda: app.items.copies(item.id))

    def propose_and_approve() -> Any:
        case = app.destruction.propose([copies[0].id], "Hết giá trị sử dụng", SEATS)
        approver = app.users.countersign(APPROVER, APPROVER_PASSPHRASE)
        return app.destruction.approve(case.id, approver, "45/QĐ-STP")

    return call(qtbot, runner, propose_and_approve)


def test_withdraw_an_approved_case_with_a_reason_and_a_countersignature(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    case = approved_case(qtbot, runner, session)
    page = DestructionPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.withdraw_button.text() == "Rút hồ sơ…"
    assert not page.withdraw_button.isEnabled()  # nothing chosen yet
    page.select_case(case.id)
    assert page.withdraw_button.isEnabled() and page.record_button.isEnabled()
    page.withdraw()
    dialog = page.dialog
    assert isinstance(dialog, WithdrawDestructionDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.approver.count() > 0, timeout=5000)
    assert dialog.ok_button.text() == "Rút hồ sơ"
    assert dialog.facts["Hồ sơ tiêu hủy:"] == case.label
    dialog.choose(APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    field, message = refuse(qtbot, dialog)
    assert field == "reason" and "lý do" in message
    dialog.reason.setText("Tài liệu còn giá trị sử dụng")
    dialog.passphrase.setText("sai mật khẩu")
    assert refuse(qtbot, dialog)[0] == "passphrase"
    assert call(qtbot, runner, lambda: session.app.destruction.get(case.id)).status == "approved"
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert submit(qtbot, dialog).status == "withdrawn"
    line = page.model.line_at(0)
    assert line.case.status == "withdrawn"
    status_cell = page.model.data(page.model.index(0, 3))
    assert status_cell == "Đã rút", status_cell
    page.select_case(case.id)
    assert not page.withdraw_button.isEnabled() and not page.record_button.isEnabled()
    assert not page.minutes_button.isEnabled()
    page.status_filter.setCurrentIndex(page.status_filter.findData("withdrawn"))
    assert not page.table.isRowHidden(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("approved"))
    assert page.table.isRowHidden(0)
