"""Fixtures for the clerk's working day: a real vault with an approver, opened on the worker
with a fixed clock (2026-11-02 08:30 UTC), and helpers that drive dialogs as a clerk would."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView, QWidget

from secretdesk import app as app_module
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.write import FormDialog
from tests.helpers import PASSPHRASE, fixed_clock, new_app

APPROVER = "giamdoc"
APPROVER_NAME = "Phạm Văn Giám Đốc"
APPROVER_PASSPHRASE = "mật khẩu của giám đốc 2026"
LOW_APPROVER = "phogiamdoc"  # may approve Mật only
COUNCIL = "hoidong"


@pytest.fixture(scope="session")
def day_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty register with the administrator (who records) and two approvers; built once."""
    data_dir = tmp_path_factory.mktemp("day") / "vault"
    opened, _code = new_app(data_dir, fixed_clock())
    try:
        opened.users.add(
            APPROVER,
            Role.APPROVER,
            APPROVER_PASSPHRASE,
            full_name=APPROVER_NAME,
            max_level=Level.TUYET_MAT,
        )
        opened.users.add(
            LOW_APPROVER,
            Role.APPROVER,
            APPROVER_PASSPHRASE,
            full_name="Lê Thị Phó Giám Đốc",
            max_level=Level.MAT,
            approver=opened.users.countersign(APPROVER, APPROVER_PASSPHRASE),
        )
        opened.users.add(
            COUNCIL,
            Role.COUNCIL,
            APPROVER_PASSPHRASE,
            full_name="Hội đồng",
            approver=opened.users.countersign(APPROVER, APPROVER_PASSPHRASE),
        )
    finally:
        opened.close()
    return data_dir


@pytest.fixture
def day_session(
    qtbot: Any, runner: TaskRunner, tmp_path: Path, day_vault: Path
) -> Iterator[Callable[..., Session]]:
    """Open a private copy of the day vault as ``user`` on the worker, with the fixed clock."""
    opened: list[Session] = []

    def open_copy(user: str = "admin", passphrase: str = PASSPHRASE) -> Session:
        data_dir = tmp_path / f"day-{len(opened)}"
        shutil.copytree(day_vault, data_dir)

        def unlock() -> Session:
            app = app_module.unlock(data_dir, user, passphrase, fixed_clock())
            return Session(app, app.unit_info(), data_dir)

        got: list[object] = []
        runner.submit(unlock, got.append, got.append)
        qtbot.waitUntil(lambda: bool(got), timeout=5000)
        assert isinstance(got[0], Session), got[0]
        opened.append(got[0])
        return got[0]

    yield open_copy
    for session in opened:
        runner.submit(session.app.close)


def call(qtbot: Any, runner: TaskRunner, work: Callable[[], Any]) -> Any:
    """Run a service call on the worker (the vault's thread) and return its result."""
    got: list[Any] = []
    runner.submit(work, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    if isinstance(got[0], BaseException):
        raise got[0]
    return got[0]


def submit(qtbot: Any, dialog: FormDialog) -> Any:
    """Click OK and wait for the service's answer; returns what it gave back."""
    with qtbot.waitSignal(dialog.succeeded, timeout=5000) as done:
        dialog.ok_button.click()
    return done.args[0]


def refuse(qtbot: Any, dialog: FormDialog) -> tuple[str, str]:
    """Click OK and wait for the refusal; returns (field, message)."""
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        dialog.ok_button.click()
    field, message = refused.args
    return field, message


def double_click_row(table: QTableView, row: int) -> None:
    index = table.model().index(row, 1)
    rect = table.visualRect(index)
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    QTest.mouseDClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def pdf_printer(path: Path) -> Callable[[QWidget], QPrinter]:
    """Stands for the system's print dialog: the clerk picks a printer that writes a PDF."""

    def choose(_parent: QWidget) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    return choose
