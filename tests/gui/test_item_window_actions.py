"""The item window's decisions on a real vault (fixed clock 02/11/2026): change the level,
extend, declassify, report an incident and the named addressee's opening, through the dialogs
of the classification and incidents pages; each refusal next to its field with nothing changed;
after each action the window and the open pages refresh through VaultEvents; an action the user
may not do is absent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from secretdesk import app as app_module
from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.classification import (
    ChangeLevelDialog,
    DeclassifyDialog,
    ExtendDialog,
)
from secretdesk.gui.dialogs.incidents import ReportIncidentDialog
from secretdesk.gui.dialogs.item_window import ItemWindow
from secretdesk.gui.dialogs.opening import ConfirmOpeningDialog
from secretdesk.gui.models import audit_model
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.audit_page import AuditPage
from secretdesk.gui.views.classification_page import ClassificationPage
from secretdesk.gui.views.incidents_page import IncidentsPage
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import APPROVER, APPROVER_PASSPHRASE, call, day_session, day_vault
from tests.gui.day_fixtures import refuse as refuse_on
from tests.gui.day_fixtures import submit as submit_on
from tests.helpers import fixed_clock

__all__ = ["day_session", "day_vault"]  # fixtures used by name

DIRECTOR = "Nguyễn Văn Giám Đốc"


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def register(qtbot: Any, runner: TaskRunner, session: Session, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "direction": Direction.INCOMING,
        "level": Level.MAT,
        "number_symbol": "3/GH",
        "doc_date": date(2017, 1, 20),  # Mật: protected to 20/01/2027, the window closing
        "classified_on": date(2017, 1, 20),
        "copies": 2,
        **changes,
    }
    items = session.app.items
    return call(qtbot, runner, lambda: items.register(Registration(**values)))


def open_window(qtbot: Any, runner: TaskRunner, session: Session, events: Any, item: Any) -> Any:
    window = ItemWindow(runner, session, events, item.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    return window


def reloaded(qtbot: Any, window: ItemWindow) -> Any:
    """Wait for the window to reload itself (a change announced on VaultEvents)."""
    return qtbot.waitSignal(window.copies_model.modelReset, timeout=5000)


def refuse(qtbot: Any, dialog: Any) -> tuple[str, str]:
    field, message = refuse_on(qtbot, dialog)
    assert not dialog.field_errors[field].isHidden() and dialog.field_errors[field].text()
    return field, message


def item_now(qtbot: Any, runner: TaskRunner, session: Session, item: Any) -> Any:
    items = session.app.items
    return call(qtbot, runner, lambda: items.get(item.id))


def test_change_level_and_extend_from_the_item_window(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    events = VaultEvents()
    page = ClassificationPage(runner, session, events)  # an open page listening too
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    window = open_window(qtbot, runner, session, events, item)
    assert "Mật" in window.facts.text() and "20/01/2027" in window.expiry.text()
    assert [page.model.row_at(0).target.item_id] == [item.id]  # its window is closing
    assert all(button.isVisibleTo(window) for button in window.entry_buttons()[:3])
    assert window.opening_button.isHidden()  # no named addressee

    window.level_button.click()
    dialog = window.dialog
    assert isinstance(dialog, ChangeLevelDialog)
    assert dialog.target.text == "3/GH (số đăng ký Văn bản đến 1/2026), Mật"
    dialog.decided_by.setText("Giám đốc Sở")
    field, message = refuse(qtbot, dialog)  # already Mật
    assert field == "level" and "Mật" in message
    assert item_now(qtbot, runner, session, item).level is Level.MAT  # nothing changed
    dialog.level.setCurrentIndex(dialog.level.findData("toi-mat"))
    with reloaded(qtbot, window), qtbot.waitSignal(page.loaded, timeout=5000):
        submit_on(qtbot, dialog)
    assert item_now(qtbot, runner, session, item).level is Level.TOI_MAT
    assert "Tối mật" in window.facts.text()
    assert page.model.rowCount() == 0  # the page refreshed: Tối mật ends in 2037

    window.extend_button.click()
    extend = window.dialog
    assert isinstance(extend, ExtendDialog)
    field, message = refuse(qtbot, extend)
    assert field == "decided_by" and message
    history = session.app.classification
    assert call(qtbot, runner, lambda: history.history(item.id)).extensions == ()
    extend.decided_by.setText("Giám đốc Sở")
    extend.years.setValue(5)
    before = window.expiry.text()
    with reloaded(qtbot, window):
        submit_on(qtbot, extend)
    assert len(call(qtbot, runner, lambda: history.history(item.id)).extensions) == 1
    assert window.expiry.text() != before  # the window shows the later expiry


def test_declassify_from_the_item_window(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    item = register(qtbot, runner, session, doc_date=date(2026, 10, 1), classified_on=None)
    events = VaultEvents()
    window = open_window(qtbot, runner, session, events, item)
    window.declassify_button.click()
    dialog = window.dialog
    assert isinstance(dialog, DeclassifyDialog)
    dialog.decided_by.setText("Giám đốc Sở")
    dialog.partial.setChecked(True)
    assert refuse(qtbot, dialog)[0] == "scope"
    dialog.partial.setChecked(False)
    dialog.decided_on.setText("03/11/2026")  # tomorrow
    assert refuse(qtbot, dialog)[0] == "decided_on"
    items = session.app.items
    copies = call(qtbot, runner, lambda: items.copies(item.id))
    assert {c.state for c in copies} == {CopyState.IN_STORAGE}  # nothing changed
    dialog.decided_on.setText("02/11/2026")
    dialog.kind.setCurrentIndex(dialog.kind.findData("council"))
    dialog.ok_button.click()
    countersign = dialog.countersign
    assert countersign is not None
    qtbot.addWidget(countersign)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    countersign.choose(APPROVER)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with reloaded(qtbot, window), qtbot.waitSignal(dialog.succeeded, timeout=5000):
        countersign.ok_button.click()
    copies = call(qtbot, runner, lambda: items.copies(item.id))
    assert {c.state for c in copies} == {CopyState.DECLASSIFIED}
    assert {row.state for row in window.copies_model._rows} == {CopyState.DECLASSIFIED}


def test_report_an_incident_from_the_item_window(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    other = register(qtbot, runner, session, number_symbol="9/KH", doc_date=date(2026, 10, 1))
    item = register(qtbot, runner, session, doc_date=date(2026, 10, 1))
    events = VaultEvents()
    page = IncidentsPage(runner, session, events)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    window = open_window(qtbot, runner, session, events, item)
    window.select_copies([2])
    window.incident_button.click()
    dialog = window.dialog
    assert isinstance(dialog, ReportIncidentDialog)
    # The entry's own copies, Bản số 2 ticked; never another entry's.
    picked = dialog.picker.model
    assert {row.item.id for row in picked._rows} == {item.id} and picked.rowCount() == 2
    assert [row.copy.number for row in picked.chosen.values()] == [2]
    assert other.id not in {row.item.id for row in picked._rows}
    dialog.kind.setCurrentIndex(dialog.kind.findData("loss"))
    dialog.reported_to.setText("Giám đốc Sở")
    assert refuse(qtbot, dialog)[0] == "description"
    incidents = session.app.incidents
    assert call(qtbot, runner, lambda: incidents.list()) == []  # nothing changed
    dialog.description.setPlainText("Không tìm thấy trong tủ sau cuộc họp.")
    with reloaded(qtbot, window), qtbot.waitSignal(page.loaded, timeout=5000):
        submit_on(qtbot, dialog)
    states = {row.number: row.state for row in window.copies_model._rows}
    assert states == {1: CopyState.IN_STORAGE, 2: CopyState.LOST_OR_LEAKED}
    assert page.model.rowCount() == 1  # the incidents page refreshed


def test_the_named_addressee_confirms_opening(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session, doc_date=date(2026, 10, 1), named_addressee=DIRECTOR)
    events = VaultEvents()
    window = open_window(qtbot, runner, session, events, item)
    assert f"chỉ {DIRECTOR} được bóc" in window.facts.text()
    assert window.opening_button.isVisibleTo(window)
    window.opening_button.click()
    dialog = window.dialog
    assert isinstance(dialog, ConfirmOpeningDialog)
    assert any(f"Người có tên trên bì: {DIRECTOR}" == x.text() for x in dialog.findChildren(QLabel))
    assert refuse(qtbot, dialog) == ("person", "Không được để trống ô này.")
    dialog.person.setText("Trần Văn Khác")
    field, message = refuse(qtbot, dialog)
    assert field == "person" and message == f"Chỉ {DIRECTOR} mới được bóc bì này."
    assert item_now(qtbot, runner, session, item).addressee_opened_at is None
    dialog.person.setText(DIRECTOR.lower())  # the name as typed, any case
    with reloaded(qtbot, window):
        submit_on(qtbot, dialog)
    assert item_now(qtbot, runner, session, item).addressee_opened_at is not None
    assert window.opening_button.isHidden()
    assert f"Người có tên ({DIRECTOR}) đã bóc bì" in window.facts.text()
    # The audit log names the item by its register entry, never by its internal id.
    audit = AuditPage(runner, session)
    qtbot.addWidget(audit)
    with qtbot.waitSignal(audit.loaded, timeout=5000):
        audit.refresh()
    model = audit.model
    rows = [model.event_at(r) for r in range(model.rowCount())]
    opened = next(r for r, e in enumerate(rows) if e.action == "item.opened_by_addressee")
    shown = model.index(opened, audit_model.OBJECT).data()
    assert shown == "Văn bản đến 1/2026"
    assert model.index(opened, audit_model.DETAIL).data() == f"{DIRECTOR.lower()} đã bóc bì."


def test_actions_the_user_may_not_do_are_absent(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    clerk = day_session()
    item = register(qtbot, runner, clerk, doc_date=date(2026, 10, 1), named_addressee=DIRECTOR)
    call(qtbot, runner, clerk.app.close)
    data_dir = clerk.data_dir

    def unlock() -> Session:
        app = app_module.unlock(data_dir, APPROVER, APPROVER_PASSPHRASE, fixed_clock())
        return Session(app, app.unit_info(), data_dir)

    approver = call(qtbot, runner, unlock)
    try:
        window = open_window(qtbot, runner, approver, VaultEvents(), item)
        assert window.details is not None and window.details.item.unopened
        for button in window.copy_buttons() + window.entry_buttons():
            assert button.isHidden(), button.text()
    finally:
        call(qtbot, runner, approver.app.close)


def test_the_audit_log_names_a_viewed_top_secret_item_by_its_entry(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session, level=Level.TUYET_MAT, doc_date=date(2026, 10, 1))
    open_window(qtbot, runner, session, VaultEvents(), item)  # viewing it is recorded
    audit = AuditPage(runner, session)
    qtbot.addWidget(audit)
    with qtbot.waitSignal(audit.loaded, timeout=5000):
        audit.refresh()
    model = audit.model
    rows = [model.event_at(r) for r in range(model.rowCount())]
    viewed = next(r for r, e in enumerate(rows) if e.action == "item.viewed")
    assert model.index(viewed, audit_model.OBJECT).data() == "Văn bản đến 1/2026"
    assert model.index(viewed, audit_model.DETAIL).data() == "Đã xem Văn bản đến 1/2026."
