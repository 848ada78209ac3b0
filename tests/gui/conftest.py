"""GUI test fixtures: real vaults in tmp_path (cheap Argon2), the real worker thread, fakes for
the air-gap check and the network guard, and a short idle timeout where a test wants one."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.gui import session as sessions
from secretdesk.gui.binding_check import drops_none_references
from secretdesk.gui.controller import GuiController
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow
from tests.gui import register_data
from tests.gui.register_data import Entries
from tests.helpers import PASSPHRASE, fixed_clock, new_app

USER = "admin"
HERE = Path(__file__).resolve().parent

# PySide6 6.12.0 on Python < 3.12 aborts the interpreter after a few thousand Qt calls
# (PYSIDE-3474). Running the GUI tests there would kill the whole test run, so they are
# skipped and test_qt_binding.py fails alone with the explanation.
BROKEN_BINDING = drops_none_references()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not BROKEN_BINDING:
        return
    skip = pytest.mark.skip(reason="this PySide6 build drops references to None (PYSIDE-3474)")
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if path.parent == HERE and path.name != "test_qt_binding.py":
            item.add_marker(skip)


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, str]:
    """A real vault with the administrator ``admin``; returns (folder, recovery code)."""
    data_dir = tmp_path / "vault"
    opened, code = new_app(data_dir)
    opened.close()
    return data_dir, code


@pytest.fixture(scope="session")
def register_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Entries]:
    """A vault with a few Vietnamese entries and handovers and 250 more to page through,
    built once; each test opens its own copy (``open_session``)."""
    data_dir = tmp_path_factory.mktemp("register") / "vault"
    opened, _code = new_app(data_dir, fixed_clock(*register_data.RECORDED))
    try:
        return data_dir, register_data.populate(opened)
    finally:
        opened.close()


@pytest.fixture
def open_session(
    qtbot: Any, runner: TaskRunner, tmp_path: Path
) -> Iterator[Callable[[Path], Session]]:
    """Copy a vault folder and unlock the copy on the worker, on register_data.VIEWED."""
    opened: list[Session] = []

    def open_copy(template: Path) -> Session:
        data_dir = tmp_path / f"copy-{len(opened)}"
        shutil.copytree(template, data_dir)
        got: list[object] = []
        clock = fixed_clock(*register_data.VIEWED)
        runner.submit(
            lambda: sessions.unlock(data_dir, USER, PASSPHRASE, clock), got.append, got.append
        )
        qtbot.waitUntil(lambda: bool(got), timeout=5000)
        assert isinstance(got[0], Session), got[0]
        opened.append(got[0])
        return got[0]

    yield open_copy
    for session in opened:  # closed on the worker before the runner stops
        runner.submit(session.app.close)


@pytest.fixture
def runner(qapp: Any) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def make_controller(
    qapp: Any, runner: TaskRunner, tmp_path: Path
) -> Iterator[Callable[..., GuiController]]:
    made: list[GuiController] = []

    def make(data_dir: Path, **options: Any) -> GuiController:
        options.setdefault("kdf_params", TEST_PARAMS)
        options.setdefault("airgap_check", lambda: [])
        options.setdefault("preferences", Preferences(tmp_path / "gui.ini"))
        controller = GuiController(qapp, runner, data_dir, **options)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()


def unlock(qtbot: Any, controller: GuiController, passphrase: str = PASSPHRASE) -> MainWindow:
    """Type the passphrase into the unlock window and wait for the main window."""
    window = controller.window
    assert isinstance(window, UnlockWindow)
    window.username.setCurrentText(USER)
    window.passphrase.setText(passphrase)
    window.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=15000)
    main = controller.window
    assert isinstance(main, MainWindow)
    return main
