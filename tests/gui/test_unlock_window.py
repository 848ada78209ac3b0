"""Unlocking: wrong passphrase, right passphrase, lockout and the recovery code path."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication

from secretdesk import app as app_module
from secretdesk import i18n
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.unlock_window import UnlockWindow
from tests.gui.conftest import USER, unlock
from tests.helpers import PASSPHRASE, UNIT

NEW_PASSPHRASE = "mật khẩu mới của văn thư"


def _unlock_window(controller: Any) -> UnlockWindow:
    controller.start()
    window = controller.window
    assert isinstance(window, UnlockWindow) and window.isVisible()
    for _ in range(500):  # the user names arrive from the worker once the window is shown
        if window.username.count():
            break
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return window


def _try(qtbot: Any, window: UnlockWindow, passphrase: str) -> None:
    window.passphrase.setText(passphrase)
    window.unlock_button.click()
    assert window.working  # the worker derives the key; the window stays responsive
    qtbot.waitUntil(lambda: not window.working, timeout=5000)


def test_the_only_user_is_filled_in(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    window = _unlock_window(make_controller(vault[0]))
    # the names are read from the key file on the worker, after the window is shown
    qtbot.waitUntil(lambda: window.username.currentText() == USER, timeout=5000)
    assert window.passphrase.hasFocus() or not window.isActiveWindow()


def test_a_wrong_passphrase_shows_the_message_and_the_window_stays(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    window = _unlock_window(controller)
    _try(qtbot, window, "not the passphrase")
    assert window.error.isVisible()
    assert window.error.text() == "Wrong user name or passphrase."
    assert controller.window is window and window.isVisible()
    assert window.passphrase.text() == ""  # never kept after a try
    assert controller.session is None


def test_the_right_passphrase_opens_the_main_window(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    window = _unlock_window(controller)
    main = unlock(qtbot, controller)
    assert UNIT.name in main.windowTitle() and "Lê Văn Quản Trị" in main.windowTitle()
    assert not shiboken6.isValid(window) or not window.isVisible()
    assert controller.session is not None and controller.session.app.vault.is_open


def test_repeated_failures_lock_the_form_with_the_remaining_seconds(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    window = _unlock_window(make_controller(vault[0]))
    for _attempt in range(5):
        _try(qtbot, window, "still wrong")
    _try(qtbot, window, PASSPHRASE)  # refused without trying: the delay runs
    assert "Wait" in window.error.text() and "seconds" in window.error.text()
    assert not window.unlock_button.isEnabled()
    window.submit()  # Enter in the passphrase field does nothing either
    assert not window.working


def test_the_recovery_code_sets_a_new_passphrase_and_unlocks(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    data_dir, code = vault
    controller = make_controller(data_dir)
    window = _unlock_window(controller)
    window.forgot_button.click()
    assert window.current_page == 1
    assert window.recovery_user.text() == USER
    window.recovery_code.setText(code.lower().replace("-", " "))  # as typed from paper
    window.new_passphrase.first.setText(NEW_PASSPHRASE)
    window.new_passphrase.repeat.setText(NEW_PASSPHRASE)
    window.recover_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=5000)
    controller.shutdown()  # closes the vault on its worker
    app_module.unlock(data_dir, USER, NEW_PASSPHRASE).close()


def test_recovery_checks_the_form_then_the_code(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    window = _unlock_window(make_controller(vault[0]))
    window.show_recovery()
    window.recovery_code.setText("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    window.new_passphrase.first.setText("short")
    window.new_passphrase.repeat.setText("short")
    window.recover_button.click()
    assert window.recovery_error.text() == "A passphrase must have at least 10 characters."
    window.new_passphrase.repeat.setText(NEW_PASSPHRASE)
    window.new_passphrase.first.setText(NEW_PASSPHRASE + "!")
    window.recover_button.click()
    assert window.recovery_error.text() == "The two passphrases differ."
    window.new_passphrase.first.setText(NEW_PASSPHRASE)
    window.recover_button.click()
    qtbot.waitUntil(lambda: not window.working, timeout=5000)
    assert window.recovery_error.text() == "The recovery code is not correct."
    window.back_button.click()
    assert window.current_page == 0


def test_the_unlock_window_speaks_vietnamese(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    i18n.set_language("vi")
    window = _unlock_window(make_controller(vault[0]))
    assert window.unlock_button.text() == "Mở khóa"
    _try(qtbot, window, "sai mật khẩu")
    assert window.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
