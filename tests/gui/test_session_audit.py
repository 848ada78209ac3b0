"""What the GUI sees of the network, and each session, ends up in the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secretdesk import app as app_module
from secretdesk.system.airgap import INTERFACE_UP, Finding
from tests.gui.conftest import USER, unlock
from tests.helpers import PASSPHRASE


def actions(data_dir: Path) -> list[Any]:
    with app_module.unlock(data_dir, USER, PASSPHRASE) as opened:
        return opened.audit.events(limit=100)


def test_network_warnings_and_session_events_are_recorded(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(
        vault[0], airgap_check=lambda: [Finding("interface", "wlan0", INTERFACE_UP)]
    )
    controller.start()
    main = unlock(qtbot, controller)
    app = controller.session.app
    main.lock_action.trigger()
    qtbot.waitUntil(lambda: not app.vault.is_open)
    events = actions(vault[0])
    names = [e.action for e in events]
    assert "session.opened" in names and "session.locked" in names
    warning = next(e for e in events if e.action == "system.network_warning")
    assert warning.detail["findings"] == ["Network interface wlan0 is up and connected."]


def test_a_quiet_computer_records_no_network_warning(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    main = unlock(qtbot, controller)
    app = controller.session.app
    main.lock_action.trigger()
    qtbot.waitUntil(lambda: not app.vault.is_open)
    assert "system.network_warning" not in [e.action for e in actions(vault[0])]
