"""The main window: dashboard, audit page, placeholders, language choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from secretdesk import i18n
from secretdesk.gui import main_window
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from tests.gui.conftest import unlock
from tests.helpers import UNIT


def test_the_dashboard_shows_the_unit_the_chain_and_the_self_test(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    dashboard = main.dashboard
    assert main.current_page() == main_window.DASHBOARD
    qtbot.waitUntil(lambda: dashboard.verify_button.isEnabled(), timeout=5000)
    assert dashboard.verification.text().startswith("✓ Intact: all")
    assert dashboard.head_seq.text().startswith("No. ")
    assert len(dashboard.head_hash.text()) == 64
    assert dashboard.fingerprint.text() == controller.session.unit.key_fingerprint
    qtbot.waitUntil(lambda: dashboard.self_test_model.rowCount() > 0, timeout=5000)
    names = [
        dashboard.self_test_model.data(dashboard.self_test_model.index(row, 0))
        for row in range(dashboard.self_test_model.rowCount())
    ]
    assert "Audit chain" in names and "Encryption (SQLCipher)" in names
    with qtbot.waitSignal(dashboard.verified, timeout=5000) as verified:
        dashboard.verify_button.click()
    assert verified.args[0].ok


def test_the_audit_page_lists_the_latest_events(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    with qtbot.waitSignal(main.audit.loaded, timeout=5000) as loaded:
        main.show_page(main_window.AUDIT)
    assert loaded.args[0] >= 2
    assert main.current_page() == main_window.AUDIT
    top = main.audit.proxy.index(0, 0)
    assert int(main.audit.proxy.data(top)) == loaded.args[0]  # newest first


def test_the_registers_and_handovers_pages_load_when_shown(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    with qtbot.waitSignal(main.registers.loaded, timeout=5000) as loaded:
        main.show_page(main_window.REGISTERS)
    assert loaded.args == [0] and main.registers.status.text() == "No entry matches."
    assert main.current_page() == main_window.REGISTERS
    with qtbot.waitSignal(main.handovers.loaded, timeout=5000) as loaded:
        main.show_page(main_window.HANDOVERS)
    assert loaded.args == [0]
    assert main.handovers.overdue_note.text() == "No handover is overdue."


def test_every_page_is_built_and_none_says_coming_soon(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    i18n.set_language("vi")
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    names = [main.navigation.item(row).text() for row in range(main.navigation.count())]
    assert names[0] == "Tổng quan" and "Nhật ký kiểm tra" in names and "Cài đặt" in names
    assert len(names) == len(main.page_keys) == main.stack.count()
    for key in main.page_keys:
        main.show_page(key)
        texts = " ".join(w.text() for w in main.stack.currentWidget().findChildren(QLabel))
        assert "sẽ sớm được bổ sung" not in texts, key
    assert UNIT.name in main.unit_label.text()


def test_the_language_choice_is_saved_and_switched_live(
    qtbot: Any, tmp_path: Path, vault: tuple[Path, str], make_controller: Any
) -> None:
    preferences = Preferences(tmp_path / "prefs.ini")
    controller = make_controller(vault[0], preferences=preferences)
    controller.start()
    main = unlock(qtbot, controller)
    assert main.language_actions["en"].isChecked()
    main.language_actions["vi"].trigger()
    assert Preferences(tmp_path / "prefs.ini").language == "vi"
    try:  # switched live: the window is built again in Vietnamese, no restart
        assert i18n.current_language() == "vi"
        rebuilt = controller.window
        assert isinstance(rebuilt, MainWindow) and rebuilt is not main
        assert rebuilt.navigation.item(0).text() == "Tổng quan"
    finally:
        i18n.set_language("en")
