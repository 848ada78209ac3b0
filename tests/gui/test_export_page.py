"""Export to a USB stick, the history of exports and the "Verify a package" screen, on a real
vault: the stick is a folder that a fake volume list names as a removable volume; anything
else (the computer's own disk) is refused next to the field, costing no sequence number."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.gui.dialogs.export_wizard import ExportDialog, ExportDoneDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.exports_page import ConfirmExportDialog, ExportsPage
from secretdesk.gui.write import VaultEvents
from secretdesk.services.exports import ExportResult, ExportService
from secretdesk.transfer.media import Volume
from tests.gui.day_fixtures import call, day_session, day_vault, refuse, submit

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


class StickExports(ExportService):
    """The unit's export service, with one stick plugged in; ejecting is only recorded."""

    def __init__(self, session: Session, stick: Path) -> None:
        volume = Volume(stick, "/dev/sdz1", "vfat", "USB-VANTHU", 6 * 10**9, 8 * 10**9)
        super().__init__(session.app.ctx, volumes=lambda: [volume])
        self.ejected: list[ExportResult] = []

    def eject(self, result: ExportResult) -> None:
        self.ejected.append(result)


def export_to(qtbot: Any, runner: TaskRunner, exports: ExportService, stick: Path) -> Any:
    def work() -> ExportResult:
        return exports.export("annual", "2026", stick, explicitly_chosen_folder=True)

    return call(qtbot, runner, work)


def stick_page(
    qtbot: Any, runner: TaskRunner, session: Session, tmp_path: Path
) -> tuple[ExportsPage, StickExports, Path]:
    stick = tmp_path / "media" / "USB-VANTHU"
    stick.mkdir(parents=True)
    exports = StickExports(session, stick)
    page = ExportsPage(runner, session, VaultEvents(), exports=exports)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000) as loaded:
        page.refresh()
    assert loaded.args == [0]
    return page, exports, stick


def test_export_to_a_stick_shows_its_verification_and_ejects(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, exports, stick = stick_page(qtbot, runner, session, tmp_path)
    page.new_record()
    wizard = page.dialog
    assert isinstance(wizard, ExportDialog)
    qtbot.waitUntil(lambda: wizard.table.rowCount() == 1, timeout=5000)
    assert [wizard.table.item(0, c).text() for c in range(4)] == [
        "USB-VANTHU",
        str(stick),
        "8.0 GB",
        "6.0 GB",
    ]
    assert wizard.target.text() == str(stick)

    # The computer's own disk (any folder not on a stick) is refused next to the field.
    home = tmp_path / "home"
    home.mkdir()
    wizard.target.setText(str(home))
    field, message = refuse(qtbot, wizard)
    assert field == "target" and "không nằm trên thẻ nhớ USB" in message
    # An inventory of a future day is refused next to the day.
    wizard.target.setText(str(stick))
    wizard.kind.setCurrentIndex(wizard.kind.findData("inventory"))
    wizard.inventory_day.setText("31/12/2099")
    assert refuse(qtbot, wizard)[0] == "inventory_day"
    assert call(qtbot, runner, exports.history) == []  # no number was taken

    wizard.kind.setCurrentIndex(wizard.kind.findData("annual"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        result = submit(qtbot, wizard)
    assert isinstance(result, ExportResult) and result.seq == 1
    assert result.folder.parent == stick and result.volume is not None
    done = page.dialog
    assert isinstance(done, ExportDoneDialog)
    qtbot.waitUntil(lambda: done.verdict is not None, timeout=10000)
    assert done.verdict is not None and done.verdict.ok
    assert done.verdict_panel.headline.text().startswith("Hợp lệ")
    done.eject_button.click()
    qtbot.waitUntil(lambda: done.ejected, timeout=5000)
    assert exports.ejected == [result]
    assert "có thể rút USB ra" in done.eject_status.text()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 5).data() == "Đã ghi"


def test_an_unconfirmed_export_is_marked_and_confirmed(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, exports, stick = stick_page(qtbot, runner, session, tmp_path)
    written = export_to(qtbot, runner, exports, stick)
    call(qtbot, runner, lambda: exports._reserve("audit", "2026", stick))  # the program stopped
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert not page.warning.isHidden() and "1" in page.warning.text()
    assert page.model.index(0, 5).data() == "Chưa xác nhận"
    page.table.selectRow(1)
    assert not page.confirm_button.isEnabled()
    page.table.selectRow(0)
    assert page.confirm_button.isEnabled()
    page.confirm_selected()
    dialog = page.dialog
    assert isinstance(dialog, ConfirmExportDialog)
    # The package of export 1 is not export 2: refused next to the folder, nothing changes.
    dialog.folder.setText(str(written.folder))
    field, message = refuse(qtbot, dialog)
    assert field == "folder" and "không phải là lần xuất 2" in message
    dialog.folder.setText("")
    assert refuse(qtbot, dialog)[0] == "folder"
    assert [e.seq for e in call(qtbot, runner, exports.unconfirmed)] == [2]
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("missing"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        record = submit(qtbot, dialog)
    assert (record.seq, record.status, record.confirmed) == (2, "failed", True)
    assert page.warning.isHidden()
    assert page.model.index(0, 5).data() == "Chưa ghi (xác nhận sau)"


def test_verify_a_package_with_and_without_the_pinned_key(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, exports, stick = stick_page(qtbot, runner, session, tmp_path)
    written = export_to(qtbot, runner, exports, stick)
    pub = tmp_path / "pinned.pub"
    pub.write_text(call(qtbot, runner, exports.public_key_text), encoding="utf-8")
    dialog = page.verify_package()
    with qtbot.waitSignal(dialog.refused) as refused:
        dialog.verify_button.click()
    assert refused.args[0] == "package"

    dialog.package.setText(str(written.folder))
    with qtbot.waitSignal(dialog.verified, timeout=10000) as verified:
        dialog.verify_button.click()
    assert verified.args[0].ok and not verified.args[0].key_pinned
    assert dialog.verdict_panel.headline.text().startswith("Nguyên vẹn")

    dialog.key.setText(str(pub))
    with qtbot.waitSignal(dialog.verified, timeout=10000) as verified:
        dialog.verify_button.click()
    assert verified.args[0].trusted
    assert dialog.verdict_panel.headline.text().startswith("Hợp lệ")
    assert "Đơn vị" in dialog.verdict_panel.details.text()

    changed = tmp_path / "changed"
    shutil.copytree(written.folder, changed)
    report = changed / "report.json"
    report.write_bytes(report.read_bytes().replace(b'"2026"', b'"2025"', 1))
    dialog.package.setText(str(changed))
    with qtbot.waitSignal(dialog.verified, timeout=10000) as verified:
        dialog.verify_button.click()
    assert not verified.args[0].ok
    assert dialog.verdict_panel.headline.text().startswith("Không hợp lệ")
