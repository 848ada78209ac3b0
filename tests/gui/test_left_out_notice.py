"""Clearance (issue 12) on the GUI lists: the registers, handovers, destruction and permits
pages say under their table how many records above the reader's clearance they leave out
(counted on the worker with the rows), and say nothing when none are left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from secretdesk import app as app_module
from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui import session as sessions
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.destruction_page import DestructionPage
from secretdesk.gui.views.handovers_page import HandoversPage
from secretdesk.gui.views.permits_page import PermitsPage
from secretdesk.gui.views.registers_page import RegistersPage
from secretdesk.gui.widgets.common import LeftOutNotice
from secretdesk.gui.write import VaultEvents
from tests.helpers import PASSPHRASE, fixed_clock
from tests.integration.test_clearance_lists import CLERK_PASS
from tests.integration.test_clearance_lists import vault as lists_vault

__all__ = ["lists_vault"]  # the fixture, used by name below

Builder = Callable[[TaskRunner, Any], QWidget]
PAGES: dict[str, tuple[Builder, int]] = {
    # the page and how many records the clerk cleared for Mật does not see (see the fixture)
    "registers": (lambda runner, session: RegistersPage(runner, session), 2),
    "handovers": (lambda runner, session: HandoversPage(runner, session), 1),
    "destruction": (lambda runner, session: DestructionPage(runner, session, VaultEvents()), 2),
    "permits": (lambda runner, session: PermitsPage(runner, session, VaultEvents()), 1),
}


@pytest.fixture
def vault(lists_vault: Path) -> Path:
    """The clearance lists' vault (items, permits and destruction cases at Mật and Tối mật)
    with one more item at each level, each handed over: a Tối mật handover to leave out."""
    with app_module.unlock(lists_vault, "admin", PASSPHRASE, fixed_clock()) as app:
        for level, symbol, person in (
            (Level.MAT, "3/KH-MAT", "Trần Thấp"),
            (Level.TOI_MAT, "4/KH-TOIMAT", "Nguyễn Tuyệt"),
        ):
            item = app.items.register(
                Registration(Direction.OUTGOING, level, symbol, date(2026, 10, 2), 1)
            )
            copy_id = app.items.show(item.id).copies[0].id
            app.handovers.create("issue", [copy_id], recipient_person=person)
    return lists_vault


def _session(qtbot: Any, runner: TaskRunner, vault: Path, user: str, password: str) -> Any:
    got: list[object] = []
    runner.submit(
        lambda: sessions.unlock(vault, user, password, fixed_clock()), got.append, got.append
    )
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0], sessions.Session), got[0]
    return got[0]


def _loaded_notice(qtbot: Any, runner: TaskRunner, session: Any, name: str) -> LeftOutNotice:
    page: Any = PAGES[name][0](runner, session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    notice = page.left_out
    assert isinstance(notice, LeftOutNotice)
    return notice


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_user_cleared_for_mat_is_told_how_many_records_each_page_leaves_out(
    qtbot: Any, runner: TaskRunner, vault: Path, name: str
) -> None:
    session = _session(qtbot, runner, vault, "canbo", CLERK_PASS)
    try:
        notice = _loaded_notice(qtbot, runner, session, name)
        assert not notice.isHidden()
        expected = PAGES[name][1]
        assert notice.text() == f"Records above your clearance left out: {expected}."
    finally:
        runner.submit(session.app.close)


def test_the_notice_is_in_vietnamese_too(qtbot: Any, runner: TaskRunner, vault: Path) -> None:
    session = _session(qtbot, runner, vault, "canbo", CLERK_PASS)
    try:
        i18n.set_language("vi")
        notice = _loaded_notice(qtbot, runner, session, "destruction")
        assert notice.text() == ("Số bản ghi có độ mật cao hơn mức bạn được xem đã được bỏ qua: 2.")
    finally:
        i18n.set_language("en")
        runner.submit(session.app.close)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_admin_cleared_for_all_sees_no_notice(
    qtbot: Any, runner: TaskRunner, vault: Path, name: str
) -> None:
    session = _session(qtbot, runner, vault, "admin", PASSPHRASE)
    try:
        notice = _loaded_notice(qtbot, runner, session, name)
        assert notice.isHidden() and notice.text() == ""
    finally:
        runner.submit(session.app.close)
