"""SECRETDESK_EXIT_WHEN_SHOWN=1: the program quits once its first window is up (start-up timing)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from secretdesk.gui import application
from secretdesk.gui.unlock_window import UnlockWindow
from tests.helpers import new_app


def test_the_unlock_window_is_shown_then_the_program_quits(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "vault"
    new_app(data_dir)[0].close()
    monkeypatch.setattr(application, "default_path", lambda: tmp_path / "gui.ini")
    monkeypatch.setenv(application.EXIT_WHEN_SHOWN_VARIABLE, "1")
    shown: list[str] = []
    real_show = UnlockWindow.show

    def show(window: UnlockWindow) -> None:
        shown.append(type(window).__name__)
        real_show(window)

    monkeypatch.setattr(UnlockWindow, "show", show)
    args = argparse.Namespace(data_dir=str(data_dir), lang="en", demo=False, user=None)
    assert application.run_gui(args, None) == 0  # returns by itself: no timer in the test
    assert shown == ["UnlockWindow"]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
