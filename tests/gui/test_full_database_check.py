"""The dashboard's "Full database check" runs the self-test with the structure of every
table and index checked, and the quick self-test then says when it last found the vault
sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secretdesk.services.maintenance import INTEGRITY
from tests.gui.conftest import unlock


def _integrity(report: Any) -> Any:
    (check,) = [c for c in report.checks if c.name == INTEGRITY]
    return check


def test_the_full_check_button_checks_the_structure_and_is_remembered(
    qtbot: Any, vault: tuple[Path, str], make_controller: Any
) -> None:
    controller = make_controller(vault[0])
    controller.start()
    dashboard = unlock(qtbot, controller).dashboard
    qtbot.waitUntil(lambda: dashboard.self_test_model.rowCount() > 0, timeout=5000)  # at unlock
    qtbot.waitUntil(lambda: dashboard.full_check_button.isEnabled(), timeout=5000)
    assert dashboard.full_check_button.text() == "Full database check"
    with qtbot.waitSignal(dashboard.self_tested, timeout=5000) as tested:
        dashboard.full_check_button.click()
    full = _integrity(tested.args[0])
    assert full.ok and str(full.detail) == "every page authenticated; structure ok"
    with qtbot.waitSignal(dashboard.self_tested, timeout=5000) as again:
        dashboard.self_test_button.click()
    quick = _integrity(again.args[0])
    assert "the full check last found it sound on" in str(quick.detail)
