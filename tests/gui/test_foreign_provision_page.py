"""Provision to a foreign body or person in the GUI (issue 14): the request dialog's
Article 16 box (provision only), the refusal citing the article next to its field, and the
approved decision previewed like a take-out permit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.permits import PermitRequestDialog
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.permits_page import KIND, PermitsPage
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


def test_a_foreign_provision_is_requested_approved_and_previewed(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    app = session.app
    registration = Registration(Direction.INCOMING, Level.MAT, "16/QĐ-BCA", date(2026, 10, 30), 1)
    item = call(qtbot, runner, lambda: app.items.register(registration))
    previews: list[str] = []
    page = PermitsPage(
        runner, session, VaultEvents(), open_preview=lambda title, *_, **__: previews.append(title)
    )
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.request_button.click()
    dialog = page.dialog
    assert isinstance(dialog, PermitRequestDialog)
    qtbot.addWidget(dialog)
    assert dialog.foreign.text() == "Cho cơ quan, tổ chức, cá nhân nước ngoài (Điều 16)"
    assert not dialog.foreign.isEnabled()  # a take-out is chosen first
    dialog.kind.setCurrentIndex(dialog.kind.findData("provision"))
    assert dialog.foreign.isEnabled()
    dialog.foreign.setChecked(True)
    dialog.picker.search.setText(f"{item.number}/{item.year}")
    dialog.picker.run_search()
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() == 1, timeout=5000)
    dialog.picker.pick(item.number, 1)
    dialog.requester.setText("John Smith")
    dialog.purpose.setText("Chương trình hợp tác quốc tế")
    dialog.requesting_body.setText("Cơ quan X")
    field, message = refuse(qtbot, dialog)
    assert field == "commitment" and "Điều 16 Luật Bảo vệ bí mật nhà nước 2025" in message
    dialog.commitment.setText("Bảo vệ theo quy định")
    assert dialog.passport.isEnabled()
    dialog.requester_position.setText("Chuyên gia")
    dialog.nationality.setText("Pháp")
    field, message = refuse(qtbot, dialog)
    assert field == "passport" and "số hộ chiếu" in message
    dialog.passport.setText("12AB34567")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        permit = submit(qtbot, dialog)
    assert permit.kind == "provision"
    assert call(qtbot, runner, lambda: app.permits.document(permit.id)).legal.abroad

    def approve() -> Any:
        return app.permits.approve(permit.id, app.users.countersign(APPROVER, APPROVER_PASSPHRASE))

    call(qtbot, runner, approve)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.select_permit(permit.id)
    assert page.selected().permit.id == permit.id  # type: ignore[union-attr]
    assert page.print_button.isEnabled()
    page.preview_permit()
    assert previews == [
        f"Quyết định cung cấp cho cơ quan, tổ chức, cá nhân nước ngoài số {permit.id}"
    ]
    row = next(
        r for r in range(page.model.rowCount()) if page.model.line_at(r).permit.id == permit.id
    )
    assert page.model.data(page.model.index(row, KIND)) == (
        "Cung cấp cho cơ quan, tổ chức, cá nhân nước ngoài"
    )
    pdf = call(qtbot, runner, lambda: app.printing.permit(permit.id))
    assert pdf.startswith(b"%PDF")
