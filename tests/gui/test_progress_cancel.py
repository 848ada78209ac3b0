"""Progress with Cancel in the GUI, against real vaults: the export wizard shows the steps and
stops before the number is reserved (nothing on the stick, no number used); once the package
is being written its Cancel is off and the package is whole; the office page's import stops
between packages, keeps the units checked whole and says of each other package that it was
left untouched."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from secretdesk import app as app_module
from secretdesk import i18n
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.gui.dialogs.export_wizard import ExportDialog, ExportDoneDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.exports_page import ExportsPage
from secretdesk.gui.views.office_page import OfficePage, outcome_key
from secretdesk.gui.write import VaultEvents
from secretdesk.services.office import imports
from secretdesk.services.progress import Step
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import office as office_storage
from secretdesk.transfer.package import FileOps
from tests.gui.day_fixtures import call, day_session, day_vault
from tests.gui.test_export_page import StickExports
from tests.helpers import PASSPHRASE, fixed_clock

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


class Gate:
    """Holds the worker at one point until the test has clicked what it wants."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.go = threading.Event()

    def wait(self) -> None:
        self.reached.set()
        assert self.go.wait(10)


class HeldGathering(StickExports):
    """The export stops while its report is gathered (a long register, say)."""

    def __init__(self, session: Session, stick: Path, gate: Gate) -> None:
        super().__init__(session, stick)
        self.gate = gate

    def _files(self, *args: Any, **kwargs: Any) -> dict[str, bytes]:
        files = super()._files(*args, **kwargs)
        self.gate.wait()
        return files


class HeldWriting(FileOps):
    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    def make_folder(self, path: Path) -> None:
        self.gate.wait()
        super().make_folder(path)


PAGES: list[ExportsPage] = []  # kept alive while the test runs


def _wizard(qtbot: Any, runner: TaskRunner, session: Session, exports: Any) -> ExportDialog:
    page = ExportsPage(runner, session, VaultEvents(), exports=exports)
    PAGES.append(page)
    qtbot.addWidget(page)
    page.show()
    page.new_record()
    wizard = page.dialog
    assert isinstance(wizard, ExportDialog)
    qtbot.waitUntil(lambda: bool(wizard.target.text()), timeout=5000)
    return wizard


