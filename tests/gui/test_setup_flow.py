"""First run: the setup window creates a real vault, then the recovery code must be confirmed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from secretdesk import app as app_module
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.recovery_dialog import RecoveryDialog
from secretdesk.gui.setup_window import SetupWindow

PASSPHRASE = "một câu dài dễ nhớ"
CODE = re.compile(r"^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$")


def _setup_window(controller: Any) -> SetupWindow:
    controller.start()
    window = controller.window
    assert isinstance(window, SetupWindow) and window.isVisible()
    return window


def _fill(window: SetupWindow, passphrase: str = PASSPHRASE, repeat: str | None = None) -> None:
    window.unit_name.setText("Sở Tư pháp tỉnh Quảng Ngãi")
    window.unit_code.setText("STP-QNG")
    window.superior_body.setText("Ủy ban nhân dân tỉnh Quảng Ngãi")
    window.place.setText("Quảng Ngãi")
    window.username.setText("vanthu")
    window.full_name.setText("Nguyễn Thị Văn Thư")
    window.passphrase.first.setText(passphrase)
    window.passphrase.repeat.setText(passphrase if repeat is None else repeat)


def test_setup_creates_the_vault_and_shows_the_recovery_code(
    qtbot: Any, tmp_path: Path, make_controller: Any
) -> None:
    data_dir = tmp_path / "new"
    controller = make_controller(data_dir)
    window = _setup_window(controller)
    assert "10" in window.passphrase.rule.text()  # the rule is shown
    _fill(window)
    window.create_button.click()
    qtbot.waitUntil(lambda: window.recovery_dialog is not None, timeout=5000)
    assert app_module.vault_exists(data_dir)

    dialog = window.recovery_dialog
    assert isinstance(dialog, RecoveryDialog) and dialog.isVisible()
    code = dialog.code.text()
    assert CODE.match(code)
    assert len(dialog.fingerprint.text().split()) == 16
    assert not dialog.continue_button.isEnabled()
    dialog.reject()  # Escape
    dialog.close()
    assert dialog.isVisible()  # cannot be dismissed before the code is written down
    assert not isinstance(controller.window, MainWindow)

    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isChecked() and dialog.continue_button.isEnabled()
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow))
    assert "Nguyễn Thị Văn Thư" in controller.window.windowTitle()

    controller.shutdown()
    # The code shown is the real one: it sets a new passphrase.
    app_module.recover(data_dir, "vanthu", code, "passphrase after recovery").close()


def test_setup_refuses_a_short_or_mismatched_passphrase_before_creating_anything(
    tmp_path: Path, make_controller: Any
) -> None:
    data_dir = tmp_path / "new"
    window = _setup_window(make_controller(data_dir))
    _fill(window, "too short")
    window.create_button.click()
    assert window.error.text() == "A passphrase must have at least 10 characters."
    _fill(window, PASSPHRASE, PASSPHRASE + " ")
    window.create_button.click()
    assert window.error.text() == "The two passphrases differ."
    _fill(window)
    window.unit_code.clear()
    window.create_button.click()
    assert "unit code" in window.error.text()
    assert not app_module.vault_exists(data_dir)


def test_a_refusal_from_the_vault_is_shown_inline(
    qtbot: Any, tmp_path: Path, make_controller: Any
) -> None:
    data_dir = tmp_path / "new"
    window = _setup_window(make_controller(data_dir))
    _fill(window)
    window.username.setText("   ")
    window.unit_name.setText("Sở Tư pháp")
    window.create_button.click()  # caught by the form
    assert window.error.isVisible()
    window.username.setText("vanthu")
    data_dir.mkdir()
    (data_dir / "secretdesk.db").write_bytes(b"")  # somebody else created one meanwhile
    window.create_button.click()
    qtbot.waitUntil(lambda: not window.busy.isVisible(), timeout=5000)
    assert "already exists" in window.error.text()
    assert window.create_button.isEnabled()
