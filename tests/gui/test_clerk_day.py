"""The clerk's working day, through the GUI only, on a real vault: register an incoming Tối mật
item with 3 copies, have Bản số 1 reproduced (requested, countersigned, recorded), hand over
Bản số 2 to a person, preview and print the slip, record the receipt by typing the slip's code
anywhere in the window; the audit chain holds and the audit page tells it in Vietnamese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from secretdesk import i18n
from secretdesk.gui import main_window
from secretdesk.gui.dialogs.copying import CopyRequestDialog, RecordCopiesDialog
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.handover import HandoverDialog, ReceiptDialog
from secretdesk.gui.dialogs.item_window import ItemWindow
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.models import audit_model
from secretdesk.gui.tasks import TaskRunner
from secretdesk.reports.model import ChainHead
from secretdesk.reports.slipcode import encode_slip_code
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    call,
    day_session,
    day_vault,
    double_click_row,
    pdf_printer,
    submit,
)

__all__ = ["day_session", "day_vault"]  # fixtures used by name


def test_a_clerks_day_through_the_gui(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    i18n.set_language("vi")
    session = day_session()
    app = session.app
    printed = tmp_path / "printer.pdf"
    main = MainWindow(
        runner,
        session,
        choose_path=lambda _parent, _title, name: tmp_path / name,
        choose_printer=pdf_printer(printed),
    )
    qtbot.addWidget(main)
    main.show()

    # Register an incoming Tối mật item with three copies (Ctrl+N on the registers page).
    with qtbot.waitSignal(main.registers.loaded, timeout=5000):
        main.show_page(main_window.REGISTERS)
    QTest.keySequence(main, "Ctrl+N")
    form = main.registers.dialog
    assert isinstance(form, RegisterItemDialog)
    form.direction.setCurrentIndex(form.direction.findData("incoming"))
    form.level.setCurrentIndex(form.level.findData("toi-mat"))
    form.number_symbol.setText("15/QĐ-BCA")
    form.doc_date.setText("30/10/2026")
    form.copies.setValue(3)
    form.issuer.setText("Bộ Công an")
    with qtbot.waitSignal(main.registers.loaded, timeout=5000):
        item = submit(qtbot, form)
    assert (item.number, item.year, item.level.value) == (1, 2026, "toi-mat")

    # Open it with a double-click: three copies in storage.
    double_click_row(main.registers.table, main.registers.model.row_of(item.id))
    window = main.registers.dialog
    assert isinstance(window, ItemWindow)
    qtbot.waitUntil(lambda: window.details is not None, timeout=5000)
    assert [c.number for c in window.copies_model._rows] == [1, 2, 3]
    assert "Bản số 1" in window.history.toPlainText()

    # Request a reproduction of Bản số 1.
    window.select_copies([1])
    window.copy_button.click()
    request_form = window.dialog
    assert isinstance(request_form, CopyRequestDialog)
    assert request_form.source.currentText() == "Bản số 1"
    request = submit(qtbot, request_form)
    assert request.status == "requested"
    window.close()

    # Approve it with the countersignature dialog, on the copying page.
    with qtbot.waitSignal(main.copies.loaded, timeout=5000):
        main.show_page(main_window.COPIES)
    main.copies.select_request(request.id)
    main.copies.approve_button.click()
    countersign = main.copies.dialog
    assert isinstance(countersign, CountersignDialog)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    assert countersign.facts["Độ mật:"] == "Tối mật"
    assert countersign.facts["Bản cần sao, chụp:"] == "Bản số 1"
    countersign.choose(APPROVER)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(main.copies.loaded, timeout=5000):
        approved = submit(qtbot, countersign)
    assert (approved.status, approved.approved_by) == ("approved", APPROVER)

    # Record the copy made.
    main.copies.select_request(request.id)
    main.copies.record_button.click()
    record_form = main.copies.dialog
    assert isinstance(record_form, RecordCopiesDialog)
    made = submit(qtbot, record_form)
    assert [copy.label for copy in made] == ["Bản sao số 1"]

    # Hand over Bản số 2 to a person, picked by register number and Bản số.
    with qtbot.waitSignal(main.handovers.loaded, timeout=5000):
        main.show_page(main_window.HANDOVERS)
    main.handovers.new_button.click()
    handover_form = main.handovers.dialog
    assert isinstance(handover_form, HandoverDialog)
    handover_form.search.setText("1/2026")
    handover_form.run_search()
    qtbot.waitUntil(lambda: handover_form.model.rowCount() == 4, timeout=5000)
    assert handover_form.pick(1, 2)
    handover_form.kind.setCurrentIndex(handover_form.kind.findData("issue"))
    handover_form.recipient_person.setText("Trần Văn Bình")
    with qtbot.waitSignal(main.handovers.loaded, timeout=5000):
        handover = submit(qtbot, handover_form)
    assert handover.kind == "issue" and handover.status == "open"

    # Open its slip in the print preview, print it and save it.
    main.handovers.select_handover(handover.id)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=2000)
    QTest.keySequence(main, "Ctrl+P")
    preview = main.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.pdf_bytes.startswith(b"%PDF") and preview.document.pageCount() >= 1
    assert preview.print_document() and printed.read_bytes().startswith(b"%PDF")
    saved = preview.save()
    assert saved is not None and saved.read_bytes() == preview.pdf_bytes
    preview.close()

    # The signed slip comes back: type its code anywhere in the window, then Enter.
    printed_event = call(qtbot, runner, lambda: app.audit.events(action_prefix="print.slip"))[-1]
    head_event = call(
        qtbot, runner, lambda: app.audit.events(after_seq=printed_event.detail["head"] - 1, limit=1)
    )[0]
    code = encode_slip_code(
        handover.year, handover.number, ChainHead(head_event.seq, head_event.hash)
    )
    main.setFocus()
    QTest.keyClicks(main, code)
    QTest.keyClick(main, Qt.Key.Key_Return)
    receipt_form = main.handovers.dialog
    assert isinstance(receipt_form, ReceiptDialog)
    assert receipt_form.slip_code.text() == code
    receipt_form.received_by.setText("Trần Văn Bình")
    closed = submit(qtbot, receipt_form)
    assert closed.status == "closed" and closed.receipt_by == "Trần Văn Bình"

    # The audit chain holds, and the audit page tells the day in Vietnamese.
    assert call(qtbot, runner, app.audit.verify).ok
    with qtbot.waitSignal(main.audit.loaded, timeout=5000):
        main.show_page(main_window.AUDIT)
    model = main.audit.model
    actions = [model.data(model.index(row, audit_model.ACTION)) for row in range(model.rowCount())]
    details = " ".join(
        model.data(model.index(row, audit_model.DETAIL)) for row in range(model.rowCount())
    )
    for name in (
        "Đăng ký tài liệu",
        "Đề nghị sao, chụp",
        "Cho phép sao, chụp",
        "Ghi số bản đã sao, chụp",
        "Giao nhận",
        "In phiếu gửi",
        "Ghi nhận phiếu gửi trả về",
    ):
        assert name in actions, (name, actions)
    assert "15/QĐ-BCA" in details and "Trần Văn Bình" in details
    assert "handover" not in details and "incoming" not in details
