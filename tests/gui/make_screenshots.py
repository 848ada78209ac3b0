"""Screenshots of every page and dialog for a visual check (not collected by pytest).

    python -m tests.gui.make_screenshots --out DIR --lang vi|en

Writes one PNG per page and per dialog at 1366x768 (a dialog is drawn over the main window as
the clerk sees it; the unlock and setup windows are centred on an empty screen), including the
error states, and ``index.json``: a list of ``{"name", "title"}``. Runs offscreen unless
DISPLAY is set (e.g. under ``xvfb-run -s "-screen 0 1366x768x24"``), on throw-away vaults with
cheap key derivation; the pages are shot on the populated demo vault (a year of work). The
air-gap check is faked as clean, so the pictures show the pages, not this computer's network.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from secretdesk import i18n
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.gui import main_window, style
from secretdesk.gui.binding_check import drops_none_references
from secretdesk.gui.controller import GuiController
from secretdesk.gui.dialogs.classification import ChangeLevelDialog
from secretdesk.gui.dialogs.copying import CopyRequestDialog
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.destruction import ProposeDestructionDialog
from secretdesk.gui.dialogs.handover import HandoverDialog, ReceiptDialog
from secretdesk.gui.dialogs.incidents import ReportIncidentDialog
from secretdesk.gui.dialogs.item_window import ItemWindow
from secretdesk.gui.dialogs.opening import ConfirmOpeningDialog
from secretdesk.gui.dialogs.permits import PermitRequestDialog
from secretdesk.gui.dialogs.register_item import RegisterItemDialog
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.setup_window import SetupWindow
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow
from secretdesk.gui.write import FormDialog
from secretdesk.services.demo_data import DIRECTOR
from secretdesk.services.exports import ExportService

WIDTH, HEIGHT = 1366, 768
PASSPHRASE = "một câu dài dễ nhớ 2026"


def pause(ms: int) -> None:
    """Run the event loop for a while. Not QTest.qWait: it keeps the GIL while it sleeps, which
    starves the worker thread (building the demo vault would take minutes)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        pause(20)


