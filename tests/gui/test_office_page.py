"""The office pages' refusals and outcomes on real vaults: a package of a unit never pinned
(unknown key), a number never received (gap, shown on the unit's row), an empty folder, a
key file that is not one and a bad unit code, each refused with nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.office_page import OfficePage, outcome_key
from secretdesk.gui.write import VaultEvents
from secretdesk.services.exports import ExportService
from tests.gui.day_fixtures import call, day_session, day_vault, refuse, submit
from tests.gui.test_export_to_office import open_office

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def test_unknown_key_gap_and_refused_pins(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    unit = day_session()
    stick = tmp_path / "stick"
    stick.mkdir()
    exports = ExportService(unit.app.ctx)

    def export(kind: str) -> Any:
        return exports.export(kind, "2026", stick, explicitly_chosen_folder=True)

    first = call(qtbot, runner, lambda: export("annual"))
    call(qtbot, runner, lambda: exports._reserve("audit", "2026", stick))  # number 2: lost
    call(qtbot, runner, lambda: export("registers"))  # number 3

    office = open_office(qtbot, runner, tmp_path / "office")
    page = OfficePage(runner, office, VaultEvents(), lambda *args: None, volumes=lambda: [])
    qtbot.addWidget(page)
    page.show()

    # Not pinned yet: every package is refused as signed by an unknown key.
    page.folder.setText(str(stick))
    with qtbot.waitSignal(page.imported, timeout=10000) as imported:
        page.import_packages()
    assert [outcome_key(o) for o in imported.args[0]] == ["unknown_key"] * 2
    assert page.import_status.text() == "Đã chấp nhận 0 trên 2 gói."
    empty = tmp_path / "empty"
    empty.mkdir()
    page.folder.setText(str(empty))
    with qtbot.waitSignal(page.imported, timeout=10000) as imported:
        page.import_packages()  # a folder holding no package is itself refused as one
    assert [outcome_key(o) for o in imported.args[0]] == ["rejected"]
    assert page.outcomes.index(0, 4).data() == "Bị từ chối"

    pin = page.pin_unit()
    not_a_key = tmp_path / "report.json"
    not_a_key.write_text("{}", encoding="utf-8")
    pin.unit_pub.setText(str(not_a_key))
    pin.code.setText(unit.unit.code)
    pin.fingerprint.setText(unit.unit.key_fingerprint)
    assert refuse(qtbot, pin)[0] == "unit_pub"
    pin.unit_pub.setText(str(tmp_path / "missing.pub"))
    assert refuse(qtbot, pin)[0] == "unit_pub"
    pin.unit_pub.setText(str(first.folder / "unit.pub"))
    pin.code.setText("mã có dấu cách")
    assert refuse(qtbot, pin)[0] == "code"
    assert call(qtbot, runner, office.app.office.trusted_units) == []
    pin.code.setText(unit.unit.code)
    with qtbot.waitSignal(page.units_loaded, timeout=5000):
        submit(qtbot, pin)

    page.folder.setText(str(stick))
    with qtbot.waitSignal(page.imported, timeout=10000) as imported:
        page.import_packages()
    assert [outcome_key(o) for o in imported.args[0]] == ["accepted", "gap"]
    assert page.outcomes.index(1, 4).data() == "Đã chấp nhận, còn thiếu số"
    with qtbot.waitSignal(page.units_loaded, timeout=5000):
        page.refresh()
    warning = page.units_model.index(0, 6).data()
    assert "2" in warning and unit.unit.code in warning
