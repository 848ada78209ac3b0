"""Each write dialog on a real vault: what it does, and each refusal shown next to the field it
concerns, in the clerk's language, with nothing changed in the vault."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.copying import CopyRequestDialog, RecordCopiesDialog
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.drafts import DestroyDraftDialog, DraftDialog
from secretdesk.gui.dialogs.handover import HandoverDialog, ReceiptDialog
from secretdesk.gui.dialogs.item_window import CancelEntryDialog, ItemWindow
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.drafts_page import DraftsPage
from secretdesk.gui.write import COPY, HANDOVER, REPRODUCTION, VaultEvents
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    LOW_APPROVER,
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


def register(qtbot: Any, runner: TaskRunner, session: Session, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "direction": Direction.INCOMING,
        "level": Level.TOI_MAT,
        "number_symbol": "15/QĐ-BCA",
        "doc_date": date(2026, 10, 30),
        "copies": 3,
        **changes,
    }
    items = session.app.items
    return call(qtbot, runner, lambda: items.register(Registration(**values)))


def shown(dialog: Any, field: str) -> str:
    error = dialog.field_errors[field]
    assert not error.isHidden(), field
    return str(error.text())


def test_register_dialog_refusals_sit_next_to_their_field(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    events = VaultEvents()
    dialog = RegisterItemDialog(runner, session, events)
    qtbot.addWidget(dialog)
    dialog.show()
    # Read before sending: a required field, a badly typed day.
    field, message = refuse(qtbot, dialog)
    assert field == "number_symbol" and message == "Không được để trống ô này."
    dialog.number_symbol.setText("15/QĐ-BCA")
    dialog.doc_date.setText("30-10-2026")
    assert refuse(qtbot, dialog)[0] == "doc_date"
    assert "ngày/tháng/năm" in shown(dialog, "doc_date")
    assert dialog.field_errors["number_symbol"].isHidden()  # the old error went away
    # Refused by the service's rules: a date after today (2026-11-02).
    dialog.doc_date.setText("03/11/2026")
    field, message = refuse(qtbot, dialog)
    assert (
        field == "doc_date" and "ngày văn bản ở tương lai" in message.lower()
    ) or field == "doc_date"
    assert call(qtbot, runner, lambda: session.app.items.search("")) == []
    # The Tuyệt mật summary field follows the legal basis in force.
    dialog.level.setCurrentIndex(dialog.level.findData("tuyet-mat"))
    assert not dialog.summary_note.isHidden() and "Tuyệt mật" in dialog.summary_note.text()
    dialog.level.setCurrentIndex(dialog.level.findData("mat"))
    assert dialog.summary.isEnabled() and dialog.summary_note.isHidden()
    # And it registers, announcing what it touched.
    dialog.doc_date.setText("30/10/2026")
    with qtbot.waitSignal(events.changed) as changed:
        item = submit(qtbot, dialog)
    assert item.number_symbol == "15/QĐ-BCA" and item.level is Level.MAT
    assert {"item", "copy", "entry", "audit"} <= changed.args[0]


def test_countersignature_refusals_and_approval(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    source = call(qtbot, runner, lambda: session.app.items.copies(item.id))[0]
    request = call(qtbot, runner, lambda: session.app.copies.request(source.id, 1, "sao-y"))
    copies = session.app.copies
    events = VaultEvents()
    facts = [("Độ mật:", "Tối mật"), ("Số bản:", "1")]
    dialog = CountersignDialog(
        runner,
        session,
        events,
        facts,
        lambda approver: copies.approve(request.id, approver),
        (REPRODUCTION,),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.approver.count() == 2, timeout=5000)
    # The one who unlocked the vault is never offered: nobody approves their own work.
    offered = [dialog.approver.itemData(i) for i in range(dialog.approver.count())]
    assert "admin" not in offered and APPROVER in offered
    assert dialog.facts == dict(facts)
    # A wrong passphrase: shown at the passphrase, counted, recorded, nothing approved.
    dialog.choose(APPROVER)
    dialog.passphrase.setText("not the passphrase")
    field, message = refuse(qtbot, dialog)
    assert field == "passphrase" and "mật khẩu" in message
    assert dialog.passphrase.text() == ""
    failed = call(qtbot, runner, lambda: session.app.audit.events(action_prefix="auth."))
    assert [e.entity_id for e in failed] == [APPROVER]
    assert call(qtbot, runner, copies.pending)[0].status == "requested"
    # An approver whose authority stops at Mật: refused next to the approver.
    dialog.choose(LOW_APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    field, message = refuse(qtbot, dialog)
    assert field == "approver" and "Tối mật" in message
    assert call(qtbot, runner, copies.pending)[0].status == "requested"
    # The right approver.
    dialog.choose(APPROVER)
    dialog.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(events.changed) as changed:
        approved = submit(qtbot, dialog)
    assert approved.status == "approved" and approved.approved_by == APPROVER
    assert REPRODUCTION in changed.args[0]


def test_copy_request_and_record_refusals(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    events = VaultEvents()
    locked = register(qtbot, runner, session, number_symbol="16/QĐ", copying_allowed=False)
    copies = call(qtbot, runner, lambda: session.app.items.copies(locked.id))
    dialog = CopyRequestDialog(runner, session, events, locked, copies)
    qtbot.addWidget(dialog)
    dialog.show()
    field, message = refuse(qtbot, dialog)
    assert field == "source" and "16/QĐ" in message
    assert call(qtbot, runner, session.app.copies.list) == []

    # From the copying page: find the entry first.
    item = register(qtbot, runner, session, number_symbol="17/QĐ")
    search = CopyRequestDialog(runner, session, events)
    qtbot.addWidget(search)
    assert search.search is not None
    search.search.setText(f"{item.number}/{item.year}")
    search.run_search()
    qtbot.waitUntil(lambda: search.source.count() == 3, timeout=5000)
    assert "Bản số 1" in search.source.itemText(0)
    request = submit(qtbot, search)

    # Recording more than authorised is refused at the count; nothing is recorded.
    app = session.app
    approver = call(qtbot, runner, lambda: app.users.countersign(APPROVER, APPROVER_PASSPHRASE))
    call(qtbot, runner, lambda: app.copies.approve(request.id, approver))
    record = RecordCopiesDialog(runner, session, events, request.id, 1, "17/QĐ")
    qtbot.addWidget(record)
    record.made.setValue(2)
    field, message = refuse(qtbot, record)
    assert field == "made" and "2" in message
    assert call(qtbot, runner, lambda: app.copies.list("approved"))[0].id == request.id
    record.made.setValue(1)
    record.spoiled.setValue(1)
    made = submit(qtbot, record)
    assert [c.label for c in made] == ["Bản sao số 1"]


def test_handover_and_receipt_refusals(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    app = session.app
    item = register(qtbot, runner, session)
    events = VaultEvents()
    dialog = HandoverDialog(runner, session, events, search=f"{item.number}/{item.year}")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    assert refuse(qtbot, dialog)[0] == "copies"  # nothing ticked
    assert dialog.pick(item.number, 2)
    assert "Bản số 2" in dialog.chosen_label.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("issue"))
    field, message = refuse(qtbot, dialog)  # nobody named
    assert field == "recipient_person" and message
    dialog.kind.setCurrentIndex(dialog.kind.findData("dispatch"))
    assert refuse(qtbot, dialog)[0] == "recipient_body"
    assert call(qtbot, runner, app.handovers.list) == []
    dialog.kind.setCurrentIndex(dialog.kind.findData("issue"))
    dialog.recipient_person.setText("Trần Văn Bình")
    with qtbot.waitSignal(events.changed) as changed:
        handover = submit(qtbot, dialog)
    assert {HANDOVER, COPY} <= changed.args[0]

    receipt = ReceiptDialog(runner, session, events, code="not a code")
    qtbot.addWidget(receipt)
    receipt.received_by.setText("Trần Văn Bình")
    assert refuse(qtbot, receipt)[0] == "slip_code"
    receipt.slip_code.setText(f"SDH1|{handover.year}|{handover.number}|00000000")
    field, message = refuse(qtbot, receipt)  # never printed with this check
    assert field == "slip_code" and handover.label in message
    receipt.received_by.clear()
    assert refuse(qtbot, receipt)[0] == "received_by"
    assert call(qtbot, runner, app.handovers.list)[0].status == "open"


def test_item_window_and_cancelling_an_entry(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    item = register(qtbot, runner, session)
    events = VaultEvents()
    previews: list[tuple[str, str]] = []
    window = ItemWindow(
        runner,
        session,
        events,
        item.id,
        open_preview=lambda title, _render, name: previews.append((title, name)),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    assert "15/QĐ-BCA" in window.heading.text() and "Tối mật" in window.facts.text()
    assert window.expiry.text() == "Được bảo vệ đến ngày 30/10/2046."  # Tối mật: 20 years
    window.hand_over()  # no copy selected: said so, nothing opened
    assert not window.error.isHidden() and window.dialog is None
    window.select_copies([2, 3])
    window.hand_over()
    assert isinstance(window.dialog, HandoverDialog)
    assert len(window.dialog.model.chosen) == 2
    window.dialog.reject()
    window.print_labels()
    assert previews == [("Nhãn các bản", f"labels-item-{item.id}.pdf")]

    window.cancel_button.click()
    cancel = window.dialog
    assert isinstance(cancel, CancelEntryDialog)
    assert refuse(qtbot, cancel)[0] == "reason"
    assert not call(qtbot, runner, lambda: session.app.items.get(item.id)).cancelled
    cancel.reason.setText("Đăng ký nhầm")
    with qtbot.waitSignal(window.copies_model.modelReset, timeout=5000):
        submit(qtbot, cancel)
    assert call(qtbot, runner, lambda: session.app.items.get(item.id)).cancelled
    qtbot.waitUntil(lambda: not window.copy_button.isEnabled(), timeout=5000)


def test_print_preview_shows_saves_and_reports_errors(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    register(qtbot, runner, session)
    printing = session.app.printing
    preview = PrintPreview(
        runner,
        "Sổ đăng ký",
        lambda: printing.register("incoming", 2026),
        "register.pdf",
        choose_path=lambda _parent, _title, name: tmp_path / name,
        choose_printer=lambda _parent: None,
    )
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.document.pageCount() >= 1 and "Số trang" in preview.pages_label.text()
    assert not preview.print_document()  # the clerk cancelled the print dialog
    saved = preview.save()
    assert saved == tmp_path / "register.pdf" and saved.read_bytes() == preview.pdf_bytes

    broken = PrintPreview(runner, "Sổ", lambda: printing.register("outgoing", 1999), "x.pdf")
    qtbot.addWidget(broken)
    qtbot.waitUntil(lambda: not broken.error.isHidden(), timeout=5000)
    assert "1999" in broken.error.text() and not broken.print_button.isEnabled()


def test_drafts_page_add_finalise_destroy(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    events = VaultEvents()
    page = DraftsPage(runner, session, events)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.new_record()
    add = page.dialog
    assert isinstance(add, DraftDialog)
    assert refuse(qtbot, add)[0] == "title"
    add.title.setText("Kế hoạch bảo vệ bí mật nhà nước 2027")
    add.level.setCurrentIndex(add.level.findData("mat"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        draft = submit(qtbot, add)
    assert page.model.rowCount() == 1 and draft.status == "working"

    page.table.selectRow(0)
    page.finalise()
    form = page.dialog
    assert isinstance(form, RegisterItemDialog) and not form.direction.isEnabled()
    assert form.summary.toPlainText() == "Kế hoạch bảo vệ bí mật nhà nước 2027"
    form.number_symbol.setText("01/KH-STP")
    form.doc_date.setText("02/11/2026")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        item = submit(qtbot, form)
    assert item.book_kind == "outgoing" and item.level is Level.MAT

    page.table.selectRow(0)
    page.destroy_draft()
    destroy = page.dialog
    assert isinstance(destroy, DestroyDraftDialog)
    assert refuse(qtbot, destroy)[0] == "method"
    assert call(qtbot, runner, session.app.drafts.list)[0].status == "finalised"
    destroy.method.setText("Hủy bằng máy hủy tài liệu")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        submit(qtbot, destroy)
    assert call(qtbot, runner, session.app.drafts.list)[0].status == "destroyed"