class Shots:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.index: list[dict[str, str]] = []

    def _write(self, image: QImage, name: str, title: str) -> None:
        path = self.out / f"{name}.png"
        image.save(str(path))
        self.index.append({"name": name, "title": title})
        print(path)

    def window(self, window: QWidget | None, name: str, title: str, *dialogs: QWidget) -> None:
        """The main window at 1366x768 with the dialogs open on it, as the clerk sees them."""
        pause(200)  # let layouts settle
        image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
        image.fill(QColor("#3c4650"))
        painter = QPainter(image)
        if window is not None:
            painter.drawPixmap(0, 0, window.grab())
        for dialog in dialogs:
            shot = dialog.grab()
            x = max(0, (WIDTH - shot.width()) // 2)
            y = max(0, (HEIGHT - shot.height()) // 2)
            painter.fillRect(x + 4, y + 4, shot.width(), shot.height(), QColor(0, 0, 0, 60))
            painter.drawPixmap(QPoint(x, y), shot)
        painter.end()
        self._write(image, name, title)

    def alone(self, window: QWidget, name: str, title: str) -> None:
        """A window shown before the vault is open, centred on an empty 1366x768 screen."""
        self.window(None, name, title, window)

    def finish(self) -> None:
        text = json.dumps(self.index, ensure_ascii=False, indent=1)
        (self.out / "index.json").write_text(text, encoding="utf-8")


def fit(window: QWidget) -> None:
    window.resize(WIDTH, HEIGHT)
    window.show()


def setup_shots(qapp: QApplication, shots: Shots, work: Path) -> None:
    runner = TaskRunner()
    controller = GuiController(
        qapp,
        runner,
        work / "new-vault",
        kdf_params=TEST_PARAMS,
        preferences=Preferences(work / "gui.ini"),
        airgap_check=lambda: [],
    )
    try:
        controller.start()
        setup = controller.window
        assert isinstance(setup, SetupWindow)
        shots.alone(setup, "setup", setup.windowTitle())
        setup.unit_name.setText("Sở Tư pháp tỉnh Quảng Ngãi")
        setup.unit_code.setText("STP-QNG")
        setup.username.setText("vanthu")
        setup.passphrase.first.setText(PASSPHRASE)
        setup.passphrase.repeat.setText(PASSPHRASE + "x")
        setup.submit()
        shots.alone(setup, "setup-error", setup.windowTitle())
        setup.passphrase.repeat.setText(PASSPHRASE)
        setup.submit()
        wait_until(lambda: setup.recovery_dialog is not None)
        dialog = setup.recovery_dialog
        assert dialog is not None
        shots.alone(dialog, "recovery-code", dialog.windowTitle())
        dialog.confirm.setChecked(True)
        dialog.continue_button.click()
        wait_until(lambda: isinstance(controller.window, MainWindow))
        controller.lock()
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        shots.alone(unlock, "unlock", unlock.windowTitle())
        unlock.passphrase.setText("sai mật khẩu")
        unlock.submit()
        wait_until(lambda: not unlock.working)
        shots.alone(unlock, "unlock-error", unlock.windowTitle())
        unlock.show_recovery()
        unlock.recover_button.click()
        shots.alone(unlock, "unlock-recovery-error", unlock.windowTitle())
    finally:
        controller.shutdown()


def day_shots(qapp: QApplication, shots: Shots, work: Path) -> None:
    """Every page and dialog of the clerk's day on the populated demo vault."""
    runner = TaskRunner()
    controller = GuiController(
        qapp,
        runner,
        work / "demo",
        kdf_params=TEST_PARAMS,
        preferences=Preferences(work / "gui.ini"),
        airgap_check=lambda: [],
        demo=True,
    )
    try:
        controller.start_demo()
        wait_until(lambda: isinstance(controller.window, MainWindow), timeout=120)
        main = controller.window
        assert isinstance(main, MainWindow)
        fit(main)

        def page(key: str) -> None:
            main.show_page(key)
            pause(100)
            wait_until(lambda: not runner.busy)

        def settle(dialog: QWidget) -> None:
            pause(100)
            wait_until(lambda: not runner.busy)

        def refused(dialog: FormDialog) -> None:
            with_result: list[object] = []
            dialog.refused.connect(lambda field, message: with_result.append((field, message)))
            dialog.ok_button.click()
            wait_until(lambda: bool(with_result))

        page(main_window.DASHBOARD)
        wait_until(lambda: main.dashboard.self_test_model.rowCount() > 0 and not runner.busy)
        shots.window(main, "dashboard", main.windowTitle())
        scroll = main.dashboard.findChild(QScrollArea)
        assert scroll is not None
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        pause(50)
        shots.window(main, "dashboard-self-test", main.windowTitle())
        scroll.verticalScrollBar().setValue(0)

        page(main_window.REGISTERS)
        registers = main.registers
        registers.table.selectRow(2)
        settle(registers)
        shots.window(main, "registers", main.windowTitle())

        registers.new_record()
        form = registers.dialog
        assert isinstance(form, RegisterItemDialog)
        shots.window(main, "item-register", form.windowTitle(), form)
        form.doc_date.setText("31/12/2099")
        form.number_symbol.setText("15/QĐ-BCA")
        refused(form)
        shots.window(main, "item-register-error", form.windowTitle(), form)
        form.level.setCurrentIndex(form.level.findData("tuyet-mat"))
        pause(50)
        shots.window(main, "item-register-top-secret", form.windowTitle(), form)
        # Registered through the form: a named-addressee envelope, still unopened, shows every
        # action of the item window.
        form.level.setCurrentIndex(form.level.findData("mat"))
        form.doc_date.setText(main.session.app.ctx.today().strftime("%d/%m/%Y"))
        form.named_addressee.setText(DIRECTOR)
        form.summary.clear()
        registered: list[object] = []
        form.succeeded.connect(registered.append)
        form.refused.connect(lambda field, message: registered.append(None))
        form.ok_button.click()
        wait_until(lambda: bool(registered))
        envelope = registered[0]
        if envelope is None:
            form.reject()

        registers.search.setText("")
        registers.run_search()
        settle(registers)
        live = [
            r for r in range(registers.model.rowCount()) if not registers.model.item_at(r).cancelled
        ]
        row = live[0]
        registers.table.selectRow(row)
        window = registers.open_item(getattr(envelope, "id", registers.model.item_at(row).id))
        wait_until(lambda: window.details is not None and not runner.busy)
        shots.window(main, "item-window", window.windowTitle(), window)
        window.select_copies([1])
        window.request_copy()
        request = window.dialog
        assert isinstance(request, CopyRequestDialog)
        shots.window(main, "copy-request", request.windowTitle(), window, request)
        request.reject()
        window.level_button.click()
        level = window.dialog
        assert isinstance(level, ChangeLevelDialog)
        shots.window(main, "item-change-level", level.windowTitle(), window, level)
        level.reject()
        window.incident_button.click()
        incident = window.dialog
        assert isinstance(incident, ReportIncidentDialog)
        settle(incident)
        shots.window(main, "item-incident", incident.windowTitle(), window, incident)
        incident.reject()
        if window.opening_button.isVisibleTo(window):
            window.opening_button.click()
            opening = window.dialog
            assert isinstance(opening, ConfirmOpeningDialog)
            shots.window(main, "item-opening", opening.windowTitle(), window, opening)
            opening.person.setText("Trần Văn Khác")
            refused(opening)
            shots.window(main, "item-opening-error", opening.windowTitle(), window, opening)
            opening.reject()
        window.close()
        assert isinstance(window, ItemWindow)

        page(main_window.DRAFTS)
        shots.window(main, "drafts", main.windowTitle())

        page(main_window.COPIES)
        copies = main.copies
        waiting = next(
            (r for r in range(copies.model.rowCount()) if copies.model.request_at(r).waiting),
            None,
        )
        if waiting is not None:
            copies.select_request(copies.model.request_at(waiting).request.id)
        shots.window(main, "copies", main.windowTitle())
        if waiting is not None:
            copies.countersign(refuse=False)
            countersign = copies.dialog
            assert isinstance(countersign, CountersignDialog)
            wait_until(lambda: countersign.approver.count() > 0 and not runner.busy)
            shots.window(main, "countersign", countersign.windowTitle(), countersign)
            countersign.passphrase.setText("sai mật khẩu")
            refused(countersign)
            shots.window(main, "countersign-refused", countersign.windowTitle(), countersign)
            countersign.reject()

        page(main_window.HANDOVERS)
        handovers = main.handovers
        handovers.table.selectRow(0)
        shots.window(main, "handovers", main.windowTitle())
        handovers.new_record()
        create = handovers.dialog
        assert isinstance(create, HandoverDialog)
        first = registers.model.item_at(row)
        create.search.setText(f"{first.number}/{first.year}")
        create.run_search()
        wait_until(lambda: create.model.rowCount() > 0 and not runner.busy)
        create.model.toggle(0, True)
        shots.window(main, "handover-create", create.windowTitle(), create)
        create.kind.setCurrentIndex(create.kind.findData("issue"))
        refused(create)
        shots.window(main, "handover-create-error", create.windowTitle(), create)
        create.reject()
        handovers.record_receipt("SDH1|2026|7|0badc0de")
        receipt = handovers.dialog
        assert isinstance(receipt, ReceiptDialog)
        shots.window(main, "handover-receipt", receipt.windowTitle(), receipt)
        receipt.received_by.setText("Nguyễn Văn An")
        refused(receipt)
        shots.window(main, "handover-receipt-error", receipt.windowTitle(), receipt)
        receipt.reject()

        handovers.table.selectRow(0)
        handovers.preview_slip()
        preview = main.preview
        assert preview is not None
        wait_until(lambda: preview.ready and not runner.busy)
        pause(300)
        shots.window(main, "print-preview", preview.windowTitle(), preview)
        preview.close()

        page(main_window.AUDIT)
        shots.window(main, "audit", main.windowTitle())
        rest_shots(main, runner, shots, work, page, settle, refused)
        lifecycle_shots(main, runner, shots)
    finally:
        controller.shutdown()


def lifecycle_shots(main: MainWindow, runner: TaskRunner, shots: Shots) -> None:
    """Destruction, permits, classification, incidents and muster on the demo vault."""

    def page(key: str) -> None:
        main.show_page(key)
        pause(100)
        wait_until(lambda: not runner.busy)

    page("destruction")
    destruction = main.destruction
    if destruction.model.rowCount():
        destruction.table.selectRow(0)
    shots.window(main, "destruction", main.windowTitle())
    destruction.new_record()
    propose = destruction.dialog
    assert isinstance(propose, ProposeDestructionDialog)
    wait_until(lambda: propose.picker.model.rowCount() > 0 and not runner.busy)
    model = propose.picker.model  # the first copy a council may destroy (one in storage)
    enabled = Qt.ItemFlag.ItemIsEnabled
    rows = [r for r in range(model.rowCount()) if model.flags(model.index(r, 0)) & enabled]
    model.toggle(rows[0] if rows else 0, True)
    propose.grounds.setPlainText("Hết giá trị sử dụng, đã có văn bản thay thế")
    propose.council.set_seat(0, "Nguyễn Văn Hùng", "chair", "Phó Giám đốc Sở")
    propose.council.set_seat(1, "Trần Thị Lan", "holder", "Văn thư")
    propose.council.set_seat(2, "Lê Văn Minh", "member", "Chánh Văn phòng")
    propose.council_decision.setText("12/QĐ-STP ngày 01/11/2026")
    shots.window(main, "destruction-propose", propose.windowTitle(), propose)
    propose.reject()

    page("permits")
    if main.permits.model.rowCount():
        main.permits.table.selectRow(0)
    shots.window(main, "permits", main.windowTitle())
    main.permits.new_record()
    request = main.permits.dialog
    assert isinstance(request, PermitRequestDialog)
    wait_until(lambda: request.picker.model.rowCount() > 0 and not runner.busy)
    request.picker.model.toggle(0, True)
    request.requester.setText("Nguyễn Văn An")
    request.requester_position.setText("Chuyên viên")
    request.purpose.setText("Họp tại UBND tỉnh")
    request.submit()
    wait_until(lambda: not runner.busy)
    shots.window(main, "permits-request-error", request.windowTitle(), request)
    request.reject()

    page("classification")
    if main.classification.model.rowCount():
        main.classification.table.selectRow(0)
    shots.window(main, "classification", main.windowTitle())
    main.classification.declassify_expired()
    expired = main.classification.dialog
    assert expired is not None
    pause(100)
    shots.window(main, "classification-expired", expired.windowTitle(), expired)
    expired.reject()

    page("incidents")
    if main.incidents.model.rowCount():
        main.incidents.table.selectRow(0)
    shots.window(main, "incidents", main.windowTitle())
    main.incidents.new_record()
    report = main.incidents.dialog
    assert isinstance(report, ReportIncidentDialog)
    wait_until(lambda: report.picker.model.rowCount() > 0 and not runner.busy)
    report.submit()
    wait_until(lambda: not runner.busy)
    shots.window(main, "incident-report-error", report.windowTitle(), report)
    report.reject()

    page("muster")
    muster = main.muster
    for row in range(0, muster.model.rowCount(), 2):
        muster.model.tick(row, True)
    muster.scan.setText("abc")
    muster.scanned()
    shots.window(main, "muster", main.windowTitle())
    muster.record()
    wait_until(lambda: muster.result is not None and not runner.busy)
    shots.window(main, "muster-result", main.windowTitle())


def rest_shots(
    main: MainWindow,
    runner: TaskRunner,
    shots: Shots,
    work: Path,
    page: Callable[[str], None],
    settle: Callable[[QWidget], None],
    refused: Callable[[FormDialog], None],
) -> None:
    """Reports, export, verify, the supervising office and settings (issue 11), with a folder
    standing in for a USB stick."""
    from secretdesk.gui.dialogs.export_wizard import ExportDialog, ExportDoneDialog
    from secretdesk.services.exports import Volume

    stick = work / "media" / "USB-VANTHU"
    stick.mkdir(parents=True, exist_ok=True)
    volume = Volume(stick, "/dev/sdb1", "vfat", "USB-VANTHU", 5_400_000_000, 7_800_000_000)
    exports = ExportService(main.session.app.ctx, volumes=lambda: [volume])
    main.exports.exports = exports
    main.settings._exports = exports

    page(main_window.REPORTS)
    main.reports.refresh()
    settle(main.reports)
    shots.window(main, "reports", main.windowTitle())

    page(main_window.EXPORTS)
    held = HeldExports(main.session.app.ctx, volumes=lambda: [volume])
    main.exports.exports = held
    main.exports.new_record()
    wizard = main.exports.dialog
    assert isinstance(wizard, ExportDialog)
    wait_until(lambda: wizard.table.rowCount() > 0 and not runner.busy)
    shots.window(main, "export-wizard", wizard.windowTitle(), wizard)
    done_dialogs: list[object] = []
    wizard.succeeded.connect(done_dialogs.append)
    wizard.ok_button.click()
    wait_until(held.reached.is_set)  # held while gathering: the steps and Cancel
    pause(150)
    shots.window(main, "export-progress", wizard.windowTitle(), wizard)
    held.go.set()
    wait_until(lambda: bool(done_dialogs) and isinstance(main.exports.dialog, ExportDoneDialog))
    main.exports.exports = exports
    done = main.exports.dialog
    assert isinstance(done, ExportDoneDialog)
    wait_until(lambda: done.verdict is not None and not runner.busy)
    shots.window(main, "export-done", done.windowTitle(), done)
    done.accept()
    settle(main.exports)
    shots.window(main, "export", main.windowTitle())

    verify = main.exports.verify_package()
    verify.package.setText(str(done.written.folder))
    verify.verify()
    wait_until(lambda: verify.verdict is not None and not runner.busy)
    shots.window(main, "verify-package", verify.windowTitle(), verify)
    verify.reject()

    office_shots(main, runner, shots, work, stick, done.written.folder)

    page(main_window.SETTINGS)
    settings = main.settings
    settle(settings)
    shots.window(main, "settings-users", main.windowTitle())
    settings.new_record()
    add = settings.dialog
    assert isinstance(add, FormDialog)
    refused(add)
    shots.window(main, "settings-add-user-error", add.windowTitle(), add)
    add.reject()
    settings.tabs.setCurrentIndex(2)
    settle(settings)
    shots.window(main, "settings-backup", main.windowTitle())
    settings.tabs.setCurrentIndex(4)
    shots.window(main, "settings-about", main.windowTitle())


class HeldExports(ExportService):
    """Stops while gathering until told to go on, so the progress and its Cancel are shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reached, self.go = threading.Event(), threading.Event()

    def _files(self, *args: Any, **kwargs: Any) -> dict[str, bytes]:
        files = super()._files(*args, **kwargs)
        self.reached.set()
        self.go.wait(30)
        return files


def office_shots(
    unit_main: MainWindow, runner: TaskRunner, shots: Shots, work: Path, stick: Path, package: Path
) -> None:
    """The supervising office's own vault: only the office pages; the demo unit's key pinned,
    its package imported (then again: a replay), the units and the summary."""
    from secretdesk import app as app_module
    from secretdesk.gui.session import Session
    from secretdesk.services.setup import UnitSetup

    folder = work / "office"
    setup = UnitSetup(
        "Công an tỉnh Quảng Ngãi (PA03)", "CA-QNG", "Bộ Công an", "Quảng Ngãi", office=True
    )
    sessions: list[object] = []

    def create() -> Session:
        opened, _code = app_module.create(
            folder, setup, "pa03", PASSPHRASE, admin_full_name="Trần Văn Kiểm", params=TEST_PARAMS
        )
        return Session(opened, opened.unit_info(), folder)

    runner.submit(create, sessions.append, sessions.append)
    wait_until(lambda: bool(sessions))
    session = sessions[0]
    assert isinstance(session, Session), session
    main = MainWindow(runner, session)
    fit(main)
    main.start()
    pause(100)
    wait_until(lambda: not runner.busy)
    office = main.office
    unit = unit_main.session.unit
    pin = office.pin_unit()
    pin.unit_pub.setText(str(package / "unit.pub"))
    pin.code.setText(unit.code)
    pin.fingerprint.setText(unit.key_fingerprint)
    shots.window(main, "office-pin", pin.windowTitle(), pin)
    pin.ok_button.click()
    wait_until(lambda: not pin.isVisible() and not runner.busy)
    office.tabs.setCurrentIndex(1)
    office.folder.setText(str(stick))
    outcomes: list[list[object]] = []
    office.imported.connect(outcomes.append)
    office.import_packages()
    wait_until(lambda: len(outcomes) == 1 and not runner.busy)
    office.import_packages()  # again: a replay, refused
    wait_until(lambda: len(outcomes) == 2 and not runner.busy)
    office._imported((stick, outcomes[0] + outcomes[1]))
    shots.window(main, "office-import", main.windowTitle())
    office.tabs.setCurrentIndex(0)
    office.refresh()
    pause(100)
    wait_until(lambda: not runner.busy)
    shots.window(main, "office-units", main.windowTitle())
    office.tabs.setCurrentIndex(2)
    office.summary_year.setValue(int(package.name.split("_")[-2]))
    office.load_summary()
    wait_until(lambda: office.summary_model.rowCount() > 0 and not runner.busy)
    shots.window(main, "office-summary", main.windowTitle())
    main.hide()
    runner.submit(session.app.close)
    wait_until(lambda: not runner.busy)
    main.deleteLater()


def evidence_shots(qapp: QApplication, shots: Shots, work: Path) -> None:
    """A handover with its attached scan, the slip's preview with it, a destruction case's
    signed minutes, and a scanner's folder scanned back (issue 18)."""
    import shutil

    from secretdesk.gui.dialogs.evidence import ScanBatchDialog
    from secretdesk.gui.dialogs.print_preview import PrintPreview
    from secretdesk.gui.dialogs.scans_window import ScansWindow
    from secretdesk.gui.widgets.scans import ScansPanel
    from tests.helpers import PASSPHRASE as SCAN_PASSPHRASE
    from tests.scan_samples import make_scan_set

    scans = make_scan_set(work / "scans", handovers=4)
    minutes = signed_minutes(scans, work / "minutes")
    folder = work / "scanner"
    shutil.copytree(scans.folder, folder)
    (folder / "slip-1.png").unlink()  # attached by hand below, then already closed
    for extra in ("blank.png", "other-unit.png"):
        shutil.copy(scans.folder.parent / extra, folder / extra)
    shutil.copy(scans.folder / "slip-1.png", folder / "slip-1-again.png")
    runner = TaskRunner()
    controller = GuiController(
        qapp,
        runner,
        scans.vault,
        kdf_params=TEST_PARAMS,
        preferences=Preferences(work / "gui-scans.ini"),
        airgap_check=lambda: [],
    )
    try:
        controller.start()
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        unlock.username.setCurrentText("admin")
        unlock.passphrase.setText(SCAN_PASSPHRASE)
        unlock.submit()
        wait_until(lambda: isinstance(controller.window, MainWindow), timeout=60)
        main = controller.window
        assert isinstance(main, MainWindow)
        fit(main)
        main.show_page(main_window.HANDOVERS)
        pause(100)
        wait_until(lambda: not runner.busy)
        handovers = main.handovers
        service = main.handovers.session.app.attachments
        done: list[object] = []
        data = (scans.folder / "slip-1.png").read_bytes()
        runner.submit(
            lambda: service.scan_back("slip-1.png", data, "Trần Thị Nhận", scans_at(main)),
            done.append,
            done.append,
        )
        wait_until(lambda: bool(done) and not runner.busy)
        handovers.events.announce(("handover", "copy"))
        handovers.refresh()
        pause(100)
        wait_until(lambda: not runner.busy)
        for row in range(handovers.model.rowCount()):
            if handovers.model.handover_at(row).number == 1:
                handovers.select_handover(handovers.model.handover_at(row).id)
        handovers.show_scans()
        listing = handovers.dialog
        assert isinstance(listing, ScansWindow)
        wait_until(lambda: listing.panel.table.rowCount() == 1 and not runner.busy)
        wait_until(lambda: not listing.panel.image.image.isNull() and not runner.busy)
        shots.window(main, "handover-scan", listing.windowTitle(), listing)
        listing.reject()
        handovers.preview_slip()
        preview = main.preview
        assert isinstance(preview, PrintPreview) and isinstance(preview.side, ScansPanel)
        side = preview.side
        wait_until(lambda: preview.ready and not side.image.image.isNull() and not runner.busy)
        preview.resize(WIDTH - 40, HEIGHT - 40)
        pause(200)
        shots.window(main, "handover-slip-with-scan", preview.windowTitle(), preview)
        preview.reject()
        main.show_page("destruction")
        destruction = main.destruction
        wait_until(lambda: destruction.model.rowCount() == 1 and not runner.busy)
        destruction.table.selectRow(0)
        destruction.evidence.attach(minutes)
        attach = destruction.dialog
        assert attach is not None
        attached: list[object] = []
        attach.succeeded.connect(attached.append)  # type: ignore[attr-defined]
        attach.ok_button.click()  # type: ignore[attr-defined]
        wait_until(lambda: bool(attached) and not runner.busy)
        shots.window(main, "destruction-page", _page_title(main))
        destruction.scans_button.click()
        case_scans = destruction.dialog
        assert isinstance(case_scans, ScansWindow)
        wait_until(lambda: not case_scans.panel.image.image.isNull() and not runner.busy)
        shots.window(main, "destruction-scans", case_scans.windowTitle(), case_scans)
        case_scans.reject()
        main.show_page("permits")  # the evidence row under the permits' own actions
        wait_until(lambda: not runner.busy)
        shots.window(main, "permits-page", _page_title(main))
        main.show_page(main_window.HANDOVERS)
        pause(100)
        wait_until(lambda: not runner.busy)
        handovers.scan_batch()
        batch = handovers.dialog
        assert isinstance(batch, ScanBatchDialog)
        batch.folder.setText(str(folder))
        batch.received_by.setText("Trần Thị Nhận")
        got: list[object] = []
        batch.succeeded.connect(got.append)
        batch.ok_button.click()
        wait_until(lambda: bool(got) and not runner.busy, timeout=120)
        pause(200)
        shots.window(main, "scan-batch", batch.windowTitle(), batch)
        batch.reject()
    finally:
        controller.shutdown()


def _page_title(main: MainWindow) -> str:
    return main.windowTitle()


def signed_minutes(scans: object, work: Path) -> Path:
    """The minutes of an emergency destruction in the scan set's vault, printed by the program
    and scanned back as a desk scanner would (150 dpi, turned, noisy): a PNG file."""
    from datetime import date

    from secretdesk.domain.items import Direction, Registration
    from secretdesk.domain.levels import Level
    from tests.scan_samples import encoded, render, scanned

    work.mkdir()
    with scans.open(scans.vault) as app:  # type: ignore[attr-defined]
        item = app.items.register(
            Registration(Direction.INCOMING, Level.MAT, "9/QĐ-STP", date(2026, 10, 1), 1)
        )
        (copy,) = app.items.show(item.id).copies
        case = app.destruction.emergency(
            [copy.id], "Kho bị ngập, tài liệu hư hỏng; hủy khẩn cấp", place="Kho lưu trữ"
        )
        pdf = work / "minutes.pdf"
        pdf.write_bytes(app.printing.minutes(case.id))
    page = render(pdf, 150, work / "minutes-150")
    path = work / "bien-ban-huy-da-ky.png"
    path.write_bytes(encoded(scanned(page, 1.2, 0.12, 3), "PNG"))
    return path


def scans_at(main: MainWindow) -> object:
    return main.handovers.session.app.ctx.clock.now()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/gui-shots"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    parser.add_argument("--only", choices=("evidence",), help="only these screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication(sys.argv[:1])
    if drops_none_references():
        print("this PySide6 build crashes (PYSIDE-3474); install PySide6 6.11", file=sys.stderr)
        return 1
    qapp.setQuitOnLastWindowClosed(False)
    style.apply(qapp)
    i18n.set_language(args.lang)
    shots = Shots(out)
    with tempfile.TemporaryDirectory(prefix="sd-shots-") as work:
        if args.only is None:
            setup_shots(qapp, shots, Path(work))
            day_shots(qapp, shots, Path(work))
        evidence_shots(qapp, shots, Path(work))
    shots.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
