"""The destruction dialogs and page on a real vault: each refusal shown next to the field it
concerns, in Vietnamese, with nothing changed; emergency destruction with its report; the list
by status with the cases waiting for a decision first; a council member sees no write button."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.destruction import (
    DecisionCountersignDialog,
    EmergencyDestructionDialog,
    ProposeDestructionDialog,
    RecordDestructionDialog,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.destruction_page import DestructionPage
from secretdesk.gui.write import VaultEvents
from secretdesk.services.destruction import CouncilSeat
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    COUNCIL,
    LOW_APPROVER,
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


def register(qtbot: Any, runner: TaskRunner, session: Session, copies: int = 3) -> Any:
    items = session.app.items
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.TOI_MAT,
        number_symbol="15/QĐ-BCA",
        doc_date=date(2026, 10, 30),
        copies=copies,
    )
    return call(qtbot, runner, lambda: items.register(registration))


def shown(dialog: Any, field: str) -> str:
    error = dialog.field_errors[field]
    assert not error.isHidden(), field
    return str(error.text())


def cases(qtbot: Any, runner: TaskRunner, session: Session) -> list[Any]:
    service = session.app.destruction
    return list(call(qtbot, runner, lambda: service.list()))


def found(qtbot: Any, dialog: Any, item: Any) -> None:
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() > 0, timeout=5000)


def test_propose_refusals_sit_next_to_their_field(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    dialog = ProposeDestructionDialog(runner, session, VaultEvents())
    qtbot.addWidget(dialog)
    dialog.show()
    assert refuse(qtbot, dialog) == ("copies", "Hãy đánh dấu ít nhất một bản.")
    found(qtbot, dialog, item)
    assert dialog.picker.pick(item.number, 1)
    # The council: the default rows are blank; one name without a chair is not a council.
    dialog.council.set_seat(1, "Trần Thị Văn Thư", "holder")
    field, message = refuse(qtbot, dialog)
    assert field == "council" and "chủ tịch" in message
    dialog.council.set_seat(0, "Trần Thị Văn Thư", "chair")
    assert refuse(qtbot, dialog)[0] == "council"  # the same person twice
    dialog.council.set_seat(0, "Nguyễn Văn Chủ Tịch", "chair", "Phó Giám đốc")
    field, message = refuse(qtbot, dialog)
    assert field == "grounds" and "lý do" in message.lower()
    assert cases(qtbot, runner, session) == []  # nothing changed
    dialog.grounds.setPlainText("Hết giá trị sử dụng")
    case = submit(qtbot, dialog)
    assert case.status == "proposed" and len(case.council) == 2

    # The same copy cannot be proposed twice.
    again = ProposeDestructionDialog(runner, session, VaultEvents())
    qtbot.addWidget(again)
    found(qtbot, again, item)
    again.picker.pick(item.number, 1)
    again.grounds.setPlainText("Hết giá trị")
    again.council.set_seat(0, "Nguyễn Văn Chủ Tịch", "chair")
    again.council.set_seat(1, "Trần Thị Văn Thư", "holder")
    field, message = refuse(qtbot, again)
    assert field == "copies" and "1/2026" in message
    assert len(cases(qtbot, runner, session)) == 1


def test_approval_and_record_refusals(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    app = session.app
    copies = call(qtbot, runner, lambda: app.items.copies(item.id))
    case = call(
        qtbot,
        runner,
        lambda: app.destruction.propose([copies[0].id], "Hết giá trị sử dụng", SEATS),
    )
    events = VaultEvents()
    page = DestructionPage(runner, session, events)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.select_case(case.id)
    assert page.approve_button.isEnabled() and not page.record_button.isEnabled()
    page.countersign(refuse=False)
    dialog = page.dialog
    assert isinstance(dialog, DecisionCountersignDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.approver.count() > 0, timeout=5000)
    dialog.choose(APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    assert refuse(qtbot, dialog)[0] == "decision_ref"  # the decision's reference is required
    dialog.decision_ref.setText("45/QĐ-STP")
    dialog.passphrase.setText("sai mật khẩu")
    assert refuse(qtbot, dialog)[0] == "passphrase"
    # An approver whose authority stops at Mật may not decide on a Tối mật copy.
    dialog.choose(LOW_APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    assert refuse(qtbot, dialog)[0] == "approver"
    assert call(qtbot, runner, lambda: app.destruction.get(case.id)).status == "proposed"
    dialog.choose(APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert submit(qtbot, dialog).status == "approved"

    page.select_case(case.id)
    assert page.record_button.isEnabled()
    page.record()
    record = page.dialog
    assert isinstance(record, RecordDestructionDialog)
    qtbot.addWidget(record)
    record.method.setText("Đốt trong lò")
    assert refuse(qtbot, record)[0] == "place"
    record.place.setText("Phòng văn thư")
    record.method.setText("")
    assert refuse(qtbot, record)[0] == "method"
    record.method.setText("Đốt trong lò")
    record.at.setText("02/11/2027 09:00")
    field, message = refuse(qtbot, record)
    assert field == "at" and "chưa tới" in message
    record.at.setText("hôm nay")
    assert refuse(qtbot, record)[0] == "at"
    assert call(qtbot, runner, lambda: app.items.copies(item.id))[0].state is CopyState.IN_STORAGE


def test_refuse_a_proposal_with_the_countersignature(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session, copies=1)
    app = session.app
    copies = call(qtbot, runner, lambda: app.items.copies(item.id))
    case = call(qtbot, runner, lambda: app.destruction.propose([copies[0].id], "Hết hạn", SEATS))
    page = DestructionPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.select_case(case.id)
    page.countersign(refuse=True)
    dialog = page.dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.approver.count() > 0, timeout=5000)  # type: ignore[union-attr]
    assert dialog.facts["Hồ sơ tiêu hủy:"] == "1/2026"  # type: ignore[union-attr]
    dialog.choose(APPROVER)  # type: ignore[union-attr]
    dialog.passphrase.setText(APPROVER_PASSPHRASE)  # type: ignore[union-attr]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        assert submit(qtbot, dialog).status == "refused"  # type: ignore[arg-type]
    assert page.model.line_at(0).case.status == "refused"
    # The list by status: only refused cases.
    page.status_filter.setCurrentIndex(page.status_filter.findData("proposed"))
    assert page.table.isRowHidden(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("refused"))
    assert not page.table.isRowHidden(0)


def test_emergency_destruction_needs_its_report(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session, copies=2)
    app = session.app
    dialog = EmergencyDestructionDialog(runner, session, VaultEvents())
    qtbot.addWidget(dialog)
    dialog.show()
    found(qtbot, dialog, item)
    assert dialog.picker.pick(item.number, 2)
    dialog.method.setText("Đốt")
    field, message = refuse(qtbot, dialog)
    assert field == "report" and "báo cáo" in message
    assert call(qtbot, runner, lambda: app.items.copies(item.id))[1].state is CopyState.IN_STORAGE
    dialog.report.setPlainText("Có nguy cơ bị lộ khi di chuyển, phải tiêu hủy ngay.")
    case = submit(qtbot, dialog)
    assert case.emergency and case.status == "done"
    states = [c.state for c in call(qtbot, runner, lambda: app.items.copies(item.id))]
    assert states == [CopyState.IN_STORAGE, CopyState.DESTROYED]


def test_a_council_member_sees_no_write_button(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session(COUNCIL, APPROVER_PASSPHRASE)
    page = DestructionPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.propose_button.isHidden() and page.emergency_button.isHidden()
    assert not page.minutes_button.isHidden()
