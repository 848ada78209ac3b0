"""run_gui as the CLI calls it: the demo vault opens in a temporary folder, removed at exit."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from secretdesk import i18n
from secretdesk.gui import application
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences


def test_demo_opens_the_main_window_and_removes_its_folder(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_dir = tmp_path / "demo"
    monkeypatch.setattr(
        application.tempfile, "mkdtemp", lambda prefix: str(demo_dir.mkdir() or demo_dir)
    )
    monkeypatch.setattr(application, "default_path", lambda: tmp_path / "gui.ini")
    seen: list[str] = []

    def quit_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].isVisible():
            seen.append(windows[0].windowTitle())
            assert (demo_dir / "secretdesk.db").exists()
            windows[0].quit_requested.emit()
        else:
            QTimer.singleShot(20, quit_when_shown)

    QTimer.singleShot(0, quit_when_shown)
    args = argparse.Namespace(data_dir=None, lang="en", demo=True, user=None)
    assert application.run_gui(args, None) == 0
    assert seen and "(DEMO)" in seen[0]
    assert not demo_dir.exists()


def test_the_language_comes_from_the_option_then_the_saved_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRETDESK_LANG", raising=False)
    preferences = Preferences(tmp_path / "gui.ini")
    preferences.language = "vi"
    application.choose_language(argparse.Namespace(lang=None), preferences)
    assert i18n.current_language() == "vi"
    application.choose_language(argparse.Namespace(lang="en"), preferences)
    assert i18n.current_language() == "en"
    monkeypatch.setenv("SECRETDESK_LANG", "en")
    application.choose_language(argparse.Namespace(lang=None), preferences)
    assert i18n.current_language() == "en"  # the environment, already applied by the CLI
