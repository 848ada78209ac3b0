"""Evidence on every record page (issue 18), on a real vault with real scans of its slips: the
one attach dialog and scans window on the destruction, permit and incident pages, a file
dropped on a row or on the window, the scan shown (Pillow, PDFium), a scan removed with its
reason and its hash kept, what an auditor may not do, and the scans beside the print preview."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from secretdesk import i18n
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.gui import session as sessions
from secretdesk.gui.dialogs.evidence import (
    AttachScanDialog,
    EvidenceRecord,
    RemoveAttachmentDialog,
)
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.dialogs.scans_window import ScansWindow
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.destruction_page import DestructionPage
from secretdesk.gui.views.handovers_page import HandoversPage
from secretdesk.gui.views.incidents_page import IncidentsPage
from secretdesk.gui.views.permits_page import PermitsPage
from secretdesk.gui.widgets.scans import ScansPanel
from secretdesk.gui.write import VaultEvents
from tests.helpers import PASSPHRASE, fixed_clock
from tests.scan_samples import ScanSet, shared_scan_set

AUDITOR = "kiemtra"
AUDITOR_PASSPHRASE = "kiểm tra đúng quy trình 2026"


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> ScanSet:
    return shared_scan_set(tmp_path_factory)


@pytest.fixture(scope="session")
def records(tmp_path_factory: pytest.TempPathFactory, scans: ScanSet) -> Path:
    """The scan set's vault with a destruction case carried out, a permit requested, an
    incident reported and an auditor; each test opens its own copy."""
    vault = scans.copy_vault(tmp_path_factory.mktemp("records") / "vault")
    with scans.open(vault) as app:
        item = app.items.register(
            Registration(Direction.INCOMING, Level.MAT, "9/QĐ-STP", date(2026, 10, 1), 2)
        )
        copies = [c.id for c in app.items.show(item.id).copies]
        app.destruction.emergency([copies[0]], "Cháy kho, hủy khẩn cấp", place="Kho")
        app.incidents.report("tampering", "Bì thư bị bóc", reported_to="Giám đốc")
        app.permits.request(
            "take-out",
            [copies[1]],
            requester="Lê Văn C",
            purpose="Họp giao ban",
            place="Hà Nội",
            protection="Cặp có khóa",
            starts_at=datetime(2026, 11, 3, 8, tzinfo=UTC),
            ends_at=datetime(2026, 11, 3, 17, tzinfo=UTC),
        )
        app.users.add(AUDITOR, Role.AUDITOR, AUDITOR_PASSPHRASE, full_name="Phạm Kiểm Tra")
    return vault


@pytest.fixture
def vi() -> Iterator[None]:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def unlock_as(
    qtbot: Any, runner: TaskRunner, template: Path, target: Path, user: str, passphrase: str
) -> Session:
    shutil.copytree(template, target)
    got: list[object] = []
    clock = fixed_clock(2026, 11, 2)
    runner.submit(lambda: sessions.unlock(target, user, passphrase, clock), got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0], Session), got[0]
    return got[0]


@pytest.fixture
def session(qtbot: Any, runner: TaskRunner, records: Path, tmp_path: Path) -> Iterator[Session]:
    opened = unlock_as(qtbot, runner, records, tmp_path / "vault", "admin", PASSPHRASE)
    yield opened
    runner.submit(opened.app.close)


PAGES: dict[str, Callable[..., QWidget]] = {
    "destruction": DestructionPage,
    "permit": PermitsPage,
    "incident": IncidentsPage,
}


def make_page(qtbot: Any, runner: TaskRunner, session: Session, kind: str) -> Any:
    page = PAGES[kind](runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page


def call(qtbot: Any, runner: TaskRunner, work: Callable[[], Any]) -> Any:
    got: list[Any] = []
    runner.submit(work, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    if isinstance(got[0], BaseException):
        raise got[0]
    return got[0]


def drop(widget: QWidget, path: Path, at: QPoint | None = None) -> None:
    """A file dragged from the file manager and let go over ``widget`` at ``at``."""
    where = at if at is not None else widget.rect().center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, dropped)


def logged(qtbot: Any, runner: TaskRunner, session: Session, action: str) -> list[Any]:
    audit = session.app.audit
    return list(call(qtbot, runner, lambda: audit.events(action_prefix=action, limit=500)))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["destruction", "permit", "incident"])
def test_each_record_page_attaches_with_the_one_dialog_and_lists_it_in_the_scans_window(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet, kind: str
) -> None:
    page = make_page(qtbot, runner, session, kind)
    assert not page.attach_button.isEnabled()  # nothing selected yet
    page.table.selectRow(0)
    assert page.attach_button.isEnabled() and page.scans_button.isEnabled()
    page.attach_button.click()
    dialog = page.dialog
    assert isinstance(dialog, AttachScanDialog) and dialog.record.kind == kind
    scan = scans.folder / "slip-4.pdf"
    dialog.path.setText(str(scan))
    with qtbot.waitSignal(dialog.succeeded, timeout=10000) as done:
        dialog.ok_button.click()
    assert done.args[0].entity == kind and done.args[0].sha256 == digest(scan)
    page.scans_button.click()
    window = page.dialog
    assert isinstance(window, ScansWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.panel.table.rowCount() == 1, timeout=5000)
    assert window.panel.table.item(0, 0).text() == "slip-4.pdf"
    added = logged(qtbot, runner, session, "attachment.added")[-1]
    assert added.entity == kind and added.detail["sha256"] == digest(scan)


def row_center(page: Any, row: int) -> QPoint:
    return page.table.visualRect(page.table.model().index(row, 1)).center()


def test_a_scan_dropped_on_a_row_opens_the_dialog_filled_for_that_record(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    page = HandoversPage(runner, session)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    scan = scans.folder / "slip-3.tif"
    row = 2
    wanted = page.model.handover_at(page.proxy.mapToSource(page.proxy.index(row, 0)).row())
    drop(page.table.viewport(), scan, row_center(page, row))
    dialog = page.dialog
    assert isinstance(dialog, AttachScanDialog)
    assert dialog.record.ref == f"{wanted.number}/{wanted.year}"
    assert dialog.path.text() == str(scan) and dialog.field_errors["file"].isHidden()
    assert page.selected() is not None and page.selected().id == wanted.id
    with qtbot.waitSignal(dialog.succeeded, timeout=10000):
        dialog.ok_button.click()
    (kept,) = call(qtbot, runner, lambda: session.app.attachments.list("handover", wanted.label))
    assert kept.filename == "slip-3.tif" and kept.sha256 == digest(scan)


@pytest.mark.usefixtures("vi")
def test_a_refused_type_dropped_says_so_at_once_and_again_on_attach_and_keeps_nothing(
    qtbot: Any, runner: TaskRunner, session: Session, tmp_path: Path
) -> None:
    page = make_page(qtbot, runner, session, "destruction")
    notes = tmp_path / "biên bản.docx"
    notes.write_bytes(b"PK\x03\x04 not a scan")
    drop(page.table.viewport(), notes, row_center(page, 0))
    dialog = page.dialog
    assert isinstance(dialog, AttachScanDialog)
    message = "Không nhận biên bản.docx: chỉ đính kèm được ảnh PNG, JPEG, TIFF và tệp PDF."
    assert not dialog.field_errors["file"].isHidden()
    assert dialog.field_errors["file"].text() == message
    with qtbot.waitSignal(dialog.refused, timeout=10000) as refused:
        dialog.ok_button.click()
    assert refused.args == ["file", message]  # the service says the same
    assert call(qtbot, runner, lambda: session.app.attachments.list("destruction", "1/2026")) == []


def test_nothing_happens_for_a_drop_between_rows_or_of_no_file(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    page = make_page(qtbot, runner, session, "incident")
    below = QPoint(20, page.table.viewport().height() - 5)  # one incident: no row down here
    drop(page.table.viewport(), scans.folder / "slip-1.png", below)
    assert page.dialog is None
    mime = QMimeData()
    mime.setText("1/2026")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    QApplication.sendEvent(page.table.viewport(), enter)
    assert not enter.isAccepted()


def open_window(qtbot: Any, runner: TaskRunner, session: Session, ref: str) -> ScansWindow:
    kind, _slash, rest = ref.partition(":")
    record = EvidenceRecord(kind, rest, rest)
    window = ScansWindow(runner, session, VaultEvents(), record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.panel.status.text() != "", timeout=5000)
    return window


def attach_in(qtbot: Any, panel: ScansPanel, path: Path) -> Any:
    dialog = panel.dialog
    assert isinstance(dialog, AttachScanDialog)
    assert dialog.path.text() == str(path)
    with (
        qtbot.waitSignal(panel.loaded, timeout=10000),
        qtbot.waitSignal(dialog.succeeded, timeout=10000) as done,
    ):
        dialog.ok_button.click()
    return done.args[0]


def test_a_scan_dropped_on_the_records_window_is_attached_and_shown_by_pillow_and_pdfium(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    window = open_window(qtbot, runner, session, "handover:1/2026")
    panel = window.panel
    assert panel.status.text() == "No scan is attached to this handover yet."
    drop(window, scans.folder / "slip-1.png")
    png = attach_in(qtbot, panel, scans.folder / "slip-1.png")
    with qtbot.waitSignal(panel.shown, timeout=10000) as shown:
        panel.select_attachment(png.id)
        panel._selected_changed()  # the first row may already be selected
    assert shown.args == [png.id]
    assert not panel.image.pixmap().isNull()
    drop(panel.table.viewport(), scans.folder / "slip-4.pdf")  # on the list inside it, too
    pdf = attach_in(qtbot, panel, scans.folder / "slip-4.pdf")
    assert panel.table.rowCount() == 2
    with qtbot.waitSignal(panel.shown, timeout=10000) as shown:
        panel.select_attachment(pdf.id)
    assert shown.args == [pdf.id]
    page = panel.image.image
    assert page.width() < page.height()  # an A5/A4 page, upright, as PDFium drew it
    assert panel.hash_label.text() == f"SHA-256: {pdf.sha256}"
    viewed = logged(qtbot, runner, session, "attachment.viewed")
    assert [e.detail["sha256"] for e in viewed][-2:] == [png.sha256, pdf.sha256]


@pytest.mark.usefixtures("vi")
def test_a_scan_is_removed_with_a_reason_and_its_hash_stays_listed_and_logged(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    scan = scans.folder / "slip-2.jpg"
    service = session.app.attachments
    kept = call(
        qtbot,
        runner,
        lambda: service.add("destruction", "1/2026", scan.name, b"" + scan.read_bytes()),
    )
    window = open_window(qtbot, runner, session, "destruction:1/2026")
    panel = window.panel
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    panel.select_attachment(kept.id)
    panel.remove_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, RemoveAttachmentDialog)
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        dialog.ok_button.click()  # no reason
    assert refused.args == ["reason", "Hãy nêu lý do gỡ tệp đính kèm."]
    dialog.reason.setText("Quét nhầm trang")
    with (
        qtbot.waitSignal(panel.loaded, timeout=10000),
        qtbot.waitSignal(dialog.succeeded, timeout=5000),
    ):
        dialog.ok_button.click()
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "slip-2.jpg (đã gỡ)"
    assert panel.table.item(0, 2).text() == kept.sha256[:12] + "…"
    assert "Quét nhầm trang" in panel.table.item(0, 0).toolTip()
    assert not panel.save_button.isEnabled() and not panel.remove_button.isEnabled()
    assert "Quét nhầm trang" in panel.image.text()
    assert panel.status.text() == (
        "Hồ sơ tiêu hủy này chưa có bản quét nào. Đã gỡ 1 bản quét; mã băm vẫn được giữ."
    )
    gone = logged(qtbot, runner, session, "attachment.removed")[-1]
    assert gone.detail["sha256"] == kept.sha256 and gone.detail["reason"] == "Quét nhầm trang"


def test_an_auditor_sees_the_scans_but_may_not_attach_drop_or_remove(
    qtbot: Any, runner: TaskRunner, records: Path, tmp_path: Path, scans: ScanSet
) -> None:
    auditor = unlock_as(qtbot, runner, records, tmp_path / "v", AUDITOR, AUDITOR_PASSPHRASE)
    try:
        page = make_page(qtbot, runner, auditor, "destruction")
        assert not page.attach_button.isVisibleTo(page)
        assert page.scans_button.isVisibleTo(page)
        assert not page.table.viewport().acceptDrops()
        page.table.selectRow(0)
        page.evidence.attach(scans.folder / "slip-1.png")  # even when called: nothing opens
        assert page.dialog is None
        page.scans_button.click()
        window = page.dialog
        assert isinstance(window, ScansWindow)
        qtbot.addWidget(window)
        panel = window.panel
        assert not panel.attach_button.isVisibleTo(panel)
        assert not panel.remove_button.isVisibleTo(panel)
        assert panel.save_button.isVisibleTo(panel)
    finally:
        runner.submit(auditor.app.close)


def test_the_print_preview_of_minutes_and_slips_offers_the_records_scans(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    service = session.app.attachments
    scan = scans.folder / "slip-4.pdf"
    call(
        qtbot,
        runner,
        lambda: service.add("destruction", "1/2026", "bien-ban.pdf", scan.read_bytes()),
    )
    main = MainWindow(runner, session)
    qtbot.addWidget(main)
    main.show()
    page = main.destruction
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.table.selectRow(0)
    page.preview_minutes()
    preview = main.preview
    assert isinstance(preview, PrintPreview)
    side = preview.side
    assert isinstance(side, ScansPanel) and side.record.kind == "destruction"
    qtbot.waitUntil(lambda: preview.ready and side.table.rowCount() == 1, timeout=10000)
    assert side.table.item(0, 0).text() == "bien-ban.pdf"
    qtbot.waitUntil(lambda: not side.image.image.isNull(), timeout=10000)
    preview.close()
    handovers = main.handovers
    with qtbot.waitSignal(handovers.loaded, timeout=5000):
        handovers.refresh()
    handovers.table.selectRow(0)
    handovers.preview_slip()
    slip = main.preview
    assert slip is not preview and isinstance(slip.side, ScansPanel)
    assert slip.side.record.kind == "handover"
    qtbot.waitUntil(lambda: slip.side.status.text() != "", timeout=5000)
    assert slip.side.status.text() == "No scan is attached to this handover yet."


@pytest.mark.usefixtures("vi")
def test_the_audit_page_says_what_happened_to_a_scan_in_the_clerks_words() -> None:
    from secretdesk.gui.models.audit_sentences import action_name, sentence

    detail = '{"attachment": 3, "file": "bien-ban.pdf", "sha256": "ab12", "reason": "Quét nhầm"}'
    assert action_name("attachment.removed") == "Gỡ bản quét"
    assert sentence("attachment.removed", "1", detail) == (
        "Đã gỡ bien-ban.pdf (Quét nhầm); mã băm SHA-256 ab12 vẫn được giữ."
    )
    assert sentence("attachment.added", "1", detail) == (
        "Đã đính kèm bien-ban.pdf; mã băm SHA-256 ab12."
    )


@pytest.mark.usefixtures("vi")
def test_a_scan_whose_stored_bytes_changed_is_not_shown_and_says_why(
    qtbot: Any, runner: TaskRunner, session: Session, scans: ScanSet
) -> None:
    scan = scans.folder / "slip-3.tif"
    service = session.app.attachments
    kept = call(qtbot, runner, lambda: service.add("incident", "1", scan.name, scan.read_bytes()))
    conn = session.app.vault.connection

    def tamper() -> None:  # someone with the key rewrites the stored bytes
        conn.execute(
            "UPDATE attachment_chunk SET data = ? WHERE attachment_id = ? AND seq = 0",
            (b"II*\x00" + b"\x00" * 64, kept.id),
        )
        conn.commit()

    call(qtbot, runner, tamper)
    window = ScansWindow(runner, session, VaultEvents(), EvidenceRecord.incident(1))
    qtbot.addWidget(window)
    panel = window.panel
    with qtbot.waitSignal(panel.failed, timeout=10000) as failed:
        window.show()
    assert failed.args == [
        f"Tệp đính kèm #{kept.id} không còn khớp với mã băm đã ghi khi thêm vào."
    ]
    assert panel.image.image.isNull()
    assert not panel.error.isHidden()
