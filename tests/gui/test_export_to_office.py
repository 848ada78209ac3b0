"""From the unit to the supervising office, through the GUI only: export to a folder standing
in for a USB stick -> verify it on the "Verify a package" screen -> pin the unit's key and
import the package through the office pages -> it appears in the consolidated summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.gui.dialogs.export_wizard import ExportDialog, ExportDoneDialog
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.dialogs.verify_package import VerifyPackageDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow
from secretdesk.gui.views.exports_page import ExportsPage
from secretdesk.gui.views.office_page import OfficePage, PinUnitDialog, outcome_key
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import set_language
from secretdesk.services.setup import UnitSetup
from tests.gui.day_fixtures import day_session, day_vault, refuse, submit
from tests.gui.test_dialogs import register
from tests.gui.test_export_page import StickExports
from tests.helpers import PASSPHRASE, fixed_clock

__all__ = ["day_session", "day_vault"]  # fixtures used by name

OFFICE = UnitSetup("Ban Chỉ đạo tỉnh Quảng Ngãi", "BCD-QNG", office=True)


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    set_language("vi")
    yield
    set_language("en")


def open_office(qtbot: Any, runner: TaskRunner, folder: Path) -> Session:
    def create() -> Session:
        opened, _code = app_module.create(
            folder, OFFICE, "admin", PASSPHRASE, params=TEST_PARAMS, clock=fixed_clock()
        )
        return Session(opened, opened.unit_info(), folder)

    got: list[Any] = []
    runner.submit(create, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert isinstance(got[0], Session), got[0]
    return got[0]


def test_a_package_goes_from_the_unit_to_the_office_summary(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    # The unit exports its annual report to the stick.
    unit = day_session()
    register(qtbot, runner, unit)
    stick = tmp_path / "media" / "USB-VANTHU"
    stick.mkdir(parents=True)
    exports_page = ExportsPage(runner, unit, VaultEvents(), exports=StickExports(unit, stick))
    qtbot.addWidget(exports_page)
    exports_page.show()
    exports_page.new_record()
    wizard = exports_page.dialog
    assert isinstance(wizard, ExportDialog)
    qtbot.waitUntil(lambda: wizard.target.text() == str(stick), timeout=5000)
    result = submit(qtbot, wizard)
    done = exports_page.dialog
    assert isinstance(done, ExportDoneDialog)
    qtbot.waitUntil(lambda: done.verdict is not None, timeout=10000)
    assert done.verdict is not None and done.verdict.ok

    # The receiving side verifies it from the unlock window, without any vault.
    unlock = UnlockWindow(runner, tmp_path / "no-vault-here")
    qtbot.addWidget(unlock)
    unlock.verify_button.click()
    verify = unlock.verify_dialog
    assert isinstance(verify, VerifyPackageDialog)
    verify.package.setText(str(result.folder))
    with qtbot.waitSignal(verify.verified, timeout=10000) as verified:
        verify.verify_button.click()
    assert verified.args[0].ok
    assert unit.unit.key_fingerprint in verify.verdict_panel.details.text()

    # The office pins the unit's key from the paper report and imports the stick.
    office = open_office(qtbot, runner, tmp_path / "office")
    previews: list[PrintPreview] = []

    def open_preview(title: str, render: Any, suggested: str) -> None:
        previews.append(PrintPreview(runner, title, render, suggested))
        qtbot.addWidget(previews[-1])

    page = OfficePage(runner, office, VaultEvents(), open_preview, volumes=lambda: [])
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.units_loaded, timeout=5000) as loaded:
        page.refresh()
    assert loaded.args == [0]
    pin = page.pin_unit()
    assert isinstance(pin, PinUnitDialog)
    pin.unit_pub.setText(str(result.folder / "unit.pub"))
    pin.code.setText(unit.unit.code)
    pin.fingerprint.setText("0000 1111 2222 3333")
    field, message = refuse(qtbot, pin)
    assert field == "fingerprint" and "dấu vân tay" in message.lower()
    pin.fingerprint.setText(unit.unit.key_fingerprint)
    with qtbot.waitSignal(page.units_loaded, timeout=5000):
        submit(qtbot, pin)
    assert page.units_model.rowCount() == 1
    assert page.units_model.index(0, 0).data() == unit.unit.code

    page.tabs.setCurrentIndex(1)
    page.folder.setText(str(stick))
    with qtbot.waitSignal(page.imported, timeout=10000) as imported:
        page.import_packages()
    assert [outcome_key(o) for o in imported.args[0]] == ["accepted"]
    assert page.outcomes.index(0, 4).data() == "Đã chấp nhận"
    with qtbot.waitSignal(page.imported, timeout=10000) as imported:
        page.import_packages()  # the same stick again: a replay, refused
    assert [outcome_key(o) for o in imported.args[0]] == ["replay"]
    assert page.outcomes.index(0, 4).data() == "Gửi lại"
    with qtbot.waitSignal(page.units_loaded, timeout=5000):
        page.refresh()
    assert page.units_model.index(0, 4).data() == "Số 1: Báo cáo thống kê hằng năm, kỳ 2026"

    # It appears in the consolidated summary, which prints.
    page.tabs.setCurrentIndex(2)
    page.summary_year.setValue(2026)
    with qtbot.waitSignal(page.summary_loaded, timeout=10000) as summary:
        page.load_summary()
    assert [row.code for row in summary.args[0].units] == [unit.unit.code]
    assert page.summary_model.index(0, 0).data() == unit.unit.code
    page.preview_summary()
    (preview,) = previews
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.pdf_bytes.startswith(b"%PDF")

    page.reconcile_year.setValue(2026)
    with qtbot.waitSignal(page.reconciled, timeout=10000) as reconciled:
        page.load_reconciliation()
    assert reconciled.args[0] == []
    assert "cả hai bên" in page.reconcile_status.text()
    runner.submit(office.app.close)
