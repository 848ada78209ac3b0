"""Regenerate screenshots of every window for a visual check (not collected by pytest).

    python -m tests.gui.make_screenshots [OUT_DIR]        (default /tmp/sd-gui)

Runs offscreen unless DISPLAY is set (e.g. under ``Xvfb :99``), on throw-away vaults with cheap
key derivation, in Vietnamese and once in English. The air-gap check is the real one, so the
red banner shows on a networked computer, as a clerk would see it. The registers and handovers
pages are shot on the populated demo vault (a year of work, about 4 s to build).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from secretdesk import i18n
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.levels import Level
from secretdesk.gui import main_window, style
from secretdesk.gui.binding_check import drops_none_references
from secretdesk.gui.controller import GuiController
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.setup_window import SetupWindow
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow

PASSPHRASE = "một câu dài dễ nhớ 2026"


def pause(ms: int) -> None:
    """Run the event loop for a while. Not QTest.qWait: it keeps the GIL while it sleeps, which
    starves the worker thread (building the demo vault would take minutes)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        pause(20)


def save(widget: QWidget, out: Path, name: str) -> None:
    pause(150)  # let layouts settle
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def shots(qapp: QApplication, out: Path, language: str, work: Path) -> None:
    i18n.set_language(language)
    runner = TaskRunner()
    data_dir = work / f"vault-{language}"
    controller = GuiController(
        qapp, runner, data_dir, kdf_params=TEST_PARAMS, preferences=Preferences(work / "gui.ini")
    )
    suffix = "" if language == "vi" else "-en"
    try:
        controller.start()
        setup = controller.window
        assert isinstance(setup, SetupWindow)
        setup.unit_name.setText("Sở Tư pháp tỉnh Quảng Ngãi")
        setup.unit_code.setText("STP-QNG")
        setup.superior_body.setText("Ủy ban nhân dân tỉnh Quảng Ngãi")
        setup.place.setText("Quảng Ngãi")
        setup.username.setText("vanthu")
        setup.full_name.setText("Nguyễn Thị Văn Thư")
        setup.passphrase.first.setText(PASSPHRASE)
        setup.passphrase.repeat.setText(PASSPHRASE)
        save(setup, out, f"setup-window{suffix}")

        setup.submit()
        wait_until(lambda: setup.recovery_dialog is not None)
        dialog = setup.recovery_dialog
        assert dialog is not None
        save(dialog, out, f"recovery-dialog{suffix}")
        dialog.confirm.setChecked(True)
        dialog.continue_button.click()

        wait_until(lambda: isinstance(controller.window, MainWindow))
        main = controller.window
        assert isinstance(main, MainWindow)
        wait_until(lambda: main.dashboard.self_test_model.rowCount() > 0 and not runner.busy)
        save(main, out, f"main-dashboard{suffix}")
        main.show_page(main_window.AUDIT)
        wait_until(lambda: main.audit.model.rowCount() > 0 and not runner.busy)
        save(main, out, f"main-audit{suffix}")
        main.show_page("copies")
        save(main, out, f"main-placeholder{suffix}")

        controller.lock()
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        unlock.passphrase.setText("sai mật khẩu")
        unlock.submit()
        wait_until(lambda: not unlock.working)
        save(unlock, out, f"unlock-error{suffix}")
        unlock.show_recovery()
        save(unlock, out, f"unlock-recovery{suffix}")
    finally:
        controller.shutdown()


def demo_shots(qapp: QApplication, out: Path, language: str, work: Path) -> None:
    """The registers and handovers pages of the populated demo vault."""
    i18n.set_language(language)
    runner = TaskRunner()
    controller = GuiController(
        qapp,
        runner,
        work / f"demo-{language}",
        kdf_params=TEST_PARAMS,
        preferences=Preferences(work / "gui.ini"),
        demo=True,
    )
    suffix = "" if language == "vi" else "-en"
    try:
        controller.start_demo()
        wait_until(lambda: isinstance(controller.window, MainWindow), timeout=60)
        main = controller.window
        assert isinstance(main, MainWindow)
        registers = main.registers
        main.show_page(main_window.REGISTERS)
        wait_until(lambda: registers.model.rowCount() > 0 and not runner.busy)
        cancelled = next(
            row
            for row in range(registers.model.rowCount())
            if registers.model.item_at(row).cancelled
        )
        registers.table.selectRow(cancelled + 1)  # the cancelled one stays unselected: grey
        registers.table.scrollTo(
            registers.model.index(cancelled, 0), QAbstractItemView.ScrollHint.PositionAtCenter
        )
        wait_until(lambda: registers.panel.copies.isVisible() and not runner.busy)
        save(main, out, f"registers{suffix}")

        registers.level_filter.setCurrentIndex(registers.level_filter.findData(Level.TUYET_MAT))
        wait_until(lambda: registers.model.rowCount() < 50 and not runner.busy)
        registers.table.selectRow(0)
        wait_until(lambda: registers.panel.copies.isVisible() and not runner.busy)
        save(main, out, f"registers-top-secret{suffix}")

        registers.level_filter.setCurrentIndex(0)
        registers.register_filter.setCurrentIndex(registers.register_filter.findData("incoming"))
        registers.search.setText("quyet dinh")
        registers.run_search()
        wait_until(lambda: not runner.busy)
        save(main, out, f"registers-search{suffix}")

        handovers = main.handovers
        main.show_page(main_window.HANDOVERS)
        wait_until(lambda: handovers.model.rowCount() > 0 and not runner.busy)
        save(main, out, f"handovers{suffix}")
        handovers.open_only.setChecked(True)
        wait_until(lambda: handovers.model.rowCount() < 100 and not runner.busy)
        handovers.table.selectRow(0)
        save(main, out, f"handovers-open{suffix}")
    finally:
        controller.shutdown()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sd-gui")
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication(sys.argv[:1])
    if drops_none_references():
        print("this PySide6 build crashes (PYSIDE-3474); install PySide6 6.11", file=sys.stderr)
        return 1
    qapp.setQuitOnLastWindowClosed(False)
    style.apply(qapp)
    with tempfile.TemporaryDirectory(prefix="sd-shots-") as work:
        for language in ("vi", "en"):
            shots(qapp, out, language, Path(work))
            demo_shots(qapp, out, language, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
