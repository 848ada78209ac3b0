"""The supervising office's vault opens the office pages and no unit register; a unit's vault
has no office pages. The kind is chosen at setup (the setup window, or ``office init`` on the
command line); a vault made before the choice existed is the office's when it already holds
office data (a pinned unit key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.gui import main_window
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.session import Session
from secretdesk.gui.setup_window import SetupWindow
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.office_page import OfficePage
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import unit as unit_storage
from tests.gui.day_fixtures import day_session, day_vault
from tests.helpers import PASSPHRASE, fixed_clock, run_cli

__all__ = ["day_session", "day_vault"]  # fixtures used by name

OFFICE = UnitSetup("Ban Chỉ đạo tỉnh Quảng Ngãi", "BCD-QNG", office=True)
ENV = {"SECRETDESK_PASSPHRASE": PASSPHRASE}


def _open(qtbot: Any, runner: TaskRunner, folder: Path, setup: UnitSetup) -> Session:
    def create() -> Session:
        opened, _code = app_module.create(
            folder, setup, "admin", PASSPHRASE, params=TEST_PARAMS, clock=fixed_clock()
        )
        return Session(opened, opened.unit_info(), folder)

    got: list[Any] = []
    runner.submit(create, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    assert isinstance(got[0], Session), got[0]
    return got[0]


def _names(main: MainWindow) -> list[str]:
    return [main.navigation.item(row).text() for row in range(main.navigation.count())]


def test_an_office_vault_opens_the_office_pages_only(
    qtbot: Any, runner: TaskRunner, tmp_path: Path
) -> None:
    session = _open(qtbot, runner, tmp_path / "office", OFFICE)
    assert session.unit.office
    main = MainWindow(runner, session)
    qtbot.addWidget(main)
    main.show()
    assert main.page_keys == [main_window.OFFICE, main_window.AUDIT, main_window.SETTINGS]
    assert _names(main) == ["Supervising office", "Audit log", "Settings"]
    assert main.current_page() == main_window.OFFICE
    assert main.stack.currentWidget() is main.office
    with qtbot.waitSignal(main.office.units_loaded, timeout=5000) as loaded:
        main.start()  # the office page is the first page, loaded on start
    assert loaded.args == [0]
    main.focus_search()  # Ctrl+F has no register to jump to: nothing happens
    assert main.current_page() == main_window.OFFICE
    main.restore_view({"page": main_window.REGISTERS})  # a page this vault has not
    assert main.current_page() == main_window.OFFICE
    dialog = main.office.verify_package()  # the receiving side's check, from the office page
    assert dialog.isVisible()
    dialog.close()


def test_a_unit_vault_has_no_office_page(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    session = day_session()
    assert not session.unit.office
    main = MainWindow(runner, session)
    qtbot.addWidget(main)
    assert main_window.OFFICE not in main.page_keys
    assert "Supervising office" not in _names(main)
    assert main.page_keys[0] == main_window.DASHBOARD
    assert main_window.EXPORTS in main.page_keys and main_window.REGISTERS in main.page_keys
    assert not main.findChildren(OfficePage) or not main.office.isVisible()


def test_setup_makes_an_office_vault_when_chosen(
    qtbot: Any, tmp_path: Path, make_controller: Any
) -> None:
    data_dir = tmp_path / "new-office"
    controller = make_controller(data_dir)
    controller.start()
    window = controller.window
    assert isinstance(window, SetupWindow)
    assert window.kind_unit.isChecked() and not window.kind_office.isChecked()
    window.kind_office.setChecked(True)
    window.unit_name.setText("Ban Chỉ đạo tỉnh Quảng Ngãi")
    window.unit_code.setText("BCD-QNG")
    window.username.setText("admin")
    window.passphrase.first.setText(PASSPHRASE)
    window.passphrase.repeat.setText(PASSPHRASE)
    window.create_button.click()
    qtbot.waitUntil(lambda: window.recovery_dialog is not None, timeout=10000)
    dialog = window.recovery_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10000)
    main = controller.window
    assert isinstance(main, MainWindow)
    assert main.session.unit.office
    assert main.page_keys[0] == main_window.OFFICE and main_window.REGISTERS not in main.page_keys


def test_the_command_line_makes_each_kind_and_the_audit_log_says_which(tmp_path: Path) -> None:
    unit_dir, office_dir = tmp_path / "unit", tmp_path / "office"
    init = ("init", "--unit-name", "Sở Tư pháp", "--unit-code", "STP-QNG", "--admin", "admin")
    office_init = ("office", "init", "--name", "Ban Chỉ đạo", "--code", "BCD", "--admin", "admin")
    for folder, args in ((unit_dir, init), (office_dir, office_init)):
        result = run_cli("--data-dir", str(folder), *args, env=ENV)
        assert result.returncode == 0, result.stderr
    for folder, office in ((unit_dir, False), (office_dir, True)):
        with app_module.unlock(folder, "admin", PASSPHRASE, fixed_clock()) as opened:
            assert opened.unit_info().office is office
            created = opened.audit.events(action_prefix="vault.created")[0]
            assert created.detail["kind"] == ("office" if office else "unit")


def test_an_older_vault_holding_office_data_counts_as_an_office(tmp_path: Path) -> None:
    unit, _code = app_module.create(
        tmp_path / "unit",
        UnitSetup("Sở Tư pháp", "STP-QNG"),
        "admin",
        PASSPHRASE,
        params=TEST_PARAMS,
        clock=fixed_clock(),
    )
    older, _code = app_module.create(
        tmp_path / "older",
        UnitSetup("Ban Chỉ đạo", "BCD-QNG"),
        "admin",
        PASSPHRASE,
        params=TEST_PARAMS,
        clock=fixed_clock(),
    )
    with unit, older:
        with older.vault.transaction() as conn:  # made before the kind was stored
            conn.execute("DELETE FROM setting WHERE key = ?", (unit_storage.VAULT_KIND_KEY,))
        assert not older.unit_info().office  # nothing of an office's yet: a unit
        info = unit.unit_info()
        older.office.trust(unit.exports.public_key_text(), info.key_fingerprint, code=info.code)
        assert older.unit_info().office  # a pinned unit key: the office's vault
        # A vault whose kind was chosen keeps it, whatever it holds.
        other = app_module.unlock(tmp_path / "unit", "admin", PASSPHRASE, fixed_clock())
        with other:
            assert not other.unit_info().office
