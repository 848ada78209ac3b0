"""Idle auto-lock and the Lock action: the vault closes, the clipboard is cleared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from secretdesk.gui.idle import IdleMonitor
from secretdesk.gui.unlock_window import UnlockWindow
from tests.gui.conftest import USER, unlock


def test_no_input_locks_the_vault_and_clears_the_clipboard(
    qtbot: Any, qapp: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0], idle_lock_ms=1000)  # room for a slow start
    controller.start()
    unlock(qtbot, controller)
    app = controller.session.app
    qapp.clipboard().setText("Số 12/TM — nội dung mật")
    qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow), timeout=5000)
    qtbot.waitUntil(lambda: not app.vault.is_open)  # closed on its worker thread
    assert controller.session is None
    assert qapp.clipboard().text() == ""
    assert controller.window.username.currentText() == USER  # ready to unlock again
    unlock(qtbot, controller)  # and it can be unlocked again on the same worker


def test_the_lock_action_locks_at_once(
    qtbot: Any, qapp: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    assert controller.idle.active
    app = controller.session.app
    main.lock_action.trigger()
    assert isinstance(controller.window, UnlockWindow)
    assert not controller.idle.active
    qtbot.waitUntil(lambda: not app.vault.is_open)


def test_input_restarts_the_idle_timer(qtbot: Any, qapp: Any) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    monitor = IdleMonitor(qapp, 60_000)
    fired: list[bool] = []
    monitor.idle.connect(lambda: fired.append(True))
    monitor.start()
    try:
        qtbot.wait(120)
        before = monitor._timer.remainingTime()
        assert before < 60_000 - 100
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert monitor._timer.remainingTime() > before
    finally:
        monitor.stop()
    assert not monitor.active and not fired


def test_the_idle_timeout_comes_from_the_preferences(
    tmp_path: Path, vault: tuple[Path, str], make_controller: Any
) -> None:
    from secretdesk.gui.preferences import Preferences

    preferences = Preferences(tmp_path / "prefs.ini")
    assert make_controller(vault[0], preferences=preferences).idle.timeout_ms == 10 * 60_000
    (tmp_path / "prefs.ini").write_text("[General]\nidle_lock_minutes=3\n", encoding="utf-8")
    preferences = Preferences(tmp_path / "prefs.ini")
    assert make_controller(vault[0], preferences=preferences).idle.timeout_ms == 3 * 60_000