def test_cancel_while_gathering_stops_the_export_with_nothing_written(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    stick = tmp_path / "media" / "USB"
    stick.mkdir(parents=True)
    gate = Gate()
    exports = HeldGathering(session, stick, gate)
    wizard = _wizard(qtbot, runner, session, exports)
    steps: list[Step] = []
    wizard.progress.stepped.connect(steps.append)
    wizard.ok_button.click()
    try:
        qtbot.waitUntil(gate.reached.is_set, timeout=10000)
        qtbot.waitUntil(lambda: bool(steps))  # the panel looks every 40 ms
        assert wizard.progress.isVisible() and wizard.progress.cancel_button.isEnabled()
        assert wizard.progress.bar.text() == "0 trên 5"
        wizard.reject()  # Esc (or the panel's Cancel): stop at the next safe point
        assert wizard.isVisible()  # the dialog waits for the worker to stop
        assert wizard.progress.what.text() == "Đang dừng ở điểm an toàn kế tiếp…"
    finally:
        gate.go.set()
    qtbot.waitUntil(lambda: not wizard.progress.running, timeout=10000)
    assert wizard.error.text() == (
        "Đã hủy. Không có gì được ghi vào thẻ nhớ và không dùng số thứ tự xuất nào."
    )
    assert steps and steps[0].total == 5 and steps[0].done == 0
    assert list(stick.iterdir()) == []
    assert call(qtbot, runner, exports.history) == []
    seq = call(qtbot, runner, lambda: office_storage.last_export_seq(session.app.vault.connection))
    assert seq == 0
    assert wizard.ok_button.isEnabled()  # and it may be tried again: it gets number 1
    gate.reached.clear()
    with qtbot.waitSignal(wizard.succeeded, timeout=15000) as done:
        wizard.ok_button.click()
        qtbot.waitUntil(gate.reached.is_set, timeout=10000)
        gate.go.set()
    assert done.args[0].seq == 1


def test_once_the_package_is_being_written_cancel_is_off_and_it_is_whole(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    stick = tmp_path / "media" / "USB"
    stick.mkdir(parents=True)
    gate = Gate()
    exports = StickExports(session, stick)
    exports._ops = HeldWriting(gate)
    wizard = _wizard(qtbot, runner, session, exports)
    wizard.ok_button.click()
    page = wizard.parent()
    try:
        qtbot.waitUntil(gate.reached.is_set, timeout=10000)
        qtbot.waitUntil(lambda: not wizard.progress.cancel_button.isEnabled(), timeout=5000)
        assert "không thể hủy được nữa" in wizard.progress.what.text()
        assert wizard.progress.bar.text() == "3 trên 5"
        wizard.progress.cancel()  # too late: nothing happens
        wizard.reject()
        assert wizard.progress.progress is not None and not wizard.progress.progress.cancelled
    finally:
        gate.go.set()
    qtbot.waitUntil(lambda: isinstance(page.dialog, ExportDoneDialog), timeout=15000)
    done = page.dialog
    assert done.written.seq == 1
    qtbot.waitUntil(lambda: done.verdict is not None, timeout=10000)
    assert done.verdict is not None and done.verdict.ok


def _unit(runner: TaskRunner, qtbot: Any, folder: Path) -> Session:
    def create() -> Session:
        opened, _code = app_module.create(
            folder,
            UnitSetup("Sở Y tế tỉnh Quảng Ngãi", "SYT-QNG"),
            "admin",
            PASSPHRASE,
            params=TEST_PARAMS,
            clock=fixed_clock(),
        )
        return Session(opened, opened.unit_info(), folder)

    return call(qtbot, runner, create)


def test_cancel_during_an_office_import_keeps_whole_units_and_says_so_per_package(
    qtbot: Any,
    runner: TaskRunner,
    day_session: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.gui.test_export_to_office import open_office

    stick = tmp_path / "stick"
    stick.mkdir()
    units = [day_session(), _unit(runner, qtbot, tmp_path / "health")]
    for unit in units:
        exports = unit.app.exports
        for _ in range(2):
            call(
                qtbot,
                runner,
                lambda e=exports: e.export("annual", "2026", stick, explicitly_chosen_folder=True),
            )
    office = open_office(qtbot, runner, tmp_path / "office")
    for unit in units:
        text = call(qtbot, runner, unit.app.exports.public_key_text)
        info = unit.unit
        call(
            qtbot,
            runner,
            lambda t=text, i=info: office.app.office.trust(t, i.key_fingerprint, code=i.code),
        )

    gate = Gate()
    real = imports.verify_package
    checked: list[Path] = []

    def held(folder: Path, **kwargs: Any) -> Any:
        checked.append(folder)
        if len(checked) == 2:  # the first unit's second package
            gate.wait()
        return real(folder, **kwargs)

    monkeypatch.setattr(imports, "verify_package", held)
    page = OfficePage(runner, office, VaultEvents(), lambda *a: None, volumes=lambda: [])
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    page.folder.setText(str(stick))
    with qtbot.waitSignal(page.imported, timeout=20000) as imported:
        page.import_packages()
        try:
            qtbot.waitUntil(gate.reached.is_set, timeout=10000)
            assert page.import_progress.isVisible()
            what, bar = page.import_progress.what, page.import_progress.bar
            # the panel looks at the latest step every 40 ms
            qtbot.waitUntil(lambda: what.text().startswith("Đang kiểm tra gói 2 trên 4"))
            assert bar.maximum() == 5 and bar.text() == "1 trên 5"  # four packages, then storing
            page.cancel_import()
        finally:
            gate.go.set()
    outcomes = imported.args[0]
    first = sorted(unit.unit.code for unit in units)[0]
    keys = {(o.unit_code or o.folder.name.split("_")[1], outcome_key(o)) for o in outcomes}
    assert keys == {(first, "accepted"), (sorted(u.unit.code for u in units)[1], "cancelled")}
    assert [outcome_key(o) for o in outcomes].count("cancelled") == 2
    cancelled_rows = [
        row
        for row in range(page.outcomes.rowCount())
        if page.outcomes.index(row, 4).data() == "Chưa nhập (đã hủy)"
    ]
    assert len(cancelled_rows) == 2
    assert "chưa nhập" in page.outcomes.index(cancelled_rows[0], 5).data()
    assert page.import_status.text() == (
        "Đã chấp nhận 2 trên 4 gói. Đã hủy việc nhập: 2 gói chưa được nhập và được giữ "
        "nguyên; hãy nhập lại sau."
    )
    assert not page.import_progress.isVisible() and page.import_button.isEnabled()
    received = call(
        qtbot,
        runner,
        lambda: office.app.vault.connection.execute(
            "SELECT unit_code, seq FROM received_package ORDER BY unit_code, seq"
        ).fetchall(),
    )
    assert [tuple(row) for row in received] == [(first, 1), (first, 2)]
