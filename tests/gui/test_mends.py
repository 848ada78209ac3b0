"""What a clerk hits every day: forms that keep their layout after an error, Enter submits,
the window fits 1366x768 and remembers its size, pages adapt to the role, keyboard shortcuts,
the clipboard is cleared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from secretdesk import i18n
from secretdesk.gui import main_window
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.setup_window import SetupWindow
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow
from tests.gui.conftest import unlock
from tests.gui.day_fixtures import APPROVER_PASSPHRASE, COUNCIL, day_session, day_vault

__all__ = ["day_session", "day_vault"]  # fixtures used by name


def heights(*fields: Any) -> list[int]:
    return [field.height() for field in fields]


def test_setup_form_keeps_its_layout_and_enter_submits(
    qtbot: Any, runner: TaskRunner, tmp_path: Path
) -> None:
    window = SetupWindow(runner, tmp_path / "vault")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    fields = (window.unit_name, window.username, window.passphrase.first, window.passphrase.repeat)
    qtbot.wait(20)
    before = heights(*fields)
    assert all(field.height() >= field.sizeHint().height() for field in fields), before
    QTest.keyClick(window.username, Qt.Key.Key_Return)  # Enter submits
    assert not window.error.isHidden() and window.error.text()
    qtbot.wait(20)
    assert heights(*fields) == before
    assert all(field.height() >= field.sizeHint().height() for field in fields)


def test_unlock_form_keeps_its_layout_and_enter_submits_recovery(
    qtbot: Any, runner: TaskRunner, vault: tuple[Path, str]
) -> None:
    window = UnlockWindow(runner, vault[0])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    fields = (window.username, window.passphrase)
    qtbot.wait(20)
    before = heights(*fields)
    window.passphrase.setText("wrong passphrase")
    QTest.keyClick(window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.error.isHidden() and not window.working, timeout=5000)
    qtbot.wait(20)
    assert heights(*fields) == before
    window.show_recovery()
    QTest.keyClick(window.recovery_code, Qt.Key.Key_Return)  # empty: refused, in place
    assert not window.recovery_error.isHidden()
    assert window.recovery_code.height() >= window.recovery_code.sizeHint().height()


def test_main_window_fits_1366x768_and_remembers_its_size(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    preferences = Preferences(tmp_path / "gui.ini")
    main = MainWindow(runner, day_session(), preferences=preferences)
    qtbot.addWidget(main)
    main.show()
    for key in main.page_keys:
        main.show_page(key)
    hint = main.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
    main.resize(1200, 700)
    main.remember_size()
    assert preferences.window_size == (1200, 700)
    again = MainWindow(runner, main.session, preferences=Preferences(tmp_path / "gui.ini"))
    qtbot.addWidget(again)
    screen = QApplication.primaryScreen().availableGeometry()
    assert again.width() == min(1200, screen.width())


def test_a_council_member_gets_no_error_and_no_audit_page(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    i18n.set_language("vi")
    session = day_session(COUNCIL, APPROVER_PASSPHRASE)
    main = MainWindow(runner, session)
    qtbot.addWidget(main)
    errors: list[str] = []
    main.show_error = errors.append  # type: ignore[method-assign]
    main.dashboard.failed.connect(errors.append)
    main.show()
    with qtbot.waitSignal(main.dashboard.counted, timeout=5000):
        main.start()
    qtbot.wait(50)
    assert errors == [] and main.findChildren(QMessageBox) == []
    assert main_window.AUDIT not in main.page_keys
    assert main.dashboard.verify_button.isHidden() or not main.dashboard.verify_button.isVisible()
    with qtbot.waitSignal(main.registers.loaded, timeout=5000):
        main.show_page(main_window.REGISTERS)
    assert main.registers.new_button.isHidden()  # absent, not an error
    main.show_page(main_window.COPIES)
    assert main.copies.approve_button.isHidden()
    i18n.set_language("en")


def test_keyboard_shortcuts(qtbot: Any, runner: TaskRunner, day_session: Any) -> None:
    main = MainWindow(runner, day_session())
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(main.registers.loaded, timeout=5000):
        main.show_page(main_window.REGISTERS)
    QTest.keySequence(main, "Ctrl+F")
    assert main.registers.focusWidget() is main.registers.search
    main.registers.search.setText("không có")
    QTest.keyClick(main.registers.search, Qt.Key.Key_Escape)  # Esc clears the search
    assert main.registers.search.text() == ""
    with qtbot.waitSignal(main.registers.loaded, timeout=5000):
        QTest.keyClick(main, Qt.Key.Key_F5)  # F5 refreshes the page shown
    with qtbot.waitSignal(main.handovers.loaded, timeout=5000):
        main.show_page(main_window.HANDOVERS)
    QTest.keySequence(main, "Ctrl+N")
    assert main.handovers.dialog is not None and main.handovers.dialog.isVisible()
    QTest.keyClick(main.handovers.dialog, Qt.Key.Key_Escape)  # Esc closes a dialog
    assert not main.handovers.dialog.isVisible()
    locked: list[bool] = []
    main.lock_requested.connect(lambda: locked.append(True))
    QTest.keySequence(main, "Ctrl+L")
    assert locked == [True]


def test_the_clipboard_is_cleared_after_a_while_and_on_lock(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    unlock(qtbot, controller)
    clipboard = QApplication.clipboard()
    clipboard.setText("SDH1|2026|12|a1b2c3d4", QClipboard.Mode.Clipboard)
    assert controller.clipboard_timer.isActive()
    assert controller.clipboard_timer.interval() == 30_000
    controller.clipboard_timer.timeout.emit()  # 30 s later
    assert clipboard.text() == ""
    clipboard.setText("again", QClipboard.Mode.Clipboard)
    controller.lock()
    assert clipboard.text() == "" and not controller.clipboard_timer.isActive()


def test_after_unlocking_the_same_page_and_filters_come_back(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    with qtbot.waitSignal(main.handovers.loaded, timeout=5000):
        main.show_page(main_window.HANDOVERS)
    main.handovers.open_only.setChecked(True)
    main.registers.search.setText("quyết định")
    controller.lock()
    again = unlock(qtbot, controller)
    assert again is not main
    assert again.current_page() == main_window.HANDOVERS
    assert again.handovers.open_only.isChecked()
    assert again.registers.search.text() == "quyết định"
