"""The destruction pickers offer only the copies that can be destroyed that way (rule 1): a
proposal only copies in storage, an emergency also those with a person; the others are shown
greyed out with the reason, in Vietnamese, and cannot be ticked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.destruction import EmergencyDestructionDialog, ProposeDestructionDialog
from secretdesk.gui.dialogs.handover import PICK
from secretdesk.gui.dialogs.permits import PermitRequestDialog
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import call, day_session, day_vault

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def test_only_destroyable_copies_can_be_ticked(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    app = session.app
    registration = Registration(Direction.INCOMING, Level.MAT, "21/QĐ-BCA", date(2026, 10, 30), 2)
    item = call(qtbot, runner, lambda: app.items.register(registration))
    first = call(qtbot, runner, lambda: app.items.show(item.id)).copies[0]
    call(
        qtbot,
        runner,
        lambda: app.handovers.create("issue", [first.id], recipient_person="Lê Văn Cán Bộ"),
    )
    for dialog_type, issued_allowed in (
        (ProposeDestructionDialog, False),
        (EmergencyDestructionDialog, True),
    ):
        dialog = dialog_type(runner, session, VaultEvents())
        qtbot.addWidget(dialog)
        dialog.picker.search.setText(f"{item.number}/{item.year}")
        dialog.picker.run_search()
        qtbot.waitUntil(lambda d=dialog: d.picker.model.rowCount() == 2, timeout=5000)
        model = dialog.picker.model
        row = model.find(item.number, 1)
        assert row is not None
        index = model.index(row, PICK)
        enabled = bool(model.flags(index) & Qt.ItemFlag.ItemIsEnabled)
        assert enabled is issued_allowed
        assert dialog.picker.pick(item.number, 1) and (first.id in model.chosen) is issued_allowed
        assert dialog.picker.pick(item.number, 2) and len(model.chosen) == 1 + issued_allowed
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        if not issued_allowed:
            assert tip == (
                "Chỉ bản đang lưu giữ mới được đề xuất tiêu hủy; hãy thu hồi bản này về trước."
            )
        else:
            assert tip is None


def test_a_copy_in_transit_cannot_go_on_a_permit(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    app = session.app
    registration = Registration(Direction.INCOMING, Level.MAT, "22/QĐ-BCA", date(2026, 10, 30), 3)
    item = call(qtbot, runner, lambda: app.items.register(registration))
    copies = call(qtbot, runner, lambda: app.items.show(item.id)).copies
    call(
        qtbot,
        runner,
        lambda: app.handovers.create("dispatch", [copies[0].id], recipient_body="Sở X"),
    )
    call(
        qtbot,
        runner,
        lambda: app.handovers.create("issue", [copies[1].id], recipient_person="Lê Văn Cán Bộ"),
    )
    dialog = PermitRequestDialog(runner, session, VaultEvents())
    qtbot.addWidget(dialog)
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 3, timeout=5000)
    model = dialog.picker.model
    for number in (1, 2, 3):
        assert dialog.picker.pick(item.number, number)
    assert sorted(model.chosen) == [copies[1].id, copies[2].id]  # in transit: not ticked
    row = model.find(item.number, 1)
    assert row is not None
    assert model.data(model.index(row, PICK), Qt.ItemDataRole.ToolTipRole) == (
        "Chỉ bản đang lưu giữ hoặc đã giao cho cá nhân mới được ghi vào giấy phép."
    )
