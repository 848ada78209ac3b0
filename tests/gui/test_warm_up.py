"""The extension modules whose import holds the interpreter lock are imported on the GUI
thread after unlock, not on the worker in the middle of an export (bench_gui_stall_office)."""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from secretdesk.gui import warmup
from tests.gui.conftest import unlock
from tests.helpers import new_app


def test_the_heavy_modules_are_imported_on_the_gui_thread_after_unlock(
    qtbot: Any, tmp_path: Path, make_controller: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_app(tmp_path / "v")[0].close()
    imported: list[str] = []
    monkeypatch.setattr(
        importlib, "import_module", lambda name: imported.append(name)
    )  # the real import is shared by the whole test process: watch the calls instead
    controller = make_controller(tmp_path / "v")
    controller.start()
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: imported == list(warmup.HEAVY_MODULES), timeout=5000)


def test_every_heavy_module_is_installed() -> None:
    for name in warmup.HEAVY_MODULES:
        assert find_spec(name) is not None, name
