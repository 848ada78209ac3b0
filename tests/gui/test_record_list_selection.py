"""The selection of the register's list pages (views/record_list.py): a record is acted on only
while the clerk sees it, and it stays chosen when the vault changes under the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.copies_page import CopiesPage
from secretdesk.gui.views.drafts_page import DraftsPage
from secretdesk.gui.write import DRAFT, VaultEvents
from tests.gui.day_fixtures import APPROVER, APPROVER_PASSPHRASE, call, day_session, day_vault
from tests.gui.test_export_page import export_to, stick_page

__all__ = ["day_session", "day_vault"]  # fixtures used by name


def shown(qtbot: Any, page: Any) -> Any:
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page


def test_a_request_the_filter_hides_is_no_longer_acted_on(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session: Session = day_session()
    app = session.app
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.MAT,
        number_symbol="15/QĐ-BCA",
        doc_date=date(2026, 10, 30),
        copies=2,
    )
    item = call(qtbot, runner, lambda: app.items.register(registration))
    first, second = call(qtbot, runner, lambda: app.items.copies(item.id))[:2]
    approved = call(qtbot, runner, lambda: app.copies.request(first.id, 1, "sao-y", "Họp"))
    call(qtbot, runner, lambda: app.copies.request(second.id, 1, "sao-y", "Lưu"))
    call(
        qtbot,
        runner,
        lambda: app.copies.approve(
            approved.id, app.users.countersign(APPROVER, APPROVER_PASSPHRASE)
        ),
    )
    page = shown(qtbot, CopiesPage(runner, session, VaultEvents()))
    page.select_request(approved.id)
    assert page.record_button.isEnabled()
    page.waiting_only.setChecked(True)  # the approved request leaves the view
    assert page.selected() is None
    assert not page.record_button.isEnabled()
    page.record()
    assert page.dialog is None  # nothing opens for a record the clerk cannot see


def test_the_chosen_draft_stays_chosen_when_the_drafts_change(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session: Session = day_session()
    drafts = session.app.drafts
    chosen = call(qtbot, runner, lambda: drafts.add("Kế hoạch kiểm kê", Level.MAT))
    events = VaultEvents()
    page = shown(qtbot, DraftsPage(runner, session, events))
    page.table.selectRow(0)
    assert page.selected().id == chosen.id and page.finalise_button.isEnabled()
    call(qtbot, runner, lambda: drafts.add("Báo cáo năm", Level.MAT))  # another window
    with qtbot.waitSignal(page.loaded, timeout=5000):
        events.announce({DRAFT})
    assert page.model.rowCount() == 2
    assert page.selected() is not None and page.selected().id == chosen.id
    assert page.finalise_button.isEnabled()


def test_the_chosen_export_stays_chosen_when_another_is_made(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session: Session = day_session()
    page, exports, stick = stick_page(qtbot, runner, session, tmp_path)
    call(qtbot, runner, lambda: exports._reserve("audit", "2026", stick))  # never confirmed
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.table.selectRow(0)
    assert page.selected().seq == 1 and page.confirm_button.isEnabled()
    export_to(qtbot, runner, exports, stick)  # the newest first: export 1 moves down a row
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.model.rowCount() == 2
    assert page.selected() is not None and page.selected().seq == 1
    assert page.confirm_button.isEnabled()
