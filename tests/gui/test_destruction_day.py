"""A destruction, through the GUI only, on a real vault with a fixed clock: propose two copies of
a Tối mật entry with a council -> approve with the countersignature dialog and the decision's
reference -> record the act -> the minutes in the print preview, printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.destruction import (
    DecisionCountersignDialog,
    ProposeDestructionDialog,
    RecordDestructionDialog,
)
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.tasks import TaskRunner
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


def test_a_destruction_through_the_gui(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    i18n.set_language("vi")
    session = day_session()
    app = session.app
    item = call(
        qtbot,
        runner,
        lambda: app.items.register(
            Registration(
                direction=Direction.INCOMING,
                level=Level.TOI_MAT,
                number_symbol="15/QĐ-BCA",
                doc_date=date(2026, 10, 30),
                copies=3,
            )
        ),
    )
    printed = tmp_path / "printer.pdf"
    main = MainWindow(
        runner,
        session,
        choose_path=lambda _parent, _title, name: tmp_path / name,
        choose_printer=pdf_printer(printed),
    )
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.destruction.loaded, timeout=5000):
        main.show_page("destruction")
    page = main.destruction
    assert page.model.rowCount() == 0

    # Propose Bản số 2 and 3, picked by register number, with grounds and a council.
    page.propose_button.click()
    form = page.dialog
    assert isinstance(form, ProposeDestructionDialog)
    form.picker.search.setText(f"{item.number}/{item.year}")
    form.picker.run_search()
    qtbot.waitUntil(lambda: form.picker.model.rowCount() == 3, timeout=5000)
    assert form.picker.pick(item.number, 2) and form.picker.pick(item.number, 3)
    assert "Bản số 2" in form.picker.chosen_label.text()
    form.grounds.setPlainText("Hết giá trị sử dụng")
    form.council.set_seat(0, "Nguyễn Văn Chủ Tịch", "chair", "Phó Giám đốc")
    form.council.set_seat(1, "Trần Thị Văn Thư", "holder", "Văn thư")
    form.council.set_seat(2, "Lê Văn Thành Viên", "member", "Chuyên viên")
    form.council_decision.setText("12/QĐ-STP")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        case = submit(qtbot, form)
    assert (case.status, case.label) == ("proposed", "1/2026")
    assert [seat.role for seat in case.council] == ["chair", "holder", "member"]

    # Approve it: the countersignature shows exactly what is approved.
    page.select_case(case.id)
    page.approve_button.click()
    countersign = page.dialog
    assert isinstance(countersign, DecisionCountersignDialog)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    assert countersign.facts["Độ mật:"] == "Tối mật"
    assert countersign.facts["Số bản:"] == "2"
    assert "Bản số 3" in countersign.facts["Các bản:"]
    countersign.choose(APPROVER)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    countersign.decision_ref.setText("45/QĐ-STP")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        approved = submit(qtbot, countersign)
    assert (approved.status, approved.approved_by, approved.decision_ref) == (
        "approved",
        APPROVER,
        "45/QĐ-STP",
    )

    # Record the act: a double-click on the approved case opens the form.
    page.select_case(case.id)
    row = page.table.selectionModel().selectedRows()[0].row()
    double_click_row(page.table, row)
    record = page.dialog
    assert isinstance(record, RecordDestructionDialog)
    record.place.setText("Phòng văn thư")
    record.method.setText("Đốt trong lò")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        done = submit(qtbot, record)
    assert done.status == "done" and done.place == "Phòng văn thư"
    copies = call(qtbot, runner, lambda: app.items.copies(item.id))
    assert [c.state for c in copies] == [
        CopyState.IN_STORAGE,
        CopyState.DESTROYED,
        CopyState.DESTROYED,
    ]

    # The minutes in the print preview (the same bytes the CLI writes), then printed.
    page.select_case(case.id)
    assert page.minutes_button.isEnabled()
    page.minutes_button.click()
    preview = main.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.pdf_bytes.startswith(b"%PDF")
    assert preview.document.pageCount() >= 1
    assert preview.print_document()
    assert printed.exists() and printed.stat().st_size > 0
    assert page.model.line_at(0).case.status == "done"
